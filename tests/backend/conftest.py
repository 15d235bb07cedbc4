"""Fixtures for the backend: flaskr's `app`/`client` on a real temporary SQLite file."""

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

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backend"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own MAX_* variables must not leak into a test app."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)


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
