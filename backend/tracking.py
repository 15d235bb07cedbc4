"""Open tracking storage: pixels made for sent emails, the fetches of them, the sender's views.

Rule: a fetch of a known pixel is always stored, classified by open_kinds (never dropped); a
fetch of an unknown token stores nothing and looks the same from outside. Nothing about the
reader is kept but the time and the kind of agent: no IP address, no full User-Agent.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .db import now_utc, opens, pixels, self_views
from .open_kinds import SELF_VIEW_WINDOW, classify_open

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_pixel(engine: Engine, user_id: int, thread_id: str, message_ref: str | None) -> str:
    token = secrets.token_urlsafe(16)
    with engine.begin() as conn:
        conn.execute(
            pixels.insert().values(
                token=token,
                user_id=user_id,
                thread_id=thread_id,
                message_ref=message_ref,
                created_at=now_utc(),
            )
        )
    return token


# Built once: a pixel burst spends more on building statements than SQLite spends answering.
_PIXEL = sa.select(pixels.c.user_id, pixels.c.thread_id, pixels.c.created_at).where(
    pixels.c.token == sa.bindparam("token")
)
_SELF_VIEW_NEAR = (
    sa.select(self_views.c.id)
    .where(
        self_views.c.pixel_token == sa.bindparam("token"),
        self_views.c.at.between(sa.bindparam("low"), sa.bindparam("high")),
    )
    .limit(1)
)
_INSERT_OPEN = opens.insert()


def _near_self_view(conn: Connection, token: str, at: datetime) -> bool:
    window = {"token": token, "low": at - SELF_VIEW_WINDOW, "high": at + SELF_VIEW_WINDOW}
    return conn.execute(_SELF_VIEW_NEAR, window).first() is not None


def record_open(engine: Engine, token: str, user_agent: str, at: datetime | None = None) -> bool:
    """Store one fetch of a pixel; False (and nothing stored) for an unknown token."""
    if not TOKEN_SHAPE.fullmatch(token):
        return False
    when = at or now_utc()
    with engine.begin() as conn:
        pixel = conn.execute(_PIXEL, {"token": token}).first()
        if pixel is None:
            return False
        kind, agent = classify_open(
            user_agent, pixel.created_at, when, _near_self_view(conn, token, when)
        )
        row = {"user_id": pixel.user_id, "pixel_token": token, "thread_id": pixel.thread_id}
        conn.execute(_INSERT_OPEN, {**row, "at": when, "kind": kind, "agent": agent})
    return True


def record_self_view(engine: Engine, user_id: int, token: str) -> int | None:
    """Note the sender's own view and reclassify the fetches it explains; None if not theirs."""
    at = now_utc()
    with engine.begin() as conn:
        owner = conn.execute(
            sa.select(pixels.c.user_id).where(pixels.c.token == token, pixels.c.user_id == user_id)
        ).first()
        if owner is None:
            return None
        conn.execute(self_views.insert().values(user_id=user_id, pixel_token=token, at=at))
        result = conn.execute(
            opens.update()
            .where(
                opens.c.pixel_token == token,
                opens.c.kind == "human",
                opens.c.at.between(at - SELF_VIEW_WINDOW, at + SELF_VIEW_WINDOW),
            )
            .values(kind="self")
        )
    return int(result.rowcount)


def opens_of_thread(engine: Engine, user_id: int, thread_id: str) -> list[Any]:
    query = (
        sa.select(opens.c.at, opens.c.kind, opens.c.agent)
        .where(opens.c.user_id == user_id, opens.c.thread_id == thread_id)
        .order_by(opens.c.at)
    )
    with engine.connect() as conn:
        return list(conn.execute(query).all())
