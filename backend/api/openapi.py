"""GET /api/v1/openapi.json: the OpenAPI 3.1 description of every endpoint.

Rule: each blueprint module documents its own paths in an `OPENAPI_PATHS` table beside its views
(the Gmail helper's backend.api.gmail too); this module only assembles them, so a new endpoint and
its description are written in the same file. A meta-test checks that every url rule is here.
"""

from __future__ import annotations

import importlib
from typing import Any

from flask import Blueprint

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

AREAS = ("health", "pairing", "threads", "suggestions", "tracking", "data", "openapi", "gmail")

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {
                    "type": ["string", "null"],
                    "description": "what was wrong, e.g. `me[0]`",
                },
            },
        }
    },
}

COMPONENTS: dict[str, Any] = {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "schemas": {"Error": ERROR_SCHEMA},
    "responses": {
        name: {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for name, text in (
            ("BadRequest", "bad input; `error.field` names it"),
            ("Unauthorized", "no bearer token, or an unknown one (`error.field` = `token`)"),
            ("NotFound", "no such resource"),
            ("TooLarge", "body over 2 MB (`error.field` = `body`)"),
        )
    },
    "requestBodies": {
        "Pair": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["code"],
                        "properties": {"code": {"type": "string", "example": "K7PM-3QXD"}},
                    }
                }
            },
        }
    },
}

OPENAPI_PATHS = {
    "/api/v1/openapi.json": {
        "get": {
            "summary": "This document",
            "security": [],
            "responses": {"200": {"description": "OpenAPI 3.1"}},
        }
    }
}


def _area_paths() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for area in AREAS:
        module = importlib.import_module(f"backend.api.{area}")
        for path, item in getattr(module, "OPENAPI_PATHS", {}).items():
            paths.setdefault(path, {}).update(item)
    return paths


def openapi_document() -> dict[str, Any]:
    from maxcore import __version__

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "MAX backend",
            "version": __version__,
            "description": 'Every error is `{"error": {"code", "message", "field"}}` '
            "with a 4xx status naming what was wrong.",
        },
        "servers": [{"url": "http://127.0.0.1:8765"}],
        "security": [{"bearer": []}],
        "paths": _area_paths(),
        "components": COMPONENTS,
    }


@bp.get("/openapi.json")
def openapi_json() -> dict[str, Any]:
    return openapi_document()
