"""Every table the backend keeps, in one module: what must outlive a request.

Rule: SQLAlchemy Core tables on one `metadata`, one engine per app (`init_app`, flaskr's
pattern), and a `user_id` column on every row that belongs to someone, so that erasing a user's
data is one sweep over the metadata (`erase_user`). The functions that read and write them live
beside their area (auth, pairing, tracking, history, suggestions, user_settings, gmail.store);
views never run SQL. SQLite by default (a file in the data directory, no server); any SQLAlchemy
URL (PostgreSQL) for a team server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import Connection, Engine

from .open_kinds import DISCOUNTED_KINDS

metadata = sa.MetaData()
DEFAULT_USER_ID = 1  # single-user by default: the person who runs the backend


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """An aware UTC datetime in, an aware UTC datetime out (SQLite keeps no time zone)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")  # a bug in our code, not bad input
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _user_id() -> sa.Column[int]:
    return sa.Column("user_id", sa.Integer, nullable=False, index=True)


users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    # The Gmail address the user is (backend.users): bound once, never shared by two users.
    sa.Column("email", sa.String(320)),
    sa.UniqueConstraint("email", name="uq_users_email"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _user_id(),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),  # sha256 hex
    sa.Column("created_at", UtcDateTime, nullable=False),
)

pairing_codes = sa.Table(
    "pairing_codes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _user_id(),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    # Kept for databases made before per-address accounting (pair_tries); no longer counted.
    sa.Column("wrong_tries", sa.Integer, nullable=False, default=0),
    sa.Column("used_at", UtcDateTime),
)

# Pairing tries per client address and minute (backend.pairing): in the database, so the limit
# holds across processes; the address is kept only as a keyed hash, and old windows are swept.
pair_tries = sa.Table(
    "pair_tries",
    metadata,
    sa.Column("client", sa.String(64), primary_key=True),  # HMAC-SHA256 of the address
    sa.Column("window_start", UtcDateTime, nullable=False),
    sa.Column("tries", sa.Integer, nullable=False),
)

suggestions = sa.Table(
    "suggestions",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    _user_id(),
    sa.Column("thread_id", sa.String(200), nullable=False, index=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("lang", sa.String(8), nullable=False),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("sent_at", UtcDateTime),  # the user said they sent it: one pivot per silence
    # Did it work: the prospect's first answer after sent_at, and how MAX knows (email: a later
    # reading of the thread; phone: the user said so). backend.suggestions.
    sa.Column("answered_at", UtcDateTime),
    sa.Column("answered_by", sa.String(8)),
)

pixels = sa.Table(
    "pixels",
    metadata,
    sa.Column("token", sa.String(64), primary_key=True),
    _user_id(),
    sa.Column("thread_id", sa.String(200), nullable=False, index=True),
    sa.Column("message_ref", sa.String(300)),
    sa.Column("created_at", UtcDateTime, nullable=False),  # ~ when the email was sent
)

# The opens that count (kind `human`, or `self` once a self-view explained them): at most
# open_kinds.MAX_OPENS_PER_PIXEL rows per pixel, so storage and analysis do not grow with the
# fetches. (Databases made before kept a row per fetch, of every kind.)
opens = sa.Table(
    "opens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _user_id(),
    sa.Column("pixel_token", sa.String(64), nullable=False, index=True),
    sa.Column("thread_id", sa.String(200), nullable=False, index=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # human, self
    sa.Column("agent", sa.String(24), nullable=False),  # google_proxy, apple_mail, client...
)

# Every other fetch of a pixel, counted per kind: one row per pixel however often it is fetched.
# Its UPDATE is also the lock that makes "one open per hour" hold under concurrent fetches.
pixel_stats = sa.Table(
    "pixel_stats",
    metadata,
    sa.Column("token", sa.String(64), primary_key=True),
    _user_id(),
    sa.Column("thread_id", sa.String(200), nullable=False, index=True),
    sa.Column("fetches", sa.Integer, nullable=False, default=0),  # all of them
    *(sa.Column(kind, sa.Integer, nullable=False, default=0) for kind in DISCOUNTED_KINDS),
)

self_views = sa.Table(
    "self_views",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _user_id(),
    sa.Column("pixel_token", sa.String(64), nullable=False, index=True),
    sa.Column("at", UtcDateTime, nullable=False),
)


user_settings = sa.Table(
    "user_settings",
    metadata,
    sa.Column("user_id", sa.Integer, primary_key=True),
    sa.Column("settings", sa.Text, nullable=False),  # JSON: the contract's SettingsValues
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

# ---- the Gmail connection (backend.gmail.store) ----
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
    sa.Column("watch_expires_at", UtcDateTime),  # users.watch's expiration: renew before it
)

thread_state = sa.Table(
    "thread_state",
    metadata,
    sa.Column("user_id", sa.Integer, primary_key=True),
    sa.Column("thread_id", sa.String(16), primary_key=True),  # Gmail's hex id
    sa.Column("level", sa.String(8), nullable=False),  # the report's, for the pipeline's filter
    sa.Column("report", sa.Text, nullable=False),  # maxcore's report (the contract's JSON)
    sa.Column("analyzed_at", UtcDateTime, nullable=False),
    # maxcore.core.outcomes' Timeline as JSON (times and sides, nothing else): the stats' third
    # emails. Null on rows made before revision 0003.
    sa.Column("timeline", sa.Text),
)


# The secret every process shares when MAX_SECRET_KEY is not set (backend.secret).
app_secrets = sa.Table(
    "app_secrets",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# Named locks shared by every process (backend.locks): the Gmail sync of one user at a time.
locks = sa.Table(
    "locks",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("holder", sa.String(100), nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
)


def now_utc() -> datetime:
    return datetime.now(UTC)


BUSY_TIMEOUT_MS = 10_000
PRIVATE_FILE = 0o600  # mail data, hashed tokens, encrypted Gmail tokens: the user's alone


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets pixel writes and analyze reads run together; busy_timeout makes a writer wait for
    # the lock instead of failing (the pixel waits less, and retries: backend.tracking).
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _private_sqlite_file(path: str) -> None:
    """Create the database file 0600 before SQLite does (it would make it 0644), and tighten one
    made before; SQLite gives its -wal and -shm files the database file's own mode."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    for name in (path, f"{path}-wal", f"{path}-shm"):
        if os.path.exists(name):
            os.chmod(name, PRIVATE_FILE)
        elif name == path and os.path.isdir(os.path.dirname(name) or "."):
            os.close(os.open(name, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))  # empty = a new db


def make_engine(url: str) -> Engine:
    # hide_parameters: a failed statement's message (logged on a 500) must not carry the
    # message texts and addresses it was storing.
    engine = sa.create_engine(url, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        _private_sqlite_file(engine.url.database or "")
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def busy_wait(conn: Connection, ms: int) -> Iterator[None]:
    """How long this connection's writes wait for SQLite's lock (a no-op elsewhere), then back
    to the default: a pixel fetch waits briefly and retries rather than hold a worker 10 s."""
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(ms)}")
        conn.commit()
    try:
        yield
    finally:
        if sqlite:
            conn.rollback()
            conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.commit()


@contextmanager
def connected(bind: Engine | Connection) -> Iterator[Connection]:
    """A connection: `bind` itself when it is one (the caller's, left open), else a new one from
    the engine's pool, closed afterwards. One view reading two tables checks out one."""
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as conn:
        yield conn


def get_engine() -> Engine:
    engine: Engine = current_app.extensions["max_engine"]
    return engine


def erase_user(engine: Engine, user_id: int) -> dict[str, int]:
    """Delete every row of every table with a user_id column, children before parents, and the
    user's address: the `users` row keeps only its id and date."""
    deleted: dict[str, int] = {}
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            if "user_id" in table.c:
                result = conn.execute(table.delete().where(table.c.user_id == user_id))
                deleted[table.name] = result.rowcount
        conn.execute(users.update().where(users.c.id == user_id).values(email=None))
    return deleted
