"""Open tracking over HTTP: make a pixel, serve it, hear about the sender's own views.

Rule: `GET /t/<token>.gif` needs no auth and ALWAYS answers the same 43-byte transparent GIF,
uncacheable, whatever the token (an unknown one must not be told apart) and whatever happened to
the bookkeeping (a fetch the database refused is counted as lost and logged by
backend.tracking); every fetch of a known pixel is accounted for with its kind
(backend.open_kinds). Opens are probable, never proof.
"""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, current_app, g, request

from maxcore.adapters.gmail_json import GMAIL_ID_PATTERN
from maxcore.app.contract import PixelRequest, SelfViewRequest

from ..auth import require_token
from ..db import get_engine
from ..errors import ApiError
from ..tracking import fetch_counts, new_pixel, opens_of_thread, record_open, record_self_view
from .openapi import operation, path_param
from .shapes import OpenEvent, Opens, Pixel, SelfViewed
from .wire import body, respond

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

OPENAPI_PATHS = {
    "/api/v1/tracking/pixels": {
        "post": operation(
            "A tracking pixel for one sent email", Pixel, body=PixelRequest, errors=(400, 401, 415)
        )
    },
    "/api/v1/tracking/self-views": {
        "post": operation(
            "The sender is viewing their own message: nearby fetches become `self` and stop "
            "counting",
            SelfViewed,
            body=SelfViewRequest,
            errors=(400, 401, 404, 415),
        )
    },
    "/api/v1/tracking/opens": {
        "get": operation(
            "A thread's opens: the counted ones (`human`: per sent email the first fetch, then "
            "at most one an hour, a few in all) and those a self-view explained, and how many "
            "fetches did not count, per kind",
            Opens,
            parameters=[
                {
                    "name": "thread_id",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "pattern": GMAIL_ID_PATTERN},
                }
            ],
        )
    },
    "/t/{token}.gif": {
        "get": operation(
            "The pixel: always a 43-byte transparent GIF, no-cache",
            public=True,
            errors=(),
            parameters=[path_param("token")],
            ok_content={"image/gif": {}},
        )
    },
}
_THREAD_ID = re.compile(GMAIL_ID_PATTERN)


@bp.post("/api/v1/tracking/pixels")
@require_token
def make_pixel() -> Response:
    req = body(PixelRequest)
    token = new_pixel(get_engine(), g.user_id, req.thread_id, req.message_ref)
    url = f"{current_app.config['MAX_PUBLIC_URL']}/t/{token}.gif"
    return respond(Pixel(pixel_url=url, token=token))


@bp.get("/t/<token>.gif")
def pixel(token: str) -> Response:
    try:
        record_open(get_engine(), token, request.headers.get("User-Agent", ""))
    except Exception:  # the image must load whatever happens to the bookkeeping
        log.exception("could not record a pixel fetch")
    return Response(TRANSPARENT_GIF, mimetype="image/gif", headers=NO_CACHE)


@bp.post("/api/v1/tracking/self-views")
@require_token
def self_view() -> Response:
    token = body(SelfViewRequest).token
    discarded = record_self_view(get_engine(), g.user_id, token)
    if discarded is None:
        raise ApiError(404, "unknown_pixel", "No such tracking pixel.", "token")
    return respond(SelfViewed(token=token, discarded=discarded))


@bp.get("/api/v1/tracking/opens")
@require_token
def list_opens() -> Response:
    thread_id = request.args.get("thread_id", "").strip()
    if not _THREAD_ID.fullmatch(thread_id):
        raise ApiError(400, "bad_request", "thread_id must be a Gmail thread id.", "thread_id")
    engine = get_engine()
    rows = opens_of_thread(engine, g.user_id, thread_id)
    events = tuple(OpenEvent(at=r.at, kind=r.kind, agent=r.agent) for r in rows)
    human = sum(1 for e in events if e.kind == "human")
    counts = fetch_counts(engine, g.user_id, thread_id)
    fetches = counts.pop("fetches")
    return respond(
        Opens(thread_id=thread_id, opens=events, human=human, fetches=fetches, discounted=counts)
    )
