"""Keep maxcore's report of every thread that may be at risk, spending few Gmail quota units.

Rule (google-openai.md, "Sync design"): the counting is maxcore's, never ours. A cold scan lists
message ids cheaply (messages.list, 5 units a page of 500) and which of them are ours (a second
list of SENT ids); only a thread holding at least `watch_at` of our messages can be at `watch`
(unanswered counts our messages, so it is never more than that), and only those are read
(threads.get, 40 units: full under gmail.readonly, headers under gmail.metadata) and analysed by
maxcore with the user's settings and what the backend remembers (opens, pivots sent). Afterwards,
history.list (2 units) from the stored historyId: a thread is read again when one of our
messages was added to it, or when it was already at risk (their answer, an out-of-office); a
full resync on its 404; the stored historyId only moves forward.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.engine import Engine

from maxcore.adapters.gmail_json import thread_from_gmail
from maxcore.app import service
from maxcore.core.errors import MaxcoreError
from maxcore.core.model import Thread, ThreadReport
from maxcore.core.outcomes import Timeline, timeline_of

from ..history import history_for
from ..user_settings import UserSettings
from . import store
from .client import GmailClient, GmailNotFound, can_search, units_of
from .store import Account

# messages.list's order is newest first: observed, not documented (google-openai.md §2.3).
SCAN_QUERY = "newer_than:30d -in:chats -in:drafts"
SENT_QUERY = "newer_than:30d"
PAGE_SIZE = 500
# gmail.metadata allows no q=: list the newest messages instead, this many pages at most.
NO_QUERY_MAX_PAGES = 2
NOT_MAIL_LABELS = frozenset({"DRAFT", "CHAT", "SPAM", "TRASH"})

Mode = Literal["cold", "incremental", "resync"]


@dataclass(frozen=True)
class SyncResult:
    mode: Mode
    calls: dict[str, int]
    units: int
    threads: int  # threads whose report this sync wrote
    history_id: str


def may_be_at_risk(ids: Iterable[str], sent: set[str], watch_at: int) -> bool:
    """At least `watch_at` of the thread's messages are ours: the bound no unanswered count can
    pass (the count itself is maxcore's)."""
    return sum(1 for i in ids if i in sent) >= watch_at


def _list_ids(client: GmailClient, with_query: bool, **kwargs: Any) -> list[dict[str, str]]:
    method = client.service.users().messages().list
    out: list[dict[str, str]] = []
    for n, page in enumerate(client.pages(method, userId="me", maxResults=PAGE_SIZE, **kwargs)):
        out.extend(page.get("messages") or [])
        if not with_query and n + 1 >= NO_QUERY_MAX_PAGES:
            break
    return out


def analyze_threads(
    client: GmailClient,
    engine: Engine,
    account: Account,
    prefs: UserSettings,
    thread_ids: Iterable[str],
    now: datetime,
) -> list[tuple[Thread, ThreadReport, Timeline]]:
    """Each thread, read with threads.get (≤ 10 in flight), maxcore's report of it and its
    timeline (core.outcomes); a thread gone since it was listed, or that cannot be read, is left
    out."""
    fmt = "full" if can_search(account.scopes) else "metadata"  # gmail.metadata: no bodies
    team = prefs.team([account.email])

    def fetch(thread_id: str) -> dict[str, Any] | None:
        request = client.service.users().threads().get(userId="me", id=thread_id, format=fmt)
        try:
            answer: dict[str, Any] = client.execute(request)
        except GmailNotFound:
            return None
        return answer

    reports = []
    for obj in client.map_bounded(fetch, list(dict.fromkeys(thread_ids))):
        if obj is None:
            continue
        try:
            thread = thread_from_gmail(obj)
        except MaxcoreError:
            continue
        history = history_for(engine, account.user_id, thread.thread_id)
        report = service.analyze(thread, team, now, prefs.settings, history)
        reports.append((thread, report, timeline_of(thread, team, report)))
    return reports


def cold_scan(
    client: GmailClient,
    engine: Engine,
    account: Account,
    prefs: UserSettings,
    mode: Mode = "cold",
    since: dict[str, int] | None = None,
) -> SyncResult:
    """Every thread of the last 30 days from scratch; the result counts calls from `since`."""
    start = client.ledger.calls if since is None else since
    now = datetime.now(UTC)
    profile = client.execute(client.service.users().getProfile(userId="me"))
    with_query = can_search(account.scopes)
    query = {"q": SCAN_QUERY} if with_query else {}
    by_thread: dict[str, list[str]] = {}
    for m in _list_ids(client, with_query, **query):
        by_thread.setdefault(m["threadId"], []).append(m["id"])
    sent_query = {"q": SENT_QUERY} if with_query else {}
    sent = {m["id"] for m in _list_ids(client, with_query, labelIds=["SENT"], **sent_query)}
    worth = [
        tid for tid, ids in by_thread.items() if may_be_at_risk(ids, sent, prefs.settings.watch_at)
    ]
    kept = [(r, t) for _, r, t in analyze_threads(client, engine, account, prefs, worth, now)]
    store.replace_threads(engine, account.user_id, kept, now)
    history_id = store.advance_history(engine, account.user_id, str(profile["historyId"]))
    return _done(client, engine, account, mode, len(kept), history_id, start)


def _done(
    client: GmailClient,
    engine: Engine,
    account: Account,
    mode: Mode,
    n: int,
    history_id: str,
    start: dict[str, int],
) -> SyncResult:
    calls = client.ledger.since(start)
    units = units_of(calls)
    store.record_sync(engine, account.user_id, datetime.now(UTC), units)
    return SyncResult(mode, calls, units, n, history_id)


def _added(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages added, oldest first (history records come in historyId order)."""
    return [
        m["message"]
        for page in pages
        for record in page.get("history") or []
        for m in record.get("messagesAdded") or []
        if "message" in m
    ]


def threads_to_read(added: list[dict[str, Any]], at_risk: set[str]) -> list[str]:
    """The threads history says changed in a way a report can show (pure: no I/O).

    One of our messages added can raise the level; any message in a thread already at risk can
    end or pause the silence. A message whose labels history did not give may be ours: read
    (the discovery doc only promises id and threadId in history records, §2.3). Drafts, chats,
    spam and trash move nothing."""
    out: list[str] = []
    for m in added:
        labels = m.get("labelIds")
        if labels is not None and set(labels) & NOT_MAIL_LABELS:
            continue
        thread_id = m["threadId"]
        if labels is None or "SENT" in labels or thread_id in at_risk:
            out.append(thread_id)
    return list(dict.fromkeys(out))


def refresh(
    client: GmailClient, engine: Engine, account: Account, prefs: UserSettings
) -> SyncResult:
    """What changed since the stored historyId; an unchanged mailbox costs one history.list."""
    start = client.ledger.calls
    method = client.service.users().history().list
    try:
        pages = list(
            client.pages(
                method,
                userId="me",
                startHistoryId=account.history_id,
                historyTypes=["messageAdded"],
                maxResults=PAGE_SIZE,
            )
        )
    except GmailNotFound:  # the stored historyId is too old for Gmail: start over (gotcha 5)
        return cold_scan(client, engine, account, prefs, mode="resync", since=start)
    added = _added(pages)
    touched = {m["threadId"] for m in added}
    stored = store.load_reports(engine, account.user_id, touched, at_risk=True) if touched else []
    now = datetime.now(UTC)
    ids = threads_to_read(added, {r.thread_id for r in stored})
    kept = [(r, t) for _, r, t in analyze_threads(client, engine, account, prefs, ids, now)]
    store.upsert_threads(engine, account.user_id, kept, now)
    newest = max((str(p["historyId"]) for p in pages if p.get("historyId")), key=int, default="0")
    history_id = store.advance_history(engine, account.user_id, newest)
    return _done(client, engine, account, "incremental", len(kept), history_id, start)


def sync(client: GmailClient, engine: Engine, account: Account, prefs: UserSettings) -> SyncResult:
    """A cold scan the first time, history afterwards."""
    if account.history_id is None or account.last_sync_at is None:
        return cold_scan(client, engine, account, prefs)
    return refresh(client, engine, account, prefs)
