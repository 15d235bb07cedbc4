"""What the Gmail connection keeps between requests: OAuth states, accounts, per-thread state.

Rule: SQLAlchemy Core tables on the backend's one `metadata`, a `user_id` column on every table
(so erasing a user is one sweep), the refresh token sealed at rest (backend.gmail.sealing), and a
stored historyId that only ever moves forward (google-openai.md, gotcha 5).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from backend.storage import UtcDateTime, metadata

from .sealing import seal, unseal

oauth_states = sa.Table(
    "oauth_states",
    metadata,
    sa.Column("state", sa.String(128), primary_key=True),
    sa.Column("code_verifier", sa.String(128), nullable=False),  # PKCE, RFC 7636 §4.1
    sa.Column("user_id", sa.Integer, nullable=False, index=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

gmail_accounts = sa.Table(
    "gmail_accounts",
    metadata,
    sa.Column("user_id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("refresh_token", sa.LargeBinary, nullable=False),  # Fernet token, never plain
    sa.Column("history_id", sa.String(32)),  # uint64 as Gmail writes it
    sa.Column("scopes", sa.Text, nullable=False),  # space-separated, as OAuth 2.0 writes them
    sa.Column("connected_at", UtcDateTime, nullable=False),
    sa.Column("last_sync_at", UtcDateTime),
    sa.Column("last_sync_units", sa.Integer),
    sa.Column("needs_reconnect", sa.Boolean, nullable=False, default=False),  # invalid_grant seen
)

thread_state = sa.Table(
    "thread_state",
    metadata,
    sa.Column("user_id", sa.Integer, primary_key=True),
    sa.Column("thread_id", sa.String(64), primary_key=True),
    sa.Column("last_msg_id", sa.String(64), nullable=False),
    sa.Column("last_is_sent", sa.Boolean, nullable=False),
    sa.Column("last_at", UtcDateTime),  # known only for the threads worth a metadata fetch
    sa.Column("unanswered", sa.Integer, nullable=False),  # our trailing sent run, an estimate
    sa.Column("level", sa.String(8), nullable=False),
    sa.Column("subject", sa.Text, nullable=False, default=""),
)


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


@dataclass(frozen=True)
class ThreadState:
    thread_id: str
    last_msg_id: str
    last_is_sent: bool
    last_at: datetime | None
    unanswered: int
    level: str
    subject: str = ""


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
    )


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


def _row_values(user_id: int, s: ThreadState) -> dict[str, object]:
    return {"user_id": user_id, **asdict(s)}


def replace_threads(engine: Engine, user_id: int, states: Iterable[ThreadState]) -> None:
    """A full scan's result replaces whatever the user's thread state was."""
    rows = [_row_values(user_id, s) for s in states]
    with engine.begin() as conn:
        conn.execute(thread_state.delete().where(thread_state.c.user_id == user_id))
        if rows:
            conn.execute(thread_state.insert(), rows)


def upsert_threads(engine: Engine, user_id: int, states: Iterable[ThreadState]) -> None:
    with engine.begin() as conn:
        for s in states:
            conn.execute(
                thread_state.delete().where(
                    (thread_state.c.user_id == user_id) & (thread_state.c.thread_id == s.thread_id)
                )
            )
            conn.execute(thread_state.insert().values(**_row_values(user_id, s)))


def load_threads(
    engine: Engine, user_id: int, ids: Iterable[str] | None = None
) -> list[ThreadState]:
    query = sa.select(thread_state).where(thread_state.c.user_id == user_id)
    if ids is not None:
        query = query.where(thread_state.c.thread_id.in_(list(ids)))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        ThreadState(
            thread_id=r.thread_id,
            last_msg_id=r.last_msg_id,
            last_is_sent=bool(r.last_is_sent),
            last_at=r.last_at,
            unanswered=int(r.unanswered),
            level=str(r.level),
            subject=str(r.subject or ""),
        )
        for r in rows
    ]
