"""MAX's backend: a thin Flask app over maxcore (HTTP, pairing, storage, open tracking, Gmail).

Rule: it decides nothing maxcore decides. Each view parses the request into model values once,
calls maxcore, and answers the contract's shapes (maxcore.app.contract). flaskr's `create_app`; one
blueprint per area (microblog).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from maxcore.app import service

from . import db, errors, request_guard, schema, secret
from .api import (
    data,
    gmail,
    health,
    local_pairing,
    openapi,
    pairing,
    settings,
    stats,
    suggestions,
    threads,
    tracking,
)
from .config import Config

BLUEPRINTS = (
    health,
    pairing,
    local_pairing,
    threads,
    suggestions,
    stats,
    settings,
    tracking,
    data,
    gmail,
    openapi,
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(Config.resolve({**Config.from_env(), **(config or {})}))
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the report's field order
    errors.init_app(app)
    if app.config["MAX_PROXY_HOPS"]:
        # Behind N proxies of the operator's own, the client is the address the Nth one saw
        # (werkzeug's ProxyFix); without the setting a client-written X-Forwarded-For is ignored.
        hops = app.config["MAX_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    request_guard.init_app(app)
    engine = db.make_engine(app.config["MAX_DATABASE_URL"])
    schema.create_schema(engine)  # migrations, one process at a time
    app.extensions["max_engine"] = engine
    secret.init_app(app, engine)
    app.extensions["max_writer"] = suggestions.writer_for(app.config)
    for module in BLUEPRINTS:
        app.register_blueprint(module.bp)
    service.warm_up()  # the first request would pay it otherwise
    return app
