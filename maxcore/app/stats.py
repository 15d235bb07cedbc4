"""`maxcore stats`: after a pivot against after a third email, in one mailbox's history.

Orchestrates: each thread read once and counted (the report's verdicts say what is a genuine
reply), its timeline and cases from maxcore.core.outcomes, the pivots from a JSON list the
backend gives (GET /api/v1/stats/pivots: a mailbox holds no WhatsApp message). Decides nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from ..core import counting, outcomes
from ..core.errors import MaxcoreError
from ..core.model import Team, Thread
from ..core.outcomes import Case, Stats, Timeline
from ..core.reading import read_thread
from . import service
from .contract import PivotSent, decode_body


def read_pivots(path: Path) -> list[PivotSent]:
    """The --pivots file: a JSON list of {"thread_id", "sent_at"[, "answered_at"]}."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise MaxcoreError("not_found", f"{path}: {err.strerror}", field="pivots") from None
    try:
        pivots: list[PivotSent] = decode_body(raw, list[PivotSent])
    except MaxcoreError as err:
        raise MaxcoreError("bad_pivots", f"{path}: {err.message}", field="pivots") from None
    return pivots


def timelines_of(threads: Iterable[Thread], team: Team, now: datetime) -> dict[str, Timeline]:
    """Each thread's timeline, keyed by thread id (counting's verdicts, no advice worked out)."""
    found: dict[str, Timeline] = {}
    for thread in threads:
        reading = read_thread(thread, team)
        report = counting.report_of(reading, now, service.DEFAULT_SETTINGS, service.NO_HISTORY)
        found[thread.thread_id] = outcomes.timeline_of(thread, team, report)
    return found


def mailbox_stats(timelines: dict[str, Timeline], pivots: Sequence[PivotSent]) -> tuple[Stats, int]:
    """The figures, and how many pivots named a thread the mailbox does not hold (left out)."""
    thirds = [c for t in timelines.values() for c in outcomes.third_email_cases(t)]
    cases: list[Case] = []
    for p in pivots:
        timeline = timelines.get(p.thread_id)
        if timeline is not None:
            cases.append(outcomes.pivot_case(timeline, p.sent_at, p.answered_at))
    return outcomes.stats_of(cases, thirds), len(pivots) - len(cases)
