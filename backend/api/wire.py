"""The one way a view reads a body and writes an answer: the contract's shapes, as JSON.

Rule: a body must be JSON (`Content-Type: application/json`, so a page on another origin cannot
send one without a CORS preflight) in the shape of a maxcore contract type, checked by msgspec; a
wrong or missing field is a 400 naming it ("me[1]", "thread.messages[0].from.email"). Answers
are contract values encoded by msgspec (maxcore.app.contract.encode), never hand-built dicts.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Response, request

from maxcore.app.contract import decode_body, encode
from maxcore.core.errors import MaxcoreError

from ..errors import ApiError

T = TypeVar("T")


def body(shape: type[T]) -> T:
    if request.mimetype != "application/json":
        raise ApiError(415, "bad_request", "Send JSON (Content-Type: application/json).", "body")
    raw = request.get_data(cache=True)  # past MAX_CONTENT_LENGTH werkzeug raises 413 here
    try:
        return decode_body(raw, shape)  # type: ignore[no-any-return]
    except MaxcoreError as err:
        raise ApiError(400, err.code, err.message, err.field) from None


def respond(value: Any, status: int = 200) -> Response:
    return Response(encode(value), status=status, mimetype="application/json")
