"""Two salespeople on one backend: each pairing names one user, and nothing of one user's is ever
read, changed or erased by the other — through every endpoint that takes a token.

A meta-test checks the table below covers every such endpoint, so a new one must say how it keeps
users apart.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend.db import DEFAULT_USER_ID, now_utc, pixels, suggestions, users
from backend.pairing import new_pairing_code
from backend.users import user_for_account

from .conftest import load_body

A, B = "rep.a@optiplan.fr", "rep.b@optiplan.fr"
GMAIL_PROXY = {"User-Agent": "Mozilla/5.0 (via ggpht.com GoogleImageProxy)"}


def pair(client: FlaskClient, app: Flask, account: str) -> dict[str, str]:
    """The way a team server pairs a rep: an admin's code for the account, the rep's extension
    confirming it."""
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine, user_for_account(engine, account))
    answer = client.post("/api/v1/pair", json={"code": code, "account": account})
    assert answer.status_code == 200, answer.json
    return {"Authorization": f"Bearer {answer.json['token']}"}  # type: ignore[index]


@pytest.fixture
def two(app: Flask, client: FlaskClient) -> tuple[dict[str, str], dict[str, str]]:
    return pair(client, app, A), pair(client, app, B)


def trap_body(rep: str) -> dict[str, Any]:
    """The same trap thread for either rep (its sender is the fixture's `me`; the backend adds
    the rep's own account to "we")."""
    body = load_body("page_trap_fr.json")
    body.pop("_expect")
    return body


def test_each_pairing_names_its_own_user(app: Flask, two: tuple[dict[str, str], ...]) -> None:
    with app.extensions["max_engine"].connect() as conn:
        rows = dict(conn.execute(sa.select(users.c.email, users.c.id)).all())
    assert {A, B} <= set(rows) and rows[A] != rows[B] != DEFAULT_USER_ID


def test_a_code_for_one_account_does_not_pair_another_and_is_not_spent(
    app: Flask, client: FlaskClient
) -> None:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine, user_for_account(engine, A))
    refused = client.post("/api/v1/pair", json={"code": code, "account": B})
    assert refused.status_code == 403 and refused.json["error"]["field"] == "account"  # type: ignore[index]
    assert client.post("/api/v1/pair", json={"code": code, "account": A}).status_code == 200


def test_the_console_code_cannot_claim_an_account_another_user_has(
    app: Flask, client: FlaskClient, two: tuple[dict[str, str], ...]
) -> None:
    code = new_pairing_code(app.extensions["max_engine"])  # the default user's, from the console
    taken = client.post("/api/v1/pair", json={"code": code, "account": A})
    assert taken.status_code == 409 and taken.json["error"]["code"] == "account_taken"  # type: ignore[index]


def test_settings_are_each_users_own(
    client: FlaskClient, two: tuple[dict[str, str], dict[str, str]]
) -> None:
    a, b = two
    assert client.put("/api/v1/settings", json={"trap_at": 4}, headers=a).status_code == 200
    assert client.get("/api/v1/settings", headers=b).json["trap_at"] == 3  # type: ignore[index]
    # ... and so is the level of the same thread: A decides with their own thresholds.
    level_a = client.post("/api/v1/threads/analyze", json=trap_body(A), headers=a).json
    level_b = client.post("/api/v1/threads/analyze", json=trap_body(B), headers=b).json
    assert (level_a["threads"][0]["level"], level_b["threads"][0]["level"]) == ("watch", "trap")  # type: ignore[index]


def test_opens_pixels_and_self_views_are_each_users_own(
    app: Flask, client: FlaskClient, two: tuple[dict[str, str], dict[str, str]]
) -> None:
    a, b = two
    thread_id = trap_body(A)["thread"]["thread_id"]
    made = client.post("/api/v1/tracking/pixels", json={"thread_id": thread_id}, headers=a).json
    with app.extensions["max_engine"].begin() as conn:  # the email went out an hour ago
        conn.execute(sa.update(pixels).values(created_at=now_utc() - timedelta(hours=1)))
    client.get(f"/t/{made['token']}.gif", headers=GMAIL_PROXY)  # type: ignore[index]
    opens_a = client.get(f"/api/v1/tracking/opens?thread_id={thread_id}", headers=a).json
    opens_b = client.get(f"/api/v1/tracking/opens?thread_id={thread_id}", headers=b).json
    assert (opens_a["human"], opens_b["human"]) == (1, 0)  # type: ignore[index]
    analyzed = client.post("/api/v1/threads/analyze", json=trap_body(B), headers=b).json
    assert analyzed["threads"][0]["opens"] == 0  # type: ignore[index]
    stolen = client.post("/api/v1/tracking/self-views", json={"token": made["token"]}, headers=b)  # type: ignore[index]
    assert stolen.status_code == 404


def test_suggestions_are_each_users_own(
    client: FlaskClient, two: tuple[dict[str, str], dict[str, str]]
) -> None:
    a, b = two
    brief = client.post("/api/v1/threads/analyze", json=trap_body(A), headers=a).json["brief"]  # type: ignore[index]
    made = client.post("/api/v1/suggestions", json={"brief": brief}, headers=a).json
    assert client.post(f"/api/v1/suggestions/{made['id']}/sent", headers=b).status_code == 404  # type: ignore[index]
    # A's advice does not know of B's attempt: no pivot was recorded.
    again = client.post("/api/v1/threads/analyze", json=trap_body(A), headers=a).json
    assert again["threads"][0]["recommendation"]["code"] != "pivot_sent"  # type: ignore[index]
    assert client.post(f"/api/v1/suggestions/{made['id']}/sent", headers=a).status_code == 200  # type: ignore[index]


def test_gmail_and_the_pipeline_are_each_users_own(
    client: FlaskClient, two: tuple[dict[str, str], dict[str, str]]
) -> None:
    a, b = two
    for auth in (a, b):
        assert client.get("/api/v1/gmail/status", headers=auth).json["connected"] is False  # type: ignore[index]
        assert client.post("/api/v1/gmail/sync", headers=auth).status_code == 409
    # Without Gmail, the pipeline is the threads each one read: A's reading is A's only.
    client.post("/api/v1/threads/analyze", json=trap_body(A), headers=a)
    at_risk = client.get("/api/v1/pipeline", headers=a).json["threads"]  # type: ignore[index]
    assert [t["thread_id"] for t in at_risk] == [trap_body(A)["thread"]["thread_id"]]
    assert client.get("/api/v1/pipeline", headers=b).json["threads"] == []  # type: ignore[index]
    # B reading the same thread makes B's own row; A's stays A's.
    client.post("/api/v1/threads/analyze", json=trap_body(B), headers=b)
    assert len(client.get("/api/v1/pipeline", headers=b).json["threads"]) == 1  # type: ignore[index]
    client.delete("/api/v1/data", headers=b)
    assert len(client.get("/api/v1/pipeline", headers=a).json["threads"]) == 1  # type: ignore[index]


def test_outcomes_and_stats_are_each_users_own(
    app: Flask, client: FlaskClient, two: tuple[dict[str, str], dict[str, str]]
) -> None:
    a, b = two
    brief = client.post("/api/v1/threads/analyze", json=trap_body(A), headers=a).json["brief"]  # type: ignore[index]
    made = client.post("/api/v1/suggestions", json={"brief": brief}, headers=a).json
    client.post(f"/api/v1/suggestions/{made['id']}/sent", headers=a)  # type: ignore[index]
    with app.extensions["max_engine"].begin() as conn:  # sent an hour ago
        conn.execute(sa.update(suggestions).values(sent_at=now_utc() - timedelta(hours=1)))
    url = f"/api/v1/suggestions/{made['id']}/answered"  # type: ignore[index]
    assert client.post(url, json={}, headers=b).status_code == 404
    assert client.post(url, json={}, headers=a).status_code == 200
    assert client.get("/api/v1/stats/pivots", headers=b).json == []
    assert len(client.get("/api/v1/stats/pivots", headers=a).json) == 1  # type: ignore[arg-type]
    got_a = client.get("/api/v1/stats", headers=a).json
    got_b = client.get("/api/v1/stats", headers=b).json
    assert got_a["after_pivot"]["answered"] == 1 and got_a["after_third_email"]["cases"] == 1  # type: ignore[index]
    assert got_b["after_pivot"]["cases"] == 0 and got_b["after_third_email"]["cases"] == 0  # type: ignore[index]


def test_erasing_ones_data_leaves_the_others(
    app: Flask, client: FlaskClient, two: tuple[dict[str, str], dict[str, str]]
) -> None:
    a, b = two
    brief = client.post("/api/v1/threads/analyze", json=trap_body(A), headers=a).json["brief"]  # type: ignore[index]
    made = client.post("/api/v1/suggestions", json={"brief": brief}, headers=a).json
    client.put("/api/v1/settings", json={"trap_at": 4}, headers=a)
    erased = client.delete("/api/v1/data", headers=b)
    assert erased.status_code == 200
    assert client.get("/api/v1/settings", headers=b).status_code == 401  # B signed out
    assert client.get("/api/v1/settings", headers=a).json["trap_at"] == 4  # type: ignore[index]
    assert client.post(f"/api/v1/suggestions/{made['id']}/sent", headers=a).status_code == 200  # type: ignore[index]
    with app.extensions["max_engine"].connect() as conn:
        emails = set(conn.execute(sa.select(users.c.email)).scalars())
    assert A in emails and B not in emails  # B's address went with B's data


# Every route that takes a token, and the test above that keeps its users apart.
COVERED = {
    "/api/v1/settings": "test_settings_are_each_users_own",
    "/api/v1/threads/analyze": "test_settings_are_each_users_own",
    "/api/v1/tracking/pixels": "test_opens_pixels_and_self_views_are_each_users_own",
    "/api/v1/tracking/opens": "test_opens_pixels_and_self_views_are_each_users_own",
    "/api/v1/tracking/self-views": "test_opens_pixels_and_self_views_are_each_users_own",
    "/api/v1/suggestions": "test_suggestions_are_each_users_own",
    "/api/v1/suggestions/<suggestion_id>/sent": "test_suggestions_are_each_users_own",
    "/api/v1/gmail/status": "test_gmail_and_the_pipeline_are_each_users_own",
    "/api/v1/gmail/sync": "test_gmail_and_the_pipeline_are_each_users_own",
    "/api/v1/pipeline": "test_gmail_and_the_pipeline_are_each_users_own",
    "/api/v1/data": "test_erasing_ones_data_leaves_the_others",
    "/api/v1/suggestions/<suggestion_id>/answered": "test_outcomes_and_stats_are_each_users_own",
    "/api/v1/stats": "test_outcomes_and_stats_are_each_users_own",
    "/api/v1/stats/pivots": "test_outcomes_and_stats_are_each_users_own",
    # Gmail's own routes with a connected account: tests/backend/gmail/test_two_users_gmail.py
    "/api/v1/gmail/connect": "test_two_users_gmail",
    "/api/v1/gmail": "test_two_users_gmail",
    "/api/v1/threads/<thread_id>": "test_two_users_gmail",
}


def test_every_route_that_takes_a_token_is_covered(app: Flask) -> None:
    guarded = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "needs_token", False)
    }
    assert guarded, "the meta-test sees the guarded routes"
    assert guarded - set(COVERED) == set(), "say how the new route keeps users apart"
    names = {name for name in COVERED.values() if re.match(r"test_", name)}
    assert names <= set(globals()) | {"test_two_users_gmail"}
