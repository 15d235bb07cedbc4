"""Named locks in the shared database: one holder at a time across threads and processes, and a
dead holder's lease runs out."""

from __future__ import annotations

import multiprocessing
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from backend.db import locks, make_engine, now_utc
from backend.locks import LockTimeout, held
from backend.schema import create_schema


@pytest.fixture
def engine(database_url: str) -> Engine:
    engine = make_engine(database_url)
    create_schema(engine)
    return engine


def test_a_second_holder_waits_for_the_first(engine: Engine) -> None:
    order: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with held(engine, "x"):
            order.append("first in")
            inside.set()
            time.sleep(0.3)
            order.append("first out")

    worker = threading.Thread(target=first)
    worker.start()
    inside.wait(5)
    with held(engine, "x"):
        order.append("second in")
    worker.join()
    assert order == ["first in", "first out", "second in"]


def test_a_lock_held_too_long_times_out_and_other_names_are_free(engine: Engine) -> None:
    with held(engine, "x"):
        with pytest.raises(LockTimeout), held(engine, "x", wait=0.2):
            pass
        with held(engine, "y", wait=0.2):  # another user's sync is not blocked
            pass


def test_a_dead_holders_lease_runs_out(engine: Engine) -> None:
    with engine.begin() as conn:  # a process killed while holding the lock left its row
        conn.execute(locks.insert().values(name="x", holder="dead", expires_at=now_utc()))
    with held(engine, "x", wait=2):
        with engine.connect() as conn:
            holder = conn.execute(sa.select(locks.c.holder)).scalar()
        assert holder != "dead"


def _hold_in_another_process(url: str, ready: object, release: object) -> None:
    engine = make_engine(url)
    with held(engine, "x", lease=timedelta(minutes=1)):
        ready.set()  # type: ignore[attr-defined]
        release.wait(10)  # type: ignore[attr-defined]


def test_another_process_holding_the_lock_keeps_this_one_out(
    engine: Engine, database_url: str
) -> None:
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    other = context.Process(target=_hold_in_another_process, args=(database_url, ready, release))
    other.start()
    try:
        assert ready.wait(30)
        with pytest.raises(LockTimeout), held(engine, "x", wait=0.3):
            pass
    finally:
        release.set()
        other.join(30)
    with held(engine, "x", wait=5):  # released on its way out
        pass
