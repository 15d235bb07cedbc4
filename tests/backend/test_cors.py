"""CORS on the API: the extension's origin (request_guard's rule, MAX_EXTENSION_ORIGINS) gets its
preflight answered and its answers readable; a web page's origin gets no CORS header, only the
403; outside /api/v1/ nothing changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from backend import create_app

EXTENSION = "chrome-extension://" + "abcdefghijklmnop" * 2
OTHER_EXTENSION = "chrome-extension://" + "p" * 32
TOKEN = "t" * 40
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


def make_app(tmp_path: Path, origins: str | None = None) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "MAX_DATA_DIR": str(tmp_path / "data"),
            "MAX_API_TOKEN": TOKEN,
            "MAX_EXTENSION_ORIGINS": origins,
        }
    )


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path)
    yield app
    app.extensions["max_engine"].dispose()


@pytest.mark.parametrize(
    "path", ["/api/v1/threads/analyze", "/api/v1/settings", "/api/v1/pair", "/api/v1/data"]
)
def test_the_extensions_preflight_is_answered_with_what_the_api_takes(
    guarded: Flask, path: str
) -> None:
    response = guarded.test_client().options(path, headers={"Origin": EXTENSION, **PREFLIGHT})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION
    assert set(response.headers["Access-Control-Allow-Headers"].split(", ")) == {
        "Authorization",
        "Content-Type",
    }
    assert {"GET", "POST", "PUT", "DELETE"} <= set(
        response.headers["Access-Control-Allow-Methods"].split(", ")
    )
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert "Origin" in response.headers["Vary"]
    assert response.data == b""


def test_the_extensions_answers_and_errors_are_readable_by_it(guarded: Flask) -> None:
    client = guarded.test_client()
    ok = client.get(
        "/api/v1/settings", headers={"Origin": EXTENSION, "Authorization": f"Bearer {TOKEN}"}
    )
    refused = client.get("/api/v1/settings", headers={"Origin": EXTENSION})
    assert (ok.status_code, refused.status_code) == (200, 401)
    for response in (ok, refused):
        assert response.headers["Access-Control-Allow-Origin"] == EXTENSION
        assert "Origin" in response.headers["Vary"]
        # Only a preflight names methods: an answer needs none.
        assert "Access-Control-Allow-Methods" not in response.headers


@pytest.mark.parametrize(
    "origin", ["https://attacker.example", "null", "http://localhost:3000", "chrome-extension://x"]
)
def test_a_web_pages_origin_gets_no_cors_header_and_the_403(guarded: Flask, origin: str) -> None:
    client = guarded.test_client()
    preflight = client.options("/api/v1/settings", headers={"Origin": origin, **PREFLIGHT})
    call = client.get(
        "/api/v1/settings", headers={"Origin": origin, "Authorization": f"Bearer {TOKEN}"}
    )
    for response in (preflight, call):
        assert response.status_code == 403
        assert response.json["error"]["field"] == "Origin"  # type: ignore[index]
        assert not [h for h in response.headers if h[0].lower().startswith("access-control-")]


def test_configured_origins_narrow_cors_too(tmp_path: Path) -> None:
    app = make_app(tmp_path, origins=EXTENSION)
    client = app.test_client()
    mine = client.options("/api/v1/settings", headers={"Origin": EXTENSION, **PREFLIGHT})
    other = client.options("/api/v1/settings", headers={"Origin": OTHER_EXTENSION, **PREFLIGHT})
    assert mine.headers["Access-Control-Allow-Origin"] == EXTENSION
    assert other.status_code == 403
    assert "Access-Control-Allow-Origin" not in other.headers
    app.extensions["max_engine"].dispose()


def test_outside_the_api_no_cors_header_even_for_the_extension(guarded: Flask) -> None:
    client = guarded.test_client()
    for path in ("/healthz", "/t/AAAAAAAAAAAAAAAAAAAAAA.gif"):
        response = client.get(path, headers={"Origin": EXTENSION})
        assert response.status_code == 200
        assert "Access-Control-Allow-Origin" not in response.headers


def test_a_plain_options_request_without_origin_is_not_a_preflight(guarded: Flask) -> None:
    # curl -X OPTIONS: Flask's own answer (the route's Allow header), no CORS headers.
    response = guarded.test_client().options("/api/v1/settings")
    assert response.status_code == 200
    assert "GET" in response.headers["Allow"]
    assert "Access-Control-Allow-Origin" not in response.headers
