"""Every error the API answers, as JSON: `{"error": {"code", "message", "field"}}`.

Rule: bad input is a 4xx naming what was wrong (`field`), never a traceback; werkzeug's own HTTP
errors (404, 405, 413...) and maxcore's `MaxcoreError` get the same shape; a real bug is a 500
whose body says nothing about the internals (the traceback goes to the log, which holds no mail).
"""

from __future__ import annotations

import logging

from flask import Flask, Response
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from maxcore.app.contract import ErrorDetail, ErrorResponse, encode
from maxcore.core.errors import MaxcoreError

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,  # e.g. Retry-After on a 429 (RFC 6585 §4)
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, field: str | None = None) -> Response:
    detail = ErrorResponse(ErrorDetail(code=code, message=message, field=field))
    return Response(encode(detail), status=status, mimetype="application/json")


def _api_error(err: ApiError) -> Response:
    response = error_response(err.status, err.code, err.message, err.field)
    response.headers.update(err.headers)
    return response


def _maxcore_error(err: MaxcoreError) -> Response:
    return error_response(400, err.code, err.message, err.field)


def _http_error(err: HTTPException) -> Response:
    code = (err.name or "error").lower().replace(" ", "_")
    field = "body" if err.code == 413 else None
    response = error_response(err.code or 500, code, err.description or err.name, field)
    if isinstance(err, MethodNotAllowed) and err.valid_methods:
        # RFC 9110 §15.5.6: a 405 response lists the methods the resource allows.
        response.headers["Allow"] = ", ".join(err.valid_methods)
    return response


def _unexpected(err: Exception) -> Response:
    # HTTPExceptions never get here: Flask picks their more specific handler (init_app).
    log.exception("unhandled error")  # the exception's text, never a request body
    return error_response(500, "internal_error", "Something went wrong on the MAX server.")


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(MaxcoreError, _maxcore_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
