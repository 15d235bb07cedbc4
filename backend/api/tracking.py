"""Open tracking over HTTP: make a pixel, serve it, hear about the sender's own views.

Rule: `GET /t/<token>.gif` needs no auth and ALWAYS answers the same 43-byte transparent GIF,
uncacheable, whatever the token (an unknown one must not be told apart); every fetch of a known
pixel is stored with its kind (backend.open_kinds). Opens are probable, never proof.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, current_app, g, request

from ..auth import require_token
from ..errors import ApiError
from ..storage import get_engine
from ..tracking import new_pixel, opens_of_thread, record_open, record_self_view
from .bodies import json_body, required_str

bp = Blueprint("tracking", __name__)
log = logging.getLogger(__name__)

# GIF89a, 1x1, one transparent colour: the smallest image every mail client renders.
TRANSPARENT_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
# RFC 9111 §5.2.2: no-store so every open reaches us; Pragma/Expires for HTTP/1.0 proxies.
NO_CACHE = {
    "Cache-Control": "no-store, no-cache, must-revalidate, max-age=0",
    "Pragma": "no-cache",
    "Expires": "0",
}

_TOKEN_PARAM = [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}]
OPENAPI_PATHS = {
    "/api/v1/tracking/pixels": {
        "post": {
            "summary": "A tracking pixel for one sent email: `{thread_id, message_ref?}` → "
            "`{pixel_url, token}`",
            "responses": {
                "200": {"description": '`{"pixel_url", "token"}`'},
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
            },
        }
    },
    "/api/v1/tracking/self-views": {
        "post": {
            "summary": "The sender is viewing their own message: `{token}`; nearby fetches become "
            "`self` and stop counting",
            "responses": {
                "200": {"description": '`{"token", "discarded": n}`'},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        }
    },
    "/api/v1/tracking/opens": {
        "get": {
            "summary": "Every fetch of a thread's pixels with its kind (human, prefetch, "
            "scanner, self); only `human` ones count as opens",
            "parameters": [
                {"name": "thread_id", "in": "query", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": "`{thread_id, opens: [...], human}`"}},
        }
    },
    "/t/{token}.gif": {
        "get": {
            "summary": "The pixel: always a 43-byte transparent GIF, no-cache",
            "security": [],
            "parameters": _TOKEN_PARAM,
            "responses": {"200": {"description": "image/gif", "content": {"image/gif": {}}}},
        }
    },
}


@bp.post("/api/v1/tracking/pixels")
@require_token
def make_pixel() -> dict[str, str]:
    body = json_body()
    thread_id = required_str(body, "thread_id", max_len=200)
    message_ref = required_str(body, "message_ref") if body.get("message_ref") is not None else None
    token = new_pixel(get_engine(), g.user_id, thread_id, message_ref)
    return {"pixel_url": f"{current_app.config['MAX_PUBLIC_URL']}/t/{token}.gif", "token": token}


@bp.get("/t/<token>.gif")
def pixel(token: str) -> Response:
    try:
        record_open(get_engine(), token, request.headers.get("User-Agent", ""))
    except Exception:  # the image must load whatever happens to the bookkeeping
        log.exception("could not record a pixel fetch")
    return Response(TRANSPARENT_GIF, mimetype="image/gif", headers=NO_CACHE)


@bp.post("/api/v1/tracking/self-views")
@require_token
def self_view() -> dict[str, Any]:
    token = required_str(json_body(), "token", max_len=64)
    discarded = record_self_view(get_engine(), g.user_id, token)
    if discarded is None:
        raise ApiError(404, "unknown_pixel", "No such tracking pixel.", "token")
    return {"token": token, "discarded": discarded}


@bp.get("/api/v1/tracking/opens")
@require_token
def list_opens() -> dict[str, Any]:
    thread_id = request.args.get("thread_id", "").strip()
    if not thread_id:
        raise ApiError(400, "bad_request", "thread_id is required.", "thread_id")
    rows = opens_of_thread(get_engine(), g.user_id, thread_id)
    return {
        "thread_id": thread_id,
        "opens": [{"at": r.at.isoformat(), "kind": r.kind, "agent": r.agent} for r in rows],
        "human": sum(1 for r in rows if r.kind == "human"),
    }
