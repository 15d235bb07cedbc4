"""DELETE /api/v1/data erases everything stored for the caller, tokens included."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend.db import metadata, now_utc, pixels

from ..conftest import load_body


def _rows(app: Flask) -> dict[str, int]:
    with app.extensions["max_engine"].connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
            if "user_id" in t.c
        }


def test_delete_erases_every_row_of_the_user_then_needs_a_new_pairing(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    body = load_body("page_trap_fr.json")
    body.pop("_expect")
    brief = client.post("/api/v1/threads/analyze", json=body, headers=auth).json["brief"]  # type: ignore[index]
    suggestion = client.post("/api/v1/suggestions", json={"brief": brief}, headers=auth).json
    client.post(f"/api/v1/suggestions/{suggestion['id']}/sent", headers=auth)  # type: ignore[index]
    client.put("/api/v1/settings", json={"trap_at": 4}, headers=auth)
    token = client.post("/api/v1/tracking/pixels", json={"thread_id": "18f7"}, headers=auth).json[
        "token"
    ]  # type: ignore[index]
    with app.extensions["max_engine"].begin() as conn:  # sent an hour ago: the fetch counts
        conn.execute(sa.update(pixels).values(created_at=now_utc() - timedelta(hours=1)))
    client.get(f"/t/{token}.gif", headers={"User-Agent": "GoogleImageProxy"})
    client.get(f"/t/{token}.gif", headers={"User-Agent": "curl/8.5"})
    client.post("/api/v1/tracking/self-views", json={"token": token}, headers=auth)
    before = _rows(app)
    stored = ("api_tokens", "suggestions", "pixels", "pixel_stats", "opens", "self_views")
    assert all(before[t] >= 1 for t in (*stored, "user_settings"))

    response = client.delete("/api/v1/data", headers=auth)
    assert response.status_code == 200
    assert response.json["deleted"] == {t: n for t, n in before.items()}  # type: ignore[index]
    assert set(_rows(app).values()) == {0}
    again = client.delete("/api/v1/data", headers=auth)
    assert again.status_code == 401  # the token went with the rest
    assert (
        client.get(f"/t/{token}.gif").status_code == 200
    )  # the pixel still answers, records nothing
    assert set(_rows(app).values()) == {0}
