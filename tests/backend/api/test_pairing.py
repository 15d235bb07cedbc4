"""POST /api/v1/pair: the one door without a token."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from backend.pairing import format_code, new_pairing_code


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"code": "valid"}, 200, None),
        ({"code": "valid", "extra": 1}, 400, "extra"),  # the contract names what it does not know
        # the Gmail address the user confirmed in the extension: accepted, checked
        ({"code": "valid", "account": "paul.martin@acme-sales.com"}, 200, None),
        ({"code": "valid", "account": "Paul Martin"}, 400, "account"),
        ({"code": "ZZZZ-ZZZZ"}, 401, "code"),
        ({"code": "x" * 41}, 400, "code"),
        ({"code": ["ABCD"]}, 400, "code"),
        ({"token": "ABCD-EFGH"}, 400, "token"),
        ({}, 400, "code"),
    ],
)
def test_pair(
    app: Flask, client: FlaskClient, body: dict[str, object], status: int, field: str | None
) -> None:
    if body.get("code") == "valid":
        body = {**body, "code": format_code(new_pairing_code(app.extensions["max_engine"]))}
    response = client.post("/api/v1/pair", json=body)
    assert response.status_code == status
    if field is None:
        assert len(response.json["token"]) >= 40  # type: ignore[index]
    else:
        assert response.json["error"]["field"] == field  # type: ignore[index]
