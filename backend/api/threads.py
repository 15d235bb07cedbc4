"""POST /api/v1/threads/analyze: a thread (Gmail API JSON or the page reading) → its report.

Rule: parse once (wire.body, bodies.thread_request), add what the backend remembers (the user's
settings, history_for), let maxcore.app.service decide, answer the contract's Analysis. Nothing
else.
"""

from __future__ import annotations

from flask import Blueprint, Response, g

from maxcore.app import service
from maxcore.app.contract import Analysis, AnalyzeRequest

from .. import user_settings
from ..auth import require_token
from ..db import get_engine
from ..history import history_for
from .bodies import thread_request
from .openapi import operation
from .wire import body, respond

bp = Blueprint("threads", __name__, url_prefix="/api/v1")

OPENAPI_PATHS = {
    "/api/v1/threads/analyze": {
        "post": operation(
            "The thread report: unanswered, level, opens, wait_until, the advice and what to "
            "show; the brief of the phone message when one is offered",
            Analysis,
            body=AnalyzeRequest,
            errors=(400, 401, 413, 415),
        )
    }
}


@bp.post("/threads/analyze")
@require_token
def analyze() -> Response:
    with get_engine().connect() as conn:  # one checkout for both reads
        prefs = user_settings.load(conn, g.user_id)
        req = thread_request(body(AnalyzeRequest), prefs)
        history = history_for(conn, g.user_id, req.thread.thread_id)
    return respond(
        service.analyze_for_reply(req.thread, req.team, req.now, prefs.settings, history)
    )
