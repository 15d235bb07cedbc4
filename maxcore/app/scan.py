"""`maxcore scan MBOX`: every thread of a mailbox, riskiest first, in bounded memory.

Streams the mbox twice and never holds the mailbox. Pass 1 (`scan_index`) reads headers only and
keeps per message a `ThreadKey`, where it sits in the file and what its headers say of it for the
count (a few hundred bytes each), then groups threads. Pass 2 takes one thread at a time and
does only the work the output needs:

- listing the threads at risk (`at_risk_only`, what the CLI prints by default), a thread whose
  newest replies leave fewer than `watch_at` of our emails unanswered is `ok`: it is dropped
  having read at most the bodies of those replies (`scan_index.at_least_unanswered`);
- every other thread is re-read by offset, messages parsed headers-only, and only the bodies
  that can change its report are read (`counting.texts_for_verdicts`, then
  `counting.texts_for_phone`), into one `ThreadReading` that the report is built from.

A thread's keys are let go once it is done. Memory grows with the number of messages' keys, not
with their bodies: a 1 GB Takeout file is fine. A gzip mbox is first inflated to a temporary
file, since pass 2 needs to seek.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from ..adapters.mail_fast import read_body, read_headers, read_message
from ..adapters.mbox import open_mbox, read_from, seekable_mbox
from ..core.counting import texts_for_phone, texts_for_verdicts
from ..core.grouping import group_keys, thread_of
from ..core.model import Kind, Message, Team, ThreadReport
from ..core.reading import ThreadReading, read_thread
from ..core.settings import Settings
from ..core.signals import classify
from ..core.triage import riskiest_first
from . import service
from .scan_index import Index, Side, at_least_unanswered, index_mbox, settle_sides

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ScanResult:
    reports: list[ThreadReport]
    messages: int
    skipped: int
    skipped_reasons: dict[str, int] = field(default_factory=dict)


def scan_mbox(
    path: Path,
    team: Team,
    now: datetime,
    settings: Settings,
    on_progress: Progress | None = None,
    *,
    at_risk_only: bool = False,
) -> ScanResult:
    """The report of every thread (`at_risk_only`: of the threads at `watch` or `trap` only)."""
    report = on_progress or (lambda done, total: None)
    with seekable_mbox(Path(path)) as mbox:
        total = 2 * mbox.stat().st_size  # two passes over the same bytes
        index = index_mbox(mbox, team, lambda done: report(done, total))
        messages, skipped = len(index.keys), index.skipped
        groups = group_keys(index.keys, window=timedelta(days=settings.subject_thread_days))
        answering = settle_sides(index, groups)
        index.keys = []  # grouped: pass 2 needs the sides and places only
        reports = []
        with open_mbox(mbox) as f:
            threads = _threads(f, index, groups, answering, team, settings, at_risk_only)
            for n, thread in enumerate(threads):
                if thread is not None:
                    reports.append(service.analyze_reading(thread, now, settings))
                if n % 200 == 0 or n == len(groups) - 1:
                    report(total // 2 + total // 2 * (n + 1) // len(groups), total)
    if at_risk_only:
        reports = [r for r in reports if r.level != "ok"]
    return ScanResult(riskiest_first(reports), messages, sum(skipped.values()), dict(skipped))


def _threads(
    f: BinaryIO,
    index: Index,
    groups: list[list[int]],
    answering: dict[int, frozenset[str]],
    team: Team,
    settings: Settings,
    at_risk_only: bool,
) -> Iterator[ThreadReading | None]:
    """Per group, in order: its reading with the bodies its report needs, or None for a thread
    known to be `ok` when only those at risk are wanted."""
    for n, group in enumerate(groups):
        raws = _Raws(f, index, group)
        if at_risk_only and not _is_at_risk(raws, index, group, answering.get(n), team, settings):
            yield None
        else:
            yield _reading(raws, team)
        groups[n] = []  # done: let it go


def _is_at_risk(
    raws: _Raws,
    index: Index,
    group: list[int],
    my_ids: frozenset[str] | None,
    team: Team,
    settings: Settings,
) -> bool:
    """Whether at least `watch_at` of our emails are unanswered, reading as few bodies as can be
    (`my_ids`: our messages' ids, given when a bulk message answers one of them)."""
    sides = [Side(index.sides[i]) for i in group]

    def is_reply(i: int) -> bool:
        return raws.is_reply(i, team, my_ids or frozenset())

    # `watch` starts at watch_at, `trap` at trap_at (settings_from keeps them in that order).
    return at_least_unanswered(sides, min(settings.watch_at, settings.trap_at), is_reply)


class _Raws:
    """One thread's raw messages, read from the mbox when first asked, and the messages already
    parsed in full (to decide an unsure reply), kept for the thread's reading."""

    def __init__(self, f: BinaryIO, index: Index, group: list[int]) -> None:
        self._f = f
        self._spans = [(index.offsets[i], index.lengths[i]) for i in group]
        self._raws: dict[int, bytes] = {}
        self.full: dict[int, Message] = {}

    def __len__(self) -> int:
        return len(self._spans)

    def raw(self, i: int) -> bytes:
        found = self._raws.get(i)
        if found is None:
            offset, length = self._spans[i]
            self._f.seek(offset)
            # The block from its From_ line to the next: what iter_mbox split, read as it read it.
            found = self._raws[i] = read_from(io.BytesIO(self._f.read(length)), 0)
        return found

    def is_reply(self, i: int, team: Team, my_ids: frozenset[str]) -> bool:
        message = self.full[i] = read_message(self.raw(i))
        return classify(message, team, my_ids).kind is Kind.REPLY


def _reading(raws: _Raws, team: Team) -> ThreadReading:
    """The thread read headers-only, then with the bodies its report needs: those a verdict
    needs first; then, only when a genuine reply holds a mobile, ours (numbers to exclude)."""
    messages = [raws.full.get(i) or read_headers(raws.raw(i)) for i in range(len(raws))]
    reading = read_thread(thread_of(messages), team)
    for needs in (texts_for_verdicts, texts_for_phone):
        needed = needs(reading)
        if any(m.id in needed and m.text is None for m in messages):
            messages = [
                read_body(m, raws.raw(i)) if m.id in needed and m.text is None else m
                for i, m in enumerate(messages)
            ]
            reading = reading.with_texts(messages)
    return reading
