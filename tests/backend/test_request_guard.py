"""Host and Origin: DNS rebinding reads nothing, a web page's Origin gets a 403 on the API, and
the extension, curl and the configured hosts still get through."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from backend import create_app
from backend.request_guard import hostname

EXTENSION = "chrome-extension://" + "abcdefghijklmnop" * 2
OTHER_EXTENSION = "chrome-extension://" + "p" * 32

HOSTS = [
    # (Host header, answered?)
    ("localhost", True),
    ("localhost:8765", True),
    ("127.0.0.1:8765", True),
    ("127.0.0.2", True),
    ("[::1]:8765", True),
    ("max.example.test", True),  # MAX_PUBLIC_URL's host
    ("MAX.example.test:443", True),
    ("lan-box.internal", True),  # MAX_ALLOWED_HOSTS
    ("attacker.example", False),
    ("attacker.example:8765", False),
    ("127.0.0.1.nip.io:8765", False),
    ("localhost.attacker.example", False),
    ("max.example.test.attacker.example", False),
    ("", False),
]


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "MAX_DATA_DIR": str(tmp_path / "data"),
            "MAX_PUBLIC_URL": "https://max.example.test",
            "MAX_ALLOWED_HOSTS": "lan-box.internal, other.internal",
            "MAX_API_TOKEN": "t" * 40,
        }
    )
    yield app
    app.extensions["max_engine"].dispose()


@pytest.mark.parametrize(("host", "answered"), HOSTS)
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/healthz"), ("GET", "/api/v1/openapi.json"), ("POST", "/api/v1/pair"),
     ("GET", "/t/AAAAAAAAAAAAAAAAAAAAAA.gif"), ("GET", "/no/such/page")],
)  # fmt: skip
def test_only_the_hosts_the_backend_serves_get_an_answer(
    guarded: Flask, host: str, answered: bool, method: str, path: str
) -> None:
    response = guarded.test_client().open(
        path, method=method, headers={"Host": host}, json={"code": "ABCD-EFGH"}
    )
    if answered:
        assert response.status_code not in (421, 403)
    else:
        assert response.status_code == 421
        assert response.json["error"] == {  # type: ignore[index]
            "code": "unknown_host",
            "message": "This server does not answer for that host name.",
            "field": "Host",
        }


ORIGINS = [
    # (Origin header or None, MAX_EXTENSION_ORIGINS, answered?)
    (None, None, True),  # curl, scripts, server-to-server
    (EXTENSION, None, True),  # any extension id by default: an unpacked one is not known ahead
    (OTHER_EXTENSION, None, True),
    ("chrome-extension://not-an-id", None, False),
    ("https://attacker.example", None, False),
    ("null", None, False),  # a sandboxed iframe, a file:// page
    ("http://localhost:3000", None, False),  # another local dev server's page
    ("http://127.0.0.1:8765", None, False),  # the backend serves no page of its own
    (EXTENSION, EXTENSION, True),
    (OTHER_EXTENSION, EXTENSION, False),
    (None, EXTENSION, True),
]


@pytest.mark.parametrize(("origin", "configured", "answered"), ORIGINS)
def test_on_the_api_only_the_extension_or_no_origin_passes(
    tmp_path: Path, origin: str | None, configured: str | None, answered: bool
) -> None:
    app = create_app(
        {
            "TESTING": True,
            "MAX_DATA_DIR": str(tmp_path),
            "MAX_API_TOKEN": "t" * 40,
            "MAX_EXTENSION_ORIGINS": configured,
        }
    )
    client = app.test_client()
    headers = {"Authorization": f"Bearer {'t' * 40}", **({"Origin": origin} if origin else {})}
    settings = client.get("/api/v1/settings", headers=headers)
    paired = client.post("/api/v1/pair", json={"code": "ABCD-EFGH"}, headers=headers)
    if answered:
        assert (settings.status_code, paired.status_code) == (200, 401)
    else:
        assert settings.status_code == paired.status_code == 403
        assert settings.json["error"]["field"] == "Origin"  # type: ignore[index]
    app.extensions["max_engine"].dispose()


def test_outside_the_api_an_origin_changes_nothing(client: FlaskClient) -> None:
    # An <img> or a fetch in no-cors mode reads nothing it could not read anyway.
    headers = {"Origin": "https://attacker.example"}
    assert client.get("/healthz", headers=headers).status_code == 200
    assert client.get("/t/AAAAAAAAAAAAAAAAAAAAAA.gif", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("header", "name"),
    [("localhost:8765", "localhost"), ("[::1]:8765", "::1"), ("[::1]", "::1"), ("::1", "::1"),
     ("Max.Example.Test", "max.example.test"), ("127.0.0.1", "127.0.0.1")],
)  # fmt: skip
def test_hostname(header: str, name: str) -> None:
    assert hostname(header) == name
