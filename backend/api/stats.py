"""GET /api/v1/stats: did the pivot work, for this user; GET /api/v1/stats/pivots: the pivots
they sent, as `maxcore stats --pivots` reads them.

Rule: the pivots are the user's suggestions marked sent, each answered when a later reading of
its thread showed a genuine reply after it or when the user marked it (backend.suggestions); the
third emails are those of the timelines stored with the user's threads (the Gmail sync's and the
extension's readings: backend.gmail.store). maxcore.core.outcomes counts; nothing here decides.
"""

from __future__ import annotations

from flask import Blueprint, Response, g

from maxcore.app.contract import PivotSent
from maxcore.core import outcomes
from maxcore.core.outcomes import Case, Stats

from .. import suggestions
from ..auth import require_token
from ..db import get_engine
from ..gmail import store
from .openapi import REF, operation
from .wire import respond

bp = Blueprint("stats", __name__, url_prefix="/api/v1")

OPENAPI_PATHS = {
    "/api/v1/stats": {
        "get": operation(
            "Reply rate and median hours to reply after a pivot (the suggestions marked sent) "
            "against after a third email (the threads stored for the user); null below "
            "min_cases cases",
            Stats,
            errors=(401,),
        )
    },
    "/api/v1/stats/pivots": {
        "get": operation(
            "The pivots the user sent, oldest first: the --pivots file of `maxcore stats`",
            errors=(401,),
            ok_content={"application/json": {"schema": {"$ref": REF.format(name="Pivots")}}},
        )
    },
}


@bp.get("/stats")
@require_token
def stats() -> Response:
    engine = get_engine()
    pivots = [
        Case(p.sent_at, p.answered_at)
        for p in suggestions.pivots_sent(engine, g.user_id)
        if p.sent_at is not None
    ]
    thirds = [
        c for t in store.load_timelines(engine, g.user_id) for c in outcomes.third_email_cases(t)
    ]
    return respond(outcomes.stats_of(pivots, thirds))


@bp.get("/stats/pivots")
@require_token
def pivots() -> Response:
    sent = suggestions.pivots_sent(get_engine(), g.user_id)
    return respond([PivotSent(p.thread_id, p.sent_at, p.answered_at) for p in sent if p.sent_at])
