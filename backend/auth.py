"""Who is calling: a Bearer token (RFC 6750) names the user, or the call is refused with a 401.

Rule: tokens are random 32-byte values shown once (at pairing) and stored only as their SHA-256,
so a copy of the database lets no one call the API. MAX_API_TOKEN, when set, is accepted too (for
scripted set-ups and tests) and names the default user.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import sqlalchemy as sa
from flask import current_app, g, request
from sqlalchemy.engine import Engine

from .db import DEFAULT_USER_ID, api_tokens, get_engine, now_utc
from .errors import ApiError

P = ParamSpec("P")
R = TypeVar("R")


def hash_secret(value: str) -> str:
    # A plain hash is enough for 256-bit random values: there is nothing to brute-force.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def issue_token(engine: Engine, user_id: int = DEFAULT_USER_ID) -> str:
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            api_tokens.insert().values(
                user_id=user_id, token_hash=hash_secret(token), created_at=now_utc()
            )
        )
    return token


# Built once: on the hot path statement construction costs more than SQLite answering it.
_USER_OF_HASH = sa.select(api_tokens.c.user_id).where(
    api_tokens.c.token_hash == sa.bindparam("token_hash")
)


def _bearer() -> str | None:
    # RFC 6750 §2.1: Authorization: Bearer <token>; the scheme name is case-insensitive.
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def user_for_token(engine: Engine, token: str) -> int | None:
    configured = current_app.config.get("MAX_API_TOKEN")
    if configured and hmac.compare_digest(token.encode(), str(configured).encode()):
        return DEFAULT_USER_ID
    with engine.connect() as conn:
        row = conn.execute(_USER_OF_HASH, {"token_hash": hash_secret(token)}).first()
    return None if row is None else int(row.user_id)


def require_token(view: Callable[P, R]) -> Callable[P, R]:
    """Sets g.user_id from the Bearer token; a missing or unknown token is a 401 JSON error."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _bearer()
        if token is None:
            raise ApiError(401, "missing_token", "Pair the extension: no Bearer token.", "token")
        user_id = user_for_token(get_engine(), token)
        if user_id is None:
            raise ApiError(401, "bad_token", "Unknown or revoked token: pair again.", "token")
        g.user_id = user_id
        return view(*args, **kwargs)

    wrapped.needs_token = True  # type: ignore[attr-defined]  # the two-user meta-test reads it
    return wrapped
