"""GET and PUT /api/v1/settings: the user's thresholds and their company's own domains.

Rule: the backend is the one source of a user's settings (backend.user_settings); the extension's
options page reads and writes them here, and every path decides with them. A value outside its
bounds is a 400 naming it.
"""

from __future__ import annotations

from flask import Blueprint, Response, g

from maxcore.app.contract import SettingsChange, SettingsValues
from maxcore.core.errors import MaxcoreError

from .. import user_settings
from ..auth import require_token
from ..db import get_engine
from ..errors import ApiError
from .openapi import operation
from .wire import body, respond

bp = Blueprint("settings", __name__, url_prefix="/api/v1")

OPENAPI_PATHS = {
    "/api/v1/settings": {
        "get": operation("The user's settings, defaults filled in", SettingsValues, errors=(401,)),
        "put": operation(
            "Change some of the user's settings; answers all of them",
            SettingsValues,
            body=SettingsChange,
            errors=(400, 401, 415),
        ),
    }
}


@bp.get("/settings")
@require_token
def read() -> Response:
    return respond(user_settings.values_of(user_settings.load(get_engine(), g.user_id)))


@bp.put("/settings")
@require_token
def change() -> Response:
    asked = body(SettingsChange)
    try:
        prefs = user_settings.save(get_engine(), g.user_id, asked)
    except MaxcoreError as err:
        raise ApiError(400, err.code, err.message, err.field) from None
    return respond(user_settings.values_of(prefs))
