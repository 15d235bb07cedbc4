"""Tracking storage: every fetch of a known pixel is accounted for with its kind; an open counts
once per pixel and hour, a few in all; self-views reclassify; a locked database is retried, then
the loss reported."""

from __future__ import annotations

import logging
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from backend.db import DEFAULT_USER_ID, now_utc, opens, pixel_stats, pixels
from backend.open_kinds import MAX_OPENS_PER_PIXEL, OPEN_WINDOW, SELF_VIEW_WINDOW
from backend.tracking import (
    ATTEMPT_BUSY_MS,
    LOST,
    fetch_counts,
    new_pixel,
    opens_of_thread,
    record_open,
    record_self_view,
)
from tests.servers.postgres import sqlite_default_only

GMAIL = "Mozilla/5.0 (via ggpht.com GoogleImageProxy)"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _sent_an_hour_ago(app: Flask, thread_id: str = "t-1") -> str:
    engine = app.extensions["max_engine"]
    token = new_pixel(engine, DEFAULT_USER_ID, thread_id, "<m1@optiplan.fr>")
    with engine.begin() as conn:
        conn.execute(
            sa.update(pixels)
            .where(pixels.c.token == token)
            .values(created_at=now_utc() - timedelta(hours=1))
        )
    return token


def _kinds(app: Flask, thread_id: str = "t-1") -> list[str]:
    return [
        r.kind for r in opens_of_thread(app.extensions["max_engine"], DEFAULT_USER_ID, thread_id)
    ]


def _counts(app: Flask, thread_id: str = "t-1") -> dict[str, int]:
    counts = fetch_counts(app.extensions["max_engine"], DEFAULT_USER_ID, thread_id)
    return {k: v for k, v in counts.items() if v}


def test_unknown_or_malformed_tokens_store_nothing(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    for token in ["A" * 22, "../../etc/passwd", "", "x" * 200]:
        assert record_open(engine, token, GMAIL) is False
    with engine.connect() as conn:
        for table in (opens, pixel_stats):
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0


def test_every_fetch_is_accounted_for_with_its_kind(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    token = _sent_an_hour_ago(app)
    for agent in [GMAIL, "Mozilla/5.0", "curl/8.5.0", GMAIL, ""]:
        assert record_open(engine, token, agent)
    assert _kinds(app) == ["human"]
    assert _counts(app) == {"fetches": 5, "prefetch": 1, "scanner": 2, "repeat": 1}


def test_a_fetch_just_after_sending_is_a_prefetch(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    token = new_pixel(engine, DEFAULT_USER_ID, "t-1", None)
    assert record_open(engine, token, GMAIL)
    assert _kinds(app) == [] and _counts(app) == {"fetches": 1, "prefetch": 1}


# (minutes after the first open, counted?): the first, then at most one an hour, up to the cap.
SCHEDULE = [(0, True), (1, False), (59, False), (61, True), (90, False), (125, True),
            (190, True), (260, True), (330, False), (400, False)]  # fmt: skip


def test_one_open_per_pixel_per_hour_and_a_few_in_all(app: Flask) -> None:
    assert sum(counted for _, counted in SCHEDULE) == MAX_OPENS_PER_PIXEL
    engine = app.extensions["max_engine"]
    token = _sent_an_hour_ago(app)
    t0 = now_utc()
    for minutes, _ in SCHEDULE:
        record_open(engine, token, BROWSER, at=t0 + timedelta(minutes=minutes))
    counted = [r.at for r in opens_of_thread(engine, DEFAULT_USER_ID, "t-1")]
    assert counted == [t0 + timedelta(minutes=m) for m, c in SCHEDULE if c]
    assert _counts(app) == {"fetches": len(SCHEDULE), "repeat": 3, "capped": 2}
    assert all(b - a >= OPEN_WINDOW for a, b in zip(counted, counted[1:], strict=False))


def test_each_sent_email_counts_its_own_open(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    first, second = _sent_an_hour_ago(app), _sent_an_hour_ago(app)
    for token in (first, second, first, second):
        record_open(engine, token, GMAIL)
    assert _kinds(app) == ["human", "human"]


def test_racing_fetches_of_one_pixel_count_once_and_a_flood_stores_one_row(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    token = _sent_an_hour_ago(app)
    with ThreadPoolExecutor(max_workers=16) as pool:
        stored = list(pool.map(lambda _: record_open(engine, token, BROWSER), range(300)))
    assert stored == [True] * 300
    assert _kinds(app) == ["human"]
    assert _counts(app) == {"fetches": 300, "repeat": 299}


def test_a_self_view_discards_the_open_before_it_and_the_fetches_near_it(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    token = _sent_an_hour_ago(app)
    record_open(engine, token, GMAIL)  # the sender's own view reached us first
    assert record_self_view(engine, DEFAULT_USER_ID, token) == 1
    record_open(engine, token, GMAIL)  # a second fetch of that same view
    record_open(engine, token, GMAIL, at=now_utc() + SELF_VIEW_WINDOW * 3)  # the prospect, later
    assert _kinds(app) == ["self", "human"]
    assert _counts(app) == {"fetches": 3, "self": 2}


def test_a_self_view_of_someone_elses_pixel_is_refused(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    token = _sent_an_hour_ago(app)
    assert record_self_view(engine, DEFAULT_USER_ID + 1, token) is None


def test_a_pixel_made_before_the_counters_gets_them_at_its_first_fetch(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    token = _sent_an_hour_ago(app)
    with engine.begin() as conn:
        conn.execute(pixel_stats.delete())
    assert record_open(engine, token, GMAIL) and record_open(engine, token, "curl/8")
    assert _kinds(app) == ["human"] and _counts(app) == {"fetches": 2, "scanner": 1}


def _locked(app: Flask, seconds: float) -> threading.Thread:
    """Another process's write lock on the database file, held `seconds`."""
    path = app.config["MAX_DATABASE_URL"].removeprefix("sqlite:///")
    held = threading.Event()

    def hold() -> None:
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")
        held.set()
        threading.Event().wait(seconds)
        db.execute("ROLLBACK")
        db.close()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    return thread


@sqlite_default_only
def test_a_short_lock_is_waited_out_or_retried(app: Flask) -> None:
    token = _sent_an_hour_ago(app)
    locker = _locked(app, ATTEMPT_BUSY_MS / 1000 * 1.5)  # past one attempt's wait
    assert record_open(app.extensions["max_engine"], token, GMAIL)
    locker.join()
    assert _kinds(app) == ["human"]


@sqlite_default_only
def test_a_lock_past_every_retry_is_counted_and_logged_without_the_token(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    token = _sent_an_hour_ago(app)
    lost_before = LOST.count
    locker = _locked(app, 4.0)
    started = datetime.now()
    with caplog.at_level(logging.ERROR, logger="backend.tracking"):
        assert record_open(app.extensions["max_engine"], token, GMAIL) is False
    waited = (datetime.now() - started).total_seconds()
    locker.join()
    assert LOST.count == lost_before + 1
    [record] = [r for r in caplog.records if "pixel fetch lost" in r.getMessage()]
    assert record.exc_info is None and token not in caplog.text
    assert f"{lost_before + 1} lost since start" in record.getMessage()
    assert waited < 3.5  # a few short waits, not SQLite's 10 s default
    assert _counts(app) == {}  # nothing half-written
