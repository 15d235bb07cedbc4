"""Group messages into conversations (threads). Pure: no I/O.

Rules, in order (mail-signals.md, "Threads"):
1. A Gmail `thread_id` is trusted as is (Gmail computed it for the mailbox owner).
2. Otherwise JWZ threading (jwz.org/doc/threading.html): one container per Message-ID, linked by
   References then In-Reply-To (RFC 5322 section 3.6.4), dummy parents for ids we never saw,
   no link that would make a loop; every message under one root is one conversation.
3. Then, only for roots left apart, the normalized subject (reply/forward prefixes stripped in
   many languages) joins two conversations when both ends of the later one already took part in
   the earlier one, within `subject_thread_days`; a generic subject ("Suivi", "Quick question")
   needs the very same people. A template sent to many prospects never becomes one thread.

It works on `ThreadKey`s, a few interned strings per message, so a scan can group a big mailbox
from headers only.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from .model import Message, Thread
from .settings import Settings

# Reply/forward prefixes, EN/FR and neighbours (mail-signals.md), with counters ("Re[2]:"), a
# full-width colon and French spacing before it; plus gateway tags that mark external mail.
_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|fw|tr|réf\.?|ref|aw|wg|sv|vs|antw|rv|r|i|回复|回覆|答复|转发)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*[:：]|\[(?:ext|external|extern|spam|externe)\])\s*",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
# Subjects many prospects share: joined by subject only when the very same people wrote.
GENERIC_SUBJECTS = frozenset(
    {"suivi", "relance", "rappel", "question", "quick question", "petite question", "follow up"}
    | {"follow-up", "following up", "checking in", "hello", "bonjour", "hi", "rdv", "rendez-vous"}
    | {"meeting", "call", "appel", "demo", "démo", "devis", "proposition", "introduction", "intro"}
)
_NO_DATE = float("-inf")
DEFAULT_WINDOW = timedelta(days=Settings().subject_thread_days)


@dataclass(frozen=True, slots=True)
class ThreadKey:
    """What threading needs of one message, and nothing more."""

    id: str
    parents: tuple[str, ...]  # References, then In-Reply-To when it is not already last
    subject: str  # normalized: prefixes stripped, case-folded
    sender: str
    recipients: tuple[str, ...]  # a tuple: a frozenset of one costs 216 bytes, this 48
    date: float | None  # POSIX seconds: a datetime and its tzinfo would cost ~150 bytes more
    thread_id: str | None = None


def strip_prefixes(subject: str) -> str:
    """The subject without its Re:/Fwd:/TR:/AW:/[EXT]... prefixes, however many are stacked."""
    previous = None
    while previous != subject:
        previous, subject = subject, _PREFIX.sub("", subject, count=1)
    return subject.strip()


@lru_cache(maxsize=512)  # a thread's messages share a subject, "Re: " or not
def normalize_subject(subject: str) -> str:
    return _SPACES.sub(" ", strip_prefixes(subject)).casefold()


def key_of(message: Message, shared: dict[Any, Any] | None = None) -> ThreadKey:
    """The message's key. Its strings are interned, so a reference and the Message-ID it names
    are one string; a scan passes a table of its own instead (`shared`, dropped with its keys),
    which also keeps one tuple per set of recipients."""

    def one(text: str) -> str:
        return sys.intern(text) if shared is None else shared.setdefault(text, text)

    parents = tuple(one(r) for r in message.references)
    if message.in_reply_to and (not parents or parents[-1] != message.in_reply_to):
        parents += (one(message.in_reply_to),)
    recipients = tuple(one(a.email) for a in message.recipients if a.email)
    return ThreadKey(
        id=one(message.id),
        parents=parents,
        subject=one(normalize_subject(message.subject)),
        sender=one(message.sender.email),
        recipients=recipients if shared is None else shared.setdefault(recipients, recipients),
        date=message.date.timestamp() if message.date else None,
        thread_id=message.thread_id,
    )


def group_threads(
    messages: Iterable[Message], *, window: timedelta = DEFAULT_WINDOW
) -> list[Thread]:
    """Threads in order of first appearance; a repeated Message-ID is read once."""
    items = list(messages)
    groups = group_keys([key_of(m) for m in items], window=window)
    return [thread_of([items[i] for i in group]) for group in groups]


def thread_of(ordered: Sequence[Message]) -> Thread:
    """The thread of messages already in order: named by Gmail's id, else its first Message-ID."""
    first = ordered[0]
    subject = next((m.subject for m in ordered if m.subject), "")
    return Thread(first.thread_id or first.id, strip_prefixes(subject), tuple(ordered))


def group_keys(keys: Sequence[ThreadKey], *, window: timedelta = DEFAULT_WINDOW) -> list[list[int]]:
    """Indices of `keys` per thread, each sorted by date (undated ones keep reading order)."""
    by_gmail: dict[str, list[int]] = {}
    seen: dict[str, int] = {}
    plain: list[int] = []
    for i, key in enumerate(keys):
        if key.id in seen:
            continue  # the same message twice (archives and exports repeat some)
        seen[key.id] = i
        if key.thread_id:
            by_gmail.setdefault(key.thread_id, []).append(i)
        else:
            plain.append(i)
    groups = list(by_gmail.values()) + _merge_by_subject(keys, _jwz(keys, plain), window)
    groups = [_by_date(keys, g) for g in groups]
    return sorted(groups, key=lambda g: min(g))


def _jwz(keys: Sequence[ThreadKey], indices: list[int]) -> list[list[int]]:
    parent: dict[str, str] = {}

    def is_ancestor(candidate: str, node: str) -> bool:
        while node in parent:
            node = parent[node]
            if node == candidate:
                return True
        return False

    for i in indices:
        key = keys[i]
        previous: str | None = None
        for ref in key.parents:
            if ref == key.id:
                continue
            # Link each reference to the one before it, unless already linked or a loop.
            linkable = previous is not None and ref != previous and ref not in parent
            if linkable and previous is not None and not is_ancestor(ref, previous):
                parent[ref] = previous
            previous = ref
        # The message's own parent is its last reference, even over an earlier guess (JWZ 1.C).
        if previous is not None and not is_ancestor(key.id, previous) and previous != key.id:
            parent[key.id] = previous
    roots: dict[str, list[int]] = {}
    for i in indices:
        node = keys[i].id
        while node in parent:
            node = parent[node]
        roots.setdefault(node, []).append(i)
    return list(roots.values())


def _merge_by_subject(
    keys: Sequence[ThreadKey], groups: list[list[int]], window: timedelta
) -> list[list[int]]:
    groups = sorted(groups, key=lambda g: _first_date(keys, g))
    open_by_subject: dict[str, list[list[int]]] = {}
    merged: list[list[int]] = []
    for group in groups:
        first = keys[min(group, key=lambda i: (keys[i].date is None, keys[i].date or 0.0, i))]
        target = None
        if first.subject and first.date is not None:
            for candidate in open_by_subject.get(first.subject, []):
                if _can_join(keys, candidate, first, window):
                    target = candidate
                    break
        if target is None:
            merged.append(group)
            open_by_subject.setdefault(first.subject, []).append(group)
        else:
            target.extend(group)
    return merged


def _can_join(
    keys: Sequence[ThreadKey], earlier: list[int], first: ThreadKey, gap: timedelta
) -> bool:
    dates = [d for d in (keys[i].date for i in earlier) if d is not None]
    if not dates or first.date is None or first.date - max(dates) > gap.total_seconds():
        return False
    people = {keys[i].sender for i in earlier}.union(*(keys[i].recipients for i in earlier))
    if first.subject in GENERIC_SUBJECTS:
        return {first.sender, *first.recipients} <= people
    return first.sender in people and any(r in people for r in first.recipients)


def _first_date(keys: Sequence[ThreadKey], group: list[int]) -> float:
    dates = [d for d in (keys[i].date for i in group) if d is not None]
    return min(dates, default=_NO_DATE)


def _by_date(keys: Sequence[ThreadKey], group: list[int]) -> list[int]:
    """Sorted by date; an undated message stays right after the message it followed when read."""
    ordered: list[tuple[float, int]] = []
    last = _NO_DATE
    for i in sorted(group):
        date = keys[i].date
        last = date if date is not None else last
        ordered.append((last, i))
    return [i for _, i in sorted(ordered)]
