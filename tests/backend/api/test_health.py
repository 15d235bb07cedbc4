"""GET /healthz needs no token and touches no database."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_healthz_answers_ok_without_a_token(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})
    assert client.post("/healthz").status_code == 405
