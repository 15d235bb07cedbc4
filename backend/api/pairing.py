"""POST /api/v1/pair: a one-time pairing code in, a bearer token out (no auth: this is the door)."""

from __future__ import annotations

from flask import Blueprint, Response

from maxcore.app.contract import PairRequest

from ..db import get_engine
from ..pairing import exchange_code
from .openapi import operation
from .shapes import Paired
from .wire import body, respond

bp = Blueprint("pairing", __name__, url_prefix="/api/v1")

OPENAPI_PATHS = {
    "/api/v1/pair": {
        "post": operation(
            "Exchange the pairing code shown on the server console for a bearer token "
            "(401 `bad_pairing_code` for a wrong, expired or used code)",
            Paired,
            body=PairRequest,
            errors=(400, 401, 415),
            public=True,
        )
    }
}


@bp.post("/pair")
def pair() -> Response:
    code = body(PairRequest).code
    return respond(Paired(token=exchange_code(get_engine(), code)))
