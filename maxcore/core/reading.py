"""One reading of a thread, shared by counting, policy, timing and compose: who sent each message
(us or them), what it is, and, only when a rule asks, what is new in it and which numbers it holds.

Pure. `read_thread` tells our messages from theirs (`signals.is_ours`) and classifies each message
once (`signals.classify`, given our messages' ids for "answers me"). A message's new text (quotes
stripped), its words (the signature split off too) and its phone numbers are worked out the
first time a rule asks and kept for the next rule. A streaming scan reads bodies late:
`with_texts` swaps in messages read in full and classifies only those again (a body never
changes who sent a message, so every other verdict stands).

Policy and compose ask, not for verdicts, but for what a report set aside: our touches are our
messages, their genuine replies the outside ones, each less the report's `ignored`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .model import Kind, Message, Team, Thread, ThreadReport, Verdict
from .phones import Found, phone_matches
from .quotes import split_signature, strip_quotes
from .signals import classify, is_ours

__all__ = [
    "Entry",
    "ThreadReading",
    "new_text",
    "our_touches",
    "read_thread",
    "their_replies",
]


@dataclass(frozen=True, slots=True)
class Entry:
    """One message of the thread, as read: the message, its verdict, and whether it is ours."""

    message: Message
    verdict: Verdict
    ours: bool

    @property
    def kind(self) -> Kind:
        return self.verdict.kind


class ThreadReading:
    """A thread read once (see the module docstring); build it with `read_thread`."""

    __slots__ = ("_found", "_stripped", "_words", "entries", "my_ids", "team", "thread")

    def __init__(
        self, thread: Thread, team: Team, entries: tuple[Entry, ...], my_ids: frozenset[str]
    ) -> None:
        self.thread = thread
        self.team = team
        self.entries = entries
        self.my_ids = my_ids  # the ids of our messages (mine, a teammate's, a draft)
        # Worked out on demand, keyed by the message object (ids may repeat in hostile input).
        self._stripped: dict[int, str] = {}
        self._words: dict[int, str] = {}
        self._found: dict[tuple[int, str, bool], tuple[Found, ...]] = {}

    def stripped(self, message: Message) -> str:
        """The new text of one of this thread's messages: `quotes.strip_quotes` of its body (""
        when the body was not read)."""
        found = self._stripped.get(id(message))
        if found is None:
            found = strip_quotes(message.text) if message.text else ""
            self._stripped[id(message)] = found
        return found

    def words(self, message: Message) -> str:
        """What the sender just wrote, without quotes nor signature (`new_text`)."""
        found = self._words.get(id(message))
        if found is None:
            found = self._words[id(message)] = split_signature(self.stripped(message))[0]
        return found

    def phones(self, message: Message, region: str, *, new_only: bool) -> tuple[Found, ...]:
        """The phone numbers of the new text (`new_only`) or of the whole body."""
        key = (id(message), region, new_only)
        found = self._found.get(key)
        if found is None:
            text = self.stripped(message) if new_only else message.text or ""
            found = self._found[key] = phone_matches(text, region) if text else ()
        return found

    def touches(self, report: ThreadReport) -> list[Message]:
        """Our outbound messages (internal notes and drafts sit in `ignored`: not touches)."""
        ignored = _ignored_ids(report)
        return [e.message for e in self.entries if e.ours and e.message.id not in ignored]

    def replies(self, report: ThreadReport) -> list[Message]:
        """The genuine replies: outside senders, minus what the report set aside."""
        ignored = _ignored_ids(report)
        return [e.message for e in self.entries if not e.ours and e.message.id not in ignored]

    def with_texts(self, messages: Sequence[Message]) -> ThreadReading:
        """The same thread with `messages` (one per entry, in order): those that are new objects
        (the same messages, bodies read) are classified again, the others keep their verdict
        and what was worked out for them."""
        entries = tuple(
            e if m is e.message else Entry(m, classify(m, self.team, self.my_ids), e.ours)
            for e, m in zip(self.entries, messages, strict=True)
        )
        thread = replace(self.thread, messages=tuple(messages))
        reading = ThreadReading(thread, self.team, entries, self.my_ids)
        kept = {id(m) for e, m in zip(self.entries, messages, strict=True) if m is e.message}
        reading._stripped = {k: v for k, v in self._stripped.items() if k in kept}
        reading._words = {k: v for k, v in self._words.items() if k in kept}
        reading._found = {k: v for k, v in self._found.items() if k[0] in kept}
        return reading


def read_thread(thread: Thread, team: Team) -> ThreadReading:
    """Every message's side and verdict, in thread order (see the module docstring)."""
    ours = [is_ours(m, team) for m in thread.messages]
    my_ids = frozenset(m.id for m, o in zip(thread.messages, ours, strict=True) if o)
    entries = tuple(
        Entry(m, classify(m, team, my_ids), o) for m, o in zip(thread.messages, ours, strict=True)
    )
    return ThreadReading(thread, team, entries, my_ids)


def _ignored_ids(report: ThreadReport) -> frozenset[str]:
    return frozenset(i.message_id for i in report.ignored)


def our_touches(thread: Thread, team: Team, report: ThreadReport) -> list[Message]:
    """Our outbound messages (internal notes and drafts sit in `ignored`: not touches)."""
    ignored = _ignored_ids(report)
    return [m for m in thread.messages if is_ours(m, team) and m.id not in ignored]


def their_replies(thread: Thread, team: Team, report: ThreadReport) -> list[Message]:
    """The genuine replies: outside senders, minus what the report set aside."""
    ignored = _ignored_ids(report)
    return [m for m in thread.messages if not is_ours(m, team) and m.id not in ignored]


def new_text(message: Message) -> str:
    """What the sender just wrote, without quotes nor signature ("" when the body was not read):
    a job title such as "Legal counsel" or "Demo manager" is no detail of the deal."""
    return split_signature(strip_quotes(message.text))[0] if message.text else ""
