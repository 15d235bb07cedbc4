"""sync: the cold scan's and history's decisions, and what each costs in Gmail quota units."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from google.oauth2.credentials import Credentials
from sqlalchemy.engine import Engine

from backend.gmail import store, sync
from backend.gmail.client import SCOPES, GmailClient
from backend.gmail.store import Account, ThreadState
from backend.storage import create_schema, make_engine
from maxcore.core.settings import Settings
from tests.backend.gmail.mailbox import EXPECTED, MARC, ME, fill
from tests.servers.fake_gmail import FakeGmail

SECRET = "test-secret-key"
T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ids", "sent", "run"),
    [
        (["c", "b", "a"], {"a", "b", "c"}, 3),
        (["c", "b", "a"], {"c", "b"}, 2),
        (["c", "b", "a"], {"b", "a"}, 0),  # the newest is theirs
        ([], set(), 0),
    ],
)
def test_trailing_sent_counts_our_newest_run(ids: list[str], sent: set[str], run: int) -> None:
    assert sync.trailing_sent(ids, sent) == run


@pytest.mark.parametrize(
    ("unanswered", "settings", "level"),
    [
        (0, Settings(), "ok"),
        (1, Settings(), "ok"),
        (2, Settings(), "watch"),
        (3, Settings(), "trap"),
        (9, Settings(), "trap"),
        (1, Settings(watch_at=1, trap_at=2), "watch"),
    ],
)
def test_level_follows_the_settings(unanswered: int, settings: Settings, level: str) -> None:
    assert sync.level_for(unanswered, settings) == level


def msg(mid: str, tid: str, *labels: str) -> dict[str, Any]:
    return {"id": mid, "threadId": tid, "labelIds": list(labels)}


KNOWN = {
    "t1": ThreadState("t1", "m0", True, T0, 2, "watch"),
    "t2": ThreadState("t2", "n0", False, T0, 0, "ok"),
}


@pytest.mark.parametrize(
    ("added", "expected"),
    [
        ([msg("m1", "t1", "SENT")], {"t1": (3, "trap", "m1")}),
        ([msg("m1", "t1", "INBOX")], {"t1": (0, "ok", "m1")}),
        ([msg("m1", "t1", "INBOX"), msg("m2", "t1", "SENT")], {"t1": (1, "ok", "m2")}),
        ([msg("n1", "t2", "SENT"), msg("n2", "t2", "SENT")], {"t2": (2, "watch", "n2")}),
        ([msg("x1", "new", "SENT")], {"new": (1, "ok", "x1")}),
        ([msg("d1", "t1", "DRAFT"), msg("c1", "t1", "CHAT")], {}),  # not mail: nothing moves
        ([msg("m0", "t1", "SENT")], {}),  # already counted
    ],
)
def test_apply_added_moves_only_touched_threads(
    added: list[dict[str, Any]], expected: dict[str, tuple[int, str, str]]
) -> None:
    changed = sync.apply_added(KNOWN, added, Settings())
    assert {k: (s.unanswered, s.level, s.last_msg_id) for k, s in changed.items()} == expected


def test_at_risk_orders_trap_first_then_longest_silence_then_oldest() -> None:
    def s(tid: str, run: int, level: str, day: int | None) -> ThreadState:
        return ThreadState(tid, "m", True, None if day is None else T0.replace(day=day), run, level)

    states = [
        *(s("ok", 1, "ok", 1), s("w-new", 2, "watch", 20), s("t3", 3, "trap", 5)),
        *(s("w-old", 2, "watch", 2), s("t5", 5, "trap", 9), s("w-none", 2, "watch", None)),
    ]
    assert [x.thread_id for x in sync.at_risk(states)] == ["t5", "t3", "w-old", "w-new", "w-none"]


# --- against the fake Gmail ---------------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeGmail]:
    server = FakeGmail(email=ME)
    server.start()
    server.refresh_tokens.add("1//granted")
    yield server
    server.stop()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'max.sqlite3'}")
    create_schema(engine)
    yield engine
    engine.dispose()


def connect(
    engine: Engine, fake: FakeGmail, scope: str = "readonly"
) -> tuple[GmailClient, Account]:
    account = Account(1, ME, "1//granted", str(fake.history_id), (SCOPES[scope],), None, None)
    store.save_account(engine, SECRET, account, T0)
    credentials = Credentials(  # type: ignore[no-untyped-call]
        token=None, refresh_token="1//granted", token_uri=f"{fake.url}/token",
        client_id="id", client_secret="secret",
    )  # fmt: skip
    return GmailClient(credentials, api_base=fake.url, sleep=lambda _: None), account


@pytest.mark.parametrize("page_size", [500, 3])
def test_cold_scan_cost_is_lists_plus_metadata_for_threads_at_risk(
    fake: FakeGmail, engine: Engine, monkeypatch: pytest.MonkeyPatch, page_size: int
) -> None:
    monkeypatch.setattr(sync, "PAGE_SIZE", page_size)
    fill(fake)
    client, account = connect(engine, fake)
    result = sync.cold_scan(client, engine, account, Settings())
    in_window = [
        m for m in fake.messages.values() if (fake.now - m.at).days < 30 and "DRAFT" not in m.labels
    ]
    sent = [m for m in in_window if "SENT" in m.labels]
    list_calls = math.ceil(len(in_window) / page_size) + math.ceil(len(sent) / page_size)
    at_risk = sum(1 for _, level in EXPECTED.values() if level != "ok")
    assert result.calls["gmail.users.messages.list"] == list_calls
    assert result.units == fake.units() == 1 + 5 * list_calls + 20 * at_risk
    got = {s.thread_id: (s.unanswered, s.level) for s in store.load_threads(engine, 1)}
    assert sorted(got.values()) == sorted(EXPECTED.values())


def test_history_without_labels_asks_for_them_once_per_message(
    fake: FakeGmail, engine: Engine
) -> None:
    ids = fill(fake)
    client, account = connect(engine, fake)
    sync.cold_scan(client, engine, account, Settings())
    fake.history_has_labels = False
    fake.add(ids["one"], ME, MARC, "Re: Contrat cadre", 0, "Relance", ("SENT",))
    fake.add(ids["replied"], MARC, ME, "Re: Tarifs", 0, "Ok", ("INBOX",))
    fake.reset_log()
    account = store.load_account(engine, SECRET, 1)  # the stored account, history_id advanced
    assert account is not None and account.history_id is not None
    result = sync.refresh(client, engine, account, Settings())
    methods = [s.api_method for s in fake.api_calls()]
    # one history.list, two minimal gets for labels, one metadata get: "one" reached watch
    assert methods.count("users.messages.get") == 3 and result.units == 2 + 3 * 20
    assert [s.thread_id for s in sync.at_risk(store.load_threads(engine, 1))][-1] == ids["one"]


def test_the_metadata_scope_lists_without_a_query(fake: FakeGmail, engine: Engine) -> None:
    fill(fake)
    client, account = connect(engine, fake, scope="metadata")
    sync.cold_scan(client, engine, account, Settings())
    lists = [s for s in fake.api_calls() if s.api_method == "users.messages.list"]
    assert lists and all("q" not in s.query for s in lists)
    gets = [s for s in fake.api_calls() if s.api_method == "users.messages.get"]
    assert gets and all(s.query["format"] == ["metadata"] for s in gets)


@pytest.mark.parametrize("n_threads", [10, 200])
def test_cold_scan_of_n_threads_costs_far_less_than_reading_each(
    fake: FakeGmail, engine: Engine, n_threads: int
) -> None:
    # A quarter of the threads sit at trap (3 of ours unanswered), the rest got an answer.
    for i in range(n_threads):
        tid = fake.add(None, ME, MARC, f"Offre {i}", 20, "Offre", ("SENT",)).thread_id
        last = (ME, ("SENT",)) if i % 4 == 0 else (MARC, ("INBOX",))
        fake.add(tid, ME, MARC, "Re", 10, "Relance", ("SENT",))
        fake.add(tid, last[0], ME, "Re", 5, "…", last[1])
    client, account = connect(engine, fake)
    result = sync.cold_scan(client, engine, account, Settings())
    trap = math.ceil(n_threads / 4)
    list_calls = math.ceil(3 * n_threads / 500) + math.ceil((2 * n_threads + trap) / 500)
    assert result.units == 1 + 5 * list_calls + 20 * trap
    assert result.units < 40 * n_threads / 3  # one threads.get per thread would cost 40 × N
