"""POST /api/v1/pair: a one-time pairing code in, a bearer token out (no auth: this is the door).

Each client address gets a few tries a minute (backend.pairing), told apart by the address the
connection comes from, never by a header a client could write (X-Forwarded-For) — unless the
operator says how many proxies of theirs stand in front (MAX_PROXY_HOPS): then the address the
outermost of them saw (backend.create_app's ProxyFix), so each rep keeps their own tries.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from maxcore.app.contract import PairRequest

from ..db import get_engine
from ..pairing import client_key, exchange_code
from .openapi import operation
from .shapes import Paired
from .wire import body, respond

bp = Blueprint("pairing", __name__, url_prefix="/api/v1")

OPENAPI_PATHS = {
    "/api/v1/pair": {
        "post": operation(
            "Exchange the pairing code shown on the server console for a bearer token "
            "(401 `bad_pairing_code` for a wrong, expired or used code; 403 `wrong_account` "
            "for a code issued for another account, 409 `account_taken` for an account another "
            "user has; 429 `too_many_tries` past a few tries a minute from one address)",
            Paired,
            body=PairRequest,
            errors=(400, 401, 403, 409, 415, 429),
            public=True,
        )
    }
}


@bp.post("/pair")
def pair() -> Response:
    req = body(PairRequest)
    config = current_app.config
    client = client_key(request.remote_addr, str(config["SECRET_KEY"]))
    token = exchange_code(
        get_engine(),
        req.code,
        client,
        tries_per_minute=config["MAX_PAIR_TRIES_PER_MINUTE"],
        account=req.account,
    )
    return respond(Paired(token=token))
