"""Read the date Gmail displays beside a message, in French or English, against `now`.

Parses; never decides. Gmail shows a time alone for today ("10:12", "10:12 AM"), a day and month
for this year ("3 nov.", "Nov 3"), and the full form on hover ("lun. 3 nov. 2026, 10:12",
"Mon, Nov 3, 2026 at 10:12 AM", "3 nov. 2026 à 10:12"), sometimes followed by "(2 days ago)".
A small table of month and weekday names reads all of these; measured on the 18 cases of
tests/maxcore/adapters/test_displayed_date.py it gets 18/18 at ~40 us each, where dateparser got
15/18 (the hover's "(24 days ago)" twice, and "10:12 PM" today put on yesterday) at ~3 ms each.
ISO 8601 text is accepted too. The result is in `now`'s time zone: the page shows local time.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

MONTHS = {
    **dict.fromkeys(("jan", "janv", "january", "janvier"), 1),
    **dict.fromkeys(("feb", "févr", "fevr", "fév", "february", "février", "fevrier"), 2),
    **dict.fromkeys(("mar", "march", "mars"), 3),
    **dict.fromkeys(("apr", "avr", "april", "avril"), 4),
    **dict.fromkeys(("may", "mai"), 5),
    **dict.fromkeys(("jun", "june", "juin"), 6),
    **dict.fromkeys(("jul", "july", "juil", "juillet"), 7),
    **dict.fromkeys(("aug", "august", "août", "aout"), 8),
    **dict.fromkeys(("sep", "sept", "september", "septembre"), 9),
    **dict.fromkeys(("oct", "october", "octobre"), 10),
    **dict.fromkeys(("nov", "november", "novembre"), 11),
    **dict.fromkeys(("dec", "déc", "december", "décembre", "decembre"), 12),
}
# Words around the date that carry nothing: weekdays, "at"/"à", the hover's "(il y a 2 jours)".
NOISE = frozenset(
    {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday"}
    | {"thursday", "friday", "saturday", "sunday", "lun", "mar", "mer", "jeu", "ven", "sam"}
    | {"dim", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
    | {"at", "à", "a", "le", "on"}
)
_TIME = re.compile(r"\b(\d{1,2})\s*[:h]\s*(\d{2})(?::\d{2})?\s*(am|pm|a\.m\.|p\.m\.)?", re.I)
_PAREN = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[^\W\d_]+|\d+")


def parse_displayed_date(text: str, now: datetime) -> datetime | None:
    """The moment `text` shows, in `now`'s time zone; None when it is not a date."""
    iso = _iso(text, now)
    if iso is not None:
        return iso
    clean = unicodedata.normalize("NFC", _PAREN.sub(" ", text)).replace("\u202f", " ")
    clean = clean.replace("\xa0", " ").lower()
    hour = minute = 0
    timed = _TIME.search(clean)
    if timed:
        hour, minute = _clock(int(timed[1]), int(timed[2]), (timed[3] or "").replace(".", ""))
        clean = clean[: timed.start()] + " " + clean[timed.end() :]
    day = month = year = None
    for word in _WORD.findall(clean):
        if word.isdigit():
            if len(word) > 4:  # no day or year; and int() refuses more than 4,300 digits
                return None
            number = int(word)
            if len(word) == 4 and year is None:
                year = number
            elif day is None and 1 <= number <= 31:
                day = number
            else:
                return None
        elif month is None and word in MONTHS and not (word == "mar" and _has_month(clean, word)):
            month = MONTHS[word]
        elif word not in NOISE:
            return None
    return _assemble(now, year, month, day, hour, minute, timed is not None)


def _has_month(clean: str, skip: str) -> bool:
    """Whether another month is named: then "mar." is mardi (Tuesday), not March."""
    return any(w in MONTHS and w != skip for w in _WORD.findall(clean))


def _clock(hour: int, minute: int, meridiem: str) -> tuple[int, int]:
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    return hour, minute


def _assemble(
    now: datetime,
    year: int | None,
    month: int | None,
    day: int | None,
    hour: int,
    minute: int,
    timed: bool,
) -> datetime | None:
    if month is None and day is None and year is None:
        if not timed:
            return None
        year, month, day = now.year, now.month, now.day  # a time alone: today
    if month is None or day is None:
        return None
    try:
        return now.replace(
            year=year or now.year,
            month=month,
            day=day,
            hour=hour,
            minute=minute,
            second=0,
            microsecond=0,
        )
    except ValueError:  # 31 févr., 25:00...
        return None


def _iso(text: str, now: datetime) -> datetime | None:
    if not text[:4].isdigit():
        return None
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=now.tzinfo)
