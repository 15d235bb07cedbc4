"""Open tracking storage: pixels made for sent emails, the fetches of them, the sender's views.

Rule: every fetch of a known pixel is accounted for, classified by open_kinds: an open that
counts is a row of `opens` (a bounded few per pixel), any other fetch one more in its kind's
counter (`pixel_stats`), so a flood costs a counter, not a row. A fetch of an unknown token
stores nothing and looks the same from outside. Nothing about the reader is kept but the time
and the kind of agent: no IP address, no full User-Agent. A write the database refuses (locked)
is retried a few times within a short budget; if it still fails, the fetch is counted as lost
and logged, without the token (`LOST`): never dropped in silence.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .db import DISCOUNTED_KINDS, busy_wait, now_utc, opens, pixel_stats, pixels, self_views
from .open_kinds import SELF_VIEW_WINDOW, classify_open, counted_kind

log = logging.getLogger(__name__)
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")
# A pixel fetch waits this long for SQLite's lock per attempt, then pauses and tries again:
# about 2 s in all, where the 10 s default would tie a server thread per fetch.
WRITE_ATTEMPTS = 3
ATTEMPT_BUSY_MS = 500
PAUSES = (0.1, 0.3)


class LostFetches:
    """How many pixel fetches this process could not store (a metric, logged with each loss)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def add(self) -> int:
        with self._lock:
            self.count += 1
            return self.count


LOST = LostFetches()


def new_pixel(engine: Engine, user_id: int, thread_id: str, message_ref: str | None) -> str:
    token = secrets.token_urlsafe(16)
    row = {"token": token, "user_id": user_id, "thread_id": thread_id}
    with engine.begin() as conn:
        conn.execute(pixels.insert().values(**row, message_ref=message_ref, created_at=now_utc()))
        conn.execute(pixel_stats.insert().values({**row, **_zero_counts()}))
    return token


def _zero_counts() -> dict[str, int]:
    return {"fetches": 0, **dict.fromkeys(DISCOUNTED_KINDS, 0)}


# Built once: a pixel burst spends more on building statements than SQLite answering.
_PIXEL = sa.select(pixels.c.user_id, pixels.c.thread_id, pixels.c.created_at).where(
    pixels.c.token == sa.bindparam("token")
)
_SELF_VIEW_NEAR = (
    sa.select(self_views.c.id)
    .where(
        self_views.c.pixel_token == sa.bindparam("token"),
        self_views.c.at.between(sa.bindparam("low"), sa.bindparam("high")),
    )
    .limit(1)
)
# The first write of a fetch: the lock (SQLite's write lock, a row lock elsewhere) that makes
# "counted opens so far" exact when fetches of one pixel race.
_COUNT_FETCH = (
    pixel_stats.update()
    .where(pixel_stats.c.token == sa.bindparam("pixel"))
    .values(fetches=pixel_stats.c.fetches + 1)
)
_COUNTED_SO_FAR = sa.select(sa.func.count(), sa.func.max(opens.c.at)).where(
    opens.c.pixel_token == sa.bindparam("token"), opens.c.kind == "human"
)
_DISCOUNT = {
    kind: pixel_stats.update()
    .where(pixel_stats.c.token == sa.bindparam("pixel"))
    .values({kind: pixel_stats.c[kind] + 1})
    for kind in DISCOUNTED_KINDS
}
_INSERT_OPEN = opens.insert()


def _near_self_view(conn: Connection, token: str, at: datetime) -> bool:
    window = {"token": token, "low": at - SELF_VIEW_WINDOW, "high": at + SELF_VIEW_WINDOW}
    return conn.execute(_SELF_VIEW_NEAR, window).first() is not None


def _store_fetch(conn: Connection, token: str, user_agent: str, when: datetime) -> bool:
    pixel = conn.execute(_PIXEL, {"token": token}).first()
    if pixel is None:
        return False
    row = {"user_id": pixel.user_id, "thread_id": pixel.thread_id}
    if conn.execute(_COUNT_FETCH, {"pixel": token}).rowcount == 0:
        # A pixel made before pixel_stats existed: its counters start now.
        conn.execute(pixel_stats.insert().values({"token": token, **row, **_zero_counts()}))
        conn.execute(_COUNT_FETCH, {"pixel": token})
    kind, agent = classify_open(
        user_agent, pixel.created_at, when, _near_self_view(conn, token, when)
    )
    counted, last = conn.execute(_COUNTED_SO_FAR, {"token": token}).one()
    kind = counted_kind(kind, when, counted, last)
    if kind == "human":
        conn.execute(_INSERT_OPEN, {**row, "pixel_token": token, "at": when, "kind": kind,
                                    "agent": agent})  # fmt: skip
    else:
        conn.execute(_DISCOUNT[kind], {"pixel": token})
    return True


def record_open(engine: Engine, token: str, user_agent: str, at: datetime | None = None) -> bool:
    """Account for one fetch of a pixel; False (and nothing stored) for an unknown token, or
    when the database refused the write every time (then counted in LOST and logged)."""
    if not TOKEN_SHAPE.fullmatch(token):
        return False
    when = at or now_utc()
    for attempt in range(WRITE_ATTEMPTS):
        try:
            with engine.connect() as conn, busy_wait(conn, ATTEMPT_BUSY_MS), conn.begin():
                return _store_fetch(conn, token, user_agent, when)
        except (sa.exc.OperationalError, sa.exc.IntegrityError) as exc:
            failure = type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__
            if attempt < len(PAUSES):
                time.sleep(PAUSES[attempt])
    lost = LOST.add()
    log.error(
        "pixel fetch lost: the database refused the write %d times (%s); %d lost since start",
        WRITE_ATTEMPTS,
        failure,
        lost,
    )
    return False


def record_self_view(engine: Engine, user_id: int, token: str) -> int | None:
    """Note the sender's own view and reclassify the counted opens it explains; None if the
    pixel is not theirs."""
    at = now_utc()
    near = opens.c.at.between(at - SELF_VIEW_WINDOW, at + SELF_VIEW_WINDOW)
    with engine.begin() as conn:
        owner = conn.execute(
            sa.select(pixels.c.user_id).where(pixels.c.token == token, pixels.c.user_id == user_id)
        ).first()
        if owner is None:
            return None
        conn.execute(self_views.insert().values(user_id=user_id, pixel_token=token, at=at))
        result = conn.execute(
            opens.update()
            .where(opens.c.pixel_token == token, opens.c.kind == "human", near)
            .values(kind="self")
        )
        if result.rowcount:
            conn.execute(
                pixel_stats.update()
                .where(pixel_stats.c.token == token)
                .values({"self": pixel_stats.c["self"] + result.rowcount})
            )
    return int(result.rowcount)


def opens_of_thread(engine: Engine, user_id: int, thread_id: str) -> list[Any]:
    """The stored opens of a thread's pixels (counted ones, and those a self-view explained)."""
    query = (
        sa.select(opens.c.at, opens.c.kind, opens.c.agent)
        .where(opens.c.user_id == user_id, opens.c.thread_id == thread_id)
        .order_by(opens.c.at)
    )
    with engine.connect() as conn:
        return list(conn.execute(query).all())


def fetch_counts(engine: Engine, user_id: int, thread_id: str) -> dict[str, int]:
    """All fetches of a thread's pixels, and those that did not count, per kind."""
    columns = [pixel_stats.c.fetches, *(pixel_stats.c[k] for k in DISCOUNTED_KINDS)]
    query = sa.select(*(sa.func.coalesce(sa.func.sum(c), 0) for c in columns)).where(
        pixel_stats.c.user_id == user_id, pixel_stats.c.thread_id == thread_id
    )
    with engine.connect() as conn:
        sums = conn.execute(query).one()
    return dict(zip(["fetches", *DISCOUNTED_KINDS], (int(v) for v in sums), strict=True))
