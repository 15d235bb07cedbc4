"""Named locks held across processes, in the database every process shares.

Rule: a lock is a row (`locks`: name, holder, expires_at); taking it is one INSERT, which the
primary key makes atomic on SQLite and PostgreSQL alike; a holder that died is taken over once
its lease has run out (one UPDATE ... WHERE expires_at < now, atomic too). Used to run a user's
Gmail sync one at a time whatever process the request, the push or the poller landed on
(google-openai.md, "Worker, per user serialized").
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from .db import locks, now_utc

POLL_SECONDS = 0.05


class LockTimeout(Exception):
    """Someone else held the lock for longer than the caller would wait."""


def _holder() -> str:
    return f"{os.getpid()}:{threading.get_ident()}:{secrets.token_hex(4)}"


def _try_take(engine: Engine, name: str, holder: str, lease: timedelta) -> bool:
    now = now_utc()
    try:
        with engine.begin() as conn:
            conn.execute(locks.insert().values(name=name, holder=holder, expires_at=now + lease))
        return True
    except IntegrityError:
        pass
    with engine.begin() as conn:  # a holder that died leaves its row until the lease ends
        taken = conn.execute(
            locks.update()
            .where(locks.c.name == name, locks.c.expires_at < now)
            .values(holder=holder, expires_at=now + lease)
        )
    return taken.rowcount == 1


@contextmanager
def held(
    engine: Engine,
    name: str,
    *,
    lease: timedelta = timedelta(minutes=5),
    wait: float = 120.0,
) -> Iterator[None]:
    """Hold the lock `name` for the block; waits up to `wait` seconds, else LockTimeout."""
    holder = _holder()
    deadline = time.monotonic() + wait
    while not _try_take(engine, name, holder, lease):
        if time.monotonic() >= deadline:
            raise LockTimeout(name)
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(locks.delete().where(locks.c.name == name, locks.c.holder == holder))


def sync_lock_name(user_id: int) -> str:
    return f"gmail-sync:{user_id}"
