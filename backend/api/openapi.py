"""GET /api/v1/openapi.json: the OpenAPI 3.1 description of every endpoint.

Rule: each blueprint module documents its own paths in an `OPENAPI_PATHS` table beside its views,
built with `operation` from the contract's shapes (maxcore.app.contract and the backend's own in
backend.api.shapes), so request and response bodies are the very types the views decode and
encode. This module only assembles the app's blueprints' tables; the schemas are generated.
"""

from __future__ import annotations

import sys
from typing import Any

from flask import Blueprint, Flask, current_app

from maxcore.app.contract import ErrorResponse, schema_components

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")
REF = "#/components/schemas/{name}"
ERRORS = {
    400: "bad input; `error.field` names it",
    401: "no bearer token, or an unknown one (`error.field` = `token`)",
    403: "not allowed from here (`error.field` names what: `client`, `host`, `origin`, `config`)",
    404: "no such resource",
    409: "the state does not allow it (e.g. `gmail_not_connected`)",
    413: "body over 2 MB (`error.field` = `body`)",
    415: "the body must be JSON (`error.field` = `body`)",
    421: "a Host this backend does not serve (`error.field` = `Host`)",
    429: "too many tries; retry after the `Retry-After` seconds",
    503: "a service MAX needs did not answer, or is not configured",
}
# Every shape any operation names, so the components hold exactly what the paths use.
_SHAPES: dict[str, Any] = {}


def ref(shape: Any) -> dict[str, str]:
    _SHAPES[shape.__name__] = shape
    return {"$ref": REF.format(name=shape.__name__)}


def operation(
    summary: str,
    ok: Any | None = None,
    *,
    body: Any | None = None,
    errors: tuple[int, ...] = (400, 401),
    public: bool = False,
    parameters: list[dict[str, Any]] | None = None,
    ok_status: str = "200",
    ok_content: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One OpenAPI operation whose bodies are contract shapes (msgspec types)."""
    content = ok_content or ({"application/json": {"schema": ref(ok)}} if ok else None)
    responses: dict[str, Any] = {ok_status: {"description": summary}}
    if content:
        responses[ok_status]["content"] = content
    for status in errors:
        responses[str(status)] = {
            "description": ERRORS[status],
            "content": {"application/json": {"schema": ref(ErrorResponse)}},
        }
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(body)}},
        }
    if parameters:
        op["parameters"] = parameters
    if public:
        op["security"] = []
    return op


def path_param(name: str, pattern: str | None = None) -> dict[str, Any]:
    schema = {"type": "string", **({"pattern": pattern} if pattern else {})}
    return {"name": name, "in": "path", "required": True, "schema": schema}


OPENAPI_PATHS = {
    "/api/v1/openapi.json": {
        "get": operation(
            "This document (OpenAPI 3.1)",
            public=True,
            errors=(),
            ok_content={"application/json": {"schema": {"type": "object"}}},
        )
    }
}


def _paths(app: Flask) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for blueprint in app.blueprints.values():
        module = sys.modules[blueprint.import_name]
        for path, item in getattr(module, "OPENAPI_PATHS", {}).items():
            paths.setdefault(path, {}).update(item)
    return paths


def openapi_document(app: Flask) -> dict[str, Any]:
    from maxcore import __version__

    paths = _paths(app)
    components = schema_components(REF, extra=tuple(_SHAPES.values()))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "MAX backend",
            "version": __version__,
            "description": 'Every error is `{"error": {"code", "message", "field"}}` '
            "with a 4xx status naming what was wrong. Every request must name a host the "
            "backend serves (421 `unknown_host` otherwise: DNS rebinding), and on /api/v1 carry "
            "the extension's `chrome-extension://` Origin or none (403 `forbidden_origin`). The "
            "shapes are generated from maxcore's contract (docs/contract.schema.json).",
        },
        "servers": [{"url": app.config["MAX_PUBLIC_URL"]}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": components,
        },
    }


@bp.get("/openapi.json")
def openapi_json() -> Any:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return openapi_document(app)
