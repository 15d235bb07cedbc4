"""The thread report: how many of our emails in a row went unanswered, and what we know around it.

Pure: a `Thread` in, a `ThreadReport` out (no recommendation: that is `policy`'s job). Every message
is first classified by `signals.classify`; then, in thread order, a genuine reply resets
`unanswered` and each outbound message adds one (ARCHITECTURE.md, "Words"). Thresholds come from
`Settings`, never literals. `messages_needing_text` says which bodies a streaming scan must read so
that a report built from headers plus those bodies equals the report built from full messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from .absence import return_date
from .model import (
    IGNORED_KINDS,
    Address,
    History,
    Ignored,
    Kind,
    Level,
    Message,
    Prospect,
    Team,
    Thread,
    ThreadReport,
    Verdict,
)
from .phones import Found, best_mobile, region_for
from .reading import Entry, ThreadReading, read_thread
from .settings import Settings
from .signals import is_ours, is_outside

OURS = frozenset({Kind.OUTBOUND, Kind.INTERNAL, Kind.DRAFT})
__all__ = [
    "build_report",
    "classify_thread",
    "is_ours",
    "level_for",
    "messages_needing_text",
    "needs_text",
    "our_texts_needed",
    "report_of",
    "texts_for_phone",
    "texts_for_verdicts",
    "their_texts_needed",
]


def classify_thread(thread: Thread, team: Team) -> tuple[Verdict, ...]:
    """One verdict per message, in order; "answers me" means referencing one of our messages."""
    return tuple(e.verdict for e in read_thread(thread, team).entries)


def level_for(unanswered: int, settings: Settings) -> Level:
    if unanswered >= settings.trap_at:
        return "trap"
    if unanswered >= settings.watch_at:
        return "watch"
    return "ok"


def build_report(
    thread: Thread, team: Team, now: datetime, settings: Settings, history: History
) -> ThreadReport:
    """The thread report of ARCHITECTURE.md, without a recommendation."""
    return report_of(read_thread(thread, team), now, settings, history)


def report_of(
    reading: ThreadReading, now: datetime, settings: Settings, history: History
) -> ThreadReport:
    """`build_report` from a thread already read."""
    entries = reading.entries
    streak = _unanswered_streak(entries)
    replies = [e for e in entries if e.kind is Kind.REPLY]
    outbound = [e for e in entries if e.kind is Kind.OUTBOUND]
    thread = reading.thread
    return ThreadReport(
        thread_id=thread.thread_id,
        subject=thread.subject,
        unanswered=len(streak),
        level=level_for(len(streak), settings),
        last_reply_at=replies[-1].message.date if replies else None,
        wait_until=_wait_until(reading, now),
        opens=_receipts_after(entries, streak) + _pixel_opens_after(history, streak),
        ignored=tuple(
            Ignored(e.message.id, e.kind.value)  # type: ignore[arg-type]  # an IgnoredReason
            for e in entries
            if e.kind in IGNORED_KINDS
        ),
        prospect=_prospect(reading),
        complete=thread.complete,
        last_touch_at=_latest_date(outbound),
    )


def _unanswered_streak(entries: Sequence[Entry]) -> list[Entry]:
    """Our outbound messages since the last genuine reply (or the start), oldest first."""
    streak: list[Entry] = []
    for entry in entries:
        if entry.kind is Kind.REPLY:
            streak = []
        elif entry.kind is Kind.OUTBOUND:
            streak.append(entry)
    return streak


def _latest_date(entries: Sequence[Entry]) -> datetime | None:
    dates = [e.message.date for e in entries if e.message.date is not None]
    return dates[-1] if dates else None


def _receipts_after(entries: Sequence[Entry], streak: Sequence[Entry]) -> int:
    """Read receipts (RFC 8098 MDN) that arrived after the first unanswered outbound message."""
    if not streak:
        return 0
    start = next(i for i, e in enumerate(entries) if e is streak[0])
    return sum(1 for e in entries[start:] if e.kind is Kind.READ_RECEIPT)


def _pixel_opens_after(history: History, streak: Sequence[Entry]) -> int:
    """Tracking opens since our first unanswered email: an open before their last answer is no
    sign of a silent reader."""
    start = streak[0].message.date if streak else None
    return sum(1 for at in history.opens if start is None or at >= start)


def _wait_until(reading: ThreadReading, now: datetime) -> date | None:
    """The return date announced by an out-of-office since their last genuine reply, or None.

    RFC 3834 §2: a responder answers a sender "not more than once" in a period (commonly seven
    days), so the out-of-office that followed our first email is the only one there will be: its
    date holds for all our later emails. A later out-of-office with a date replaces it (leave
    extended); one without a date leaves it. A genuine reply ends the absence: they are back.
    The date stays in the report once passed (the UI can say "back since"); policy waits only
    while it is still ahead.
    """
    found: date | None = None
    for entry in _absence_entries(reading.entries):
        announced = _announced_return(reading, entry.message, now)
        found = announced if announced is not None else found
    return found


def _absence_entries(entries: Sequence[Entry]) -> list[Entry]:
    """The auto-replies since the last genuine reply: the ones whose return date can still hold."""
    last_reply = max((i for i, e in enumerate(entries) if e.kind is Kind.REPLY), default=-1)
    return [e for e in entries[last_reply + 1 :] if e.kind is Kind.AUTO_REPLY]


def _announced_return(reading: ThreadReading, message: Message, now: datetime) -> date | None:
    if not message.text:
        return None
    return return_date(reading.stripped(message) or message.text, message.date or now)


def _prospect(reading: ThreadReading) -> Prospect | None:
    """The one who replied most recently, else the outside recipient of our latest outbound."""
    entries, team = reading.entries, reading.team
    replies = [
        e for e in entries if e.kind is Kind.REPLY and is_outside(e.message.sender.email, team)
    ]
    who: Address | None = replies[-1].message.sender if replies else None
    if who is None:
        for entry in reversed([e for e in entries if e.kind is Kind.OUTBOUND]):
            outside = [a for a in entry.message.recipients if a.email and is_outside(a.email, team)]
            if outside:
                who = outside[0]
                break
    if who is None or not who.email:
        return None
    return Prospect(email=who.email, name=_name_of(who, entries), phone=_phone_of(who, reading))


def _name_of(who: Address, entries: Sequence[Entry]) -> str:
    """The latest display name this address was given, by its owner or by us."""
    for entry in reversed(entries):
        for address in (entry.message.sender, *entry.message.recipients):
            if address.email == who.email and address.name:
                return address.name
    return ""


def _phone_of(who: Address, reading: ThreadReading) -> str | None:
    """A mobile from the prospect's own replies, newest first: new text and signature only."""
    region = region_for(who.domain)
    replies = [
        e.message
        for e in reversed(reading.entries)
        if e.kind is Kind.REPLY and e.message.sender.email == who.email and e.message.text
    ]

    def found(message: Message) -> tuple[Found, ...]:
        return reading.phones(message, region, new_only=True)

    # Excluding numbers can only take a mobile away: without one, our bodies need no search.
    if not any(best_mobile(found(m)) for m in replies):
        return None
    ours = frozenset(
        number.e164
        for e in reading.entries
        if e.kind in OURS and e.message.text
        for number in reading.phones(e.message, region_for(e.message.sender.domain), new_only=False)
    )
    return next((p for m in replies if (p := best_mobile(found(m), ours))), None)


def messages_needing_text(thread: Thread, team: Team) -> frozenset[str]:
    """Ids of the messages whose body changes the report; the others can stay headers-only.

    Read from a headers-only thread (`text is None`): an inbound message whose verdict needs its
    words (steps 6–8, and a DSN that may be only a delay), one whose top-level multipart may hide
    a report or calendar part behind a machine header, every auto-reply since the last genuine
    reply (an out-of-office's return date holds until they answer), and, when some reply may
    carry a phone, our own messages (the numbers to exclude). A scan can ask in two steps
    instead: `their_texts_needed`, then with those bodies read, `our_texts_needed`, which asks
    for ours only when a reply does hold a mobile.
    """
    reading = read_thread(thread, team)
    for_verdicts, ooo = _their_texts_needed(reading)
    needed = set(for_verdicts)
    # A message read for its verdict may turn out a reply, and a reply may carry a phone.
    if any(e.kind is Kind.REPLY or e.message.id in needed for e in reading.entries):
        needed.update(e.message.id for e in reading.entries if e.kind in OURS)
    return frozenset(needed | ooo)


def their_texts_needed(thread: Thread, team: Team) -> frozenset[str]:
    """Step 1 of `messages_needing_text`: every body it asks for but our own messages'."""
    return texts_for_verdicts(read_thread(thread, team))


def texts_for_verdicts(reading: ThreadReading) -> frozenset[str]:
    """`their_texts_needed` of a thread already read."""
    for_verdicts, ooo = _their_texts_needed(reading)
    return for_verdicts | ooo


def _their_texts_needed(reading: ThreadReading) -> tuple[frozenset[str], frozenset[str]]:
    """(bodies a verdict needs, the auto-replies whose return date may still hold)."""
    entries = reading.entries
    for_verdicts = frozenset(
        e.message.id
        for e in entries
        if e.kind not in OURS and needs_text(e.message, e.verdict, reading.my_ids)
    )
    # Every auto-reply after the last reply whose verdict no body can change may set the return
    # date (`_wait_until`); a reply still to be read may turn out an out-of-office, so it ends
    # nothing here.
    sure = [
        i
        for i, e in enumerate(entries)
        if e.kind is Kind.REPLY and e.message.id not in for_verdicts
    ]
    start = sure[-1] + 1 if sure else 0
    autos = frozenset(e.message.id for e in entries[start:] if e.kind is Kind.AUTO_REPLY)
    return for_verdicts, autos


def our_texts_needed(thread: Thread, team: Team) -> frozenset[str]:
    """Step 2, once the bodies of step 1 are read: our messages' ids when their numbers matter.

    Our bodies only feed `_phone_of`'s exclude set, and excluding numbers can only turn a found
    mobile into another one or none: when no genuine reply read in full holds a mobile of its
    own, nothing of ours can change the report (the phone is None either way).
    """
    return texts_for_phone(read_thread(thread, team))


def texts_for_phone(reading: ThreadReading) -> frozenset[str]:
    """`our_texts_needed` of a thread already read."""
    if not any(_may_hold_mobile(reading, e) for e in reading.entries):
        return frozenset()
    return frozenset(e.message.id for e in reading.entries if e.kind in OURS)


def _may_hold_mobile(reading: ThreadReading, entry: Entry) -> bool:
    message = entry.message
    if entry.kind is not Kind.REPLY or not message.text:
        return False
    region = region_for(message.sender.domain)
    return best_mobile(reading.phones(message, region, new_only=True)) is not None


# Rules whose verdict a body can change: the steps that read text, and DSNs (a delay is no bounce).
_TEXT_RULES = ("7", "8", "H1 DSN", "H10")


def needs_text(message: Message, verdict: Verdict, my_ids: frozenset[str]) -> bool:
    """Whether the message's body can change `verdict` (given for it read headers-only)."""
    if verdict.rule.startswith(_TEXT_RULES):
        return True
    if verdict.kind is Kind.BULK:  # bulk, unless it answers us with new text (H11 is weak)
        return bool(my_ids & {message.in_reply_to, *message.references})
    top = message.content_types[0] if message.content_types else ""
    # Headers-only reading sees only the top-level type: a part could be a DSN, MDN or iTIP REPLY.
    return top.startswith("multipart/") and not top.startswith("multipart/report")
