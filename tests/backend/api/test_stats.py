"""Did it work, through the API: a pivot marked sent is answered by a later reading of its thread
(analyze) or by the user (POST /api/v1/suggestions/<id>/answered); GET /api/v1/stats counts the
pivots and the third emails of the threads read; GET /api/v1/stats/pivots lists the pivots."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend.db import suggestions

from ..conftest import load_body

Json = dict[str, Any]
SENT = datetime.fromisoformat("2026-11-20T10:00:00+01:00")  # the fixture's "now"


def trap() -> Json:
    body = load_body("page_trap_fr.json")
    body.pop("_expect")
    return body


def with_reply(body: Json, at: datetime, *, auto: bool = False) -> Json:
    """The thread read again, the prospect having written at `at` (or their out-of-office)."""
    again = copy.deepcopy(body)
    prospect, me = again["thread"]["messages"][1]["from"], again["thread"]["messages"][0]["from"]
    text = "Je suis absent du bureau jusqu'au 30 novembre." if auto else "D'accord, on signe."
    subject = "Réponse automatique : absent" if auto else None
    message: Json = {"id": f"r{at.timestamp():.0f}", "date": at.isoformat(), "from": prospect,
                     "to": [me], "text": text}  # fmt: skip
    if subject:
        message["subject"] = subject
    again["thread"]["messages"].append(message)
    again["now"] = (at + timedelta(hours=1)).isoformat()
    return again


def analyze(client: FlaskClient, auth: dict[str, str], body: Json) -> Json:
    answer = client.post("/api/v1/threads/analyze", json=body, headers=auth)
    assert answer.status_code == 200, answer.json
    return answer.json  # type: ignore[return-value]


def sent_pivot(app: Flask, client: FlaskClient, auth: dict[str, str], body: Json) -> str:
    """A phone message for the thread, marked sent at SENT."""
    brief = analyze(client, auth, body)["brief"]
    made = client.post("/api/v1/suggestions", json={"brief": brief}, headers=auth).json
    suggestion_id = str(made["id"])  # type: ignore[index]
    assert client.post(f"/api/v1/suggestions/{suggestion_id}/sent", headers=auth).status_code == 200
    with app.extensions["max_engine"].begin() as conn:  # sent when the fixture says it is
        conn.execute(
            sa.update(suggestions).where(suggestions.c.id == suggestion_id).values(sent_at=SENT)
        )
    return suggestion_id


def pivots(client: FlaskClient, auth: dict[str, str]) -> list[Json]:
    answer = client.get("/api/v1/stats/pivots", headers=auth)
    assert answer.status_code == 200
    return answer.json  # type: ignore[return-value]


def test_a_later_reading_with_a_reply_answers_the_pivot(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    body = trap()
    sent_pivot(app, client, auth, body)
    assert pivots(client, auth) == [
        {
            "thread_id": body["thread"]["thread_id"],
            "sent_at": "2026-11-20T09:00:00Z",
            "answered_at": None,
        }
    ]
    analyze(client, auth, with_reply(body, SENT + timedelta(hours=20), auto=True))
    assert pivots(client, auth)[0]["answered_at"] is None  # an out-of-office is no answer
    analyze(client, auth, with_reply(body, SENT + timedelta(hours=26)))
    assert pivots(client, auth)[0]["answered_at"] == "2026-11-21T11:00:00Z"


def test_the_user_marks_a_pivot_answered_on_the_phone(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    suggestion_id = sent_pivot(app, client, auth, trap())
    url = f"/api/v1/suggestions/{suggestion_id}/answered"
    marked = client.post(url, json={"at": "2026-11-20T15:30:00+01:00"}, headers=auth)
    assert marked.status_code == 200, marked.json
    assert marked.json == {
        "id": suggestion_id,
        "thread_id": trap()["thread"]["thread_id"],
        "sent_at": "2026-11-20T09:00:00Z",
        "answered_at": "2026-11-20T14:30:00Z",
        "answered_by": "phone",
    }
    later = client.post(url, json={}, headers=auth).json  # now: later than the first answer
    assert later["answered_at"] == "2026-11-20T14:30:00Z"  # type: ignore[index]
    earlier = client.post(url, json={"at": "2026-11-20T11:00:00+01:00"}, headers=auth).json
    assert earlier["answered_at"] == "2026-11-20T10:00:00Z"  # type: ignore[index]
    assert pivots(client, auth)[0]["answered_at"] == "2026-11-20T10:00:00Z"


def test_an_email_answer_already_known_is_kept(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    body = trap()
    suggestion_id = sent_pivot(app, client, auth, body)
    analyze(client, auth, with_reply(body, SENT + timedelta(hours=2)))
    kept = client.post(f"/api/v1/suggestions/{suggestion_id}/answered", json={}, headers=auth)
    assert kept.json["answered_by"] == "email"  # type: ignore[index]
    assert kept.json["answered_at"] == "2026-11-20T11:00:00Z"  # type: ignore[index]


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"at": "2026-11-20T09:59:00+01:00"}, 400, "at"),  # before it was sent
        ({"at": "2999-01-01T00:00:00+00:00"}, 400, "at"),  # to come
        ({"at": "yesterday"}, 400, "at"),
        ({"when": "2026-11-21T10:00:00+01:00"}, 400, "when"),
    ],
)
def test_a_bad_answer_time_is_a_400_naming_it(
    app: Flask, client: FlaskClient, auth: dict[str, str], payload: Json, status: int, field: str
) -> None:
    suggestion_id = sent_pivot(app, client, auth, trap())
    answer = client.post(
        f"/api/v1/suggestions/{suggestion_id}/answered", json=payload, headers=auth
    )
    assert answer.status_code == status and answer.json["error"]["field"] == field  # type: ignore[index]


def test_an_unknown_or_unsent_suggestion_cannot_be_answered(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    unknown = client.post(f"/api/v1/suggestions/{'0' * 32}/answered", json={}, headers=auth)
    assert unknown.status_code == 404 and unknown.json["error"]["field"] == "suggestion_id"  # type: ignore[index]
    brief = analyze(client, auth, trap())["brief"]
    made = client.post("/api/v1/suggestions", json={"brief": brief}, headers=auth).json
    unsent = client.post(f"/api/v1/suggestions/{made['id']}/answered", json={}, headers=auth)  # type: ignore[index]
    assert unsent.status_code == 409 and unsent.json["error"]["code"] == "not_sent"  # type: ignore[index]
    no_json = client.post(f"/api/v1/suggestions/{made['id']}/answered", headers=auth)  # type: ignore[index]
    assert no_json.status_code == 415


def generated_thread(n: int, reply_after: float | None) -> Json:
    """A page reading of thread n: three emails of ours a week apart, then (maybe) the prospect's
    answer `reply_after` hours after the third."""
    body = trap()
    mine, theirs = body["thread"]["messages"][0], body["thread"]["messages"][1]
    start = datetime.fromisoformat("2026-10-01T09:00:00+00:00") + timedelta(days=n)
    messages = [
        dict(mine, id=f"g{n}-{i}", date=(start + timedelta(days=7 * i)).isoformat())
        for i in range(3)
    ]
    third = start + timedelta(days=14)
    if reply_after is not None:
        messages.append(
            dict(theirs, id=f"g{n}-r", date=(third + timedelta(hours=reply_after)).isoformat())
        )
    body["thread"] = dict(
        body["thread"], thread_id=f"{0x18F0000000000000 + n:x}", messages=messages
    )
    body["now"] = "2026-11-30T10:00:00+00:00"
    return body


def test_stats_count_the_third_emails_of_the_threads_read(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    empty = client.get("/api/v1/stats", headers=auth).json
    assert empty["after_third_email"] == {"cases": 0, "answered": 0, "reply_rate": None,  # type: ignore[index]
                                          "median_hours_to_reply": None}  # fmt: skip
    for n, hours in enumerate([3, 5, 7, 9, 11, None, None, None, None]):
        analyze(client, auth, generated_thread(n, hours))
    nine = client.get("/api/v1/stats", headers=auth).json["after_third_email"]  # type: ignore[index]
    assert nine == {"cases": 9, "answered": 5, "reply_rate": None, "median_hours_to_reply": None}
    analyze(client, auth, generated_thread(9, 13))
    sent_pivot(app, client, auth, trap())
    got = client.get("/api/v1/stats", headers=auth).json
    assert got["after_third_email"] == {"cases": 11, "answered": 6, "reply_rate": round(6 / 11, 4),  # type: ignore[index]
                                        "median_hours_to_reply": 8.0}  # 3 5 7 9 11 13  # fmt: skip
    # The trap fixture: its own third email is a case too (11 with the ten above).
    assert got["after_pivot"] == {"cases": 1, "answered": 0, "reply_rate": None,  # type: ignore[index]
                                  "median_hours_to_reply": None}  # fmt: skip
    assert got["min_cases"] == 10  # type: ignore[index]
