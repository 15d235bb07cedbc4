"""POST /api/v1/suggestions: the two-line phone message, written from an analysis's brief;
POST /api/v1/suggestions/<id>/sent: "I sent it"; POST /api/v1/suggestions/<id>/answered: "they
answered" (on the phone: the sidebar's button).

Rule: maxcore.compose.write writes the message (the LLM writer when configured, its templates
otherwise) from the brief the analyze answer carried, never from the thread again; the backend
stores each suggestion shown (backend.suggestions), and "sent" feeds History.pivots_sent ("one
pivot per silence").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC
from typing import Any

from flask import Blueprint, Response, current_app, g

from maxcore import compose
from maxcore.adapters.gmail_json import GMAIL_ID_PATTERN
from maxcore.adapters.llm import ENV_KEYS, writer_from_env
from maxcore.app.contract import (
    SUGGESTION_ID_PATTERN,
    AnsweredRequest,
    StoredSuggestion,
    SuggestRequest,
    parse_now,
)
from maxcore.compose import MessageWriter
from maxcore.core.errors import MaxcoreError

from .. import suggestions
from ..auth import require_token
from ..db import get_engine, now_utc
from ..errors import ApiError
from .openapi import operation, path_param
from .shapes import MarkedAnswered, MarkedSent
from .wire import body, respond

bp = Blueprint("suggestions", __name__, url_prefix="/api/v1")

OPENAPI_PATHS = {
    "/api/v1/suggestions": {
        "post": operation(
            "The phone message (≤ 2 lines, link, SMS encoding, QR code) and its id, written from "
            "the brief an analysis answered",
            StoredSuggestion,
            body=SuggestRequest,
            errors=(400, 401, 413, 415),
        )
    },
    "/api/v1/suggestions/{suggestion_id}/answered": {
        "post": operation(
            "The prospect answered this pivot (on the phone), at `at` (default now); an earlier "
            "answer already known (a reply in the thread) is kept. 409 when not marked sent",
            MarkedAnswered,
            body=AnsweredRequest,
            errors=(400, 401, 404, 409, 415),
            parameters=[path_param("suggestion_id", SUGGESTION_ID_PATTERN)],
        )
    },
    "/api/v1/suggestions/{suggestion_id}/sent": {
        "post": operation(
            "The user sent this phone message (it counts as this silence's pivot)",
            MarkedSent,
            errors=(401, 404),
            parameters=[path_param("suggestion_id", SUGGESTION_ID_PATTERN)],
        )
    },
}
_THREAD_ID = re.compile(GMAIL_ID_PATTERN)
_SUGGESTION_ID = re.compile(SUGGESTION_ID_PATTERN)


def writer_for(config: Mapping[str, Any]) -> MessageWriter | None:
    """The LLM writer the configuration asks for; None means the built-in templates.

    Built once at start, so a wrong MAX_LLM_* setting stops the server with a clear line instead
    of failing every suggestion (MaxcoreError naming the variable).
    """
    return writer_from_env({k: str(config[k]) for k in ENV_KEYS if config.get(k)})


@bp.post("/suggestions")
@require_token
def suggest() -> Response:
    req = body(SuggestRequest)
    if not _THREAD_ID.fullmatch(req.brief.thread_id):  # it is stored: one id shape, bounded
        raise ApiError(400, "bad_request", "brief.thread_id is not a Gmail thread id.",
                       "brief.thread_id")  # fmt: skip
    writer = current_app.extensions["max_writer"]
    suggestion = compose.write(req.brief, lang=req.lang, channel=req.channel, writer=writer)
    suggestion_id = suggestions.store(get_engine(), g.user_id, req.brief.thread_id, suggestion)
    return respond(StoredSuggestion(id=suggestion_id, suggestion=suggestion))


@bp.post("/suggestions/<suggestion_id>/sent")
@require_token
def mark_sent(suggestion_id: str) -> Response:
    found = (
        suggestions.mark_sent(get_engine(), g.user_id, suggestion_id)
        if _SUGGESTION_ID.fullmatch(suggestion_id)
        else None
    )
    if found is None:
        raise ApiError(404, "unknown_suggestion", "No such suggestion.", "suggestion_id")
    thread_id, sent_at = found
    return respond(MarkedSent(id=suggestion_id, thread_id=thread_id, sent_at=sent_at))


@bp.post("/suggestions/<suggestion_id>/answered")
@require_token
def mark_answered(suggestion_id: str) -> Response:
    req = body(AnsweredRequest)
    engine = get_engine()
    found = (
        suggestions.find(engine, g.user_id, suggestion_id)
        if _SUGGESTION_ID.fullmatch(suggestion_id)
        else None
    )
    if found is None:
        raise ApiError(404, "unknown_suggestion", "No such suggestion.", "suggestion_id")
    if found.sent_at is None:
        raise ApiError(409, "not_sent", "Mark the message sent first.", "suggestion_id")
    try:
        at = parse_now(req.at, field="at").astimezone(UTC)  # as stored, as answered
    except MaxcoreError as err:
        raise ApiError(400, err.code, err.message, err.field) from None
    if at < found.sent_at or at > now_utc():
        raise ApiError(400, "bad_at", "at must be after the message was sent, and past.", "at")
    answered_at, answered_by = suggestions.mark_answered(engine, found, at)
    return respond(
        MarkedAnswered(found.id, found.thread_id, found.sent_at, answered_at, answered_by)
    )
