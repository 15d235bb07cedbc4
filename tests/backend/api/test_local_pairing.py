"""GET /pair and POST /api/v1/pair/local on the real Flask app: a browser on this computer pairs
without a terminal; any other client, Host or Origin gets a 403 naming what was refused."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend.db import pairing_codes

EXT = "abcdefghijklmnopabcdefghijklmnop"
LOCAL = {"REMOTE_ADDR": "127.0.0.1"}
HOST = {"Host": "127.0.0.1:8765"}
CODE = re.compile(r'<code id="code">([2-9A-Z]{4}-[2-9A-Z]{4})</code>')


def page_code(html: str) -> str:
    m = CODE.search(html)
    assert m, html
    return m.group(1)


def test_the_pairing_page_shows_a_fresh_code_that_pairs(client: FlaskClient) -> None:
    first = client.get("/pair", environ_base=LOCAL, headers=HOST)
    assert first.status_code == 200
    assert first.mimetype == "text/html"
    assert first.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in first.headers["Content-Security-Policy"]
    code = page_code(first.get_data(as_text=True))
    again = page_code(client.get("/pair", environ_base=LOCAL, headers=HOST).get_data(as_text=True))
    assert again != code, "each visit shows a fresh code"
    paired = client.post("/api/v1/pair", json={"code": code})
    assert paired.status_code == 200 and len(paired.json["token"]) >= 40  # type: ignore[index]
    reused = client.post("/api/v1/pair", json={"code": code})
    assert reused.status_code == 401


@pytest.mark.parametrize(
    ("accept", "lang", "words"),
    [("fr-FR,fr;q=0.9,en;q=0.5", "fr", "Saisissez ce code"), ("en-GB", "en", "Type this code")],
)
def test_the_pairing_page_speaks_the_browsers_language(
    client: FlaskClient, accept: str, lang: str, words: str
) -> None:
    html = client.get(
        "/pair", environ_base=LOCAL, headers={**HOST, "Accept-Language": accept}
    ).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html and words in html


REFUSED = [
    # (client address, Host, status, field refused): a Host the backend does not serve at all
    # is every route's 421 (backend.request_guard), before the pairing's own 403
    ("192.168.1.20", "127.0.0.1:8765", 403, "client"),
    ("127.0.0.1", "evil.example:8765", 421, "Host"),  # DNS rebinding
    ("127.0.0.1", "max.localhost.evil.example", 421, "Host"),
]


@pytest.mark.parametrize(("remote", "host", "status", "field"), REFUSED)
def test_the_pairing_page_is_for_this_computer_only(
    app: Flask, client: FlaskClient, remote: str, host: str, status: int, field: str
) -> None:
    response = client.get("/pair", environ_base={"REMOTE_ADDR": remote}, headers={"Host": host})
    assert response.status_code == status
    assert response.json["error"]["field"] == field  # type: ignore[index]
    assert not CODE.search(response.get_data(as_text=True))
    with app.extensions["max_engine"].connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(pairing_codes)).scalar() == 0


def test_one_click_pairing_gives_the_extension_a_working_token(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/pair/local",
        environ_base=LOCAL,
        headers={**HOST, "Origin": f"chrome-extension://{EXT}"},
        json={},
    )
    assert response.status_code == 200
    token = response.json["token"]  # type: ignore[index]
    settings = client.get("/api/v1/settings", headers={"Authorization": f"Bearer {token}"})
    assert settings.status_code == 200


@pytest.mark.parametrize(
    ("remote", "host", "origin", "status", "field"),
    [
        *[(r, h, f"chrome-extension://{EXT}", st, f) for r, h, st, f in REFUSED],
        ("127.0.0.1", "127.0.0.1:8765", "https://mail.google.com", 403, "Origin"),  # a web page
        ("127.0.0.1", "127.0.0.1:8765", None, 403, "Origin"),  # curl, another program
        ("127.0.0.1", "127.0.0.1:8765", "null", 403, "Origin"),
    ],
)
def test_one_click_pairing_refuses_anyone_else(
    client: FlaskClient, remote: str, host: str, origin: str | None, status: int, field: str
) -> None:
    headers = {"Host": host, **({"Origin": origin} if origin else {})}
    response = client.post(
        "/api/v1/pair/local", environ_base={"REMOTE_ADDR": remote}, headers=headers, json={}
    )
    assert response.status_code == status
    assert response.json["error"]["field"] == field  # type: ignore[index]
    assert "token" not in response.json  # type: ignore[operator]


def test_local_pairing_can_be_switched_off_and_pinned(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from backend import create_app

    for config, origin, status in [
        ({"MAX_LOCAL_PAIRING": "off"}, EXT, 403),
        ({"MAX_EXTENSION_ORIGINS": f"chrome-extension://{EXT}"}, EXT, 200),
        ({"MAX_EXTENSION_ORIGINS": f"chrome-extension://{EXT}"}, "p" * 32, 403),
    ]:
        app: Flask = create_app({"TESTING": True, "MAX_DATA_DIR": str(tmp_path), **config})
        response = app.test_client().post(
            "/api/v1/pair/local",
            environ_base=LOCAL,
            headers={**HOST, "Origin": f"chrome-extension://{origin}"},
            json={},
        )
        app.extensions["max_engine"].dispose()
        assert response.status_code == status, config
