"""Which threads need the salesperson, and in which order: one rule for every list of threads
(the CLI's scan, the Gmail pipeline, the extension's panel).

Pure. At risk means `watch` or `trap`; riskiest first means the level, then the oldest silence
(our last touch longest ago), then the thread id so that equal threads keep one order.
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
