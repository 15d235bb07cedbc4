"""Which threads need the salesperson, and in which order: one rule for every list of threads
(the CLI's scan, the Gmail pipeline, the extension's panel).

Pure. At risk means `watch` or `trap`; riskiest first means the level, then the oldest silence
(our last touch longest ago), then the thread id so that equal threads keep one order. Of two
reports of one thread, the one that saw the later mail is the one to keep.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from .model import LEVEL_ORDER, ThreadReport

_LATEST = datetime.max.replace(tzinfo=UTC)


def is_at_risk(report: ThreadReport) -> bool:
    return report.level != "ok"


def riskiest_first(reports: Iterable[ThreadReport]) -> list[ThreadReport]:
    return sorted(
        reports,
        key=lambda r: (LEVEL_ORDER[r.level], r.last_touch_at or _LATEST, r.thread_id),
    )


def last_message_at(report: ThreadReport) -> datetime | None:
    """The newest message the report counted: our last touch or their last genuine reply."""
    times = [t for t in (report.last_touch_at, report.last_reply_at) if t is not None]
    return max(times, default=None)


def is_as_recent(new: ThreadReport, old: ThreadReport) -> bool:
    """Whether `new` saw at least the mail `old` saw: a tab left open since before the Gmail
    sync read a reply must not bring the thread back to trap."""
    old_at = last_message_at(old)
    new_at = last_message_at(new)
    return old_at is None or (new_at is not None and new_at >= old_at)
