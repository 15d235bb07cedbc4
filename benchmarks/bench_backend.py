"""The backend under load: analyze against /healthz on the same server, and a pixel burst.

Starts the real entry point (`python -m backend`, waitress) on loopback in a subprocess with a
fresh data directory, then drives it from client threads with http.client keep-alive connections.
The baseline is measured in the same run: /healthz on the same server (no auth, no database, no
maxcore), so the ratio says what MAX's own work costs. Target: analyze >= 0.6x healthz.
The pixel burst checks that no fetch is lost: fetches accounted for = requests sent (they are
counters per pixel now; only the first of them counts as an open: backend/open_kinds.py).
"""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TOKEN = "bench-token-" + "x" * 32
CLIENTS = 4
REQUESTS = 800
BURST_CLIENTS = 16
BURST_REQUESTS = 2000
TARGET_RATIO = 0.6


def _page_thread() -> dict[str, Any]:
    """A five-message trap thread as the extension reads it (written here, fictional people)."""
    me, them = "claire.martin@optiplan.fr", "p.garnier@constructions-garnier.fr"
    texts = [
        (me, "2026-10-20T09:30:00+02:00", "Bonjour Pierre,\nVoici le devis.\nClaire"),
        (them, "2026-10-21T18:02:00+02:00", "Merci, je regarde.\nPierre\nPort. 06 12 34 56 78"),
        (me, "2026-10-28T10:15:00+01:00", "Bonjour Pierre,\nAvez-vous pu regarder ?\nClaire"),
        (me, "2026-11-05T09:40:00+01:00", "Bonjour Pierre,\nUn retour sur le devis ?\nClaire"),
        (me, "2026-11-13T11:05:00+01:00", "Bonjour Pierre,\nJe peux adapter.\nClaire"),
    ]
    messages = [
        {
            "id": f"m{i}",
            "date": date,
            "from": {"email": sender},
            "to": [{"email": them if sender == me else me}],
            "text": text,
        }
        for i, (sender, date, text) in enumerate(texts)
    ]
    return {
        "me": [me],
        "team_domains": ["optiplan.fr"],
        "now": "2026-11-20T10:00:00+01:00",
        "thread": {"thread_id": "18f7c1a2b3d4e5f6", "subject": "Devis", "messages": messages},
    }


def _start(data_dir: str) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "MAX_DATA_DIR": data_dir, "MAX_API_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend", "--host", "127.0.0.1", "--port", "0"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    banner = proc.stdout.readline()  # "MAX backend listening on http://127.0.0.1:PORT ..."
    return proc, int(banner.split()[4].rsplit(":", 1)[1])


def _run(
    port: int, method: str, path: str, body: bytes | None, n: int, clients: int
) -> dict[str, float]:
    """n requests over `clients` keep-alive connections; throughput and latency percentiles."""
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}

    def worker(count: int) -> list[float]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        times = []
        for _ in range(count):
            t0 = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            times.append(time.perf_counter() - t0)
        conn.close()
        return times

    shares = [n // clients + (1 if i < n % clients else 0) for i in range(clients)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        latencies = sorted(t for times in pool.map(worker, shares) for t in times)
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    return {"rps": n / elapsed, "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000}


def _line(name: str, r: dict[str, float]) -> str:
    return (
        f"{name:<22} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:6.2f} ms   p99 {r['p99_ms']:6.2f} ms"
    )


def _pixel_token(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        "/api/v1/tracking/pixels",
        body=json.dumps({"thread_id": "18f7c1a2b3d4e5f6"}),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    token: str = json.loads(conn.getresponse().read())["token"]
    conn.close()
    return token


def _per_call_ms(fn: Any, n: int = 200) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1000


def _breakdown(body: dict[str, Any]) -> tuple[float, float]:
    """In-process, no HTTP: (whole analyze endpoint, maxcore.app.service.analyze alone) in ms."""
    from datetime import datetime

    from backend import create_app
    from maxcore.adapters.page_json import thread_from_page
    from maxcore.app import service
    from maxcore.core.model import Team

    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app({"MAX_DATA_DIR": data_dir, "MAX_API_TOKEN": TOKEN})
        client = app.test_client()
        headers = {"Authorization": f"Bearer {TOKEN}"}
        endpoint = _per_call_ms(
            lambda: client.post("/api/v1/threads/analyze", json=body, headers=headers)
        )
        app.extensions["max_engine"].dispose()
    now = datetime.fromisoformat(body["now"])
    thread = thread_from_page(body["thread"], now=now)
    team = Team.of(body["me"], body["team_domains"])
    core = _per_call_ms(lambda: service.analyze(thread, team, now))
    return endpoint, core


def main() -> None:
    body = json.dumps(_page_thread()).encode()
    with tempfile.TemporaryDirectory() as data_dir:
        proc, port = _start(data_dir)
        try:
            _run(port, "GET", "/healthz", None, 100, 2)  # warm-up: imports, connections
            _run(port, "POST", "/api/v1/threads/analyze", body, 100, 2)
            health = _run(port, "GET", "/healthz", None, REQUESTS, CLIENTS)
            analyze = _run(port, "POST", "/api/v1/threads/analyze", body, REQUESTS, CLIENTS)
            token = _pixel_token(port)
            burst = _run(port, "GET", f"/t/{token}.gif", None, BURST_REQUESTS, BURST_CLIENTS)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        with sqlite3.connect(Path(data_dir) / "max.sqlite3") as db:
            stored = db.execute("SELECT sum(fetches) FROM pixel_stats").fetchone()[0]
    ratio = analyze["rps"] / health["rps"]
    print(f"{REQUESTS} requests each from {CLIENTS} keep-alive clients, same waitress server")
    print(_line("GET /healthz (baseline)", health))
    print(_line("POST threads/analyze", analyze))
    verdict = "OK" if ratio >= TARGET_RATIO else "BELOW TARGET"
    print(f"analyze / healthz throughput: {ratio:.2f}x (target >= {TARGET_RATIO}x) {verdict}")
    endpoint, core = _breakdown(_page_thread())
    print(
        f"in-process: analyze endpoint {endpoint:.2f} ms/request, of which "
        f"service.analyze {core:.2f} ms; the backend's own share {endpoint - core:.2f} ms"
    )
    print(_line(f"pixel burst ({BURST_CLIENTS} clients)", burst))
    lost = BURST_REQUESTS - stored
    outcome = "none lost" if not lost else f"{lost} LOST"
    print(f"pixel fetches accounted for: {stored} / {BURST_REQUESTS} requests ({outcome})")


if __name__ == "__main__":
    main()
