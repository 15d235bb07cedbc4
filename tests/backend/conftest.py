"""Fixtures for the backend: flaskr's `app`/`client` on a real temporary SQLite file, or on a
fresh database of a real PostgreSQL server when MAX_TEST_POSTGRES_URL names one (CI runs the
backend tests both ways: tests/servers/postgres.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from backend import create_app
from backend.config import ENV_KEYS
from backend.pairing import new_pairing_code
from tests.servers import postgres

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backend"


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """Where this test's data lives: a SQLite file, or a fresh PostgreSQL database."""
    server = postgres.server_url()
    if server is None:
        yield f"sqlite:///{tmp_path / 'max.sqlite3'}"
        return
    with postgres.fresh_database(server) as url:
        yield url


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    """The developer's own MAX_* variables must not leak into a test app; every app a test
    makes stores its data in the test's own database."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    if database_url.startswith("postgresql"):
        monkeypatch.setenv("MAX_DATABASE_URL", database_url)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "MAX_DATA_DIR": str(tmp_path / "data")})
    yield app
    app.extensions["max_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def token(app: Flask, client: FlaskClient) -> str:
    """A bearer token obtained the way the extension gets one: pairing."""
    code = new_pairing_code(app.extensions["max_engine"])
    response = client.post("/api/v1/pair", json={"code": code})
    assert response.status_code == 200
    return str(response.json["token"])  # type: ignore[index]


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def load_body(name: str) -> dict[str, Any]:
    """A request body written for these tests (tests/fixtures/backend/)."""
    body: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    body.pop("_fixture", None)
    return body
