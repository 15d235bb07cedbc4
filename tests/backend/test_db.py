"""Storage: one metadata, SQLite tuned for concurrent writers, per-user erasure over every table."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend.db import (
    BUSY_TIMEOUT_MS,
    DEFAULT_USER_ID,
    busy_wait,
    erase_user,
    make_engine,
    metadata,
    pixels,
    users,
)
from backend.schema import create_schema
from tests.servers.postgres import sqlite_default_only


@sqlite_default_only
def test_the_database_is_a_file_in_the_data_dir(app: Flask) -> None:
    path = Path(app.config["MAX_DATA_DIR"]) / "max.sqlite3"
    assert path.is_file()
    with app.extensions["max_engine"].connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_create_schema_is_idempotent_and_makes_the_default_user(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    create_schema(engine)
    create_schema(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.select(users.c.id)).scalars().all() == [DEFAULT_USER_ID]
    engine.dispose()


def test_every_owned_table_has_a_user_id_column() -> None:
    owned = {t.name for t in metadata.sorted_tables if "user_id" in t.c}
    assert {"api_tokens", "pairing_codes", "suggestions", "pixels", "opens", "self_views"} <= owned


def test_datetimes_come_back_aware_and_equal(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    paris = datetime(2026, 11, 20, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    with engine.begin() as conn:
        conn.execute(
            pixels.insert().values(token="t" * 22, user_id=1, thread_id="x", created_at=paris)
        )
        back = conn.execute(sa.select(pixels.c.created_at)).scalar_one()
    assert back == paris and back.tzinfo == UTC
    with pytest.raises(sa.exc.StatementError), engine.begin() as conn:
        conn.execute(pixels.update().values(created_at=datetime(2026, 11, 20)))  # naive


def test_erasing_a_user_leaves_the_others_alone(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for user in (1, 2):
            conn.execute(
                pixels.insert().values(
                    token=f"{user}" * 22, user_id=user, thread_id="x", created_at=now
                )
            )
    deleted = erase_user(engine, 1)
    assert deleted["pixels"] == 1
    with engine.connect() as conn:
        assert conn.execute(sa.select(pixels.c.user_id)).scalars().all() == [2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@sqlite_default_only
def test_the_database_and_its_wal_and_shm_are_0600(app: Flask, client: FlaskClient) -> None:
    data = Path(app.config["MAX_DATA_DIR"])
    client.get("/healthz")
    with app.extensions["max_engine"].begin() as conn:  # a write: the WAL and SHM files exist
        conn.execute(users.insert().values(id=7, created_at=datetime.now(UTC)))
        files = {p.name: _mode(p) for p in data.iterdir()}
    assert files == {
        "max.sqlite3": 0o600,
        "max.sqlite3-wal": 0o600,
        "max.sqlite3-shm": 0o600,
        "max.sqlite3.migrate-lock": 0o600,  # the secret is in the database now: no key file
    }
    assert _mode(data) == 0o700


def test_a_database_made_readable_before_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    engine.dispose()
    for name in ("old.sqlite3", "old.sqlite3-wal"):
        (tmp_path / name).touch()
        (tmp_path / name).chmod(0o644)
    make_engine(f"sqlite:///{path}").dispose()
    assert {_mode(tmp_path / n) for n in ("old.sqlite3", "old.sqlite3-wal")} == {0o600}


@sqlite_default_only
def test_a_pixel_write_waits_briefly_then_the_default_wait_is_back(app: Flask) -> None:
    with app.extensions["max_engine"].connect() as conn:
        with busy_wait(conn, 250):
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 250
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
