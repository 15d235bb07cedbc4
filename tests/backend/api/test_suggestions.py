"""POST /api/v1/suggestions: the report plus a two-line phone message; "sent" feeds pivots_sent."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend.history import history_for
from backend.storage import DEFAULT_USER_ID, suggestions

from ..conftest import load_body

URL = "/api/v1/suggestions"


def _body(name: str, **extra: Any) -> dict[str, Any]:
    body = load_body(name)
    body.pop("_expect")
    body.update(extra)
    return body


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
    response = client.post(URL, json=_body(name, **extra), headers=auth)
    assert response.status_code == 200, response.json
    (thread,) = response.json["threads"]  # type: ignore[index]
    suggestion = thread["suggestion"]
    assert thread["level"] == "trap"
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
    ids = [
        client.post(URL, json=_body("page_trap_en.json"), headers=auth).json["threads"][0][  # type: ignore[index]
            "suggestion"
        ]["id"]
        for _ in range(2)
    ]
    with app.extensions["max_engine"].connect() as conn:
        rows = conn.execute(sa.select(suggestions.c.id, suggestions.c.thread_id)).all()
    assert sorted(ids) == sorted(r.id for r in rows) and len(set(ids)) == 2
    assert {r.thread_id for r in rows} == {"18f9d0e1f2a3b4c5"}


def test_marking_a_suggestion_sent_records_one_pivot(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    body = _body("page_trap_fr.json")
    suggestion_id = client.post(URL, json=body, headers=auth).json["threads"][0]["suggestion"]["id"]  # type: ignore[index]
    first = client.post(f"{URL}/{suggestion_id}/sent", headers=auth)
    second = client.post(f"{URL}/{suggestion_id}/sent", headers=auth)
    assert first.status_code == second.status_code == 200
    assert first.json["sent_at"] == second.json["sent_at"]  # type: ignore[index]
    history = history_for(app.extensions["max_engine"], DEFAULT_USER_ID, "18f7c1a2b3d4e5f6")
    assert len(history.pivots_sent) == 1


def test_another_users_suggestion_is_not_found(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    suggestion_id = client.post(URL, json=_body("page_trap_fr.json"), headers=auth).json["threads"][
        0
    ]["suggestion"]["id"]  # type: ignore[index]
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
        response = app.test_client().post(
            URL, json=_body("page_trap_fr.json"), headers={"Authorization": f"Bearer {token}"}
        )
        suggestion = response.json["threads"][0]["suggestion"]  # type: ignore[index]
        assert len(server.requests) >= 1  # the real openai client reached the fake over HTTP
    assert suggestion["source"] == "llm"
    assert line in suggestion["text"]
    assert "p.garnier@constructions-garnier.fr" not in str(server.requests)  # masked for the LLM
    app.extensions["max_engine"].dispose()
