"""The thing attacked: the real entry point (`python -m backend`, waitress) on loopback, with a
fresh data directory and a fake OpenAI-compatible server as its LLM; and the CLI (`python -m
maxcore`) for attacks carried by mail.

Rule: the replay talks to the server only as an outsider would (HTTP, the console's `pair`
command, the files the server leaves on disk), from any loopback address (127.0.0.0/8 all reach
a server bound to 127.0.0.1, so "another client" is a real other address). Every answer of 500
or more is counted, and every traceback the server or the CLI writes to stderr.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.servers.fake_openai import FakeOpenAI, answer

REPO = Path(__file__).resolve().parents[2]
TOKEN = "adversarial-" + "k" * 40
# The backend's URL as mail recipients reach it: not the one the extension uses, the case where
# self-views used to leak (tracking.js matched MAX's pixel by URL).
PUBLIC_URL = "https://max.example.test"
TRACEBACK = "Traceback (most recent call last)"
# Variables of the developer's own that must not leak into the attacked server.
_DROP = ("MAX_", "OPENAI_")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Target:
    repo: Path
    data_dir: Path
    port: int
    proc: subprocess.Popen[str]
    stderr_path: Path
    llm: FakeOpenAI
    env: dict[str, str]
    console_code: str
    server_errors: int = 0  # answers >= 500
    cli_tracebacks: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    # ---- HTTP, as any client on this machine ----
    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        source: str = "127.0.0.1",
        raw: bytes | None = None,
    ) -> Answer:
        sent = {"Content-Type": "application/json"} if body is not None else {}
        if auth:
            sent["Authorization"] = f"Bearer {TOKEN}"
        sent.update(headers or {})
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(source, 0)
        )
        try:
            conn.putrequest(method, path, skip_host="Host" in sent, skip_accept_encoding=True)
            for name, value in sent.items():
                conn.putheader(name, value)
            if data is not None:
                conn.putheader("Content-Length", str(len(data)))
            conn.endheaders(data)
            response = conn.getresponse()
            got = Answer(
                response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            )
        finally:
            conn.close()
        if got.status >= 500:
            self.server_errors += 1
        return got

    def analyze(self, request: dict[str, Any]) -> dict[str, Any]:
        got = self.call("POST", "/api/v1/threads/analyze", request)
        if got.status != 200:
            raise RuntimeError(f"analyze answered {got.status}: {got.body[:200]!r}")
        analysis: dict[str, Any] = got.json()
        return analysis

    # ---- the console and the disk ----
    def pair_code(self) -> str:
        """A fresh code, printed the way the user gets one: `python -m backend pair`."""
        out = subprocess.run(
            [sys.executable, "-m", "backend", "pair"],
            cwd=self.repo,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return out.stdout.splitlines()[2].strip()

    def sqlite(self) -> Path:
        return self.data_dir / "max.sqlite3"

    def log_size(self) -> int:
        return self.stderr_path.stat().st_size

    def log_since(self, offset: int) -> str:
        with self.stderr_path.open("rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")

    # ---- the CLI, for attacks that arrive by mail ----
    def cli(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "maxcore", *args],
            cwd=self.repo,
            env={**self.env, "MAX_LLM_BASE_URL": self.llm.base_url},
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.cli_tracebacks += done.stderr.count(TRACEBACK)
        return done


def clean_env(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROP)}
    return {**env, "PYTHONPATH": str(repo), "PYTHONUNBUFFERED": "1"}


@contextmanager
def running_target(repo: Path = REPO) -> Iterator[Target]:
    """The backend served from `repo` (another checkout measures the code before a change)."""
    llm = FakeOpenAI([answer("Bonjour Marc, on simplifie la validation juridique ?")]).start()
    with tempfile.TemporaryDirectory(prefix="max-adversarial-") as tmp:
        data_dir = Path(tmp) / "data"
        env = {
            **clean_env(repo),
            "MAX_DATA_DIR": str(data_dir),
            "MAX_API_TOKEN": TOKEN,
            "MAX_PUBLIC_URL": PUBLIC_URL,
            "MAX_LLM_BASE_URL": llm.base_url,
            "MAX_LLM_MODEL": "fake",
            "MAX_LLM_API_KEY": "fake-key",
            "MAX_LLM_TIMEOUT": "5",
        }
        stderr_path = Path(tmp) / "server.stderr"
        with stderr_path.open("w") as stderr:
            proc = subprocess.Popen(
                [sys.executable, "-m", "backend", "--host", "127.0.0.1", "--port", "0"],
                cwd=repo,
                env=env,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        try:
            assert proc.stdout is not None
            banner = proc.stdout.readline()  # "MAX backend listening on http://127.0.0.1:PORT ..."
            if not banner.startswith("MAX backend listening on "):
                raise RuntimeError(f"the backend did not start: {banner!r}")
            port = int(banner.split()[4].rsplit(":", 1)[1])
            code = [proc.stdout.readline() for _ in range(3)][2].strip()
            target = Target(repo, data_dir, port, proc, stderr_path, llm, env, code)
            _wait_up(target)
            yield target
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            llm.stop()


def _wait_up(target: Target, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while True:
        try:
            if target.call("GET", "/healthz", auth=False).status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > end:
            raise RuntimeError("the backend never answered /healthz")
        time.sleep(0.1)
