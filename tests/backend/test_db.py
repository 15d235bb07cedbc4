"""Storage: one metadata, SQLite tuned for concurrent writers, per-user erasure over every table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from backend.db import (
    DEFAULT_USER_ID,
    create_schema,
    erase_user,
    make_engine,
    metadata,
    pixels,
    users,
)
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
