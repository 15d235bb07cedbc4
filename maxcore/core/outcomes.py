"""Did the pivot work? The cases a mailbox history provides, and the figures of each kind.

Pure. A thread's timeline is its counted messages in date order, each ours (a touch) or theirs (a
genuine reply), as the thread's report judged them: what the report set aside (auto-replies,
bounces, read receipts, bulk mail, internal notes, drafts: `ignored`) is not in it.

- After a third email: every touch that made the unanswered count reach THIRD (3) is a case,
  once per silence (a fourth touch is the same silence): counting's own rule (our outbound
  messages since the last genuine reply), replayed message by message; it is answered when a
  genuine reply follows it, after the hours between.
- After a pivot: every phone message marked sent is a case; it is answered when a genuine reply
  follows it in the thread (the first one after it), or when the salesperson said it was
  (answered on the phone), at the time they gave.

A rate and a median are figures only from MIN_CASES cases: below, they are None (null).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .model import Team, Thread, ThreadReport
from .reading import our_touches, their_replies

THIRD = 3  # the follow-up that kills the sale: the counterfactual of a pivot
MIN_CASES = 10  # no figure shown on fewer (issue 13)


@dataclass(frozen=True, slots=True)
class Event:
    """One counted message of a thread: when, and whether it is ours (else a genuine reply)."""

    at: datetime
    ours: bool


Timeline = tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class Case:
    """A pivot sent or a third email, and the first genuine reply after it (None: none yet)."""

    at: datetime
    answered_at: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    cases: int
    answered: int
    reply_rate: float | None  # answered / cases; None below MIN_CASES cases
    median_hours_to_reply: float | None  # of the answered cases; None below MIN_CASES cases


@dataclass(frozen=True)
class Stats:
    """`maxcore stats --json`, GET /api/v1/stats: after a pivot against after a third email."""

    after_pivot: Outcome
    after_third_email: Outcome
    min_cases: int = MIN_CASES


def timeline_of(thread: Thread, team: Team, report: ThreadReport) -> Timeline:
    """The thread's touches and genuine replies in the thread's order, the order counting walks
    (an undated message is left out: it cannot be placed)."""
    ours = {id(m) for m in our_touches(thread, team, report)}
    counted = ours | {id(m) for m in their_replies(thread, team, report)}
    return tuple(
        Event(m.date, id(m) in ours) for m in thread.messages if id(m) in counted and m.date
    )


def first_reply_after(timeline: Timeline, at: datetime) -> datetime | None:
    return min((e.at for e in timeline if not e.ours and e.at > at), default=None)


def pivot_case(timeline: Timeline, sent_at: datetime, marked_at: datetime | None) -> Case:
    """A pivot: answered at the first genuine reply after it, or when the user said (the
    earlier of the two)."""
    found = [t for t in (first_reply_after(timeline, sent_at), marked_at) if t is not None]
    return Case(sent_at, min(found, default=None))


def third_email_cases(timeline: Timeline) -> list[Case]:
    """Each touch that made the unanswered count reach THIRD, with the reply that followed."""
    cases: list[Case] = []
    unanswered = 0
    for event in timeline:
        unanswered = unanswered + 1 if event.ours else 0
        if unanswered == THIRD:
            cases.append(Case(event.at, first_reply_after(timeline, event.at)))
    return cases


def outcome_of(cases: Iterable[Case]) -> Outcome:
    every = list(cases)
    hours = [(c.answered_at - c.at).total_seconds() / 3600 for c in every if c.answered_at]
    if len(every) < MIN_CASES:
        return Outcome(len(every), len(hours), None, None)
    median = round(statistics.median(hours), 2) if hours else None
    return Outcome(len(every), len(hours), round(len(hours) / len(every), 4), median)


def stats_of(pivots: Iterable[Case], third_emails: Iterable[Case]) -> Stats:
    return Stats(after_pivot=outcome_of(pivots), after_third_email=outcome_of(third_emails))
