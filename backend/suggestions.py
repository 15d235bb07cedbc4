"""The phone messages shown to the user, which ones they said they sent, and which got an answer.

Rule: each suggestion shown is stored (its text, channel, language, source) under a random id;
"I sent it" is recorded once, the first time, and feeds History.pivots_sent ("one pivot per
silence", backend.history). A pivot sent is answered at the first genuine reply a later
reading of its thread shows after it (`note_replies`, by "email"), or when the user says so
(`mark_answered`, by "phone"); the earlier answer is the one kept. A user only ever sees
and marks their own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from maxcore.core.model import Suggestion
from maxcore.core.outcomes import Timeline, first_reply_after

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


def note_replies(conn: Connection, user_id: int, thread_id: str, timeline: Timeline) -> None:
    """The thread's pivots sent and not yet answered: answered, by email, at the first genuine
    reply after them that this reading shows."""
    waiting = conn.execute(
        sa.select(suggestions.c.id, suggestions.c.sent_at).where(
            suggestions.c.user_id == user_id,
            suggestions.c.thread_id == thread_id,
            suggestions.c.sent_at.is_not(None),
            suggestions.c.answered_at.is_(None),
        )
    ).all()
    for row in waiting:
        at = first_reply_after(timeline, row.sent_at)
        if at is not None:
            conn.execute(
                suggestions.update()
                .where(suggestions.c.id == row.id)
                .values(answered_at=at, answered_by="email")
            )


AnsweredBy = Literal["email", "phone"]  # a later reading of the thread, or the user's word


@dataclass(frozen=True)
class Pivot:
    """A suggestion marked sent, and its answer when one is known."""

    id: str
    thread_id: str
    sent_at: datetime | None  # None: not marked sent
    answered_at: datetime | None
    answered_by: AnsweredBy | None


def _pivot(row: sa.Row[Any]) -> Pivot:
    return Pivot(str(row.id), str(row.thread_id), row.sent_at, row.answered_at, row.answered_by)


_PIVOT_COLUMNS = (
    suggestions.c.id,
    suggestions.c.thread_id,
    suggestions.c.sent_at,
    suggestions.c.answered_at,
    suggestions.c.answered_by,
)


def find(engine: Engine, user_id: int, suggestion_id: str) -> Pivot | None:
    """The user's suggestion (sent_at None when not marked sent); None when not theirs."""
    mine = sa.and_(suggestions.c.id == suggestion_id, suggestions.c.user_id == user_id)
    with engine.connect() as conn:
        row = conn.execute(sa.select(*_PIVOT_COLUMNS).where(mine)).first()
    return None if row is None else _pivot(row)


def mark_answered(engine: Engine, pivot: Pivot, at: datetime) -> tuple[datetime, AnsweredBy]:
    """The user says the prospect answered at `at` (on the phone): kept unless an earlier
    answer is known; the answer kept."""
    if pivot.answered_at is not None and pivot.answered_by and pivot.answered_at <= at:
        return pivot.answered_at, pivot.answered_by
    with engine.begin() as conn:
        conn.execute(
            suggestions.update()
            .where(suggestions.c.id == pivot.id)
            .values(answered_at=at, answered_by="phone")
        )
    return at, "phone"


def pivots_sent(engine: Engine, user_id: int) -> list[Pivot]:
    """Every suggestion the user marked sent, oldest first."""
    query = (
        sa.select(*_PIVOT_COLUMNS)
        .where(suggestions.c.user_id == user_id, suggestions.c.sent_at.is_not(None))
        .order_by(suggestions.c.sent_at, suggestions.c.id)
    )
    with engine.connect() as conn:
        return [_pivot(row) for row in conn.execute(query)]
