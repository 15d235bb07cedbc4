"""What must outlive a request: users, API tokens, pairing codes, suggestions shown, open events.

Rule: SQLAlchemy Core tables on one `metadata` (the Gmail helper's tables register on it too), one
engine per app (`init_app`, flaskr's pattern), and a `user_id` column on every row that belongs to
someone, so that erasing a user's data is one sweep over the metadata. SQLite by default (a file in
the data directory, no server); any SQLAlchemy URL (PostgreSQL) for a team server.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.engine import Engine

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


def _register_other_tables() -> None:
    """The Gmail tables live in backend.gmail.store, on this same metadata (imported late: it
    imports this module)."""
    importlib.import_module("backend.gmail.store")


def create_schema(engine: Engine) -> None:
    _register_other_tables()
    metadata.create_all(engine)
    with engine.begin() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.id == DEFAULT_USER_ID)).first() is None:
            conn.execute(users.insert().values(id=DEFAULT_USER_ID, created_at=now_utc()))


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["MAX_DATABASE_URL"])
    create_schema(engine)
    app.extensions["max_engine"] = engine


def get_engine() -> Engine:
    engine: Engine = current_app.extensions["max_engine"]
    return engine


def erase_user(engine: Engine, user_id: int) -> dict[str, int]:
    """Delete every row of every table with a user_id column; children before parents."""
    _register_other_tables()
    deleted: dict[str, int] = {}
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            if "user_id" in table.c:
                result = conn.execute(table.delete().where(table.c.user_id == user_id))
                deleted[table.name] = result.rowcount
    return deleted
