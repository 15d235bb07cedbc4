"""What the CLI and the backend call: a thread in, a report (and a suggestion) out.

Orchestrates the pure core (counting, policy, compose); does no I/O of its own. An LLM writer,
when given, is the only adapter it reaches, and only through compose's fallback rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from .. import compose
from ..compose import MessageWriter
from ..core import counting, policy, timing
from ..core.model import History, Suggestion, Team, Thread, ThreadReport
from ..core.reading import ThreadReading, read_thread
from ..core.settings import Settings
from .contract import Analysis

DEFAULT_SETTINGS = Settings()
NO_HISTORY = History()


def warm_up() -> None:
    """Load now what the first analysis would load (the holiday calendars, ~0.1 s): for a server,
    so that no request pays it."""
    timing.is_contact_day(date(2026, 1, 1), timing.zone_of(timing.DEFAULT_ZONE), DEFAULT_SETTINGS)


def analyze(
    thread: Thread,
    team: Team,
    now: datetime,
    settings: Settings = DEFAULT_SETTINGS,
    history: History = NO_HISTORY,
) -> ThreadReport:
    """The thread report of ARCHITECTURE.md, recommendation included."""
    return analyze_reading(read_thread(thread, team), now, settings, history)


def analyze_reading(
    reading: ThreadReading,
    now: datetime,
    settings: Settings = DEFAULT_SETTINGS,
    history: History = NO_HISTORY,
) -> ThreadReport:
    """`analyze` of a thread already read: counting, policy and timing share one reading."""
    report = counting.report_of(reading, now, settings, history)
    report = replace(
        report, recommendation=policy.recommend_from(report, reading, now, settings, history)
    )
    return replace(report, display=policy.display_for(report, settings, now))


def analysis(report: ThreadReport, thread: Thread, team: Team) -> Analysis:
    """The report as the backend answers it: with the brief to write the phone message from,
    when the report offers one (so the thread is never sent, nor analysed, a second time)."""
    return _analysis(report, lambda: read_thread(thread, team))


def analyze_for_reply(
    thread: Thread,
    team: Team,
    now: datetime,
    settings: Settings = DEFAULT_SETTINGS,
    history: History = NO_HISTORY,
) -> Analysis:
    """`analysis(analyze(...))` in one reading of the thread: what the backend answers."""
    reading = read_thread(thread, team)
    return _analysis(analyze_reading(reading, now, settings, history), lambda: reading)


def _analysis(report: ThreadReport, reading: Callable[[], ThreadReading]) -> Analysis:
    brief = compose.brief_from(report, reading()) if report.display.offer_message else None
    return Analysis(threads=(report,), brief=brief)


def suggest(
    thread: Thread,
    team: Team,
    now: datetime,
    settings: Settings = DEFAULT_SETTINGS,
    history: History = NO_HISTORY,
    *,
    lang: str | None = None,
    channel: str | None = None,
    writer: MessageWriter | None = None,
) -> tuple[ThreadReport, Suggestion]:
    """The report plus the two-line phone message to send instead of one more email."""
    reading = read_thread(thread, team)
    report = analyze_reading(reading, now, settings, history)
    brief = compose.brief_from(report, reading)
    suggestion = compose.write(brief, lang=lang, channel=channel, writer=writer)
    return report, suggestion
