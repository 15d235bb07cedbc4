"""oauth: the consent URL, the server-side state and PKCE verifier, the client file's errors."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from backend.db import make_engine
from backend.errors import ApiError
from backend.gmail import oauth, store
from backend.schema import create_schema

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def client_file(tmp_path: Path) -> Path:
    path = tmp_path / "client.json"  # a fake OAuth client written by the test
    path.write_text(json.dumps({"web": {
        "client_id": "id.apps.googleusercontent.com", "client_secret": "written-by-the-test",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token"}}))  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("scope", "url_scope"), [("readonly", "gmail.readonly"), ("metadata", "gmail.metadata")]
)
def test_start_stores_state_and_verifier_and_asks_the_configured_scope(
    engine: Engine, client_file: Path, scope: str, url_scope: str
) -> None:
    cfg = oauth.OAuthConfig(str(client_file), "http://127.0.0.1:8765/api/v1/gmail/callback", scope)
    url = oauth.start(cfg, engine, 3, T0)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["scope"].endswith(url_scope) and query["access_type"] == "offline"
    assert query["redirect_uri"] == cfg.redirect_uri and query["code_challenge_method"] == "S256"
    with engine.connect() as conn:
        row = conn.execute(sa.select(store.oauth_states)).one()
    assert (row.state, row.user_id) == (query["state"], 3)
    # RFC 7636 §4.2: the challenge is BASE64URL(SHA256(verifier)); the verifier stays here.
    digest = hashlib.sha256(row.code_verifier.encode()).digest()
    assert base64.urlsafe_b64encode(digest).decode().rstrip("=") == query["code_challenge"]
    assert row.code_verifier not in url


@pytest.mark.parametrize("content", [None, "not json", '{"other": {}}'])
def test_a_missing_or_broken_client_file_names_the_setting(
    engine: Engine, tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "client.json"
    if content is not None:
        path.write_text(content)
    cfg = oauth.OAuthConfig(str(path), "http://127.0.0.1/cb")
    with pytest.raises(ApiError) as raised:
        oauth.start(cfg, engine, 1, T0)
    assert raised.value.field == "MAX_GOOGLE_CLIENT_FILE" and raised.value.status == 503


def test_an_unknown_state_is_refused_before_any_exchange(engine: Engine, client_file: Path) -> None:
    cfg = oauth.OAuthConfig(
        str(client_file), "http://127.0.0.1/cb", token_uri="http://127.0.0.1:9/token"
    )
    with pytest.raises(ApiError) as raised:
        oauth.finish(cfg, engine, "forged", "4/code", T0)
    assert (raised.value.status, raised.value.field) == (400, "state")


def test_credentials_use_the_configured_token_uri(client_file: Path) -> None:
    cfg = oauth.OAuthConfig(
        str(client_file), "http://127.0.0.1/cb", token_uri="http://127.0.0.1:1/token"
    )
    credentials = oauth.credentials_for(cfg, "1//r", [oauth.SCOPES["readonly"]])
    assert (
        credentials.token_uri == "http://127.0.0.1:1/token" and credentials.refresh_token == "1//r"
    )
    assert credentials.client_id == "id.apps.googleusercontent.com" and credentials.token is None
