"""The OpenAPI description of the Gmail area's paths (backend.api.openapi assembles it)."""

from __future__ import annotations

from typing import Any

_ERR = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "401": {"$ref": "#/components/responses/Unauthorized"},
}
_GMAIL_DOWN = {
    "409": {"description": "`gmail_not_connected`, or `gmail_reconnect` (grant revoked/expired)"},
    "503": {"description": "`gmail_unavailable` after bounded retries, or `gmail_not_configured`"},
}


def _ok(text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": {"type": "object"}}}}


OPENAPI_PATHS: dict[str, Any] = {
    "/api/v1/gmail/connect": {
        "get": {
            "summary": "Start the Google consent (OAuth web flow, PKCE); `?redirect=1` for a 302",
            "responses": {
                "200": _ok('`{"auth_url"}`'),
                "302": {"description": "to Google"},
                **_ERR,
            },
        }
    },
    "/api/v1/gmail/callback": {
        "get": {
            "summary": "Google's redirect target: checks `state`, exchanges `code`, stores the "
            "refresh token encrypted",
            "security": [],
            "responses": {"200": _ok('`{"connected": true, "email"}`'), **_ERR},
        }
    },
    "/api/v1/gmail/status": {
        "get": {
            "summary": "Whether Gmail is connected, its scopes, the last sync and its quota cost",
            "responses": {"200": _ok("connection status"), **_ERR},
        }
    },
    "/api/v1/gmail": {
        "delete": {
            "summary": "Disconnect Gmail: forget the refresh token and the sync state",
            "responses": {"200": _ok('`{"connected": false, "deleted"}`'), **_ERR},
        }
    },
    "/api/v1/gmail/sync": {
        "post": {
            "summary": "Sync now: a cold scan the first time, history.list afterwards; returns "
            "the quota units spent",
            "responses": {
                "200": _ok('`{"mode", "units", "calls", "threads"}`'),
                **_ERR,
                **_GMAIL_DOWN,
            },
        }
    },
    "/api/v1/pipeline": {
        "get": {
            "summary": "Threads at watch or trap from the last sync, riskiest first",
            "responses": {"200": _ok('`{"threads": [...]}`'), **_ERR, **_GMAIL_DOWN},
        }
    },
    "/api/v1/threads/{thread_id}": {
        "get": {
            "summary": "The report of a Gmail thread read through the API (threads.get, 40 units)",
            "parameters": [
                {"name": "thread_id", "in": "path", "required": True, "schema": {"type": "string"}},
                {
                    "name": "me",
                    "in": "query",
                    "schema": {"type": "array", "items": {"type": "string"}},
                },
                {
                    "name": "team_domain",
                    "in": "query",
                    "schema": {"type": "array", "items": {"type": "string"}},
                },
                {"name": "now", "in": "query", "schema": {"type": "string", "format": "date-time"}},
            ],
            "responses": {
                "200": _ok('`{"threads": [report]}`'),
                "404": {"$ref": "#/components/responses/NotFound"},
                **_ERR,
                **_GMAIL_DOWN,
            },
        }
    },
}
