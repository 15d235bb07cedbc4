"""Open tracking over HTTP: the pixel always answers the same GIF; opens are classified."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend.api.tracking import TRANSPARENT_GIF
from backend.db import now_utc, pixels
from tests.servers.postgres import sqlite_default_only

GMAIL = {"User-Agent": "Mozilla/5.0 (via ggpht.com GoogleImageProxy)"}
APPLE = {"User-Agent": "Mozilla/5.0"}


def _pixel(client: FlaskClient, auth: dict[str, str], thread_id: str = "18f7") -> dict[str, str]:
    response = client.post(
        "/api/v1/tracking/pixels",
        json={"thread_id": thread_id, "message_ref": "<m3@optiplan.fr>"},
        headers=auth,
    )
    assert response.status_code == 200
    return response.json  # type: ignore[return-value]


def _sent_an_hour_ago(app: Flask) -> None:
    with app.extensions["max_engine"].begin() as conn:
        conn.execute(sa.update(pixels).values(created_at=now_utc() - timedelta(hours=1)))


def test_the_pixel_url_is_public_and_under_the_configured_base(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    made = _pixel(client, auth)
    assert made["pixel_url"] == f"http://127.0.0.1:8765/t/{made['token']}.gif"


@pytest.mark.parametrize("which", ["known", "A" * 22, "nope", "%2e%2e"])
def test_any_token_gets_the_same_uncacheable_gif(
    client: FlaskClient, auth: dict[str, str], which: str
) -> None:
    token = _pixel(client, auth)["token"] if which == "known" else which
    response = client.get(f"/t/{token}.gif", headers=GMAIL)
    assert response.status_code == 200
    assert response.data == TRANSPARENT_GIF and len(response.data) == 43
    assert response.mimetype == "image/gif"
    assert "no-store" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_human_opens_count_prefetches_and_self_views_do_not(
    app: Flask, client: FlaskClient, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = _pixel(client, auth)["token"]
    client.get(f"/t/{token}.gif", headers=GMAIL)  # a scanner-fast fetch right after sending
    _sent_an_hour_ago(app)
    client.get(f"/t/{token}.gif", headers=APPLE)  # Mail Privacy Protection
    client.get(f"/t/{token}.gif", headers=GMAIL, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    view = client.post("/api/v1/tracking/self-views", json={"token": token}, headers=auth)
    assert view.json == {"token": token, "discarded": 1}  # that last fetch was the sender
    client.get(f"/t/{token}.gif", headers=GMAIL)  # the sender again, just after
    listed = client.get("/api/v1/tracking/opens", query_string={"thread_id": "18f7"}, headers=auth)
    assert [o["kind"] for o in listed.json["opens"]] == ["self"]  # type: ignore[index]
    assert listed.json["human"] == 0  # type: ignore[index]
    assert listed.json["fetches"] == 4  # type: ignore[index]
    assert listed.json["discounted"] == {  # type: ignore[index]
        "prefetch": 2, "scanner": 0, "self": 2, "repeat": 0, "capped": 0
    }  # fmt: skip
    assert "203.0.113.7" not in caplog.text


def test_a_recipient_refetching_the_pixel_is_one_open(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    token = _pixel(client, auth, "18fa")["token"]
    _sent_an_hour_ago(app)
    for agent in (GMAIL, GMAIL, {"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Chrome/126.0"}):
        client.get(f"/t/{token}.gif", headers=agent)
    listed = client.get("/api/v1/tracking/opens", query_string={"thread_id": "18fa"}, headers=auth)
    assert listed.json["human"] == 1  # type: ignore[index]
    assert listed.json["discounted"]["repeat"] == 2  # type: ignore[index]
    assert {o["agent"] for o in listed.json["opens"]} == {"google_proxy"}  # type: ignore[index]


@sqlite_default_only
def test_the_pixel_is_served_while_the_database_is_locked_and_the_loss_logged(
    app: Flask, client: FlaskClient, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    token = _pixel(client, auth)["token"]
    _sent_an_hour_ago(app)
    lock = sqlite3.connect(app.config["MAX_DATABASE_URL"].removeprefix("sqlite:///"))
    lock.isolation_level = None
    lock.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.INFO):
            response = client.get(f"/t/{token}.gif", headers=GMAIL)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert response.status_code == 200 and response.data == TRANSPARENT_GIF
    assert "pixel fetch lost" in caplog.text and "Traceback" not in caplog.text
    assert token not in caplog.text
