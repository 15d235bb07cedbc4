"""parse_displayed_date: the dates Gmail shows, French and English, read against `now`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from maxcore.adapters.displayed_date import parse_displayed_date

PARIS = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=PARIS)


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:12", at(11, 27, 10, 12)),  # today shows only a time
        ("10:12 AM", at(11, 27, 10, 12)),
        ("10:12\u202fPM", at(11, 27, 22, 12)),  # Chrome puts a narrow no-break space before PM
        ("12:05 AM", at(11, 27, 0, 5)),
        ("3 nov.", at(11, 3)),
        ("Nov 3", at(11, 3)),
        ("3 févr. 2026, 10:12", at(2, 3, 10, 12)),
        ("Nov 3, 2026, 10:12 AM", at(11, 3, 10, 12)),
        ("lun. 3 nov. 2026, 10:12", at(11, 3, 10, 12)),
        ("Mon, Nov 3, 2026 at 10:12 AM", at(11, 3, 10, 12)),
        ("3 nov. 2026 à 10:12", at(11, 3, 10, 12)),
        ("mar. 3 mars 2026, 10:12", at(3, 3, 10, 12)),  # "mar." is mardi here, mars is the month
        ("Mar 3", at(3, 3)),
        ("Nov 3, 2026, 10:12 AM (24 days ago)", at(11, 3, 10, 12)),
        ("3 nov. 2026 à 10:12 (il y a 24 jours)", at(11, 3, 10, 12)),
        ("3\xa0déc.\xa02025, 09:30", at(12, 3, 9, 30, year=2025)),
        ("2026-11-03T10:12:00+01:00", at(11, 3, 10, 12)),
        ("2026-11-03T09:12:00Z", at(11, 3, 10, 12)),
    ],
)
def test_gmail_displayed_dates_parse(text: str, expected: datetime) -> None:
    assert parse_displayed_date(text, NOW) == expected


@pytest.mark.parametrize("text", ["hello", "", "31 févr. 2026", "25:99", "Nov 3 4 5", "demain"])
def test_what_is_not_a_date_is_none(text: str) -> None:
    assert parse_displayed_date(text, NOW) is None


def test_result_is_in_nows_time_zone() -> None:
    tokyo = NOW.astimezone(timezone(timedelta(hours=9)))
    parsed = parse_displayed_date("10:12", tokyo)
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=9)
    assert parsed.date() == tokyo.date()
