"""GET /api/v1/pipeline from the threads the extension read: each analyze keeps its report as
the thread's row, so with Gmail not connected the pipeline is what MAX has already read, riskiest
first; a later reading replaces the row, an older one never does."""

from __future__ import annotations

import copy
from typing import Any

from flask.testing import FlaskClient

from ..conftest import load_body

Json = dict[str, Any]


def page(name: str) -> Json:
    body = load_body(name)
    body.pop("_expect")
    return body


def analyze(client: FlaskClient, auth: dict[str, str], body: Json) -> Json:
    answer = client.post("/api/v1/threads/analyze", json=body, headers=auth)
    assert answer.status_code == 200, answer.json
    return answer.json  # type: ignore[return-value]


def pipeline(client: FlaskClient, auth: dict[str, str]) -> Json:
    answer = client.get("/api/v1/pipeline", headers=auth)
    assert answer.status_code == 200, answer.json
    return answer.json  # type: ignore[return-value]


def answered(body: Json, at: str) -> Json:
    """The same thread read again, the prospect having written at `at`."""
    again = copy.deepcopy(body)
    first = again["thread"]["messages"][0]
    again["thread"]["messages"].append(
        {"id": "reply", "date": at, "from": first["to"][0], "to": [first["from"]],
         "text": "Bonjour, c'est validé de notre côté, on signe la semaine prochaine."}
    )  # fmt: skip
    again["now"] = at
    return again


def test_without_gmail_the_pipeline_is_the_threads_read_riskiest_first(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    assert pipeline(client, auth) == {"threads": [], "last_sync_at": None}
    for name in ("page_watch_en.json", "page_trap_fr.json", "page_trap_en.json"):
        analyze(client, auth, page(name))
    rows = pipeline(client, auth)
    assert rows["last_sync_at"] is None
    ids = [t["thread_id"] for t in rows["threads"]]
    trap_en, trap_fr, watch = (
        page(n)["thread"]["thread_id"]
        for n in ("page_trap_en.json", "page_trap_fr.json", "page_watch_en.json")
    )
    # The traps first, the older silence first (FR's last touch is Nov 13, EN's Nov 16).
    assert ids == [trap_fr, trap_en, watch]
    assert [t["level"] for t in rows["threads"]] == ["trap", "trap", "watch"]


def test_a_row_is_the_report_analyze_gave(client: FlaskClient, auth: dict[str, str]) -> None:
    report = analyze(client, auth, page("page_trap_fr.json"))["threads"][0]
    (row,) = pipeline(client, auth)["threads"]
    assert row == report
    # What the reminder and the list chips read from it.
    assert row["display"]["offer_message"] is True and row["recommendation"]["send_at"]


def test_a_thread_read_again_with_an_answer_drops_out(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    body = page("page_trap_fr.json")
    analyze(client, auth, body)
    assert len(pipeline(client, auth)["threads"]) == 1
    report = analyze(client, auth, answered(body, "2026-11-21T09:00:00+01:00"))["threads"][0]
    assert report["level"] == "ok"
    assert pipeline(client, auth)["threads"] == []


def test_an_older_reading_does_not_bring_a_thread_back(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    body = page("page_trap_fr.json")
    analyze(client, auth, answered(body, "2026-11-21T09:00:00+01:00"))
    stale = analyze(client, auth, body)["threads"][0]  # a tab left open before the answer
    assert stale["level"] == "trap"  # analyze answers for what it was given...
    assert pipeline(client, auth)["threads"] == []  # ...but the pipeline keeps the newer row


def test_an_ok_thread_is_not_in_the_pipeline(client: FlaskClient, auth: dict[str, str]) -> None:
    body = answered(page("page_trap_en.json"), "2026-11-20T09:00:00+00:00")
    assert analyze(client, auth, body)["threads"][0]["level"] == "ok"
    assert pipeline(client, auth)["threads"] == []
