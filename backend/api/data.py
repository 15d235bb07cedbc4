"""DELETE /api/v1/data: erase everything stored for the calling user (GDPR art. 17).

Rule: every row of every table with a user_id column goes, the Gmail helper's tables and the API
tokens included — so the call answers 200 with what it erased, and the next call needs a new
pairing. The `users` row itself holds nothing but an id and a date, and stays.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from ..auth import require_token
from ..storage import erase_user, get_engine

bp = Blueprint("data", __name__, url_prefix="/api/v1")

OPENAPI_PATHS = {
    "/api/v1/data": {
        "delete": {
            "summary": "Erase everything stored for the caller, tokens included (pair again after)",
            "responses": {
                "200": {"description": '`{"deleted": {table: rows}, "paired": false}`'},
                "401": {"$ref": "#/components/responses/Unauthorized"},
            },
        }
    }
}


@bp.delete("/data")
@require_token
def delete_data() -> dict[str, Any]:
    deleted = erase_user(get_engine(), g.user_id)
    return {"deleted": deleted, "paired": False}
