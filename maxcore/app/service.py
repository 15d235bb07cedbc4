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
    recommendation = policy.recommend(report, thread, team, now, settings, history)
    return replace(report, recommendation=recommendation)


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
    suggestion = compose.suggest(
        report, thread, team, now, settings, lang=lang, channel=channel, writer=writer
    )
    return report, suggestion
