"""POST /api/v1/pair: a one-time pairing code in, a bearer token out (no auth: this is the door)."""

from __future__ import annotations

from flask import Blueprint

from ..pairing import exchange_code
from ..storage import get_engine
from .bodies import json_body, required_str

bp = Blueprint("pairing", __name__, url_prefix="/api/v1")

OPENAPI_PATHS = {
    "/api/v1/pair": {
        "post": {
            "summary": "Exchange the pairing code shown on the server console for a bearer token",
            "security": [],
            "requestBody": {"$ref": "#/components/requestBodies/Pair"},
            "responses": {
                "200": {"description": '`{"token": "..."}`: send it as `Authorization: Bearer`'},
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"description": "wrong, expired or reused code (field `code`)"},
            },
        }
    }
}


@bp.post("/pair")
def pair() -> dict[str, str]:
    code = required_str(json_body(), "code", max_len=40)
    return {"token": exchange_code(get_engine(), code)}
