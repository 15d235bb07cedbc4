"""Every bad request is a 4xx JSON error naming what was wrong; a bug is a 500 leaking nothing."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from backend.config import MAX_BODY_BYTES
from backend.errors import ApiError

from .conftest import load_body

ANALYZE = "/api/v1/threads/analyze"
SUGGEST = "/api/v1/suggestions"
SETTINGS = "/api/v1/settings"
# A brief as an analysis gives it (test_suggestions checks one comes back from analyze).
BRIEF = {
    "thread_id": "18f7c1a2b3d4e5f6", "lang": "fr", "channel": "whatsapp", "send_at": None,
    "first_name": "Pierre", "phone": None, "signature": "Claire (Optiplan)",
    "subject": "Devis", "last_reply": "",
}  # fmt: skip


def _trap(**changes: Any) -> dict[str, Any]:
    body = load_body("page_trap_fr.json")
    body.pop("_expect")
    body.update(changes)
    return body


def _with_message(path: str, value: Any) -> dict[str, Any]:
    body = _trap()
    body["thread"]["messages"][0][path] = value
    return body


# (case, method, url, body (dict → JSON, str → raw), status, error.field)
BAD_REQUESTS: list[tuple[str, str, str, Any, int, str | None]] = [
    ("not JSON", "POST", ANALYZE, "{not json", 400, "body"),
    ("JSON but a list", "POST", ANALYZE, "[1, 2]", 400, "body"),
    ("empty body", "POST", ANALYZE, "", 400, "body"),
    ("nested past the stack", "POST", ANALYZE, "[" * 200_000, 400, "body"),
    ("not UTF-8", "POST", ANALYZE, b'{"me": ["\xff\xfe@b.fr"]}', 400, "body"),
    ("me missing", "POST", ANALYZE, _trap(me=None), 400, "me"),
    ("me empty", "POST", ANALYZE, _trap(me=[]), 400, "me"),
    ("me a string", "POST", ANALYZE, _trap(me="claire.martin@optiplan.fr"), 400, "me"),
    ("me not an address", "POST", ANALYZE, _trap(me=["a@b.fr", "claire"]), 400, "me[1]"),
    (
        "team_domains not a list",
        "POST",
        ANALYZE,
        _trap(team_domains="optiplan.fr"),
        400,
        "team_domains",
    ),
    ("team_domains item", "POST", ANALYZE, _trap(team_domains=[3]), 400, "team_domains[0]"),
    ("now not ISO", "POST", ANALYZE, _trap(now="next tuesday"), 400, "now"),
    ("now a number", "POST", ANALYZE, _trap(now=1700000000), 400, "now"),
    ("settings not an object", "PUT", SETTINGS, [1], 400, "body"),
    ("unknown setting", "PUT", SETTINGS, {"third": 3}, 400, "third"),
    ("negative setting", "PUT", SETTINGS, {"trap_at": -1}, 400, "trap_at"),
    ("unbounded setting", "PUT", SETTINGS, {"touch_window_days": 10**7}, 400, "touch_window_days"),
    ("watch after trap", "PUT", SETTINGS, {"watch_at": 5, "trap_at": 3}, 400, "watch_at"),
    (
        "team domain not a domain",
        "PUT",
        SETTINGS,
        {"team_domains": ["a b"]},
        400,
        "team_domains[0]",
    ),
    ("year 9999", "POST", ANALYZE, _trap(now="9999-12-31T23:59:59+00:00"), 400, "now"),
    (
        "thread id not Gmail's",
        "POST",
        ANALYZE,
        _trap(thread={**_trap()["thread"], "thread_id": "t\ud800"}),
        400,
        "thread.thread_id",  # texts are degraded; an id must be Gmail's, before any storage
    ),
    (
        "thread id not hex",
        "POST",
        ANALYZE,
        _trap(thread={**_trap()["thread"], "thread_id": "t1"}),
        400,
        "thread.thread_id",
    ),
    ("thread missing", "POST", ANALYZE, _trap(thread=None), 400, "thread"),
    ("thread a string", "POST", ANALYZE, _trap(thread="18f7"), 400, "thread"),
    ("thread_id missing", "POST", ANALYZE, _trap(thread={"subject": "x"}), 400, "thread.thread_id"),
    (
        "sender address wrong type",
        "POST",
        ANALYZE,
        _with_message("from", {"email": 42}),
        400,
        "thread.messages[0].from.email",
    ),
    (
        "date unreadable",
        "POST",
        ANALYZE,
        _with_message("date", "yesterday-ish"),
        400,
        "thread.messages[0].date",
    ),
    (
        "gmail payload wrong type",
        "POST",
        ANALYZE,
        _trap(thread={"id": "18f", "messages": [{"id": "a", "threadId": "18f", "payload": 7}]}),
        400,
        "thread.messages[0].payload",
    ),
    ("brief missing", "POST", SUGGEST, {"channel": "sms"}, 400, "brief"),
    ("a thread instead of a brief", "POST", SUGGEST, _trap(), 400, "me"),
    ("lang unknown", "POST", SUGGEST, {"brief": BRIEF, "lang": "de"}, 400, "lang"),
    ("channel unknown", "POST", SUGGEST, {"brief": BRIEF, "channel": "fax"}, 400, "channel"),
    (
        "brief thread id",
        "POST",
        SUGGEST,
        {"brief": {**BRIEF, "thread_id": "x" * 300}},
        400,
        "brief.thread_id",
    ),
    ("analyze as text/plain", "POST", ANALYZE, "{}", 415, "body"),
    ("pair without code", "POST", "/api/v1/pair", {}, 400, "code"),
    ("pair with a number", "POST", "/api/v1/pair", {"code": 12345678}, 400, "code"),
    ("pair with a wrong code", "POST", "/api/v1/pair", {"code": "AAAA-AAAA"}, 401, "code"),
    ("pixel without thread", "POST", "/api/v1/tracking/pixels", {}, 400, "thread_id"),
    (
        "self-view unknown pixel",
        "POST",
        "/api/v1/tracking/self-views",
        {"token": "x" * 22},
        404,
        "token",
    ),
    ("opens without thread", "GET", "/api/v1/tracking/opens", None, 400, "thread_id"),
    (
        "sent unknown suggestion",
        "POST",
        "/api/v1/suggestions/nope/sent",
        None,
        404,
        "suggestion_id",
    ),
    ("unknown route", "GET", "/api/v1/nothing-here", None, 404, None),
    ("wrong method", "PUT", ANALYZE, None, 405, None),
    ("too large", "POST", ANALYZE, "x" * (MAX_BODY_BYTES + 1), 413, "body"),
]


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "field"),
    [case[1:] for case in BAD_REQUESTS],
    ids=[case[0] for case in BAD_REQUESTS],
)
def test_bad_requests_are_json_errors_naming_the_field(
    client: FlaskClient,
    auth: dict[str, str],
    method: str,
    url: str,
    body: Any,
    status: int,
    field: str | None,
) -> None:
    data = json.dumps(body) if isinstance(body, dict | list) else body
    plain = "text/plain" if body == "{}" else "application/json"  # the 415 case
    response = client.open(url, method=method, data=data, headers=auth, content_type=plain)
    assert response.status_code == status
    error = response.json["error"]  # type: ignore[index]
    assert error["field"] == field
    assert error["code"] and error["message"]


@pytest.mark.parametrize("url", [ANALYZE, "/api/v1/suggestions", "/api/v1/tracking/pixels"])
def test_a_call_without_token_is_a_401_naming_the_token(client: FlaskClient, url: str) -> None:
    response = client.post(url, json=_trap())
    assert response.status_code == 401
    assert response.json["error"]["field"] == "token"  # type: ignore[index]


def test_a_405_still_says_which_methods_are_allowed(client: FlaskClient) -> None:
    response = client.get("/api/v1/pair")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_a_bug_is_a_500_that_leaks_no_internals(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret database path /srv/max.sqlite3")

    @app.get("/refused")
    def refused() -> str:
        raise ApiError(409, "conflict", "Already done.", "id")

    app.config["TESTING"] = False  # let the error handler answer, as in production
    caplog.set_level(logging.ERROR)
    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert response.json == {
        "error": {
            "code": "internal_error",
            "message": "Something went wrong on the MAX server.",
            "field": None,
        }
    }
    assert "secret database path" in caplog.text  # the operator still sees it in the log
    assert client.get("/refused").json == {
        "error": {"code": "conflict", "message": "Already done.", "field": "id"}
    }
