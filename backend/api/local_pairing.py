"""Pairing without a terminal, for a backend on the user's own computer (backend/local_pairing.py
says who may): GET /pair, a page showing a fresh pairing code to type in MAX's settings, and
POST /api/v1/pair/local, a bearer token in one click for MAX's own extension."""

from __future__ import annotations

from html import escape

from flask import Blueprint, Response, current_app, request

from maxcore.app.contract import LocalPairRequest

from .. import users
from ..auth import issue_token
from ..db import DEFAULT_USER_ID, get_engine
from ..local_pairing import check_extension, check_local
from ..pairing import CODE_TTL, format_code, new_pairing_code
from .openapi import operation
from .shapes import Paired
from .wire import body, respond

bp = Blueprint("local_pairing", __name__)

OPENAPI_PATHS = {
    "/pair": {
        "get": operation(
            "A page showing a fresh pairing code, for a browser on this computer only (403 "
            "`not_local` otherwise: `error.field` is `client`, `host` or `config`)",
            errors=(403,),
            public=True,
            ok_content={"text/html": {"schema": {"type": "string"}}},
        )
    },
    "/api/v1/pair/local": {
        "post": operation(
            "A bearer token without a code, for MAX's extension (`Origin: chrome-extension://…`) "
            "in a browser on this computer (403 `not_local` otherwise: `error.field` is "
            "`client`, `Host`, `Origin` or `config`); the confirmed `account` binds this "
            "computer's user to it (403 `wrong_account` if it is bound to another)",
            Paired,
            body=LocalPairRequest,
            errors=(400, 403, 409),
            public=True,
        )
    },
}

# The page, in the browser's language (Accept-Language): English unless French is preferred.
TEXT = {
    "en": {
        "title": "Pair MAX",
        "lead": "Type this code in MAX's settings (Pairing code), then Pair:",
        "note": "One use, valid {minutes} minutes. Reload this page for a new one.",
    },
    "fr": {
        "title": "Relier MAX",
        "lead": "Saisissez ce code dans les réglages de MAX (Code d’appairage), puis Relier :",
        "note": "Un seul usage, valable {minutes} minutes. Rechargez la page pour un autre code.",
    },
}
PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em}}
code{{font-size:2em;letter-spacing:.1em;display:block;margin:.5em 0}}</style></head>
<body><h1>{title}</h1><p>{lead}</p><code id="code">{code}</code><p>{note}</p></body></html>
"""
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


@bp.get("/pair")
def pairing_page() -> Response:
    check_local(current_app.config, request.remote_addr, request.host)
    lang = request.accept_languages.best_match(list(TEXT), default="en") or "en"
    text = TEXT[lang]
    minutes = int(CODE_TTL.total_seconds() // 60)
    html = PAGE.format(
        lang=lang,
        title=escape(text["title"]),
        lead=escape(text["lead"]),
        code=escape(format_code(new_pairing_code(get_engine()))),
        note=escape(text["note"].format(minutes=minutes)),
    )
    return Response(html, mimetype="text/html", headers=HEADERS)


@bp.post("/api/v1/pair/local")
def pair_local() -> Response:
    check_local(current_app.config, request.remote_addr, request.host)
    check_extension(current_app.config, request.headers.get("Origin"))
    req = body(LocalPairRequest) if request.get_data(cache=True) else LocalPairRequest()
    engine = get_engine()
    if req.account is not None:  # the default user: whoever runs the backend on this computer
        with engine.begin() as conn:
            users.bind(conn, DEFAULT_USER_ID, req.account)
    return respond(Paired(token=issue_token(engine)))
