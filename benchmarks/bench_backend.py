"""The backend under load: analyze against /healthz on the same server, and a pixel burst.

Starts the real entry point (`python -m backend`, waitress) on loopback in a subprocess with a
fresh data directory, then drives it from client threads with http.client keep-alive connections.
The baseline is measured in the same run: /healthz on the same server (no auth, no database, no
maxcore), so the ratio says what MAX's own work costs. Target: analyze >= 0.6x healthz.
Analyze is measured twice: the same thread each time (what the extension sends again when a thread
is reopened: maxcore's small caches of pure answers, such as the phone numbers of a reply, are
warm) and a different thread each time (nothing seen before). "before" is the same server at the
baseline revision (`BASELINE`, from git into a temporary folder), measured in the same run.
The pixel burst (the current code only) checks that no fetch is lost: fetches accounted for =
requests sent (counters per pixel: only the first counts as an open, backend/open_kinds.py).
"""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tarfile
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
BASELINE = "14bb1b7"  # main before issue 11's speed work


def _page_thread(n: int = 0) -> dict[str, Any]:
    """A five-message trap thread as the extension reads it (written here, fictional people);
    `n` makes another thread of the same shape (its own id and words)."""
    me, them = "claire.martin@optiplan.fr", "p.garnier@constructions-garnier.fr"
    texts = [
        (me, "2026-10-20T09:30:00+02:00", f"Bonjour Pierre,\nVoici le devis {n}.\nClaire"),
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
        "thread": {
            "thread_id": f"{0x18F7C1A2B3D4E5F6 + n:x}",
            "subject": "Devis",
            "messages": messages,
        },
    }


def _start(data_dir: str, code: Path = REPO) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "MAX_DATA_DIR": data_dir, "MAX_API_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend", "--host", "127.0.0.1", "--port", "0"],
        cwd=code,  # `python -m backend` imports backend and maxcore from here first
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    banner = proc.stdout.readline()  # "MAX backend listening on http://127.0.0.1:PORT ..."
    return proc, int(banner.split()[4].rsplit(":", 1)[1])


def _run(
    port: int, method: str, path: str, body: bytes | list[bytes] | None, n: int, clients: int
) -> dict[str, float]:
    """n requests over `clients` keep-alive connections; throughput and latency percentiles.
    A list of bodies is sent in turn, one per request."""
    bodies = body if isinstance(body, list) else [body]
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}

    def worker(count: int) -> list[float]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        times = []
        for k in range(count):
            t0 = time.perf_counter()
            conn.request(method, path, body=bodies[k % len(bodies)], headers=headers)
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


def _per_call_ms(fn: Any, n: int = 400) -> float:
    """CPU milliseconds a call (process time: the machine is shared), after one warm-up call."""
    fn()
    start = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - start) / n * 1000


def _breakdown(body: dict[str, Any]) -> tuple[float, float, float]:
    """In-process, no HTTP, CPU ms: (whole analyze endpoint, maxcore's analysis and brief of the
    same thread, of a new thread each call)."""
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
    team = Team.of(body["me"], body["team_domains"])
    threads = [thread_from_page(_page_thread(n)["thread"], now=now) for n in range(401)]

    def answer(thread: Any) -> Any:
        if hasattr(service, "analyze_for_reply"):
            return service.analyze_for_reply(thread, team, now)
        return service.analysis(service.analyze(thread, team, now), thread, team)  # baseline

    same = _per_call_ms(lambda: answer(threads[0]))
    fresh = iter(threads[1:])
    new = _per_call_ms(lambda: answer(next(fresh)), n=399)
    return endpoint, same, new


def _breakdown_at(code: Path) -> tuple[float, float, float]:
    """`_breakdown` in a fresh process importing backend and maxcore from `code`."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_backend", "--breakdown", str(code)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    endpoint, same, new = json.loads(out.stdout)
    return endpoint, same, new


def _baseline(into: Path) -> Path | None:
    """The baseline revision's maxcore and backend, from git, in `into`; None if git cannot."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", BASELINE, "maxcore", "backend"],
            check=True,
            capture_output=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    (into / "baseline.tar").write_bytes(archive)
    with tarfile.open(into / "baseline.tar") as tar:
        tar.extractall(into, filter="data")
    return into


def _serve(code: Path, same: bytes, new: list[bytes]) -> dict[str, dict[str, float]]:
    """healthz, analyze of the same thread, analyze of a new thread each time, on one server."""
    with tempfile.TemporaryDirectory() as data_dir:
        proc, port = _start(data_dir, code)
        try:
            _run(port, "GET", "/healthz", None, 100, 2)  # warm-up: imports, connections
            _run(port, "POST", "/api/v1/threads/analyze", same, 100, 2)
            return {
                "health": _run(port, "GET", "/healthz", None, REQUESTS, CLIENTS),
                "same": _run(port, "POST", "/api/v1/threads/analyze", same, REQUESTS, CLIENTS),
                "new": _run(port, "POST", "/api/v1/threads/analyze", new, REQUESTS, CLIENTS),
            }
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _best(runs: list[dict[str, dict[str, float]]]) -> dict[str, Any]:
    """Each figure's best round, and the ratios of the round with the best healthz."""
    best = {k: max((r[k] for r in runs), key=lambda x: x["rps"]) for k in runs[0]}
    ratios = [{k: r[k]["rps"] / r["health"]["rps"] for k in ("same", "new")} for r in runs]
    return {**best, "ratios": ratios}


def main() -> None:
    same = json.dumps(_page_thread()).encode()
    new = [json.dumps(_page_thread(n)).encode() for n in range(1, REQUESTS + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        code = _baseline(Path(tmp))
        after: list[dict[str, dict[str, float]]] = []
        before: list[dict[str, dict[str, float]]] = []
        for _ in range(2):  # A B A B: the machine's drift falls on both
            after.append(_serve(REPO, same, new))
            if code is not None:
                before.append(_serve(code, same, new))
        cpu = {
            name: min(_breakdown_at(tree) for _ in range(2))
            for name, tree in (("after", REPO), (f"before {BASELINE}", code))
            if tree is not None
        }
    print(f"{REQUESTS} requests each from {CLIENTS} keep-alive clients, same waitress server")
    print(
        "(each row the best of 2 rounds; ratios of each round, analyze over that round's healthz)"
    )
    for name, runs in (("after", after), (f"before {BASELINE}", before)):
        if not runs:
            continue
        found = _best(runs)
        print(f"-- {name}")
        print(_line("GET /healthz (baseline)", found["health"]))
        print(_line("analyze, same thread", found["same"]))
        print(_line("analyze, new thread", found["new"]))
        for label in ("same", "new"):
            ratios = " ".join(f"{r[label]:.2f}x" for r in found["ratios"])
            verdict = "OK" if max(r[label] for r in found["ratios"]) >= TARGET_RATIO else "BELOW"
            print(f"   analyze ({label} thread) / healthz: {ratios} ", end="")
            print(f"(target >= {TARGET_RATIO}x) {verdict}")
    print("in-process CPU per analyze (no HTTP server), best of 2 fresh processes each:")
    for name, (endpoint, same, new_thread) in cpu.items():
        print(
            f"   {name:<15} endpoint {endpoint:.2f} ms, of which maxcore's analysis and brief"
            f" {same:.2f} ms (a new thread: {new_thread:.2f} ms), the backend's own share"
            f" {endpoint - same:.2f} ms"
        )
    with tempfile.TemporaryDirectory() as data_dir:
        proc, port = _start(data_dir)
        try:
            _run(port, "GET", "/healthz", None, 100, 2)
            token = _pixel_token(port)
            burst = _run(port, "GET", f"/t/{token}.gif", None, BURST_REQUESTS, BURST_CLIENTS)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        with sqlite3.connect(Path(data_dir) / "max.sqlite3") as db:
            stored = db.execute("SELECT sum(fetches) FROM pixel_stats").fetchone()[0]
    print(_line(f"pixel burst ({BURST_CLIENTS} clients)", burst))
    lost = BURST_REQUESTS - stored
    outcome = "none lost" if not lost else f"{lost} LOST"
    print(f"pixel fetches accounted for: {stored} / {BURST_REQUESTS} requests ({outcome})")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--breakdown"]:
        sys.path.insert(0, sys.argv[2])  # that revision's backend and maxcore first
        print(json.dumps(_breakdown(_page_thread())))
    else:
        main()
