"""POST /api/v1/threads/analyze on hostile threads: a 200 with the message degraded, or a 4xx JSON
error naming the field; never a 500 (tests/adversarial/README.md lists the samples)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.adversarial.corpus import GMAIL_JSON, MAIL, Sample, page_reading
from tests.adversarial.test_corpus import BIG
from tests.adversarial.validity import assert_utf8

URL = "/api/v1/threads/analyze"
ME = ["claire.martin@acme-saas.fr"]


def post(client: FlaskClient, auth: dict[str, str], body: bytes | dict[str, Any]) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = client.post(URL, data=data, headers={**auth, "Content-Type": "application/json"})
    assert response.status_code != 500
    assert response.is_json, response.data[:200]
    return response


def assert_report(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.json
    (report,) = response.json["threads"]
    assert report["level"] in {"ok", "watch", "trap"}
    assert_utf8(report["subject"], report["thread_id"])
    return dict(report)


def assert_error(response: Any, field: str) -> None:
    assert 400 <= response.status_code < 500
    error = response.json["error"]
    assert error["field"] == field, error
    assert error["code"] and error["message"]


@pytest.mark.parametrize("sample", GMAIL_JSON, ids=lambda s: s.name)
def test_a_hostile_gmail_thread_is_a_report_or_a_400_naming_its_field(
    sample: Sample, client: FlaskClient, auth: dict[str, str]
) -> None:
    text, field = sample.build(), sample.field
    if sample.name.startswith("gmail_raw_"):
        # One message (format=raw): the backend takes Gmail JSON as a thread.
        text, field = b'{"messages": [' + text + b"]}", f"messages[0].{field}"
    body = b'{"me": ' + json.dumps(ME).encode() + b', "thread": ' + text + b"}"
    response = post(client, auth, body)
    if sample.expect == "read":
        assert_report(response)
    elif field == "path":  # deeper than the JSON parser goes: the body is not JSON to us
        assert_error(response, "body")
    else:
        assert_error(response, f"thread.{field}")


def _raw_thread(raw: bytes) -> dict[str, Any]:
    encoded = base64.urlsafe_b64encode(raw).decode()
    return {"id": "18f0", "messages": [{"id": "m1", "threadId": "18f0", "raw": encoded}]}


@pytest.mark.parametrize("sample", [s for s in MAIL if s.name not in BIG], ids=lambda s: s.name)
def test_a_hostile_mail_message_in_format_raw_is_a_report_or_a_400(
    sample: Sample, client: FlaskClient, auth: dict[str, str]
) -> None:
    response = post(client, auth, {"me": ME, "thread": _raw_thread(sample.build())})
    if sample.expect == "read":
        assert_report(response)
    else:
        assert_error(response, "thread.messages[0].raw")


def _first(body: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = body["thread"]["messages"][0]
    return message


PAGE_DEGRADED: dict[str, Callable[[dict[str, Any]], object]] = {
    "subject_lone_surrogate": lambda b: b["thread"].update(subject="Pilot \udfff next steps"),
    "text_cut_inside_an_emoji": lambda b: _first(b).update(text="Hi Tom \ud83d"),
    "name_lone_surrogate": lambda b: _first(b)["from"].update(name="Sam \ud800"),
    "email_lone_surrogate": lambda b: _first(b)["to"][0].update(email="tom\ud800@north.example"),
    "text_of_a_megabyte": lambda b: _first(b).update(text="x" * (1 << 20)),
    "labels_hostile": lambda b: _first(b).update(labels=["SENT", "\x00", "\ud800"]),
}

PAGE_REFUSED: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "date_of_5000_digits": (
        lambda b: _first(b).update(date="1" * 5000),
        "thread.messages[0].date",
    ),
    "date_in_the_year_9999": (
        lambda b: _first(b).update(date="9999-12-31T23:59:59-12:00"),
        "thread.messages[0].date",
    ),
    "displayed_date_in_the_year_9999": (
        lambda b: _first(b).update(date="31 déc. 9999, 23:59"),
        "thread.messages[0].date",
    ),
    "text_nested_lists": (
        lambda b: _first(b).update(text=json.loads("[" * 500 + "]" * 500)),
        "thread.messages[0].text",
    ),
    "from_nested_objects": (
        lambda b: _first(b).update(**{"from": json.loads('{"a": ' * 500 + "1" + "}" * 500)}),
        "thread.messages[0].from.email",
    ),
}


@pytest.mark.parametrize("change", PAGE_DEGRADED.values(), ids=list(PAGE_DEGRADED))
def test_a_hostile_page_reading_is_read_degraded(
    change: Callable[[dict[str, Any]], object], client: FlaskClient, auth: dict[str, str]
) -> None:
    body = page_reading()
    change(body)
    report = assert_report(post(client, auth, body))
    assert report["unanswered"] >= 1


@pytest.mark.parametrize("case", PAGE_REFUSED.values(), ids=list(PAGE_REFUSED))
def test_a_page_reading_that_cannot_be_a_thread_is_a_400_naming_its_field(
    case: tuple[Callable[[dict[str, Any]], object], str],
    client: FlaskClient,
    auth: dict[str, str],
) -> None:
    change, field = case
    body = page_reading()
    change(body)
    assert_error(post(client, auth, body), field)


def test_a_page_reading_nested_past_the_stack_is_a_400_on_the_body(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    text = json.dumps(page_reading()).encode()
    deep = text.replace(b'"messages": [', b'"messages": [' + b"[" * 100_000, 1)
    assert_error(post(client, auth, deep + b"]" * 100_000), "body")


def test_a_lone_surrogate_in_the_thread_id_is_a_400_naming_it(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    # Texts are degraded; an id is not: the contract's one Gmail id pattern, before storage.
    body = page_reading()
    body["thread"]["thread_id"] = "18f\ud800"
    assert_error(post(client, auth, body), "thread.thread_id")
