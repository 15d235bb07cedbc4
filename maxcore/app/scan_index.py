"""Pass 1 of `maxcore scan`: each message's threading key, its place in the file, and what its
headers alone say of it for the count, in a few dozen bytes a message.

Reads headers only. Next to the `ThreadKey` (what grouping needs) each message gets a one-byte
`Side` from its headers-only verdict (`signals.classify`): one of our touches, another message
of ours, a genuine reply, something else, or unsure (a verdict its body can still change:
`counting`'s rules that read text). With those, `at_least_unanswered` tells from the end of a thread
whether enough of our emails are unanswered, reading a body only where a reply is unsure, so a
scan that lists the threads at risk never reads the others again.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

from ..adapters.mail_fast import read_envelope, read_headers
from ..adapters.mbox import iter_mbox
from ..adapters.source import SKIP_REASONS
from ..core.counting import needs_text
from ..core.errors import MaxcoreError
from ..core.grouping import ThreadKey, key_of
from ..core.model import Kind, Message, Team
from ..core.signals import classify, is_ours

PROGRESS_STEP = 1 << 20  # call on_progress about once per MiB, not per message


class Side(IntEnum):
    """What a message is to the count of unanswered emails, from its headers alone."""

    TOUCH = 1  # ours, reaching someone outside the team: adds one
    OURS = 2  # ours, but internal or a draft: counts nothing
    REPLY = 3  # a genuine reply no body can change: resets the count
    OTHER = 4  # an auto-reply, bounce, receipt or bulk mail no body can change: counts nothing
    UNSURE = 5  # its body may make it a genuine reply or not
    BULK = 6  # bulk mail: unsure when it answers one of ours (H11 is weak), else OTHER


@dataclass
class Index:
    """Pass 1's answer, one entry per message kept, in file order."""

    keys: list[ThreadKey] = field(default_factory=list)  # dropped once grouped
    sides: bytearray = field(default_factory=bytearray)
    offsets: array[int] = field(default_factory=lambda: array("q"))  # of the From_ line
    lengths: array[int] = field(default_factory=lambda: array("q"))  # to the next From_ line
    skipped: Counter[str] = field(default_factory=Counter)


def index_mbox(mbox: Path, team: Team, progress: Callable[[int], None]) -> Index:
    """Pass 1 over the whole mbox (headers only)."""
    index = Index()
    shared: dict[Any, Any] = {}  # one copy of each id, address and recipient list, for a while
    next_call = 0
    last: int | None = None  # the previous message's offset, while its length is not known
    for offset, raw in iter_mbox(mbox):
        if last is not None:
            index.lengths.append(offset - last)
            last = None
        try:
            message = _headers_for_pass_one(raw, team)
        except MaxcoreError as err:
            index.skipped[SKIP_REASONS.get(err.field or "", err.code)] += 1
        else:
            index.keys.append(key_of(message, shared))
            index.sides.append(side_of(message, team))
            index.offsets.append(offset)
            last = offset
        if offset >= next_call:
            progress(offset + len(raw))
            next_call = offset + PROGRESS_STEP
    if last is not None:
        index.lengths.append(mbox.stat().st_size - last)
    return index


def _headers_for_pass_one(raw: bytes, team: Team) -> Message:
    """The message as pass 1 needs it: for ours, only the envelope (their side comes from who
    sent them where); for theirs, every header, which the verdict reads."""
    envelope = read_envelope(raw)
    if envelope is not None and is_ours(envelope, team):
        return envelope
    return read_headers(raw)


def side_of(message: Message, team: Team) -> Side:
    """The message's `Side`, from a headers-only reading of it."""
    verdict = classify(message, team)
    if is_ours(message, team):
        return Side.TOUCH if verdict.kind is Kind.OUTBOUND else Side.OURS
    if verdict.kind is Kind.BULK:
        return Side.BULK  # which one depends on the thread: `resolved_sides`
    if needs_text(message, verdict, frozenset()):
        return Side.UNSURE
    return Side.REPLY if verdict.kind is Kind.REPLY else Side.OTHER


def resolved_sides(keys: Sequence[ThreadKey], sides: Iterable[int]) -> list[Side]:
    """The sides of one thread's messages, a bulk one made unsure when it answers one of ours."""
    sides = list(sides)
    ours = {k.id for k, s in zip(keys, sides, strict=True) if s in _OURS}
    return [
        (Side.UNSURE if ours.intersection(k.parents) else Side.OTHER) if s == Side.BULK else Side(s)
        for k, s in zip(keys, sides, strict=True)
    ]


def settle_sides(index: Index, groups: list[list[int]]) -> dict[int, frozenset[str]]:
    """Each thread's bulk messages made unsure or other in `index.sides` (`resolved_sides`), so
    the keys can go; returns our messages' ids for the threads where a bulk message answers us
    (its verdict, read in full, needs them)."""
    answering: dict[int, frozenset[str]] = {}
    for n, group in enumerate(groups):
        if not any(index.sides[i] == Side.BULK for i in group):
            continue
        keys = [index.keys[i] for i in group]
        sides = resolved_sides(keys, (index.sides[i] for i in group))
        for i, side in zip(group, sides, strict=True):
            index.sides[i] = side
        if Side.UNSURE in sides:
            answering[n] = frozenset(k.id for k, s in zip(keys, sides, strict=True) if s in _OURS)
    return answering


_OURS = (Side.TOUCH, Side.OURS)


def at_least_unanswered(
    sides: Sequence[Side], at_least: int, is_reply: Callable[[int], bool]
) -> bool:
    """Whether at least `at_least` of our touches follow the last genuine reply.

    Walks back from the newest message, counting touches. A sure reply ends the walk; so does an
    unsure one once `at_least` touches are counted (at risk whatever it is), or when even all the
    touches before it, back to the last sure reply, could not make `at_least` (not at risk
    whatever it is). Only in between does `is_reply(i)` read message i to decide.
    """
    before = []  # per message: our touches before it, since the last sure reply
    touches = 0
    for side in sides:
        before.append(touches)
        touches = 0 if side is Side.REPLY else touches + (side is Side.TOUCH)
    count = 0
    for i in range(len(sides) - 1, -1, -1):
        side = sides[i]
        if side is Side.TOUCH:
            count += 1
        elif side is Side.REPLY:
            break
        elif side is Side.UNSURE:
            if count >= at_least or count + before[i] < at_least:
                break
            if is_reply(i):
                break
    return count >= at_least
