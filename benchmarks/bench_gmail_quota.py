"""Gmail quota units of MAX's sync against the naive scan, measured in the same run.

Both run through the real google-api-python-client against the loopback fake Gmail
(tests/servers/fake_gmail.py), on synthetic mailboxes of N threads of three messages each where a
quarter sit at `trap`. Baseline: what a straightforward reader does, threads.list then threads.get
for every thread (40 units each, new regime). MAX: sync.cold_scan (ids lists, then threads.get
only for the threads holding at least `watch_at` of our messages, the only ones that can be at
risk: maxcore counts from the whole thread), then refreshes through history.list. "min of
quota" is units / 6,000, a new project's per-user minute (google-openai.md §2.1).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from google.oauth2.credentials import Credentials

from backend.db import make_engine
from backend.gmail import store, sync
from backend.gmail.client import SCOPES, GmailClient
from backend.gmail.store import Account
from backend.schema import create_schema
from backend.user_settings import UserSettings
from tests.servers.fake_gmail import FakeGmail

ME, PROSPECT = "rep@vendor.example", "buyer@client.example"
PER_USER_MINUTE = 6000


def _mailbox(fake: FakeGmail, n: int) -> None:
    """A quarter at trap (three of ours); a quarter answered after our follow-up (two of ours,
    then theirs: read, since their answer could be an out-of-office); half answered after our
    first email (one of ours: never read)."""
    for i in range(n):
        tid = fake.add(None, ME, PROSPECT, f"Offer {i}", 20, "Offer", ("SENT",)).thread_id
        if i % 2:
            fake.add(tid, PROSPECT, ME, "Re", 10, "Thanks, we will look at it.", ("INBOX",))
            continue
        fake.add(tid, ME, PROSPECT, "Re", 10, "Follow-up", ("SENT",))
        last = (ME, ("SENT",)) if i % 4 == 0 else (PROSPECT, ("INBOX",))
        fake.add(tid, last[0], ME, "Re", 5, "...", last[1])


def _client(fake: FakeGmail) -> GmailClient:
    fake.refresh_tokens.add("1//bench")
    credentials = Credentials(  # type: ignore[no-untyped-call]
        token=None, refresh_token="1//bench", token_uri=f"{fake.url}/token",
        client_id="id", client_secret="secret",
    )  # fmt: skip
    return GmailClient(credentials, api_base=fake.url)


def _naive(client: GmailClient) -> int:
    threads = client.service.users().threads()
    ids = [t["id"] for p in client.pages(threads.list, userId="me", maxResults=500)
           for t in p.get("threads", [])]  # fmt: skip
    client.map_bounded(lambda t: client.execute(threads.get(userId="me", id=t)), ids)
    return len(ids)


def _run(n: int, workdir: Path) -> None:
    fake = FakeGmail(email=ME)
    fake.start()
    try:
        _mailbox(fake, n)
        client = _client(fake)
        t0 = time.perf_counter()
        _naive(client)
        naive_s, naive_units = time.perf_counter() - t0, client.ledger.units
        engine = make_engine(f"sqlite:///{workdir / f'bench{n}.sqlite3'}")
        create_schema(engine)
        account = Account(
            1, ME, "1//bench", str(fake.history_id), (SCOPES["readonly"],), None, None
        )
        store.save_account(engine, "bench-secret", account, fake.now)
        client = _client(fake)
        t0 = time.perf_counter()
        cold = sync.cold_scan(client, engine, account, UserSettings())
        cold_s = time.perf_counter() - t0
        account = store.load_account(engine, "bench-secret", 1) or account
        unchanged = sync.refresh(client, engine, account, UserSettings())
        for i in range(10):
            fake.add(None, PROSPECT, ME, f"New {i}", 0, "Hello", ("INBOX",))
        ten_new = sync.refresh(client, engine, account, UserSettings())
        minutes = naive_units / PER_USER_MINUTE, cold.units / PER_USER_MINUTE
        print(
            f"N={n:5d} threads | naive {naive_units:6d} units ({minutes[0]:5.2f} min of quota,"
            f" {naive_s:5.2f}s) | MAX cold {cold.units:5d} units ({minutes[1]:4.2f} min,"
            f" {cold_s:5.2f}s) = {cold.units / naive_units:.3f}x | refresh unchanged"
            f" {unchanged.units} | refresh +10 inbound {ten_new.units}"
        )
        engine.dispose()
    finally:
        fake.stop()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for n in (50, 300, 1000):
            _run(n, Path(tmp))


if __name__ == "__main__":
    main()
