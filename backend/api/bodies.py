"""An analyze request → the model values maxcore decides from (the one parse step of a thread).

Rule: the body's shape is checked by `wire.body`; here the thread is read by maxcore's adapters
(a page reading or a Gmail API thread, told apart by shape) and `now` by the contract's one
reading of it; their errors name the field, re-rooted under "thread." for the thread's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from maxcore.adapters.source import thread_from_json
from maxcore.app.contract import AnalyzeRequest, parse_now
from maxcore.core.errors import MaxcoreError
from maxcore.core.model import Team, Thread

from ..errors import ApiError
from ..user_settings import UserSettings


@dataclass(frozen=True)
class ThreadRequest:
    team: Team
    now: datetime
    thread: Thread


def thread_request(req: AnalyzeRequest, prefs: UserSettings) -> ThreadRequest:
    try:
        now = parse_now(req.now)
        thread = thread_from_json(req.thread, now)
    except MaxcoreError as err:
        field = err.field if err.field == "now" else rooted(err.field)
        raise ApiError(400, err.code, err.message, field) from None
    return ThreadRequest(prefs.team(req.me), now, thread)


def rooted(field: str | None) -> str:
    """An adapter's path ("$", "messages[0].from.email") as a path in the body ("thread...")."""
    path = (field or "").removeprefix("$").lstrip(".")
    if path.startswith("thread.") or path == "thread":
        return path
    return f"thread.{path}" if path else "thread"
