"""require_token: the Bearer token names the user; anything else is a 401 naming the token."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from backend import create_app
from backend.auth import hash_secret, issue_token
from backend.db import DEFAULT_USER_ID, api_tokens

URL = "/api/v1/tracking/pixels"


@pytest.mark.parametrize(
    ("header", "status", "code"),
    [
        (None, 401, "missing_token"),
        ("", 401, "missing_token"),
        ("Bearer", 401, "missing_token"),
        ("Basic dXNlcjpwYXNz", 401, "missing_token"),
        ("Bearer not-a-token-we-issued", 401, "bad_token"),
        ("Bearer {issued}", 200, None),
        ("bearer {issued}", 200, None),  # RFC 6750 / RFC 9110: the scheme is case-insensitive
        ("Bearer {issued}x", 401, "bad_token"),
    ],
)
def test_only_an_issued_token_passes(
    app: Flask, header: str | None, status: int, code: str | None
) -> None:
    issued = issue_token(app.extensions["max_engine"])
    headers = {} if header is None else {"Authorization": header.format(issued=issued)}
    response = app.test_client().post(URL, json={"thread_id": "18f1"}, headers=headers)
    assert response.status_code == status
    if code:
        assert response.json["error"] == {  # type: ignore[index]
            "code": code,
            "message": response.json["error"]["message"],  # type: ignore[index]
            "field": "token",
        }


def test_tokens_are_stored_only_as_their_hash(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    token = issue_token(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(api_tokens)).all()
    assert [r.token_hash for r in rows] == [hash_secret(token)]
    assert all(token not in str(tuple(r)) for r in rows)
    assert rows[0].user_id == DEFAULT_USER_ID


def test_the_configured_api_token_is_accepted(tmp_path: object) -> None:
    app = create_app({"MAX_DATA_DIR": str(tmp_path), "MAX_API_TOKEN": "scripted-setup-token"})
    client = app.test_client()
    ok = client.post(
        URL, json={"thread_id": "18f1"}, headers={"Authorization": "Bearer scripted-setup-token"}
    )
    wrong = client.post(
        URL, json={"thread_id": "18f1"}, headers={"Authorization": "Bearer scripted"}
    )
    assert (ok.status_code, wrong.status_code) == (200, 401)
    app.extensions["max_engine"].dispose()
