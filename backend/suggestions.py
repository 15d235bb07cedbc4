"""The phone messages shown to the user, and which ones they said they sent.

Rule: each suggestion shown is stored (its text, channel, language, source) under a random id;
"I sent it" is recorded once, the first time, and feeds History.pivots_sent ("one pivot per
silence", backend.history). A user only ever sees and marks their own.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from maxcore.core.model import Suggestion

from .db import now_utc, suggestions


def store(engine: Engine, user_id: int, thread_id: str, s: Suggestion) -> str:
    suggestion_id = uuid.uuid4().hex
    with engine.begin() as conn:
        conn.execute(
            suggestions.insert().values(
                id=suggestion_id,
                user_id=user_id,
                thread_id=thread_id,
                channel=s.channel,
                lang=s.lang,
                source=s.source,
                text=s.text,
                created_at=now_utc(),
            )
        )
    return suggestion_id


def mark_sent(engine: Engine, user_id: int, suggestion_id: str) -> tuple[str, datetime] | None:
    """(thread_id, sent_at) of the user's suggestion, marked sent now unless it already was."""
    mine = sa.and_(suggestions.c.id == suggestion_id, suggestions.c.user_id == user_id)
    with engine.begin() as conn:
        # The first "sent" is the one that counts; a second click changes nothing.
        conn.execute(
            suggestions.update()
            .where(mine, suggestions.c.sent_at.is_(None))
            .values(sent_at=now_utc())
        )
        row = conn.execute(
            sa.select(suggestions.c.thread_id, suggestions.c.sent_at).where(mine)
        ).first()
    return None if row is None else (str(row.thread_id), row.sent_at)
