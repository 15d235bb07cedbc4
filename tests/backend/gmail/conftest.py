"""The Gmail tests' world: a fake Gmail on loopback, an app wired to it, a connected account."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from backend import create_app
from backend.gmail.client import RetryPolicy
from backend.pairing import new_pairing_code
from tests.backend.gmail.mailbox import ME, fill
from tests.servers.fake_gmail import FakeGmail


@pytest.fixture
def fake() -> Iterator[FakeGmail]:
    server = FakeGmail(email=ME)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sleeps() -> list[float]:
    """Every wait the client asked for; nothing really sleeps."""
    return []


@pytest.fixture
def gmail_scope() -> str:
    """MAX_GMAIL_SCOPE; a test parametrizes this name to change it."""
    return "readonly"


@pytest.fixture
def push_settings() -> dict[str, str]:
    """Gmail push settings (MAX_PUBSUB_TOPIC...); none by default: MAX polls."""
    return {}


@pytest.fixture
def gmail_app(
    tmp_path: Path,
    fake: FakeGmail,
    sleeps: list[float],
    gmail_scope: str,
    push_settings: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Flask]:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # http on loopback (gotcha 10)
    secrets = tmp_path / "client_secret.json"  # a fake OAuth client, never a real secret
    secrets.write_text(
        json.dumps(
            {
                "web": {
                    "client_id": "1234-test.apps.googleusercontent.com",
                    "client_secret": "written-by-the-test",
                    "auth_uri": f"{fake.url}/o/oauth2/auth",
                    "token_uri": f"{fake.url}/token",
                    "redirect_uris": ["http://127.0.0.1:8765/api/v1/gmail/callback"],
                }
            }
        )
    )
    app = create_app(
        {
            "TESTING": True,
            "MAX_DATA_DIR": str(tmp_path / "data"),
            "MAX_GOOGLE_CLIENT_FILE": str(secrets),
            "MAX_GMAIL_API_BASE": fake.url,
            "MAX_GOOGLE_TOKEN_URI": f"{fake.url}/token",
            "MAX_GOOGLE_REVOKE_URI": f"{fake.url}/revoke",
            "MAX_GMAIL_SCOPE": gmail_scope,
            **push_settings,
            "MAX_GMAIL_SLEEP": sleeps.append,
            "MAX_GMAIL_RETRY": RetryPolicy(max_attempts=4, max_total_wait=120.0),
        }
    )
    yield app
    app.extensions["max_engine"].dispose()


@pytest.fixture
def web(gmail_app: Flask) -> FlaskClient:
    return gmail_app.test_client()


@pytest.fixture
def auth(gmail_app: Flask, web: FlaskClient) -> dict[str, str]:
    code = new_pairing_code(gmail_app.extensions["max_engine"])
    token = web.post("/api/v1/pair", json={"code": code}).json["token"]  # type: ignore[index]
    return {"Authorization": f"Bearer {token}"}


def consent(fake: FakeGmail, web: FlaskClient, auth: dict[str, str]) -> dict[str, str]:
    """Connect → Google's consent page (the fake's) → the callback query MAX receives."""
    auth_url = web.get("/api/v1/gmail/connect", headers=auth).json["auth_url"]  # type: ignore[index]
    query = {k: v[0] for k, v in parse_qs(urlsplit(auth_url).query).items()}
    return {"state": query["state"], "code": fake.consent(query["code_challenge"], query["scope"])}


@pytest.fixture
def connected(fake: FakeGmail, web: FlaskClient, auth: dict[str, str]) -> dict[str, str]:
    """A mailbox filled and connected; returns thread name → Gmail thread id."""
    ids = fill(fake)
    response = web.get("/api/v1/gmail/callback", query_string=consent(fake, web, auth))
    assert response.status_code == 200, response.json
    fake.reset_log()
    return ids
