"""Timing: the prospect's zone from their Date offsets, and a slot inside the respectful window."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from maxcore.core.model import History, Prospect, Slot, Thread
from maxcore.core.settings import Settings
from maxcore.core.timing import (
    LAST_CALL,
    SLOT_COUNT,
    after_business_days,
    best_slot,
    is_contact_day,
    prospect_zone,
    upcoming_slots,
    user_zone,
)
from tests.maxcore._threads import ME, NOW, PARIS_WINTER, PROSPECT, TEAM, msg, report, thread

S = Settings()
NEW_YORK = timezone(timedelta(hours=-5))
UTC = UTC


def _replies(tz: timezone, raw: str | None = None, n: int = 3) -> object:
    return thread(
        msg(1, ME, 30, "Proposition"),
        *(msg(10 + i, PROSPECT, 20 - i, "Merci", tz=tz, raw_date=raw) for i in range(n)),
        msg(2, ME, 5, "?"),
    )


ZONES = [
    # (thread, phone, expected zone)
    (_replies(NEW_YORK), "+33612345678", "America/New_York"),  # offsets beat the phone prefix
    (_replies(timezone(timedelta(hours=1))), None, "Europe/Paris"),
    (_replies(UTC, raw="Mon, 2 Nov 2026 10:00:00 +0000"), "+447911123456", "Europe/London"),
    (_replies(UTC, raw="Mon, 2 Nov 2026 10:00:00 +0000"), "+33612345678", "Europe/Paris"),
    (_replies(UTC, raw="Mon, 2 Nov 2026 10:00:00 -0000"), "+14155550123", "America/New_York"),
    (thread(msg(1, ME, 3, "x")), None, "Europe/Paris"),  # no evidence: the default
]


@pytest.mark.parametrize(("th", "phone", "zone"), ZONES)
def test_prospect_zone(th: object, phone: str | None, zone: str) -> None:
    rep = report(th, unanswered=1, level="ok", phone=phone)  # type: ignore[arg-type]
    assert prospect_zone(th, TEAM, rep, "Europe/Paris").key == zone  # type: ignore[arg-type]


def _allowed(moment: datetime) -> bool:
    local = moment.time()
    in_window = any(a <= local < b for a, b in S.contact_windows)
    return in_window and moment.weekday() in S.contact_weekdays


def test_without_evidence_the_default_is_mid_morning_mid_week() -> None:
    th = thread(msg(1, ME, 5, "x"))
    slot = best_slot(th, TEAM, report(th, unanswered=1, level="ok"), NOW, S, History())
    assert slot.tzinfo is not None and slot > NOW and _allowed(slot)
    assert slot.weekday() in {1, 2, 3} and slot.time() == time(10, 30)


def test_their_answer_hours_set_the_target_inside_the_window() -> None:
    # Replies on Thursdays at 15:xx, 16:xx, 16:xx, 17:xx Paris time: the lower median hour is 16.
    ago = [1 + 7 * i - h / 24 for i, h in enumerate((7.2, 6.1, 8.3, 7.5))]
    th = thread(msg(1, ME, 40, "x"), *(msg(10 + i, PROSPECT, d, "ok") for i, d in enumerate(ago)))
    slot = best_slot(th, TEAM, report(th, unanswered=1, level="ok"), NOW, S, History())
    assert _allowed(slot) and slot.hour == 16 and slot.minute == 0
    assert slot.weekday() == 3 and slot.date() == date(2026, 12, 3)


def test_opens_count_as_evidence() -> None:
    th = thread(msg(1, ME, 20, "x"))
    opens = tuple(
        datetime(2026, 11, d, 15, 10, tzinfo=timezone(timedelta(hours=1))) for d in (3, 10, 17)
    )
    slot = best_slot(th, TEAM, report(th, unanswered=1, level="ok"), NOW, S, History(opens=opens))
    assert slot.hour == 15 and slot.weekday() == 1  # Tuesdays at 15h


def test_never_on_a_holiday_never_before_not_before_never_past() -> None:
    th = thread(msg(1, ME, 5, "x"))
    rep = report(th, unanswered=1, level="ok")
    christmas_eve = datetime(2026, 12, 24, 21, 0, tzinfo=timezone(timedelta(hours=1)))
    slot = best_slot(th, TEAM, rep, NOW, S, History(), not_before=christmas_eve)
    assert slot > christmas_eve and slot.date() != date(2026, 12, 25) and _allowed(slot)
    late = datetime(2026, 11, 26, 19, 58, tzinfo=timezone(timedelta(hours=1)))
    assert best_slot(th, TEAM, rep, late, S, History()) > late


@pytest.mark.parametrize(
    ("start", "grace", "expected"),
    [(date(2026, 12, 7), 2, date(2026, 12, 9)),  # back Monday: Wednesday
     (date(2026, 12, 10), 2, date(2026, 12, 14)),  # back Thursday: over the weekend
     (date(2026, 12, 24), 1, date(2026, 12, 28)),  # Christmas is not a working day in France
     (date(2026, 12, 7), 0, date(2026, 12, 7))],
)  # fmt: skip
def test_after_business_days(start: date, grace: int, expected: date) -> None:
    th = thread(msg(1, ME, 5, "x"))
    zone = prospect_zone(th, TEAM, report(th, unanswered=1, level="ok"), "Europe/Paris")
    assert after_business_days(start, grace, zone, S).date() == expected
    assert is_contact_day(expected, zone, S)


def test_without_any_hint_the_users_own_zone_is_the_default() -> None:
    th = thread(msg(1, ME, 9, "x", tz=NEW_YORK), msg(2, ME, 3, "y", tz=NEW_YORK))
    rep = replace(report(th, unanswered=2, level="watch", phone=None),
                  prospect=Prospect("sarah@northwind.com", "Sarah"))  # fmt: skip
    assert user_zone(th, TEAM) == "America/New_York"
    slot = best_slot(th, TEAM, rep, NOW, S, History(), default_tz=user_zone(th, TEAM))
    assert slot.tzinfo.key == "America/New_York"  # type: ignore[union-attr]
    assert time(10) <= slot.time() < time(13)


def test_a_reply_within_half_an_hour_of_ours_is_no_timing_evidence() -> None:
    # Three quick answers at 09:12 to our 09:00 mails, three slow ones at 17:12: only the slow
    # ones say when they are free.
    quick = [msg(20 + i, PROSPECT, 7 * i + 3 - 0.2 / 24, "ok") for i in range(3)]
    ours = [msg(10 + i, ME, 7 * i + 3 - 0.0 / 24, "x") for i in range(3)]
    slow = [msg(30 + i, PROSPECT, 7 * i + 2 - 8.2 / 24, "ok") for i in range(3)]
    messages = sorted([*ours, *quick, *slow], key=lambda m: m.date)  # type: ignore[arg-type, return-value]
    th = thread(*messages)
    slot = best_slot(th, TEAM, report(th, unanswered=0, level="ok"), NOW, S, History())
    assert slot.hour == 17


def test_the_votes_day_shortcut_gives_each_instants_own_zones() -> None:
    # Every half hour of 2026's DST change days (Europe, the US, Australia, Morocco's Ramadan)
    # and of ordinary days, for each offset some candidate zone has at that instant.
    from maxcore.core.timing import ZONE_COUNTRY, _zone, _zones_with

    days = [date(2026, m, d) for m, d in ((3, 8), (3, 29), (4, 5), (10, 4), (10, 25), (11, 1))]
    days += [date(2026, 2, 18), date(2026, 3, 22), date(2026, 7, 14), date(1970, 1, 1)]
    checked = 0
    for day in days:
        for half_hours in range(48):
            when = datetime.combine(day, time(0), UTC) + timedelta(minutes=30 * half_hours)
            offsets = {when.astimezone(_zone(n)).utcoffset() for n in ZONE_COUNTRY}
            for offset in offsets:
                local = when.astimezone(timezone(offset))  # type: ignore[arg-type]
                expected = {
                    n for n in ZONE_COUNTRY if when.astimezone(_zone(n)).utcoffset() == offset
                }
                assert set(_zones_with(offset, local)) == expected, (when, offset)
                checked += 1
    assert checked > 5000


# ---- upcoming_slots: the next respectful windows ------------------------------------------

ONE_EMAIL = thread(msg(1, ME, 5, "x"))  # no timing evidence: Tuesday to Thursday at 10:30
# Three slow answers on Fridays at 16:12 Paris time: Fridays at 16:00 are their moment.
FRIDAYS = thread(
    msg(1, ME, 40, "x"), *(msg(10 + i, PROSPECT, 7 * i - 7.2 / 24, "ok") for i in (3, 2, 1))
)
CHRISTMAS_EVE = datetime(2026, 12, 24, 16, 0, tzinfo=PARIS_WINTER)  # a Thursday
FRENCH_HOLIDAYS = {date(2026, 12, 25), date(2027, 1, 1)}
# The default windows' closes less LAST_CALL: what a reminder may still fire at.
LAST_MOMENTS = {time(10): time(12, 45), time(14): time(19, 45)}


def _slots(
    th: Thread, now: datetime, settings: Settings = S, count: int = SLOT_COUNT
) -> tuple[Slot, ...]:
    rep = report(th, unanswered=1, level="ok")
    return upcoming_slots(th, TEAM, rep, now, settings, History(), count=count)


SLOT_DAYS = [
    # (name, thread, now, the days of the slots)
    ("a Friday morning, no evidence: Tuesday to Thursday", ONE_EMAIL, NOW,
     (date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3))),
    ("Christmas Eve, no evidence: after Christmas and the weekend", ONE_EMAIL, CHRISTMAS_EVE,
     (date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31))),
    # Their Fridays are both holidays (25 December, 1 January): today, then the first days of
    # each following week, never a Friday off nor a weekend.
    ("Christmas Eve, Friday people: today, then past both Friday holidays", FRIDAYS,
     CHRISTMAS_EVE, (date(2026, 12, 24), date(2026, 12, 28), date(2026, 12, 29))),
    ("a Friday morning, Friday people: this Friday and the next two", FRIDAYS, NOW,
     (date(2026, 11, 27), date(2026, 12, 4), date(2026, 12, 11))),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "th", "now", "days"), SLOT_DAYS, ids=[row[0] for row in SLOT_DAYS]
)
def test_slots_are_best_slots_windows_on_later_contact_days(
    name: str, th: Thread, now: datetime, days: tuple[date, ...]
) -> None:
    rep = report(th, unanswered=1, level="ok")
    slots = _slots(th, now)
    assert tuple(s.best.date() for s in slots) == days
    zone = prospect_zone(th, TEAM, rep, "Europe/Paris")
    after: datetime | None = None  # each next one is best_slot from the day after the previous
    for slot in slots:
        assert slot.best == best_slot(th, TEAM, rep, now, S, History(), not_before=after)
        assert slot.opens.tzinfo is slot.best.tzinfo is slot.closes.tzinfo is zone
        assert now <= slot.opens <= slot.best <= slot.closes and _allowed(slot.best)
        assert is_contact_day(slot.best.date(), zone, S) and slot.best.weekday() < 5
        assert slot.best.date() not in FRENCH_HOLIDAYS
        window = max(w for w in LAST_MOMENTS if w <= slot.best.time())
        assert slot.closes == datetime.combine(slot.best.date(), LAST_MOMENTS[window], zone)
        assert slot.opens == max(datetime.combine(slot.best.date(), window, zone), now)
        after = datetime.combine(slot.best.date() + timedelta(days=1), time(0), zone)
    assert len({s.best.date() for s in slots}) == len(slots)  # one a day, later and later


TUESDAY = date(2026, 12, 1)
SHORT_MORNING = Settings(contact_windows=((time(10, 0), time(10, 52)),))
FIRST_SLOTS = [
    # (name, settings, now (Paris), the first slot's (opens, best, closes) on Tuesday 1 December)
    ("before the window: it opens at its opening", S, time(9, 0),
     (time(10, 0), time(10, 30), time(12, 45))),
    ("inside the window: it opens at now, best rounded up to STEP", S, time(10, 41, 20),
     (time(10, 41, 20), time(10, 45), time(12, 45))),
    # 10:36 rounds up to 10:40, past the last call (10:52 - 15 min = 10:37): it closes at best.
    ("rounded past the last call: it closes at best", SHORT_MORNING, time(10, 36),
     (time(10, 36), time(10, 40), time(10, 40))),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "settings", "at", "expected"), FIRST_SLOTS, ids=[row[0] for row in FIRST_SLOTS]
)
def test_the_first_slot_opens_at_now_inside_a_window_and_never_closes_before_best(
    name: str, settings: Settings, at: time, expected: tuple[time, time, time]
) -> None:
    now = datetime.combine(TUESDAY, at, PARIS_WINTER)
    first = _slots(ONE_EMAIL, now, settings)[0]
    rep = report(ONE_EMAIL, unanswered=1, level="ok")
    assert first.best == best_slot(ONE_EMAIL, TEAM, rep, now, settings, History())
    wall = (first.opens, first.best, first.closes)
    assert tuple(m.astimezone(PARIS_WINTER) for m in wall) == tuple(
        datetime.combine(TUESDAY, t, PARIS_WINTER) for t in expected
    )


@pytest.mark.parametrize("count", [1, SLOT_COUNT, 8])
def test_count_slots_one_per_contact_day(count: int) -> None:
    slots = _slots(ONE_EMAIL, NOW, count=count)
    assert len(slots) == count
    days = [s.best.date() for s in slots]
    assert days == sorted(set(days))


def test_without_any_contact_day_the_one_slot_is_best_slots_fallback() -> None:
    never = Settings(contact_weekdays=frozenset())
    now = datetime(2026, 12, 1, 10, 3, 20, tzinfo=PARIS_WINTER)
    rep = report(ONE_EMAIL, unanswered=1, level="ok")
    fallback = best_slot(ONE_EMAIL, TEAM, rep, now, never, History())
    assert fallback == datetime(2026, 12, 1, 10, 5, tzinfo=PARIS_WINTER)  # now, rounded up
    assert _slots(ONE_EMAIL, now, never) == (Slot(opens=now, best=fallback, closes=fallback),)


def test_the_closes_are_the_default_windows_less_last_call() -> None:
    # LAST_MOMENTS above is written out; this ties it to the settings it stands for.
    assert {a: (datetime.combine(TUESDAY, b) - LAST_CALL).time() for a, b in S.contact_windows} == (
        LAST_MOMENTS
    )
