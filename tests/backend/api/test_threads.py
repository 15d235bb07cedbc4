"""POST /api/v1/threads/analyze: page readings and Gmail API threads become the one report shape."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend.db import opens, pixels
from maxcore.adapters.gmail_json import thread_from_gmail
from maxcore.app import service
from maxcore.app.contract import encode
from maxcore.core.model import Team

from ..conftest import load_body

URL = "/api/v1/threads/analyze"
GMAIL_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gmail"
GOOGLE_PROXY_UA = (
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
)
PAGE_READINGS = ["page_trap_fr.json", "page_trap_en.json", "page_watch_en.json"]


def _addresses(body: dict[str, Any]) -> set[str]:
    thread = body["thread"]
    found = {body["me"][0]}
    for message in thread["messages"]:
        found.add(message["from"]["email"])
        found.update(a["email"] for a in message.get("to", []) + message.get("cc", []))
    return found


@pytest.mark.parametrize("name", PAGE_READINGS)
def test_a_page_reading_comes_back_with_its_level_and_unanswered_count(
    client: FlaskClient, auth: dict[str, str], name: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = load_body(name)
    expect = body.pop("_expect")
    response = client.post(URL, json=body, headers=auth)
    assert response.status_code == 200, response.json
    (report,) = response.json["threads"]  # type: ignore[index]
    assert (report["unanswered"], report["level"]) == (expect["unanswered"], expect["level"])
    assert report["thread_id"] == body["thread"]["thread_id"]
    assert report["prospect"]["email"] == expect["prospect"]
    assert report["opens"] == 0
    for address in _addresses(body):  # privacy: no address reaches the logs
        assert address not in caplog.text


def test_a_trap_recommends_another_channel(client: FlaskClient, auth: dict[str, str]) -> None:
    body = load_body("page_trap_fr.json")
    body.pop("_expect")
    report = client.post(URL, json=body, headers=auth).json["threads"][0]  # type: ignore[index]
    assert report["recommendation"]["channel"] in {"whatsapp", "sms", "wait"}
    assert report["prospect"]["phone"].startswith("+33")


@pytest.mark.parametrize("name", ["thread_full.json", "thread_metadata.json"])
def test_a_gmail_api_thread_gives_the_same_report_as_maxcore(
    client: FlaskClient, auth: dict[str, str], name: str
) -> None:
    gmail = json.loads((GMAIL_FIXTURES / name).read_text(encoding="utf-8"))
    me, now = "claire.martin@acme-saas.fr", "2026-11-20T10:00:00+01:00"
    client.put("/api/v1/settings", json={"team_domains": ["acme-saas.fr"]}, headers=auth)
    body = {"me": [me], "now": now, "thread": gmail}
    response = client.post(URL, json=body, headers=auth)
    assert response.status_code == 200, response.json
    thread, team = thread_from_gmail(gmail), Team.of([me], ["acme-saas.fr"])
    expected = service.analyze(thread, team, datetime.fromisoformat(now))
    assert response.json == json.loads(encode(service.analysis(expected, thread, team)))
    assert response.json["threads"][0]["thread_id"] == gmail["id"]  # type: ignore[index]


def test_recorded_human_opens_feed_the_report(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    body = load_body("page_watch_en.json")
    body.pop("_expect")
    thread_id = body["thread"]["thread_id"]
    made = client.post("/api/v1/tracking/pixels", json={"thread_id": thread_id}, headers=auth)
    token = made.json["token"]  # type: ignore[index]
    with app.extensions["max_engine"].begin() as conn:  # the email went out an hour ago
        sent = datetime.fromisoformat(body["now"]) - timedelta(hours=1)
        conn.execute(sa.update(pixels).values(created_at=sent))
    gmail_proxy = {"User-Agent": GOOGLE_PROXY_UA}
    for _ in range(2):  # the second one within the hour: the same reading
        client.get(f"/t/{token}.gif", headers=gmail_proxy)
    with app.extensions["max_engine"].begin() as conn:  # that reading was two hours ago
        read_at = conn.execute(sa.select(opens.c.at)).scalar_one()
        conn.execute(sa.update(opens).values(at=read_at - timedelta(hours=2)))
    client.get(f"/t/{token}.gif", headers=gmail_proxy)  # they came back to it
    client.get(f"/t/{token}.gif", headers={"User-Agent": "Mozilla/5.0"})  # Apple prefetch
    report = client.post(URL, json=body, headers=auth).json["threads"][0]  # type: ignore[index]
    assert report["opens"] == 2
