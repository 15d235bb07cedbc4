"""The backend as a team runs it: gunicorn with N worker processes behind one port, on 127.0.0.1
and a free port, as a subprocess (README, "Run it as a team").

Written here for MAX's tests and benchmarks. The app spec is `backend:create_app()`, the command
the README gives; everything else comes from the environment given, as in production.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_SPEC = "backend:create_app()"


@dataclass(frozen=True)
class Team:
    url: str
    pid: int  # gunicorn's master

    def worker_pids(self) -> list[int]:
        """The master's live children: its workers."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gunicorn_command(port: int, workers: int) -> list[str]:
    """The README's command, with this interpreter's gunicorn."""
    return [
        sys.executable, "-m", "gunicorn", "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}", "--access-logfile", "-", APP_SPEC,
    ]  # fmt: skip


@contextlib.contextmanager
def running_team(
    env: Mapping[str, str], workers: int = 2, start_timeout: float = 90.0
) -> Iterator[Team]:
    """gunicorn serving the backend with `workers` processes; stopped (SIGTERM) at the end."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    full_env = {**os.environ, "MAX_PUBLIC_URL": url, **env}
    # Its log to a file: a pipe nobody reads would fill and stop the workers.
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(
            gunicorn_command(port, workers),
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        team = Team(url, proc.pid)
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"gunicorn exited: {log.read()[-2000:]}")
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(f"{url}/healthz", timeout=2)
                    # Every worker up (each migrates and warms up before it serves).
                    if len(team.worker_pids()) >= workers:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start in time")
                time.sleep(0.2)
            yield team
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
