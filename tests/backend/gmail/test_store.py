"""store: states used once, accounts with a sealed token, a historyId that only moves forward."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from backend.db import erase_user, make_engine
from backend.gmail import store
from backend.gmail.store import Account
from backend.schema import create_schema
from maxcore.core.model import Level, ThreadReport

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
SECRET = "server-secret"
TOKEN = "1//0refresh-token-in-the-clear"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    create_schema(engine)
    yield engine
    engine.dispose()


def account(user_id: int = 1, history_id: str | None = "500") -> Account:
    return Account(user_id, "rep@example.com", TOKEN, history_id, ("scope",), None, None)


@pytest.mark.parametrize(
    ("age", "state", "found"),
    [
        (timedelta(minutes=1), "s1", True),
        (timedelta(minutes=11), "s1", False),  # older than STATE_MAX_AGE's 10 minutes
        (timedelta(minutes=1), "other", False),
    ],
)
def test_a_state_is_found_once_and_only_while_fresh(
    engine: Engine, age: timedelta, state: str, found: bool
) -> None:
    store.put_state(engine, "s1", "verifier-1", 7, T0)
    got = store.take_state(engine, state, T0 + age, timedelta(minutes=10))
    assert got == (("verifier-1", 7) if found else ("", 0))
    if state == "s1":  # taken or expired: either way it cannot serve again
        assert store.take_state(engine, "s1", T0 + age, timedelta(minutes=10)) == ("", 0)


def test_the_refresh_token_is_sealed_at_rest_and_read_back(engine: Engine) -> None:
    store.save_account(engine, SECRET, account(), T0)
    with engine.connect() as conn:
        raw = conn.execute(sa.select(store.gmail_accounts.c.refresh_token)).scalar_one()
    assert TOKEN.encode() not in bytes(raw)
    loaded = store.load_account(engine, SECRET, 1)
    assert loaded is not None and loaded.refresh_token == TOKEN and loaded.history_id == "500"
    other_key = store.load_account(engine, "another-secret", 1)
    assert other_key is not None and other_key.refresh_token is None  # reconnect, not a crash


@pytest.mark.parametrize(
    ("stored", "offered", "kept"),
    [("500", "501", "501"), ("500", "499", "500"), ("500", "500", "500"), (None, "42", "42"),
     ("99", "100", "100")],  # compared as numbers, not strings
)  # fmt: skip
def test_the_history_id_only_moves_forward(
    engine: Engine, stored: str | None, offered: str, kept: str
) -> None:
    store.save_account(engine, SECRET, account(history_id=stored), T0)
    assert store.advance_history(engine, 1, offered) == kept
    loaded = store.load_account(engine, SECRET, 1)
    assert loaded is not None and loaded.history_id == kept


def report(level: Level, unanswered: int) -> ThreadReport:
    return ThreadReport("18f1", "Offre", unanswered, level, None, None, 0, (), None)


def test_threads_are_per_user_and_erased_with_the_user(engine: Engine) -> None:
    for user in (1, 2):
        store.save_account(engine, SECRET, account(user_id=user), T0)
        store.replace_threads(engine, user, [(report("trap", 3), ())], T0)
    store.upsert_threads(engine, 1, [(report("ok", 0), ())], T0)
    assert store.load_reports(engine, 1) == [report("ok", 0)]  # the report itself, read back
    assert store.load_reports(engine, 1, at_risk=True) == []
    assert [r.level for r in store.load_reports(engine, 2)] == ["trap"]
    erase_user(engine, 2)  # the backend's one sweep over every user_id table
    assert store.load_reports(engine, 2) == [] and store.load_account(engine, SECRET, 2) is None
    assert store.delete_account(engine, 1) and not store.delete_account(engine, 1)
    assert store.load_reports(engine, 1) == []
