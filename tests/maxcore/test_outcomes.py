"""The cases a timeline holds and the figures of a set of cases (maxcore.core.outcomes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from maxcore.core.outcomes import (
    MIN_CASES,
    Case,
    Event,
    Outcome,
    first_reply_after,
    outcome_of,
    pivot_case,
    third_email_cases,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def timeline(*steps: str) -> tuple[Event, ...]:
    """ "m" ours, "t" theirs, one a day."""
    return tuple(Event(at(24 * i), s == "m") for i, s in enumerate(steps))


@pytest.mark.parametrize(
    ("steps", "cases"),
    [
        ("mm", []),
        ("mmm", [Case(at(48))]),
        ("mmmt", [Case(at(48), at(72))]),
        ("mmmmt", [Case(at(48), at(96))]),  # a fourth touch is the same silence: one case
        ("mmtmmm", [Case(at(120))]),  # the count starts again after their reply
        ("mmmtmmm", [Case(at(48), at(72)), Case(at(144))]),
        ("tmmm", [Case(at(72))]),  # they wrote first: our three after it
        ("mmtm", []),
    ],
)
def test_a_case_is_the_touch_that_made_three_unanswered(steps: str, cases: list[Case]) -> None:
    assert third_email_cases(timeline(*steps)) == cases


def test_a_pivot_is_answered_by_the_first_reply_after_it_or_the_users_mark() -> None:
    line = timeline("m", "m", "m", "t", "t")
    assert first_reply_after(line, at(50)) == at(72)
    assert pivot_case(line, at(50), None) == Case(at(50), at(72))
    assert pivot_case(line, at(50), at(60)) == Case(at(50), at(60))  # the phone came first
    assert pivot_case(line, at(100), None) == Case(at(100))  # nothing after it
    assert pivot_case((), at(1), at(5)) == Case(at(1), at(5))


@pytest.mark.parametrize(
    ("hours", "unanswered", "expected"),
    [
        ([], 0, Outcome(0, 0, None, None)),
        ([1.0] * 9, 0, Outcome(9, 9, None, None)),  # 9 cases: no figure
        ([1.0] * 5, 4, Outcome(9, 5, None, None)),
        ([2.0, 4.0, 6.0, 8.0], 6, Outcome(10, 4, 0.4, 5.0)),
        ([], 10, Outcome(10, 0, 0.0, None)),  # nobody answered: no time to reply
        ([1.0, 2.0, 30.5], 9, Outcome(12, 3, 0.25, 2.0)),
    ],
)
def test_rate_and_median_from_ten_cases(
    hours: list[float], unanswered: int, expected: Outcome
) -> None:
    cases = [Case(T0, at(h)) for h in hours] + [Case(T0)] * unanswered
    assert outcome_of(cases) == expected
    assert MIN_CASES == 10


def test_the_timeline_replays_countings_own_unanswered_on_real_mail() -> None:
    """One counter: at the end of each thread's timeline, the touches since the last genuine
    reply are the report's `unanswered` (the demo mailbox and sisimai's bounces and receipts)."""
    from pathlib import Path

    from maxcore.adapters.source import read_threads
    from maxcore.app import service
    from maxcore.core.model import Team
    from maxcore.core.outcomes import timeline_of

    root = Path(__file__).resolve().parents[2]
    team = Team.of(["claire.martin@optiplan.fr"], ["optiplan.fr"])
    checked = 0
    for path in (root / "samples" / "demo.mbox",):
        for thread in read_threads(path).threads:
            report = service.analyze(thread, team, T0.replace(year=2027))
            line = timeline_of(thread, team, report)
            trailing = len(line) - max((i + 1 for i, e in enumerate(line) if not e.ours), default=0)
            undated = sum(1 for m in thread.messages if m.date is None)
            if not undated:
                assert trailing == report.unanswered, thread.thread_id
                checked += 1
    assert checked >= 3
