"""Keep a per-thread picture of the mailbox, spending as few Gmail quota units as possible.

Rule (google-openai.md, "Sync design"): a cold scan lists message ids cheaply (messages.list,
5 units a page of 500), marks which are ours with a second list of SENT ids, and fetches metadata
(messages.get, 20 units) only for threads whose trailing run of our own messages already reaches
`watch`; afterwards, history.list (2 units) from the stored historyId, a full resync on its 404,
the stored historyId moved forward only. The picture is an estimate (an auto-reply counts as an
answer here, and under gmail.metadata, where no q= can leave drafts out, so does a draft);
`GET /threads/<id>` reads the whole thread, gives the exact report and stores its count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.engine import Engine

from maxcore.core.counting import level_for
from maxcore.core.model import LEVEL_ORDER, ThreadReport
from maxcore.core.settings import Settings

from . import store
from .client import GmailClient, GmailNotFound, can_search, units_of
from .store import Account, ThreadState

# messages.list's order is newest first: observed, not documented (google-openai.md §2.3).
SCAN_QUERY = "newer_than:30d -in:chats -in:drafts"
SENT_QUERY = "newer_than:30d"
PAGE_SIZE = 500
# gmail.metadata allows no q=: list the newest messages instead, this many pages at most.
NO_QUERY_MAX_PAGES = 2
METADATA_HEADERS = ("Subject", "Date")
NOT_MAIL_LABELS = frozenset({"DRAFT", "CHAT", "SPAM", "TRASH"})

Mode = Literal["cold", "incremental", "resync"]


@dataclass(frozen=True)
class SyncResult:
    mode: Mode
    calls: dict[str, int]
    units: int
    threads: int  # threads whose state this sync wrote
    history_id: str


def trailing_sent(ids_newest_first: Sequence[str], sent: set[str]) -> int:
    """How many of the thread's newest messages in a row are ours."""
    run = 0
    for message_id in ids_newest_first:
        if message_id not in sent:
            break
        run += 1
    return run


def at_risk(states: Iterable[ThreadState]) -> list[ThreadState]:
    """Threads at watch or trap, riskiest first: level, then the longest silence, then oldest."""
    risky = [s for s in states if s.level in ("watch", "trap")]
    oldest = datetime.max.replace(tzinfo=UTC)
    return sorted(risky, key=lambda s: (LEVEL_ORDER[s.level], -s.unanswered, s.last_at or oldest))


def _list_ids(client: GmailClient, with_query: bool, **kwargs: Any) -> list[dict[str, str]]:
    method = client.service.users().messages().list
    out: list[dict[str, str]] = []
    for n, page in enumerate(client.pages(method, userId="me", maxResults=PAGE_SIZE, **kwargs)):
        out.extend(page.get("messages") or [])
        if not with_query and n + 1 >= NO_QUERY_MAX_PAGES:
            break
    return out


def _with_metadata(client: GmailClient, states: list[ThreadState]) -> list[ThreadState]:
    """last_at and subject for these threads' newest messages, ≤10 fetches in flight."""

    def fetch(s: ThreadState) -> ThreadState:
        request = (
            client.service.users()
            .messages()
            .get(
                userId="me",
                id=s.last_msg_id,
                format="metadata",
                metadataHeaders=list(METADATA_HEADERS),
            )
        )
        meta = client.execute(request)
        headers = {
            h["name"].lower(): h["value"] for h in meta.get("payload", {}).get("headers", [])
        }
        at = datetime.fromtimestamp(int(meta.get("internalDate", "0")) / 1000, UTC)
        return replace(s, last_at=at, subject=headers.get("subject", ""))

    return client.map_bounded(fetch, states)


def cold_scan(
    client: GmailClient,
    engine: Engine,
    account: Account,
    settings: Settings,
    mode: Mode = "cold",
    since: dict[str, int] | None = None,
) -> SyncResult:
    """Every thread of the last 30 days from scratch; the result counts calls from `since`."""
    start = client.ledger.calls if since is None else since
    profile = client.execute(client.service.users().getProfile(userId="me"))
    with_query = can_search(account.scopes)
    query = {"q": SCAN_QUERY} if with_query else {}
    by_thread: dict[str, list[str]] = {}
    for m in _list_ids(client, with_query, **query):
        by_thread.setdefault(m["threadId"], []).append(m["id"])
    sent_query = {"q": SENT_QUERY} if with_query else {}
    sent = {m["id"] for m in _list_ids(client, with_query, labelIds=["SENT"], **sent_query)}
    states = []
    for thread_id, ids in by_thread.items():
        run = trailing_sent(ids, sent)
        states.append(
            ThreadState(thread_id, ids[0], ids[0] in sent, None, run, level_for(run, settings))
        )
    worth = [s for s in states if s.unanswered >= settings.watch_at]
    fetched = {s.thread_id: s for s in _with_metadata(client, worth)}
    states = [fetched.get(s.thread_id, s) for s in states]
    store.replace_threads(engine, account.user_id, states)
    history_id = store.advance_history(engine, account.user_id, str(profile["historyId"]))
    return _done(client, engine, account, mode, len(states), history_id, start)


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


def _with_labels(client: GmailClient, added: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The discovery doc only promises id and threadId in history records: when labelIds are
    # missing, ask (format=minimal, 20 units) rather than guess (google-openai.md §2.3).
    missing = [m for m in added if "labelIds" not in m]

    def fetch(m: dict[str, Any]) -> dict[str, Any]:
        request = client.service.users().messages().get(userId="me", id=m["id"], format="minimal")
        return {**m, "labelIds": client.execute(request).get("labelIds", [])}

    found = {m["id"]: m for m in client.map_bounded(fetch, missing)}
    return [found.get(m["id"], m) for m in added]


def apply_added(
    states: dict[str, ThreadState], added: list[dict[str, Any]], settings: Settings
) -> dict[str, ThreadState]:
    """The new state of every thread these messages touched (pure: no I/O)."""
    changed: dict[str, ThreadState] = {}
    for m in added:
        labels = set(m.get("labelIds") or [])
        thread_id = m["threadId"]
        prev = changed.get(thread_id) or states.get(thread_id)
        if labels & NOT_MAIL_LABELS or (prev is not None and prev.last_msg_id == m["id"]):
            continue
        is_sent = "SENT" in labels
        run = (prev.unanswered if prev and prev.last_is_sent else 0) + 1 if is_sent else 0
        level = level_for(run, settings)
        changed[thread_id] = ThreadState(thread_id, m["id"], is_sent, None, run, level)
    return changed


def refresh(
    client: GmailClient, engine: Engine, account: Account, settings: Settings
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
        return cold_scan(client, engine, account, settings, mode="resync", since=start)
    added = _with_labels(client, _added(pages))
    ids = {m["threadId"] for m in added}
    known = (
        {s.thread_id: s for s in store.load_threads(engine, account.user_id, ids)} if ids else {}
    )
    changed = apply_added(known, added, settings)
    worth = [s for s in changed.values() if s.unanswered >= settings.watch_at]
    changed.update({s.thread_id: s for s in _with_metadata(client, worth)})
    store.upsert_threads(engine, account.user_id, changed.values())
    newest = max((str(p["historyId"]) for p in pages if p.get("historyId")), key=int, default="0")
    history_id = store.advance_history(engine, account.user_id, newest)
    return _done(client, engine, account, "incremental", len(changed), history_id, start)


def sync(client: GmailClient, engine: Engine, account: Account, settings: Settings) -> SyncResult:
    """A cold scan the first time, history afterwards."""
    if account.history_id is None or account.last_sync_at is None:
        return cold_scan(client, engine, account, settings)
    return refresh(client, engine, account, settings)


def remember_report(
    engine: Engine, user_id: int, obj: dict[str, Any], report: ThreadReport
) -> None:
    """A thread read in full gives the exact count: keep it, history builds on it from here."""
    messages = sorted(obj.get("messages") or [], key=lambda m: int(m.get("internalDate") or 0))
    if not messages:
        return
    last = messages[-1]
    state = ThreadState(
        thread_id=str(obj.get("id") or report.thread_id),
        last_msg_id=str(last["id"]),
        last_is_sent="SENT" in (last.get("labelIds") or []),
        last_at=datetime.fromtimestamp(int(last.get("internalDate") or 0) / 1000, UTC),
        unanswered=report.unanswered,
        level=report.level,
        subject=report.subject,
    )
    store.upsert_threads(engine, user_id, [state])
