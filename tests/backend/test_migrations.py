"""The database is migrated, never rebuilt: the migrated schema is exactly the tables the code
declares (backend.db), an older database keeps its rows, and a database made before migrations
is taken over from the baseline. Each test runs on this run's database (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from backend import db, schema

WHEN = dt.datetime(2026, 3, 4, 5, 6, tzinfo=dt.UTC)


def _engine(database_url: str) -> sa.Engine:
    return db.make_engine(database_url)


def _differences(engine: sa.Engine) -> list[object]:
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), db.metadata))


def _upgrade_to(engine: sa.Engine, revision: str) -> None:
    with engine.connect() as conn:
        command.upgrade(schema._alembic(conn), revision)
        conn.commit()


def _revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_the_migrations_have_one_head() -> None:
    cfg = schema._alembic(None)  # type: ignore[arg-type]
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1


def test_a_new_database_migrated_is_exactly_the_code_s_tables(database_url: str) -> None:
    engine = _engine(database_url)
    schema.create_schema(engine)
    assert _differences(engine) == []
    heads = ScriptDirectory.from_config(schema._alembic(None)).get_heads()  # type: ignore[arg-type]
    assert _revision(engine) == heads[0]
    engine.dispose()


def test_an_older_database_keeps_its_rows(database_url: str) -> None:
    """A baseline database with a user, a token and a connected Gmail account: after the
    migration they are all there, and the user has the new (empty) address."""
    engine = _engine(database_url)
    _upgrade_to(engine, schema.BASELINE)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO users (id, created_at) VALUES (7, :at)"), {"at": WHEN})
        conn.execute(
            sa.text(
                "INSERT INTO api_tokens (id, user_id, token_hash, created_at) "
                "VALUES (1, 7, :hash, :at)"
            ),
            {"hash": "f" * 64, "at": WHEN},
        )
        conn.execute(
            sa.text(
                "INSERT INTO gmail_accounts (user_id, email, refresh_token, history_id, scopes,"
                " connected_at, needs_reconnect) VALUES (7, 'a@b.example', :tok, '42', 's', :at,"
                " :no)"
            ),
            {"tok": b"sealed", "at": WHEN, "no": False},
        )
    schema.create_schema(engine)
    assert _differences(engine) == []
    with engine.connect() as conn:
        user = conn.execute(sa.select(db.users).where(db.users.c.id == 7)).one()
        assert user.email is None and user.created_at == WHEN
        token = conn.execute(sa.select(db.api_tokens.c.token_hash)).scalar_one()
        assert token == "f" * 64
        account = conn.execute(sa.select(db.gmail_accounts)).one()
        assert (account.email, account.refresh_token, account.history_id) == (
            "a@b.example",
            b"sealed",
            "42",
        )
        assert account.watch_expires_at is None
        default = conn.execute(sa.select(db.users.c.id).where(db.users.c.id == db.DEFAULT_USER_ID))
        assert default.first() is not None
    engine.dispose()


def test_a_database_made_before_migrations_is_taken_over(database_url: str) -> None:
    """Tables but no alembic_version (what create_all made before this change): stamped at the
    baseline, then migrated, rows kept."""
    engine = _engine(database_url)
    _upgrade_to(engine, schema.BASELINE)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))
        conn.execute(sa.text("INSERT INTO users (id, created_at) VALUES (9, :at)"), {"at": WHEN})
    schema.create_schema(engine)
    assert _differences(engine) == []
    with engine.connect() as conn:
        ids = set(conn.execute(sa.select(db.users.c.id)).scalars())
    assert {9, db.DEFAULT_USER_ID} <= ids
    engine.dispose()


def test_migrating_twice_changes_nothing(database_url: str, tmp_path: Path) -> None:
    engine = _engine(database_url)
    schema.create_schema(engine)
    with engine.begin() as conn:
        conn.execute(db.users.insert().values(id=3, email="x@y.example", created_at=WHEN))
    schema.create_schema(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(db.users.c.id, db.users.c.email)).all()
    assert sorted(rows) == [(db.DEFAULT_USER_ID, None), (3, "x@y.example")]
    engine.dispose()
