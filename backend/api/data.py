"""DELETE /api/v1/data: erase everything stored for the calling user (GDPR art. 17).

Rule: every row of every table with a user_id column goes, the Gmail tables and the API tokens
included (backend.db.erase_user) — so the call answers 200 with what it erased, and the next call
needs a new pairing. The `users` row itself holds nothing but an id and a date, and stays.
"""

from __future__ import annotations

from flask import Blueprint, Response, g

from ..auth import require_token
from ..db import erase_user, get_engine
from .openapi import operation
from .shapes import Erased
from .wire import respond

bp = Blueprint("data", __name__, url_prefix="/api/v1")

OPENAPI_PATHS = {
    "/api/v1/data": {
        "delete": operation(
            "Erase everything stored for the caller, tokens included (pair again after)",
            Erased,
            errors=(401,),
        )
    }
}


@bp.delete("/data")
@require_token
def delete_data() -> Response:
    return respond(Erased(deleted=erase_user(get_engine(), g.user_id), paired=False))
