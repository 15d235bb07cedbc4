"""Gmail push: the mailbox is watched on the configured topic, renewed before its week ends, and
only a push signed by Google for our audience and service account runs the user's sync.

The fake Google (tests/servers/fake_gmail.py) serves OIDC certificates for a key it made and
signs tokens with it the way Pub/Sub does; google-auth verifies them as it would Google's.
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend.db import gmail_accounts, now_utc
from tests.backend.gmail.mailbox import MARC, ME
from tests.servers.fake_gmail import FakeGmail

TOPIC = "projects/max-test/topics/gmail"
AUDIENCE = "https://max.example/api/v1/gmail/push"
PUSHER = "gmail-push@max-test.iam.gserviceaccount.com"
PUSH = "/api/v1/gmail/push"


@pytest.fixture
def push_settings(fake: FakeGmail) -> dict[str, str]:
    return {
        "MAX_PUBSUB_TOPIC": TOPIC,
        "MAX_PUSH_AUDIENCE": AUDIENCE,
        "MAX_PUSH_SERVICE_ACCOUNT": PUSHER,
        "MAX_GOOGLE_CERTS_URL": f"{fake.url}/oauth2/v1/certs",
    }


def push_body(email: str = ME, history_id: int = 99999) -> dict[str, object]:
    data = json.dumps({"emailAddress": email, "historyId": history_id}).encode()
    return {
        "message": {"data": base64.b64encode(data).decode(), "messageId": "136969346945"},
        "subscription": "projects/max-test/subscriptions/gmail-push",
    }


def signed(fake: FakeGmail, **claims: object) -> dict[str, str]:
    token = fake.sign_push(**{"audience": AUDIENCE, "email": PUSHER, **claims})  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {token}"}


def test_connecting_watches_the_mailbox_on_the_topic(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, auth: dict[str, str]
) -> None:
    assert fake.watches == [
        {"topicName": TOPIC, "labelIds": ["INBOX", "SENT"], "labelFilterBehavior": "include"}
    ]
    status = web.get("/api/v1/gmail/status", headers=auth).json
    assert status["watch_expires_at"]  # type: ignore[index]


def test_a_signed_push_runs_the_sync_and_the_pipeline_follows(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, auth: dict[str, str]
) -> None:
    web.post("/api/v1/gmail/sync", headers=auth)
    fake.add(connected["one"], ME, MARC, "Re: Contrat cadre", 0, "Relance", ("SENT",))
    fake.reset_log()
    answer = web.post(PUSH, json=push_body(), headers=signed(fake))
    assert answer.status_code == 204, answer.json
    assert "users.history.list" in [s.api_method for s in fake.api_calls()]
    pipeline = web.get("/api/v1/pipeline", headers=auth).json["threads"]  # type: ignore[index]
    assert connected["one"] in [t["thread_id"] for t in pipeline]  # two of ours now: watch


BAD_PUSHES = [
    # what is wrong, token claims changed (None: no token at all), status
    ("no token", None, 401),
    ("another audience", {"audience": "https://evil.example/push"}, 401),
    ("expired", {"expires_in": -120}, 401),
    ("not Google's issuer", {"issuer": "https://evil.example"}, 401),
    ("another service account", {"email": "someone@evil.example"}, 403),
]


@pytest.mark.parametrize(("case", "claims", "status"), BAD_PUSHES, ids=[c[0] for c in BAD_PUSHES])
def test_a_push_not_signed_by_google_for_us_runs_nothing(
    fake: FakeGmail,
    connected: dict[str, str],
    web: FlaskClient,
    case: str,
    claims: dict[str, object] | None,
    status: int,
) -> None:
    headers = {} if claims is None else signed(fake, **claims)
    answer = web.post(PUSH, json=push_body(), headers=headers)
    assert answer.status_code == status
    assert answer.json["error"]["field"] == "Authorization"  # type: ignore[index]
    assert fake.api_calls() == []  # no sync ran


def test_a_token_signed_by_another_key_is_refused(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient
) -> None:
    other = FakeGmail()  # its own key, not the one the certificates URL serves
    token = other.sign_push(audience=AUDIENCE, email=PUSHER)
    answer = web.post(PUSH, json=push_body(), headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401 and fake.api_calls() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "message.data"), ({"message": {"data": "%%%"}}, "message.data"),
     ({"message": {"data": base64.b64encode(b'{"historyId": 1}').decode()}},
      "message.data.emailAddress")],
)  # fmt: skip
def test_a_malformed_push_names_what_is_wrong(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, body: object, field: str
) -> None:
    answer = web.post(PUSH, json=body, headers=signed(fake))
    assert answer.status_code == 400 and answer.json["error"]["field"] == field  # type: ignore[index]


def test_a_push_for_a_mailbox_max_does_not_know_is_acknowledged(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient
) -> None:
    answer = web.post(PUSH, json=push_body("stranger@elsewhere.example"), headers=signed(fake))
    assert answer.status_code == 204 and fake.api_calls() == []


@pytest.mark.parametrize(
    ("left", "renewed"), [(timedelta(hours=3), True), (timedelta(days=5), False)]
)
def test_the_watch_is_renewed_when_less_than_a_day_is_left(
    gmail_app: Flask,
    fake: FakeGmail,
    connected: dict[str, str],
    web: FlaskClient,
    auth: dict[str, str],
    left: timedelta,
    renewed: bool,
) -> None:
    with gmail_app.extensions["max_engine"].begin() as conn:
        conn.execute(sa.update(gmail_accounts).values(watch_expires_at=now_utc() + left))
    before = len(fake.watches)
    web.post("/api/v1/gmail/sync", headers=auth)
    assert len(fake.watches) - before == (1 if renewed else 0)


@pytest.mark.parametrize("push_settings", [{}])
def test_without_a_topic_nothing_is_watched_and_a_push_is_not_found(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, push_settings: dict[str, str]
) -> None:
    assert fake.watches == []
    answer = web.post(PUSH, json=push_body(), headers={"Authorization": "Bearer x"})
    assert answer.status_code == 404
