"""Two salespeople, one of them connected to Gmail: the Gmail account is the user's own, and one
user's mailbox, reports and connection are never the other's."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient

from backend.pairing import new_pairing_code
from backend.users import user_for_account
from tests.backend.gmail.mailbox import ME, fill
from tests.servers.fake_gmail import FakeGmail

OTHER = "rep.b@logisoft.example"


def pair(app: Flask, web: FlaskClient, account: str) -> dict[str, str]:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine, user_for_account(engine, account))
    token = web.post("/api/v1/pair", json={"code": code, "account": account}).json["token"]  # type: ignore[index]
    return {"Authorization": f"Bearer {token}"}


def connect(fake: FakeGmail, web: FlaskClient, auth: dict[str, str]) -> object:
    auth_url = web.get("/api/v1/gmail/connect", headers=auth).json["auth_url"]  # type: ignore[index]
    query = {k: v[0] for k, v in parse_qs(urlsplit(auth_url).query).items()}
    code = fake.consent(query["code_challenge"], query["scope"])
    return web.get("/api/v1/gmail/callback", query_string={"state": query["state"], "code": code})


def test_two_users_gmail(gmail_app: Flask, fake: FakeGmail, web: FlaskClient) -> None:
    ids = fill(fake)
    a, b = pair(gmail_app, web, ME), pair(gmail_app, web, OTHER)

    # B cannot connect A's mailbox: the grant Google gave is refused and revoked at once.
    refused = connect(fake, web, b)
    assert refused.status_code == 403 and refused.json["error"]["field"] == "gmail"  # type: ignore[attr-defined]
    assert fake.revoked, "the refused grant was revoked"
    assert web.get("/api/v1/gmail/status", headers=b).json["connected"] is False  # type: ignore[index]

    # A connects their own; A's mailbox is A's only.
    assert connect(fake, web, a).status_code == 200  # type: ignore[attr-defined]
    assert web.post("/api/v1/gmail/sync", headers=a).status_code == 200
    at_risk = [t["thread_id"] for t in web.get("/api/v1/pipeline", headers=a).json["threads"]]  # type: ignore[index]
    assert ids["trap"] in at_risk
    assert web.get("/api/v1/pipeline", headers=b).json["threads"] == []  # type: ignore[index]
    assert web.post("/api/v1/gmail/sync", headers=b).status_code == 409
    assert web.get(f"/api/v1/threads/{ids['trap']}", headers=b).status_code == 409
    assert web.get(f"/api/v1/threads/{ids['trap']}", headers=a).status_code == 200

    # B disconnecting (nothing to disconnect) leaves A connected; A's own disconnect does not
    # touch B.
    assert web.delete("/api/v1/gmail", headers=b).json["deleted"] is False  # type: ignore[index]
    assert web.get("/api/v1/gmail/status", headers=a).json["connected"] is True  # type: ignore[index]
    assert web.delete("/api/v1/gmail", headers=a).json["deleted"] is True  # type: ignore[index]
    assert web.get("/api/v1/settings", headers=b).status_code == 200
