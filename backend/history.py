"""What the backend remembers about a thread, as maxcore's `History` for a report.

Rule: only human opens count (prefetches, scanners and the sender's own views stay stored but
out); `pivots_sent` are the phone messages the user said they sent ("one pivot per silence").
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from maxcore.model import History

from .storage import opens, suggestions


def history_for(engine: Engine, user_id: int, thread_id: str) -> History:
    human_opens = sa.select(opens.c.at).where(
        opens.c.user_id == user_id, opens.c.thread_id == thread_id, opens.c.kind == "human"
    )
    pivots = sa.select(suggestions.c.sent_at).where(
        suggestions.c.user_id == user_id,
        suggestions.c.thread_id == thread_id,
        suggestions.c.sent_at.is_not(None),
    )
    with engine.connect() as conn:
        open_times = sorted(conn.execute(human_opens).scalars())
        sent_times = sorted(conn.execute(pivots).scalars())
    return History(opens=tuple(open_times), pivots_sent=tuple(sent_times))
