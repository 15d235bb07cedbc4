"""POST /api/v1/threads/analyze: a thread (Gmail API JSON or the page reading) → its report.

Rule: parse once (wire.body, bodies.thread_request), add what the backend remembers (the user's
settings, history_for), let maxcore.app.service decide, answer the contract's Analysis, and keep
the report as the thread's row of the user's pipeline (store.record_reading). Nothing else.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, g

from maxcore.adapters.gmail_json import GMAIL_ID_PATTERN
from maxcore.app import service
from maxcore.app.contract import Analysis, AnalyzeRequest
from maxcore.core.outcomes import timeline_of

from .. import user_settings
from ..auth import require_token
from ..db import get_engine, now_utc
from ..gmail import store
from ..history import history_for
from .bodies import thread_request
from .openapi import operation
from .wire import body, respond

bp = Blueprint("threads", __name__, url_prefix="/api/v1")

THREAD_ID = re.compile(GMAIL_ID_PATTERN)  # the pipeline's key: Gmail's (legacy hex) thread id

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
    analysis = service.analyze_for_reply(req.thread, req.team, req.now, prefs.settings, history)
    report = analysis.threads[0]
    if THREAD_ID.fullmatch(report.thread_id):  # a Gmail API body may lack its thread id
        timeline = timeline_of(req.thread, req.team, report)
        store.record_reading(get_engine(), g.user_id, report, timeline, now_utc())
    return respond(analysis)
