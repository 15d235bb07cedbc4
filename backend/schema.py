"""The database's schema, brought to the code's own: Alembic revisions (backend/migrations), run
at start-up, one process at a time.

Rule: every table is backend.db's; every change to them is a revision, and a test checks the
migrated database equals the tables the code declares. A database made before migrations (its
tables but no `alembic_version`) is the baseline's, so it is stamped 0001 and migrated from there;
a new one is built from 0001. Several processes starting together on one database (a team server
behind gunicorn) take a lock first — PostgreSQL's advisory lock, or a lock file beside a SQLite
database — so exactly one migrates and the others find it done. The default user (the person who
runs a single-user install) is made under the same lock.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy.engine import Connection, Engine

from .db import DEFAULT_USER_ID, PRIVATE_FILE, now_utc, users

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"
# Any 64-bit number, the same in every process: PostgreSQL's advisory lock for migrating MAX.
ADVISORY_LOCK = 0x4D41585F534348  # "MAX_SCH"
# Alembic says each revision it runs at INFO: a start-up says nothing unless something is wrong.
logging.getLogger("alembic").setLevel(logging.WARNING)


def _alembic(conn: Connection) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


@contextmanager
def _one_at_a_time(engine: Engine) -> Iterator[Connection]:
    """A connection held while no other process migrates the same database."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK})
            conn.commit()
            try:
                yield conn
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK})
                conn.commit()
        return
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        with engine.connect() as conn:
            yield conn
        return
    fd = os.open(f"{path}.migrate-lock", os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with engine.connect() as conn:
            yield conn
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def create_schema(engine: Engine) -> None:
    """Migrate the database to the code's schema and make the default user, safely from several
    processes at once."""
    with _one_at_a_time(engine) as conn:
        tables = set(sa.inspect(conn).get_table_names())
        cfg = _alembic(conn)
        if "users" in tables and "alembic_version" not in tables:
            command.stamp(cfg, BASELINE)  # made before migrations: the baseline's tables
            conn.commit()
        command.upgrade(cfg, "head")
        conn.commit()
        found = conn.execute(sa.select(users.c.id).where(users.c.id == DEFAULT_USER_ID)).first()
        if found is None:
            conn.execute(users.insert().values(id=DEFAULT_USER_ID, created_at=now_utc()))
        conn.commit()
