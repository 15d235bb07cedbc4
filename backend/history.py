"""What the backend remembers about a thread, as maxcore's `History` for a report.

Rule: only human opens count (prefetches, scanners, repeats and the sender's own views are
accounted for apart: backend.tracking); `pivots_sent` are the phone messages the user said they
sent ("one pivot per silence"). History carries at most MAX_OPENS of the latest opens, so no
number of fetches makes an analysis slower (they are already bounded per pixel; this also bounds
a database made before that, which kept a row per fetch).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from maxcore.core.model import History

from .db import connected, opens, suggestions

MAX_OPENS = 200  # 40 sent emails at their cap of opens each (open_kinds.MAX_OPENS_PER_PIXEL)

# Built once: statement construction costs more than SQLite answering it (bench_backend.py).
_OPENS = (
    sa.select(opens.c.at)
    .where(
        opens.c.user_id == sa.bindparam("user_id"),
        opens.c.thread_id == sa.bindparam("thread_id"),
        opens.c.kind == "human",
    )
    .order_by(opens.c.at.desc())
    .limit(MAX_OPENS)
    .subquery()
)
_EVENTS = sa.union_all(
    sa.select(_OPENS.c.at.label("at"), sa.literal("open").label("what")),
    sa.select(suggestions.c.sent_at.label("at"), sa.literal("pivot").label("what")).where(
        suggestions.c.user_id == sa.bindparam("user_id"),
        suggestions.c.thread_id == sa.bindparam("thread_id"),
        suggestions.c.sent_at.is_not(None),
    ),
)


def history_for(bind: Engine | Connection, user_id: int, thread_id: str) -> History:
    """The thread's history; `bind` may be a connection the caller already holds."""
    with connected(bind) as conn:
        rows = conn.execute(_EVENTS, {"user_id": user_id, "thread_id": thread_id}).all()
    return History(
        opens=tuple(sorted(r.at for r in rows if r.what == "open")),
        pivots_sent=tuple(sorted(r.at for r in rows if r.what == "pivot")),
    )
