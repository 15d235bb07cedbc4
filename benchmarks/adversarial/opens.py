"""Forged opens: whoever holds a pixel URL (every recipient of the email, anyone it is forwarded
to) fetches it, fast, often, as a browser, as a scanner; the sender looks at their own sent mail;
the database is locked while the pixel is fetched. None of it may change the advice on a `watch`
thread (two opens would turn it from email to WhatsApp), and no fetch may vanish silently.

Time passing is the one thing forged from inside: a pixel is back-dated in the SQLite file
("this email was sent an hour ago"), as the backend's own tests do, since the replay cannot wait.
"""

from __future__ import annotations

import json
import re
import sqlite3
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .table import Attack, Budget, Outcome
from .target import PUBLIC_URL, Target
from .threads import advice, opens_of, page_request

GIF_BYTES = 43
BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
)
GMAIL_PROXY = (
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
)
SCANNERS = (
    "Mozilla/5.0",  # Apple Mail Privacy Protection
    "",
    "curl/8.5.0",
    "python-requests/2.32",
    "Barracuda Sentinel (EE)",
    "Mozilla/5.0 (compatible; Proofpoint URL Defense)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/126.0 Safari/537.36",
)
# The line the fixed backend logs when a fetch could not be stored (never the token).
LOST_MARK = "pixel fetch lost"
SENDER_VIEW = Path(__file__).with_name("sender_view.mjs")
_HOST = re.sub(r"^https?://", "", PUBLIC_URL)


def make_pixel(target: Target, thread_id: str, sent_ago: timedelta | None = None) -> str:
    got = target.call("POST", "/api/v1/tracking/pixels", {"thread_id": thread_id})
    if got.status != 200:
        raise RuntimeError(f"no pixel: {got.status}")
    token: str = got.json()["token"]
    if sent_ago is not None:
        backdate(target, token, sent_ago)
    return token


def backdate(target: Target, token: str, ago: timedelta) -> None:
    when = (datetime.now(UTC) - ago).replace(tzinfo=None).isoformat(sep=" ")
    with sqlite3.connect(target.sqlite(), timeout=30) as db:
        db.execute("UPDATE pixels SET created_at = ? WHERE token = ?", (when, token))


def fetch(target: Target, token: str, agent: str, source: str = "127.0.0.1") -> bool:
    """One fetch of the pixel as a recipient's mail client makes it; True if the GIF came back."""
    got = target.call(
        "GET",
        f"/t/{token}.gif",
        headers={"User-Agent": agent, "Host": _HOST},
        auth=False,
        source=source,
    )
    return got.status == 200 and len(got.body) == GIF_BYTES


def stored_fetches(target: Target, thread_id: str) -> int:
    """Every fetch the backend kept a trace of (counted or not)."""
    got = target.call("GET", f"/api/v1/tracking/opens?thread_id={thread_id}").json()
    return int(got["fetches"]) if "fetches" in got else len(got["opens"])


def _analyze_ms(target: Target, request: dict[str, Any], n: int = 15) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        target.analyze(request)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def double_fetch(target: Target, budget: Budget) -> Outcome:
    thread = "18fadd0000000001"
    request = page_request(thread)
    before = target.analyze(request)
    token = make_pixel(target, thread, timedelta(hours=1))
    bad = sum(not fetch(target, token, BROWSERS[0]) for _ in range(2))
    after = target.analyze(request)
    note = f"opens {opens_of(before)} -> {opens_of(after)}"
    return Outcome(2, int(advice(before) != advice(after)) + bad, note)


def flood(target: Target, budget: Budget) -> Outcome:
    thread = "18fadd0000000002"
    request = page_request(thread)
    before, slow_before = target.analyze(request), _analyze_ms(target, request)
    token = make_pixel(target, thread, timedelta(hours=1))

    def one(i: int) -> bool:
        return fetch(target, token, BROWSERS[i % len(BROWSERS)], f"127.0.{i % 200 + 20}.1")

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        bad = sum(not ok for ok in pool.map(one, range(budget.flood)))
    spent = time.perf_counter() - start
    after, slow_after = target.analyze(request), _analyze_ms(target, request)
    note = (
        f"{budget.flood} fetches in {spent:.1f} s: opens {opens_of(before)} -> {opens_of(after)}, "
        f"analyze {slow_before:.1f} -> {slow_after:.1f} ms"
    )
    return Outcome(budget.flood, int(advice(before) != advice(after)) + bad, note)


def scanners_and_prefetch(target: Target, budget: Budget) -> Outcome:
    thread = "18fadd0000000003"
    request = page_request(thread)
    before = target.analyze(request)
    token = make_pixel(target, thread)  # just sent: a fetch now is a scanner's or a proxy's
    bad = sum(not fetch(target, token, GMAIL_PROXY) for _ in range(3))
    backdate(target, token, timedelta(hours=1))
    bad += sum(not fetch(target, token, agent) for agent in SCANNERS for _ in range(2))
    after = target.analyze(request)
    tried = 3 + 2 * len(SCANNERS)
    note = f"opens {opens_of(before)} -> {opens_of(after)}"
    return Outcome(tried, int(advice(before) != advice(after)) + bad, note)


def _sender_sees(target: Target, token: str) -> list[str]:
    """The tokens the extension (tracking.js of the attacked checkout) reports when Gmail shows
    the sender their sent email, the pixel behind Google's proxy at the public URL."""
    src = f"https://ci3.googleusercontent.com/proxy/AbC=s0-d-e1-ft#{PUBLIC_URL}/t/{token}.gif"
    done = subprocess.run(
        ["node", str(SENDER_VIEW), str(target.repo), f"http://127.0.0.1:{target.port}", src],
        cwd=SENDER_VIEW.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    reported: list[str] = json.loads(done.stdout)
    return reported


def self_views(target: Target, budget: Budget) -> Outcome:
    """The sender reads their own sent email three times, on a backend whose public URL is not
    the one the extension talks to: the extension must spot its pixel and report the view
    (before or after Gmail's proxy fetches it); no such view may count as an open."""
    thread = "18fadd0000000004"
    request = page_request(thread)
    before = target.analyze(request)
    token = make_pixel(target, thread, timedelta(hours=1))
    bad = 0
    for view in range(3):
        report_first = view % 2 == 0
        if not report_first:
            bad += not fetch(target, token, GMAIL_PROXY)
        for seen in _sender_sees(target, token):
            answer = target.call("POST", "/api/v1/tracking/self-views", {"token": seen})
            bad += answer.status != 200
        if report_first:
            bad += not fetch(target, token, GMAIL_PROXY)
    after = target.analyze(request)
    counted = opens_of(after) - opens_of(before)
    note = f"opens {opens_of(before)} -> {opens_of(after)}"
    return Outcome(3, counted + int(advice(before) != advice(after)) + bad, note)


def _fetch_under_lock(target: Target, token: str, seconds: float, fetches: int) -> int:
    """`fetches` concurrent fetches while the write lock is held `seconds`; the bad answers."""
    lock = sqlite3.connect(target.sqlite(), timeout=30, isolation_level=None)
    try:
        lock.execute("BEGIN EXCLUSIVE")
        with ThreadPoolExecutor(max_workers=fetches) as pool:
            pending = [pool.submit(fetch, target, token, GMAIL_PROXY) for _ in range(fetches)]
            time.sleep(seconds)
            lock.execute("ROLLBACK")
            return sum(not f.result() for f in pending)
    finally:
        lock.close()


def locked_database(target: Target, budget: Budget) -> Outcome:
    """Fetches while another process holds SQLite's write lock, briefly then for long: stored
    once it is released, or reported as lost (a log line, no traceback), never dropped in
    silence; and the GIF is served all the same."""
    thread = "18fadd0000000005"
    token = make_pixel(target, thread, timedelta(hours=1))
    offset = target.log_size()
    fetches = 4
    bad = sum(_fetch_under_lock(target, token, s, fetches) for s in (0.3, budget.lock_seconds))
    time.sleep(0.5)  # a retry in flight lands
    stored = stored_fetches(target, thread)
    reported = target.log_since(offset).count(LOST_MARK)
    silent = max(0, 2 * fetches - stored - reported)
    note = (
        f"locked 0.3 s then {budget.lock_seconds:.0f} s: {stored} stored, {reported} reported lost"
    )
    return Outcome(2 * fetches, silent + bad, note)


ATTACKS = (
    Attack("opens", "double_fetch", "two fetches of a pixel by a browser", double_fetch),
    Attack("opens", "flood", "thousands of fetches from many addresses", flood),
    Attack(
        "opens", "scanners", "proxy prefetch at send, scanners, Apple MPP", scanners_and_prefetch
    ),
    Attack("opens", "self_views", "the sender's own views, public URL elsewhere", self_views),
    Attack("opens", "locked_db", "fetches while the database is locked", locked_database),
)
