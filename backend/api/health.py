"""GET /healthz: the server is up (no auth, no database: a load balancer's cheapest probe)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("health", __name__)

OPENAPI_PATHS = {
    "/healthz": {
        "get": {
            "summary": "The server is up",
            "security": [],
            "responses": {"200": {"description": '`{"status": "ok"}`'}},
        }
    }
}


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
