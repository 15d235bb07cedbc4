"""What the Gmail connection keeps between requests: OAuth states, accounts, thread reports.

Rule: the tables are backend.db's (a `user_id` on every row, so erasing a user is one sweep); the
refresh token is sealed at rest (backend.gmail.sealing); the stored historyId only ever moves
forward (google-openai.md, gotcha 5); a thread's state is maxcore's own report of it, as the
contract's JSON, so the pipeline shows exactly what analyze would say. The pipeline's rows come
from the Gmail sync and from every analyze of a page reading (`record_reading`), one row per
thread: a reading replaces the row unless the row saw later mail (maxcore.core.triage).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from maxcore.app.contract import encode
from maxcore.core.model import ThreadReport
from maxcore.core.outcomes import Timeline
from maxcore.core.triage import is_as_recent

from .. import suggestions
from ..db import gmail_accounts, oauth_states, thread_state
from .sealing import seal, unseal


@dataclass(frozen=True)
class Account:
    user_id: int
    email: str
    refresh_token: str | None  # None when MAX_SECRET_KEY changed: reconnect
    history_id: str | None
    scopes: tuple[str, ...]
    last_sync_at: datetime | None
    last_sync_units: int | None
    needs_reconnect: bool = False
    watch_expires_at: datetime | None = None  # users.watch's expiration, when push is on


def put_state(engine: Engine, state: str, verifier: str, user_id: int, now: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(
            oauth_states.insert().values(
                state=state, code_verifier=verifier, user_id=user_id, created_at=now
            )
        )


def take_state(engine: Engine, state: str, now: datetime, max_age: timedelta) -> tuple[str, int]:
    """(code_verifier, user_id) for a fresh state, used once; ("", 0) when unknown or stale."""
    with engine.begin() as conn:
        conn.execute(oauth_states.delete().where(oauth_states.c.created_at < now - max_age))
        row = conn.execute(sa.select(oauth_states).where(oauth_states.c.state == state)).first()
        if row is None:
            return "", 0
        conn.execute(oauth_states.delete().where(oauth_states.c.state == state))
    return str(row.code_verifier), int(row.user_id)


def save_account(
    engine: Engine,
    secret_key: str,
    account: Account,
    now: datetime,
) -> None:
    """Insert or replace the user's Gmail account; a reconnect starts the sync afresh."""
    with engine.begin() as conn:
        conn.execute(thread_state.delete().where(thread_state.c.user_id == account.user_id))
        conn.execute(gmail_accounts.delete().where(gmail_accounts.c.user_id == account.user_id))
        conn.execute(
            gmail_accounts.insert().values(
                user_id=account.user_id,
                email=account.email,
                refresh_token=seal(secret_key, account.refresh_token or ""),
                history_id=account.history_id,
                scopes=" ".join(account.scopes),
                connected_at=now,
            )
        )


def load_account(engine: Engine, secret_key: str, user_id: int) -> Account | None:
    query = sa.select(gmail_accounts).where(gmail_accounts.c.user_id == user_id)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return Account(
        user_id=int(row.user_id),
        email=str(row.email),
        refresh_token=unseal(secret_key, bytes(row.refresh_token)),
        history_id=row.history_id,
        scopes=tuple(str(row.scopes).split()),
        last_sync_at=row.last_sync_at,
        last_sync_units=row.last_sync_units,
        needs_reconnect=bool(row.needs_reconnect),
        watch_expires_at=row.watch_expires_at,
    )


def users_with_gmail(engine: Engine, email: str | None = None) -> list[int]:
    """The users whose Gmail is connected (only those of this mailbox address, if given)."""
    query = sa.select(gmail_accounts.c.user_id).order_by(gmail_accounts.c.user_id)
    if email is not None:
        query = query.where(gmail_accounts.c.email == email.lower())
    with engine.connect() as conn:
        return [int(uid) for uid in conn.execute(query).scalars()]


def record_watch(engine: Engine, user_id: int, expires_at: datetime | None) -> None:
    where = gmail_accounts.c.user_id == user_id
    with engine.begin() as conn:
        conn.execute(gmail_accounts.update().where(where).values(watch_expires_at=expires_at))


def delete_account(engine: Engine, user_id: int) -> bool:
    with engine.begin() as conn:
        conn.execute(thread_state.delete().where(thread_state.c.user_id == user_id))
        gone = conn.execute(gmail_accounts.delete().where(gmail_accounts.c.user_id == user_id))
    return gone.rowcount > 0


def advance_history(engine: Engine, user_id: int, history_id: str) -> str:
    """Store `history_id` only if it is newer than the stored one; returns the stored one."""
    where = gmail_accounts.c.user_id == user_id
    with engine.begin() as conn:
        current = conn.execute(sa.select(gmail_accounts.c.history_id).where(where)).scalar()
        if current is not None and int(current) >= int(history_id):
            return str(current)
        conn.execute(gmail_accounts.update().where(where).values(history_id=history_id))
    return history_id


def mark_reconnect(engine: Engine, user_id: int) -> None:
    """Google refused the grant: the status says so until the user connects again."""
    where = gmail_accounts.c.user_id == user_id
    with engine.begin() as conn:
        conn.execute(gmail_accounts.update().where(where).values(needs_reconnect=True))


def record_sync(engine: Engine, user_id: int, now: datetime, units: int) -> None:
    where = gmail_accounts.c.user_id == user_id
    with engine.begin() as conn:
        conn.execute(
            gmail_accounts.update().where(where).values(last_sync_at=now, last_sync_units=units)
        )


Kept = tuple[ThreadReport, Timeline]  # a thread's report and its timeline (core.outcomes)


def _rows(user_id: int, kept: Iterable[Kept], at: datetime) -> list[dict[str, Any]]:
    return [
        {
            "user_id": user_id,
            "thread_id": r.thread_id,
            "level": r.level,
            "report": encode(r).decode(),
            "timeline": encode(timeline).decode(),
            "analyzed_at": at,
        }
        for r, timeline in kept
    ]


def _insert(conn: Connection, user_id: int, kept: list[Kept], at: datetime) -> None:
    """Insert the rows; each reading may show that a pivot sent in its thread got an answer."""
    rows = _rows(user_id, kept, at)
    if rows:
        conn.execute(thread_state.insert(), rows)
    for report, timeline in kept:
        suggestions.note_replies(conn, user_id, report.thread_id, timeline)


def replace_threads(engine: Engine, user_id: int, kept: list[Kept], at: datetime) -> None:
    """A full scan's reports replace whatever the user's thread state was."""
    with engine.begin() as conn:
        conn.execute(thread_state.delete().where(thread_state.c.user_id == user_id))
        _insert(conn, user_id, kept, at)


def upsert_threads(engine: Engine, user_id: int, kept: list[Kept], at: datetime) -> None:
    with engine.begin() as conn:
        for report, _ in kept:
            conn.execute(
                thread_state.delete().where(
                    (thread_state.c.user_id == user_id)
                    & (thread_state.c.thread_id == report.thread_id)
                )
            )
        _insert(conn, user_id, kept, at)


def record_reading(
    engine: Engine, user_id: int, report: ThreadReport, timeline: Timeline, at: datetime
) -> bool:
    """Keep the report of a thread the extension read, unless the stored one (a Gmail sync, or
    another tab) saw later mail; True when kept."""
    where = (thread_state.c.user_id == user_id) & (thread_state.c.thread_id == report.thread_id)
    for attempt in (1, 2):
        try:
            with engine.begin() as conn:
                query = sa.select(thread_state.c.report).where(where).with_for_update()
                stored = conn.execute(query).scalar()
                if stored is not None and not is_as_recent(report, _REPORT.decode(stored)):
                    return False
                conn.execute(thread_state.delete().where(where))
                _insert(conn, user_id, [(report, timeline)], at)
            return True
        except sa.exc.IntegrityError:
            # Two first readings of one thread at once: the other inserted; compare with it.
            if attempt == 2:
                raise
    return False  # not reached


def load_timelines(engine: Engine, user_id: int) -> list[Timeline]:
    """The timelines of every thread stored for the user (rows made before 0003 have none)."""
    query = sa.select(thread_state.c.timeline).where(
        (thread_state.c.user_id == user_id) & thread_state.c.timeline.is_not(None)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).scalars().all()
    return [_TIMELINE.decode(raw) for raw in rows]


def load_reports(
    engine: Engine, user_id: int, ids: Iterable[str] | None = None, *, at_risk: bool = False
) -> list[ThreadReport]:
    """The stored reports of the user's threads (those of `ids` only, at watch or trap only)."""
    query = sa.select(thread_state.c.report).where(thread_state.c.user_id == user_id)
    if ids is not None:
        query = query.where(thread_state.c.thread_id.in_(list(ids)))
    if at_risk:
        query = query.where(thread_state.c.level != "ok")
    with engine.connect() as conn:
        rows = conn.execute(query).scalars().all()
    return [_REPORT.decode(raw) for raw in rows]


_REPORT = msgspec.json.Decoder(ThreadReport)
_TIMELINE = msgspec.json.Decoder(Timeline)
