"""sync: the cold scan's and history's decisions, and what each costs in Gmail quota units."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from google.oauth2.credentials import Credentials
from sqlalchemy.engine import Engine

from backend.db import make_engine
from backend.gmail import store, sync
from backend.gmail.client import SCOPES, GmailClient
from backend.gmail.store import Account
from backend.schema import create_schema
from backend.user_settings import UserSettings
from maxcore.core.triage import riskiest_first
from tests.backend.gmail.mailbox import EXPECTED, MARC, ME, fill
from tests.servers.fake_gmail import FakeGmail

SECRET = "test-secret-key"
T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ids", "sent", "watch_at", "worth"),
    [
        (["c", "b", "a"], {"a", "b", "c"}, 2, True),
        (["c", "b", "a"], {"c", "a"}, 2, True),  # their answer between: maxcore decides
        (["c", "b", "a"], {"a"}, 2, False),  # one of ours can never be two unanswered
        (["c", "b", "a"], {"a"}, 1, True),
        ([], set(), 2, False),
    ],
)
def test_only_threads_holding_watch_at_of_our_messages_are_read(
    ids: list[str], sent: set[str], watch_at: int, worth: bool
) -> None:
    assert sync.may_be_at_risk(ids, sent, watch_at) is worth


def msg(mid: str, tid: str, *labels: str) -> dict[str, Any]:
    return {"id": mid, "threadId": tid, "labelIds": list(labels)}


@pytest.mark.parametrize(
    ("added", "at_risk", "read"),
    [
        ([msg("m1", "t1", "SENT")], set(), ["t1"]),  # ours: the level may rise
        ([msg("m1", "t1", "INBOX")], {"t1"}, ["t1"]),  # theirs, at risk: may end the silence
        ([msg("m1", "t1", "INBOX")], set(), []),  # theirs, not at risk: nothing can rise
        ([{"id": "m1", "threadId": "t1"}], set(), ["t1"]),  # no labels given: may be ours
        ([msg("d1", "t1", "DRAFT"), msg("c1", "t2", "CHAT", "SENT")], {"t1"}, []),  # not mail
        ([msg("m1", "t1", "SENT"), msg("m2", "t1", "SENT")], set(), ["t1"]),  # read once
    ],
)
def test_history_reads_again_only_the_threads_whose_report_can_change(
    added: list[dict[str, Any]], at_risk: set[str], read: list[str]
) -> None:
    assert sync.threads_to_read(added, at_risk) == read


# --- against the fake Gmail ---------------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeGmail]:
    server = FakeGmail(email=ME)
    server.start()
    server.refresh_tokens.add("1//granted")
    yield server
    server.stop()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    create_schema(engine)
    yield engine
    engine.dispose()


PREFS = UserSettings()


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
def test_cold_scan_cost_is_lists_plus_one_read_per_thread_that_may_be_at_risk(
    fake: FakeGmail, engine: Engine, monkeypatch: pytest.MonkeyPatch, page_size: int
) -> None:
    monkeypatch.setattr(sync, "PAGE_SIZE", page_size)
    ids = fill(fake)
    client, account = connect(engine, fake)
    result = sync.cold_scan(client, engine, account, PREFS)
    in_window = [
        m for m in fake.messages.values() if (fake.now - m.at).days < 30 and "DRAFT" not in m.labels
    ]
    sent = [m for m in in_window if "SENT" in m.labels]
    list_calls = math.ceil(len(in_window) / page_size) + math.ceil(len(sent) / page_size)
    ours = {t: sum(1 for m in sent if m.thread_id == t) for t in {m.thread_id for m in sent}}
    read = sorted(t for t, n in ours.items() if n >= PREFS.settings.watch_at)
    assert result.calls["gmail.users.messages.list"] == list_calls
    assert result.units == fake.units() == 1 + 5 * list_calls + 40 * len(read)
    got = {r.thread_id: (r.unanswered, r.level) for r in store.load_reports(engine, 1)}
    at_risk = {ids[name]: v for name, v in EXPECTED.items() if v[1] != "ok"}
    assert {t: v for t, v in got.items() if v[1] != "ok"} == at_risk  # maxcore's own count


def test_history_without_labels_reads_the_threads_it_touched(
    fake: FakeGmail, engine: Engine
) -> None:
    ids = fill(fake)
    client, account = connect(engine, fake)
    sync.cold_scan(client, engine, account, PREFS)
    fake.history_has_labels = False
    fake.add(ids["one"], ME, MARC, "Re: Contrat cadre", 0, "Relance", ("SENT",))
    fake.add(ids["replied"], MARC, ME, "Re: Tarifs", 0, "Ok", ("INBOX",))
    fake.reset_log()
    account = store.load_account(engine, SECRET, 1)  # the stored account, history_id advanced
    assert account is not None and account.history_id is not None
    result = sync.refresh(client, engine, account, PREFS)
    methods = [s.api_method for s in fake.api_calls()]
    # one history.list; both threads read, since either new message may be ours
    assert methods.count("users.threads.get") == 2 and result.units == 2 + 2 * 40
    at_risk = riskiest_first(store.load_reports(engine, 1, at_risk=True))
    assert ids["one"] in [r.thread_id for r in at_risk]  # two of ours now: watch


def test_the_metadata_scope_lists_without_a_query(fake: FakeGmail, engine: Engine) -> None:
    fill(fake)
    client, account = connect(engine, fake, scope="metadata")
    sync.cold_scan(client, engine, account, PREFS)
    lists = [s for s in fake.api_calls() if s.api_method == "users.messages.list"]
    assert lists and all("q" not in s.query for s in lists)
    gets = [s for s in fake.api_calls() if s.api_method == "users.threads.get"]
    assert gets and all(s.query["format"] == ["metadata"] for s in gets)


@pytest.mark.parametrize("n_threads", [10, 200])
def test_cold_scan_of_n_threads_costs_far_less_than_reading_each(
    fake: FakeGmail, engine: Engine, n_threads: int
) -> None:
    # A quarter of the threads sit at trap (3 of ours unanswered); the others got an answer to
    # our one email.
    for i in range(n_threads):
        tid = fake.add(None, ME, MARC, f"Offre {i}", 20, "Offre", ("SENT",)).thread_id
        if i % 4 == 0:
            fake.add(tid, ME, MARC, "Re", 10, "Relance", ("SENT",))
            fake.add(tid, ME, MARC, "Re", 5, "Relance", ("SENT",))
        else:
            fake.add(tid, MARC, ME, "Re", 5, "Merci, je regarde.", ("INBOX",))
    client, account = connect(engine, fake)
    result = sync.cold_scan(client, engine, account, PREFS)
    trap = math.ceil(n_threads / 4)
    list_calls = math.ceil((2 * n_threads + 2 * trap) / 500) + math.ceil(
        (n_threads + 2 * trap) / 500
    )
    assert result.units == 1 + 5 * list_calls + 40 * trap
    assert result.units < 40 * n_threads / 3  # one threads.get per thread would cost 40 × N
    levels = [r.level for r in store.load_reports(engine, 1)]
    assert levels.count("trap") == trap
