"""create_app: one blueprint per area, the Gmail helper's when present, no CORS opening."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from backend import BLUEPRINTS, create_app
from tests.servers.postgres import sqlite_default_only


def test_every_area_is_registered(app: Flask) -> None:
    names = set(app.blueprints)
    assert {module.bp.name for module in BLUEPRINTS} <= names
    gmail_installed = importlib.util.find_spec("backend.api.gmail") is not None
    assert ("gmail" in names) is gmail_installed


@sqlite_default_only
def test_the_callers_config_wins_and_the_database_follows_the_data_dir(tmp_path: Path) -> None:
    app = create_app({"MAX_DATA_DIR": str(tmp_path), "MAX_PUBLIC_URL": "https://max.test/"})
    assert app.config["MAX_DATABASE_URL"] == f"sqlite:///{tmp_path / 'max.sqlite3'}"
    assert app.config["MAX_PUBLIC_URL"] == "https://max.test"
    assert app.extensions["max_writer"] is None  # no LLM configured: the templates write
    app.extensions["max_engine"].dispose()


def test_web_pages_get_no_cors_grant(client: FlaskClient, auth: dict[str, str]) -> None:
    # The extension's service worker calls with host_permissions, which needs no CORS; answering
    # no Access-Control-Allow-Origin keeps every web page from reading the API's answers, and a
    # page's Origin is refused outright (backend/request_guard.py).
    origin = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    preflight = client.options("/api/v1/threads/analyze", headers=origin)
    call = client.post(
        "/api/v1/tracking/pixels", json={"thread_id": "18f0"}, headers={**auth, **origin}
    )
    for response in (preflight, call):
        assert response.status_code == 403
        assert "Access-Control-Allow-Origin" not in response.headers
