"""What the CLI and the backend call: a thread in, a report (and a suggestion) out.

Orchestrates the pure core (counting, policy, compose); does no I/O of its own. An LLM writer,
when given, is the only adapter it reaches, and only through compose's fallback rules.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from .. import compose
from ..compose import MessageWriter
from ..core import counting, policy
from ..core.model import History, Suggestion, Team, Thread, ThreadReport
from ..core.settings import Settings
from .contract import Analysis

DEFAULT_SETTINGS = Settings()
NO_HISTORY = History()


def analyze(
    thread: Thread,
    team: Team,
    now: datetime,
    settings: Settings = DEFAULT_SETTINGS,
    history: History = NO_HISTORY,
) -> ThreadReport:
    """The thread report of ARCHITECTURE.md, recommendation included."""
    report = counting.build_report(thread, team, now, settings, history)
    report = replace(
        report, recommendation=policy.recommend(report, thread, team, now, settings, history)
    )
    return replace(report, display=policy.display_for(report, settings, now))


def analysis(report: ThreadReport, thread: Thread, team: Team) -> Analysis:
    """The report as the backend answers it: with the brief to write the phone message from,
    when the report offers one (so the thread is never sent, nor analysed, a second time)."""
    brief = compose.brief_of(report, thread, team) if report.display.offer_message else None
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
    report = analyze(thread, team, now, settings, history)
    suggestion = compose.suggest(report, thread, team, lang=lang, channel=channel, writer=writer)
    return report, suggestion
