"""`maxcore scan MBOX`: every thread of a mailbox, riskiest first, in bounded memory.

Streams the mbox twice and never holds the mailbox: pass 1 reads headers only and keeps a
`ThreadKey` and a byte offset per message (a few hundred bytes each), then groups threads; pass 2
takes one thread at a time, re-reads its messages by offset, parses in full only those whose body
can change the report (`counting.their_texts_needed`, then `our_texts_needed`), and analyses it.
Memory grows with the number of messages' keys, not with their bodies: a 1 GB Takeout file is
fine. A gzip mbox is first inflated to a temporary file, since pass 2 needs to seek.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ..adapters.mail import add_body, parse_message
from ..adapters.mbox import iter_mbox, open_mbox, read_from, seekable_mbox
from ..adapters.source import SKIP_REASONS
from ..core.counting import our_texts_needed, their_texts_needed
from ..core.errors import MaxcoreError
from ..core.grouping import ThreadKey, group_keys, key_of, thread_of
from ..core.model import Team, Thread, ThreadReport
from ..core.settings import Settings
from ..core.triage import riskiest_first
from . import service

Progress = Callable[[int, int], None]
PROGRESS_STEP = 1 << 20  # call on_progress about once per MiB, not per message


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
) -> ScanResult:
    tally = Tally()
    reports = [
        service.analyze(thread, team, now, settings)
        for thread in iter_threads(path, team, settings, on_progress, tally)
    ]
    skipped = sum(tally.skipped.values())
    return ScanResult(riskiest_first(reports), tally.messages, skipped, dict(tally.skipped))


@dataclass
class Tally:
    """What `iter_threads` read, known once its first pass is done."""

    messages: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def iter_threads(
    path: Path,
    team: Team,
    settings: Settings,
    on_progress: Progress | None = None,
    tally: Tally | None = None,
) -> Iterator[Thread]:
    """The mailbox's threads one at a time, each with the bodies its report needs."""
    report = on_progress or (lambda done, total: None)
    with seekable_mbox(Path(path)) as mbox:
        total = 2 * mbox.stat().st_size  # two passes over the same bytes
        keys, offsets, reasons = _index(mbox, lambda done: report(done, total))
        if tally is not None:
            tally.messages, tally.skipped = len(keys), reasons
        groups = group_keys(keys, window=timedelta(days=settings.subject_thread_days))
        with open_mbox(mbox) as f:
            for n, group in enumerate(groups, 1):
                yield _read_thread([read_from(f, offsets[i]) for i in group], team)
                if n % 200 == 0 or n == len(groups):
                    report(total // 2 + total // 2 * n // len(groups), total)


def _index(
    mbox: Path, progress: Callable[[int], None]
) -> tuple[list[ThreadKey], array[int], Counter[str]]:
    """Pass 1: headers only; what threading needs, and where each message starts."""
    keys: list[ThreadKey] = []
    offsets = array("q")  # 8 bytes an offset, not a 36-byte int in a list
    reasons: Counter[str] = Counter()
    next_call = 0
    for offset, raw in iter_mbox(mbox):
        try:
            keys.append(key_of(parse_message(raw, with_body=False)))
            offsets.append(offset)
        except MaxcoreError as err:
            reasons[SKIP_REASONS.get(err.field or "", err.code)] += 1
        if offset >= next_call:
            progress(offset + len(raw))
            next_call = offset + PROGRESS_STEP
    return keys, offsets, reasons


def _read_thread(raws: list[bytes], team: Team) -> Thread:
    """Pass 2 for one thread: headers for all, bodies for the messages that need them.

    Two steps, so that our own bodies (read only for the numbers to exclude from the prospect's)
    are parsed only when a reply read in step 1 holds a mobile at all."""
    messages = [parse_message(raw, with_body=False) for raw in raws]
    for needs in (their_texts_needed, our_texts_needed):
        needed = needs(thread_of(messages), team)
        if not needed:
            break  # no body read in step 1: no reply has a text that could hold a mobile
        messages = [
            add_body(m, raw) if m.id in needed and m.text is None else m
            for raw, m in zip(raws, messages, strict=True)
        ]
    return thread_of(messages)
