"""Which of two reports of one thread saw the later mail (triage.is_as_recent)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from maxcore.core.model import ThreadReport
from maxcore.core.triage import is_as_recent, last_message_at

T1, T2, T3 = (datetime(2026, 11, d, 10, tzinfo=UTC) for d in (1, 2, 3))


def report(touch: datetime | None, reply: datetime | None) -> ThreadReport:
    return ThreadReport(
        thread_id="18f0", subject="s", unanswered=0, level="ok", last_reply_at=reply,
        wait_until=None, opens=0, ignored=(), prospect=None, last_touch_at=touch,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("new", "old", "kept"),
    [
        (report(T2, None), report(T1, None), True),  # one more touch of ours
        (report(T1, T3), report(T2, None), True),  # they answered since
        (report(T2, None), report(T2, T3), False),  # a tab open since before their answer
        (report(T2, None), report(T2, None), True),  # the same mail read again (opens may move)
        (report(None, None), report(T1, None), False),  # a reading that saw nothing
        (report(T1, None), report(None, None), True),
    ],
)
def test_a_reading_replaces_a_row_only_if_it_saw_as_much(
    new: ThreadReport, old: ThreadReport, kept: bool
) -> None:
    assert is_as_recent(new, old) is kept


def test_the_last_message_is_the_later_of_touch_and_reply() -> None:
    assert last_message_at(report(T1, T3)) == T3 and last_message_at(report(None, None)) is None
