"""POST /api/v1/suggestions: the report plus the two-line phone message; and "I sent it".

Rule: maxcore.app.service.suggest writes the message (the LLM writer when configured, its templates
otherwise); the backend stores each suggestion shown, and `POST /suggestions/<id>/sent` records
that the user sent it, which feeds History.pivots_sent ("one pivot per silence").
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, g

from maxcore.adapters.llm import ENV_KEYS, writer_from_env
from maxcore.app import service
from maxcore.app.report_json import report_to_dict
from maxcore.compose import MessageWriter
from maxcore.core.model import Suggestion

from ..auth import require_token
from ..errors import ApiError
from ..history import history_for
from ..storage import get_engine, now_utc, suggestions
from .bodies import json_body, parse_thread_request
from .threads import REPORTS, THREAD_BODY

bp = Blueprint("suggestions", __name__, url_prefix="/api/v1")

SUGGEST_BODY = {
    **THREAD_BODY,
    "properties": {
        **THREAD_BODY["properties"],  # type: ignore[dict-item]
        "lang": {"enum": ["fr", "en"], "description": "default: the thread's language"},
        "channel": {"enum": ["whatsapp", "sms"], "description": "default: the recommendation's"},
    },
}

OPENAPI_PATHS = {
    "/api/v1/suggestions": {
        "post": {
            "summary": "Report + `suggestion` (text ≤ 2 lines, link, sms encoding, qr_svg, id)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": SUGGEST_BODY}},
            },
            "responses": {
                "200": REPORTS,
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
            },
        }
    },
    "/api/v1/suggestions/{suggestion_id}/sent": {
        "post": {
            "summary": "The user sent this phone message (counts as this silence's pivot)",
            "parameters": [
                {
                    "name": "suggestion_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": {"description": '`{"id", "thread_id", "sent_at"}`'},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        }
    },
}


def writer_for(config: Mapping[str, Any]) -> MessageWriter | None:
    """The LLM writer the configuration asks for; None means the built-in templates.

    Built once at start, so a wrong MAX_LLM_* setting stops the server with a clear line instead
    of failing every suggestion (MaxcoreError naming the variable).
    """
    return writer_from_env({k: str(config[k]) for k in ENV_KEYS if config.get(k)})


def _store(user_id: int, thread_id: str, s: Suggestion) -> str:
    suggestion_id = uuid.uuid4().hex
    with get_engine().begin() as conn:
        conn.execute(
            suggestions.insert().values(
                id=suggestion_id,
                user_id=user_id,
                thread_id=thread_id,
                channel=s.channel,
                lang=s.lang,
                source=s.source,
                text=s.text,
                created_at=now_utc(),
            )
        )
    return suggestion_id


@bp.post("/suggestions")
@require_token
def suggest() -> dict[str, Any]:
    req = parse_thread_request(json_body())
    history = history_for(get_engine(), g.user_id, req.thread.thread_id)
    report, suggestion = service.suggest(
        req.thread,
        req.team,
        req.now,
        req.settings,
        history,
        lang=req.lang,
        channel=req.channel,
        writer=current_app.extensions["max_writer"],
    )
    out = report_to_dict(report, suggestion)
    out["suggestion"]["id"] = _store(g.user_id, report.thread_id, suggestion)
    return {"threads": [out]}


@bp.post("/suggestions/<suggestion_id>/sent")
@require_token
def mark_sent(suggestion_id: str) -> dict[str, Any]:
    mine = sa.and_(suggestions.c.id == suggestion_id, suggestions.c.user_id == g.user_id)
    with get_engine().begin() as conn:
        # The first "sent" is the one that counts; a second click changes nothing.
        conn.execute(
            suggestions.update()
            .where(mine, suggestions.c.sent_at.is_(None))
            .values(sent_at=now_utc())
        )
        row = conn.execute(
            sa.select(suggestions.c.thread_id, suggestions.c.sent_at).where(mine)
        ).first()
    if row is None:
        raise ApiError(404, "unknown_suggestion", "No such suggestion.", "suggestion_id")
    return {"id": suggestion_id, "thread_id": row.thread_id, "sent_at": row.sent_at.isoformat()}
