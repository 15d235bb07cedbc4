"""`python -m backend`: waitress on loopback, no keys needed, a pairing code on the console."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask

from backend.__main__ import build_parser
from backend.config import ENV_KEYS
from backend.db import opens, pixel_stats
from tests.servers.backend_server import running_backend

from .conftest import load_body

REPO = Path(__file__).resolve().parents[2]


def _call(base: str, method: str, path: str, body: Any = None, token: str = "") -> tuple[int, Any]:
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    is_json = response.getheader("Content-Type", "").startswith("application/json")
    return response.status, json.loads(data) if is_json else data


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_KEYS}
    return {**env, "MAX_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """The real entry point in a subprocess: (base URL, console pairing code, data dir)."""
    tmp_path = tmp_path_factory.mktemp("served")
    args = [sys.executable, "-m", "backend", "--host", "127.0.0.1", "--port", "0"]
    proc = subprocess.Popen(
        args,
        cwd=REPO,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        banner = proc.stdout.readline()
        assert banner.startswith("MAX backend listening on http://127.0.0.1:"), banner
        base = banner.split()[4]
        lines = [proc.stdout.readline() for _ in range(3)]
        code = lines[2].strip()
        yield base, code, tmp_path
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_entry_point_serves_on_loopback_and_pairs(server: tuple[str, str, Path]) -> None:
    base, code, _ = server
    assert len(code) == 9 and code[4] == "-"
    assert _call(base, "GET", "/healthz") == (200, {"status": "ok"})
    status, paired = _call(base, "POST", "/api/v1/pair", {"code": code})
    assert status == 200
    body = load_body("page_trap_fr.json")
    expect = body.pop("_expect")
    status, result = _call(base, "POST", "/api/v1/threads/analyze", body, paired["token"])
    assert status == 200
    assert result["threads"][0]["level"] == expect["level"]
    assert _call(base, "POST", "/api/v1/pair", {"code": code})[0] == 401  # used once


def test_the_default_pixel_url_follows_the_port_it_listens_on(
    server: tuple[str, str, Path],
) -> None:
    base, _, data_dir = server
    code = subprocess.run(
        [sys.executable, "-m", "backend", "pair"], cwd=REPO, env=_env(data_dir),
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout.splitlines()[2].strip()  # fmt: skip
    token = _call(base, "POST", "/api/v1/pair", {"code": code})[1]["token"]
    status, made = _call(base, "POST", "/api/v1/tracking/pixels", {"thread_id": "18f0"}, token)
    assert status == 200 and not base.endswith(":8765")  # --port 0: a port of its own
    assert made["pixel_url"] == f"{base}/t/{made['token']}.gif"


def test_pair_prints_a_code_the_running_server_accepts(server: tuple[str, str, Path]) -> None:
    base, _, data_dir = server
    out = subprocess.run(
        [sys.executable, "-m", "backend", "pair"],
        cwd=REPO,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    code = out.splitlines()[2].strip()
    assert _call(base, "POST", "/api/v1/pair", {"code": code})[0] == 200


def test_a_wrong_llm_setting_stops_the_start_with_one_line(tmp_path: Path) -> None:
    env = {**_env(tmp_path), "MAX_LLM_BASE_URL": "http://127.0.0.1:9/v1"}  # no MAX_LLM_MODEL
    done = subprocess.run(
        [sys.executable, "-m", "backend", "pair"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["MAX backend: MAX_LLM_MODEL is required"]


def test_defaults_are_loopback_and_the_readme_port() -> None:
    args = build_parser().parse_args([])
    assert (args.command, args.host, args.port) == ("serve", "127.0.0.1", 8765)


def test_no_open_is_lost_under_concurrent_pixel_fetches(app: Flask, auth: dict[str, str]) -> None:
    client = app.test_client()
    made = client.post("/api/v1/tracking/pixels", json={"thread_id": "18f0"}, headers=auth)
    token = made.json["token"]  # type: ignore[index]
    with running_backend(app) as base, ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: _call(base, "GET", f"/t/{token}.gif")[0], range(200)))
    assert statuses == [200] * 200
    with app.extensions["max_engine"].connect() as conn:
        fetches = conn.execute(sa.select(pixel_stats.c.fetches)).scalar_one()
        counted = conn.execute(sa.select(sa.func.count()).select_from(opens)).scalar_one()
    assert (fetches, counted) == (200, 0)  # every fetch accounted for; at sending, none counts
