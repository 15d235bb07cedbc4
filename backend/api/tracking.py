"""Work in progress."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

bp = Blueprint("tracking", __name__)

OPENAPI_PATHS: dict[str, Any] = {}
