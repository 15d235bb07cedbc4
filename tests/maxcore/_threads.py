"""Sales threads written here for the pivot tests (not real mail): a salesperson at Acme Software
and a prospect at BatiPlus, built as model values so each test states only what it changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import MappingProxyType

from maxcore.core.model import Address, Ignored, Message, Prospect, Team, Thread, ThreadReport

ME = Address("thomas.durand@acme-software.fr", "Thomas Durand")
PROSPECT = Address("marc.lefevre@batiplus.fr", "Marc Lefèvre")
TEAM = Team.of([ME.email], ["acme-software.fr"])
PARIS_WINTER = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=PARIS_WINTER)  # a Friday
MOBILE = "+33612345678"


def msg(
    n: int,
    sender: Address,
    days_ago: float,
    text: str = "",
    *,
    tz: timezone = PARIS_WINTER,
    raw_date: str | None = None,
    headers: dict[str, tuple[str, ...]] | None = None,
) -> Message:
    date = (NOW - timedelta(days=days_ago)).astimezone(tz)
    to = (PROSPECT,) if sender == ME else (ME,)
    all_headers = dict(headers or {})
    if raw_date:
        all_headers["date"] = (raw_date,)
    return Message(
        id=f"<{n}@test>", subject="Proposition - module planification", sender=sender, to=to,
        date=date, text=text, headers=MappingProxyType(all_headers),
    )  # fmt: skip


def thread(*messages: Message, thread_id: str = "18f0a") -> Thread:
    return Thread(thread_id, "Proposition - module planification", tuple(messages))


def report(
    th: Thread,
    *,
    unanswered: int,
    level: str,
    opens: int = 0,
    phone: str | None = MOBILE,
    ignored: tuple[Ignored, ...] = (),
    wait_until: object = None,
    complete: bool = True,
) -> ThreadReport:
    replies = [m.date for m in th.messages if m.sender == PROSPECT and m.date]
    ours = [m.date for m in th.messages if m.sender == ME and m.date]
    return ThreadReport(
        thread_id=th.thread_id, subject=th.subject, unanswered=unanswered, level=level,  # type: ignore[arg-type]
        last_reply_at=max(replies) if replies else None, wait_until=wait_until,  # type: ignore[arg-type]
        opens=opens, ignored=ignored, prospect=Prospect(PROSPECT.email, PROSPECT.name, phone),
        complete=complete, last_touch_at=max(ours) if ours else None,
    )  # fmt: skip
