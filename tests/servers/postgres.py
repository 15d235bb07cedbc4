"""A fresh database per test on a real PostgreSQL server, when the tests are given one.

Written here for MAX's tests. `MAX_TEST_POSTGRES_URL` names a server and a role allowed to create
databases (`.ci/run` installs Debian's PostgreSQL, starts it and sets it, e.g.
postgresql+psycopg://max:max@127.0.0.1:5432/max); unset, the backend tests run on SQLite files.
Each test gets its own database, dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

ENV = "MAX_TEST_POSTGRES_URL"


def server_url() -> str | None:
    return os.environ.get(ENV) or None


# For the few tests of the SQLite default itself (the file in the data directory, its modes, its
# pragmas, a writer locking the file): the PostgreSQL run has no such file to look at.
sqlite_default_only = pytest.mark.skipif(
    server_url() is not None, reason="tests the SQLite default; this run is on PostgreSQL"
)


@contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """The URL of a new empty database on `server`, dropped when the block ends."""
    name = f"max_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(admin, name)
        admin.dispose()


def _drop(admin: sa.Engine, name: str) -> None:
    # WITH (FORCE) ends what is still connected: a pooled connection of a test's app or server
    # thread, all ours. PostgreSQL's own autovacuum on the database is not this role's to end:
    # it finishes within moments, so try again.
    for attempt in range(50):
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except sa.exc.DBAPIError:
            if attempt == 49:
                raise
            time.sleep(0.1)
