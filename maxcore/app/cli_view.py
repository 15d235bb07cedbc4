"""How the CLI shows reports and suggestions to a person: tables, a progress bar, a QR code.

Presentation only; every value shown was decided elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from rich.table import Table

from ..core.model import Suggestion, ThreadReport
from ..core.outcomes import Outcome, Stats

LEVEL_STYLE = {"trap": "bold red", "watch": "yellow", "ok": "green"}
LEVEL_WORDS = {
    "trap": "trap: the next email would be the third follow-up",
    "watch": "watch: the next email would be a second follow-up",
    "ok": "ok",
}


def _when(value: datetime | None) -> str:
    return value.strftime("%a %d %b %Y %H:%M %z") if value else "—"


def print_table(
    reports: Sequence[ThreadReport], *, title: str, console: Console | None = None
) -> None:
    console = console or Console()
    if not reports:
        console.print(f"No thread needs attention in {title}.")
        return
    table = Table(title=title, show_lines=False)
    for column in ("Level", "Unanswered", "Subject", "Prospect", "Last reply", "Advice"):
        table.add_column(column)
    for r in reports:
        prospect = r.prospect.name or r.prospect.email if r.prospect else "—"
        advice = r.recommendation.reason if r.recommendation else ""
        if not r.complete:
            advice = f"(some messages unseen) {advice}"
        table.add_row(
            f"[{LEVEL_STYLE[r.level]}]{r.level}[/]",
            str(r.unanswered),
            r.subject or "(no subject)",
            prospect,
            _when(r.last_reply_at),
            advice,
        )
    console.print(table)


def print_suggestions(
    pairs: Sequence[tuple[ThreadReport, Suggestion]], console: Console | None = None
) -> None:
    from ..compose.qr import qr_terminal

    console = console or Console()
    for report, s in pairs:
        console.rule(report.subject or "(no subject)")
        console.print(
            f"[{LEVEL_STYLE[report.level]}]{LEVEL_WORDS[report.level]}[/]"
            f" — {report.unanswered} unanswered"
        )
        if report.recommendation:
            console.print(f"Advice: {report.recommendation.reason}")
        console.print(
            f"\n{s.channel.upper()} ({s.lang}, written by {s.source}),"
            f" best sent {_when(s.send_at)}:\n"
        )
        console.print(s.text, markup=False, highlight=False)
        if s.sms:
            console.print(f"\nSMS: {s.sms.encoding}, {s.sms.segments} segment(s)")
        if s.link:
            # soft_wrap: a link broken over lines cannot be copied whole
            console.print(
                f"Open on the phone: {s.link}", markup=False, highlight=False, soft_wrap=True
            )
            console.print(qr_terminal(s.link), markup=False, highlight=False)


@contextmanager
def progress(label: str, *, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal (bytes read of the mailbox); nothing when piped."""
    if not enabled:
        yield None
        return
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def on_progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield on_progress


def _figure(outcome: Outcome) -> tuple[str, str]:
    rate, median = outcome.reply_rate, outcome.median_hours_to_reply
    return (
        "—" if rate is None else f"{rate:.0%}",
        "—" if median is None else f"{median:g} h",
    )


def print_stats(stats: Stats, *, title: str, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=title)
    for column in ("After", "Cases", "Answered", "Reply rate", "Median time to reply"):
        table.add_column(column)
    for name, outcome in (
        ("a pivot", stats.after_pivot),
        ("a third email", stats.after_third_email),
    ):
        table.add_row(name, str(outcome.cases), str(outcome.answered), *_figure(outcome))
    console.print(table)
    console.print(f"— : fewer than {stats.min_cases} cases, no figure.")
