"""Every table the backend keeps, in one module: what must outlive a request.

Rule: SQLAlchemy Core tables on one `metadata`, one engine per app (`init_app`, flaskr's
pattern), and a `user_id` column on every row that belongs to someone, so that erasing a user's
data is one sweep over the metadata (`erase_user`). The functions that read and write them live
beside their area (auth, pairing, tracking, history, suggestions, user_settings, gmail.store);
views never run SQL. SQLite by default (a file in the data directory, no server); any SQLAlchemy
URL (PostgreSQL) for a team server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.engine import Connection, Engine

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
    sa.Column("wrong_tries", sa.Integer, nullable=False, default=0),
    sa.Column("used_at", UtcDateTime),
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

opens = sa.Table(
    "opens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _user_id(),
    sa.Column("pixel_token", sa.String(64), nullable=False, index=True),
    sa.Column("thread_id", sa.String(200), nullable=False, index=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # human, prefetch, scanner, self
    sa.Column("agent", sa.String(24), nullable=False),  # google_proxy, apple_mail, client...
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
)

thread_state = sa.Table(
    "thread_state",
    metadata,
    sa.Column("user_id", sa.Integer, primary_key=True),
    sa.Column("thread_id", sa.String(16), primary_key=True),  # Gmail's hex id
    sa.Column("level", sa.String(8), nullable=False),  # the report's, for the pipeline's filter
    sa.Column("report", sa.Text, nullable=False),  # maxcore's report (the contract's JSON)
    sa.Column("analyzed_at", UtcDateTime, nullable=False),
)


def now_utc() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets pixel writes and analyze reads run together; busy_timeout makes a writer wait for
    # the lock instead of failing, so no open is lost under a burst (benchmarks/bench_backend.py).
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    # hide_parameters: a failed statement's message (logged on a 500) must not carry the
    # message texts and addresses it was storing.
    engine = sa.create_engine(url, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def create_schema(engine: Engine) -> None:
    metadata.create_all(engine)
    with engine.begin() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.id == DEFAULT_USER_ID)).first() is None:
            conn.execute(users.insert().values(id=DEFAULT_USER_ID, created_at=now_utc()))


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["MAX_DATABASE_URL"])
    create_schema(engine)
    app.extensions["max_engine"] = engine


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
    """Delete every row of every table with a user_id column; children before parents."""
    deleted: dict[str, int] = {}
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            if "user_id" in table.c:
                result = conn.execute(table.delete().where(table.c.user_id == user_id))
                deleted[table.name] = result.rowcount
    return deleted
