"""GET /healthz: the server is up (no auth, no database: a load balancer's cheapest probe)."""

from __future__ import annotations

from flask import Blueprint, Response

from .openapi import operation
from .shapes import Health
from .wire import respond

bp = Blueprint("health", __name__)

OPENAPI_PATHS = {"/healthz": {"get": operation("The server is up", Health, errors=(), public=True)}}


@bp.get("/healthz")
def healthz() -> Response:
    return respond(Health())
