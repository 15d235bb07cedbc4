"""POST /api/v1/suggestions: the two-line phone message written from an analysis's brief (the
thread is not sent again); "sent" feeds pivots_sent."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend.db import DEFAULT_USER_ID, suggestions
from backend.history import history_for

from ..conftest import load_body

URL = "/api/v1/suggestions"


def _analysis(client: FlaskClient, auth: dict[str, str], name: str) -> dict[str, Any]:
    body = load_body(name)
    body.pop("_expect")
    response = client.post("/api/v1/threads/analyze", json=body, headers=auth)
    assert response.status_code == 200, response.json
    return response.json  # type: ignore[return-value]


def _suggest(client: FlaskClient, auth: dict[str, str], name: str, **extra: Any) -> Any:
    brief = _analysis(client, auth, name)["brief"]
    return client.post(URL, json={"brief": brief, **extra}, headers=auth)


def _suggestion_id(client: FlaskClient, auth: dict[str, str], name: str) -> str:
    return str(_suggest(client, auth, name).json["id"])  # type: ignore[index]


def test_an_analysis_offering_the_message_carries_its_brief_and_nothing_private(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    analysis = _analysis(client, auth, "page_trap_fr.json")
    (report,) = analysis["threads"]
    assert report["display"]["offer_message"] is True
    brief = analysis["brief"]
    assert brief["thread_id"] == report["thread_id"] and brief["lang"] == "fr"
    assert "@" not in str(brief)  # no address: the subject and last words are masked
    ok = _analysis(client, auth, "page_watch_en.json")
    assert ok["threads"][0]["display"]["offer_message"] is False and ok["brief"] is None


@pytest.mark.parametrize(
    ("name", "extra", "channel", "lang", "link_scheme"),
    [
        ("page_trap_fr.json", {}, "whatsapp", "fr", "https://wa.me/"),
        ("page_trap_fr.json", {"channel": "sms"}, "sms", "fr", "sms:"),
        (
            "page_trap_fr.json",
            {"lang": "en", "channel": "whatsapp"},
            "whatsapp",
            "en",
            "https://wa.me/",
        ),
    ],
)
def test_a_suggestion_is_two_lines_at_most_with_link_and_qr(
    client: FlaskClient,
    auth: dict[str, str],
    name: str,
    extra: dict[str, Any],
    channel: str,
    lang: str,
    link_scheme: str,
) -> None:
    response = _suggest(client, auth, name, **extra)
    assert response.status_code == 200, response.json
    suggestion = response.json["suggestion"]  # type: ignore[index]
    assert 0 < len(suggestion["text"].splitlines()) <= 2
    assert (suggestion["channel"], suggestion["lang"]) == (channel, lang)
    assert suggestion["link"].startswith(link_scheme)
    assert suggestion["qr_svg"].lstrip().startswith(("<svg", "<?xml"))
    if channel == "sms":
        assert suggestion["sms"]["encoding"] in {"GSM-7", "UCS-2"}
        assert suggestion["sms"]["segments"] >= 1
    assert suggestion["source"] == "template"  # no LLM configured: the built-in templates


def test_each_suggestion_shown_is_stored(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    ids = [_suggestion_id(client, auth, "page_trap_fr.json") for _ in range(2)]
    with app.extensions["max_engine"].connect() as conn:
        rows = conn.execute(sa.select(suggestions.c.id, suggestions.c.thread_id)).all()
    assert sorted(ids) == sorted(r.id for r in rows) and len(set(ids)) == 2
    assert {r.thread_id for r in rows} == {"18f7c1a2b3d4e5f6"}


def test_marking_a_suggestion_sent_records_one_pivot(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    suggestion_id = _suggestion_id(client, auth, "page_trap_fr.json")
    first = client.post(f"{URL}/{suggestion_id}/sent", headers=auth)
    second = client.post(f"{URL}/{suggestion_id}/sent", headers=auth)
    assert first.status_code == second.status_code == 200
    assert first.json["sent_at"] == second.json["sent_at"]  # type: ignore[index]
    history = history_for(app.extensions["max_engine"], DEFAULT_USER_ID, "18f7c1a2b3d4e5f6")
    assert len(history.pivots_sent) == 1


def test_another_users_suggestion_is_not_found(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    suggestion_id = _suggestion_id(client, auth, "page_trap_fr.json")
    with app.extensions["max_engine"].begin() as conn:
        conn.execute(sa.update(suggestions).values(user_id=DEFAULT_USER_ID + 1))
    response = client.post(f"{URL}/{suggestion_id}/sent", headers=auth)
    assert response.status_code == 404
    assert response.json["error"]["field"] == "suggestion_id"  # type: ignore[index]


def test_the_configured_llm_writes_the_message_over_http(tmp_path: object) -> None:
    from backend import create_app
    from backend.auth import issue_token
    from tests.servers.fake_openai import answer, fake_openai

    line = "Pierre, une seule licence de moins suffirait-elle pour valider le devis ?"
    with fake_openai([answer(line)]) as server:
        app = create_app(
            {
                "MAX_DATA_DIR": str(tmp_path),
                "MAX_LLM_BASE_URL": server.base_url,
                "MAX_LLM_MODEL": "fake",
                "MAX_LLM_TIMEOUT": "5",
            }
        )
        token = issue_token(app.extensions["max_engine"])
        headers = {"Authorization": f"Bearer {token}"}
        response = _suggest(app.test_client(), headers, "page_trap_fr.json")
        suggestion = response.json["suggestion"]  # type: ignore[index]
        assert len(server.requests) >= 1  # the real openai client reached the fake over HTTP
    assert suggestion["source"] == "llm"
    assert line in suggestion["text"]
    assert "p.garnier@constructions-garnier.fr" not in str(server.requests)  # masked for the LLM
    app.extensions["max_engine"].dispose()
