"""POST /api/v1/threads/analyze: a thread (Gmail API JSON or the page reading) → its report.

Rule: parse once (bodies.parse_thread_request), add what the backend remembers (history_for),
let maxcore.app.service.analyze decide, serialise with report_to_dict. Nothing else.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from maxcore.app import service
from maxcore.app.report_json import report_to_dict

from ..auth import require_token
from ..history import history_for
from ..storage import get_engine
from .bodies import json_body, parse_thread_request

bp = Blueprint("threads", __name__, url_prefix="/api/v1")

THREAD_BODY = {
    "type": "object",
    "required": ["me", "thread"],
    "properties": {
        "me": {"type": "array", "items": {"type": "string", "format": "email"}, "minItems": 1},
        "team_domains": {"type": "array", "items": {"type": "string"}},
        "now": {"type": "string", "format": "date-time", "description": "default: the server's"},
        "thread": {
            "type": "object",
            "description": "a Gmail API users.threads.get response (messages with `payload`), "
            "or the extension's page reading",
        },
        "settings": {"type": "object", "description": "maxcore Settings overrides (integers)"},
    },
}

REPORTS = {
    "description": '`{"threads": [report]}`, the report shape of ARCHITECTURE.md',
    "content": {"application/json": {"schema": {"type": "object"}}},
}

OPENAPI_PATHS = {
    "/api/v1/threads/analyze": {
        "post": {
            "summary": "The thread report: unanswered, level, opens, wait_until, recommendation",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": THREAD_BODY}},
            },
            "responses": {
                "200": REPORTS,
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "413": {"$ref": "#/components/responses/TooLarge"},
            },
        }
    }
}


@bp.post("/threads/analyze")
@require_token
def analyze() -> dict[str, Any]:
    req = parse_thread_request(json_body())
    history = history_for(get_engine(), g.user_id, req.thread.thread_id)
    report = service.analyze(req.thread, req.team, req.now, req.settings, history)
    return {"threads": [report_to_dict(report)]}
