"""The return date an out-of-office announces ("de retour le 15 décembre", "back on Monday").

Pure: text and the message's own date in, a `date` or None out; never raises. Rule: a lead-in
phrase from the table below (French or English) followed by a date. The language of the lead-in
decides how to read "12/07": day first in French, month first in English (US habit). A date
without a year is the next one on or after the day the auto-reply was sent; a weekday alone
("back on Monday") is the first such day after it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .text import fold

# Lead-in phrases, by language. The date expression must follow within a few words.
LEAD_INS: tuple[tuple[str, str], ...] = (
    ("fr", r"de retour(?: au bureau| parmi vous)?(?: (?:le|à partir du|dès le|à compter du))?"),
    ("fr", r"absente?s?(?: du bureau)?(?: (?:jusqu'au|jusqu'à|jusqu'à le|au))"),
    ("fr", r"(?:en congés?|en vacances|en déplacement)(?: jusqu'au| jusqu'à)"),
    ("fr", r"(?:retour|reprise)(?: prévue?)?(?: (?:le|au))?"),
    ("fr", r"(?:à partir du|à compter du|dès le)"),
    (
        "en",
        r"(?:be |I'll be |I will be |I am )?back(?: in the office| at work| in office)?"
        r"(?: on| from)?",
    ),
    ("en", r"out of (?:the )?office(?: until| till| through)"),
    ("en", r"(?:away|on leave|on vacation|on holiday|travelling|traveling)(?: until| till)"),
    ("en", r"returning(?: to the office| to work)?(?: on)?"),
    ("en", r"(?:return|returning) on"),
)

MONTHS: dict[str, int] = {
    **{m: i for i, m in enumerate(
        ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
         "octobre", "novembre", "decembre"), start=1)},
    **{m: i for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december"), start=1)},
    **{m: i for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1)},
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    **{d: i for i, d in enumerate(
        ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"))},
    **{d: i for i, d in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
}  # fmt: skip

_MONTH = r"(?P<month>[a-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:er|st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?P<weekday>[a-z]{5,9})\.?,? )?"
_DATE_FORMS = (
    r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})(?:[/.-](?P<y>\d{2,4}))?",  # 15/12, 12/07/2026
    rf"{_WEEKDAY}(?:the )?{_DAY}(?: of)? {_MONTH}(?:,? {_YEAR})?",  # lundi 7 décembre 2026
    rf"{_WEEKDAY}{_MONTH} {_DAY}(?:,? {_YEAR})?",  # Monday, December 7th, 2026
    r"(?P<only>[a-z]{5,9})\b",  # Monday / lundi
)


def _fold(text: str) -> str:
    """Lower-case, no accents, plain spaces, one apostrophe: patterns stay simple."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    return re.sub(r"\s+", " ", fold(text))


def _compile() -> tuple[tuple[str, int, re.Pattern[str]], ...]:
    """Every lead-in joined to every date form; the form's index ranks a full date first."""
    compiled = []
    for lang, lead in LEAD_INS:
        for rank, form in enumerate(_DATE_FORMS):
            pattern = rf"\b{_fold(lead)} (?:(?:le|the|on) )?{form}"
            compiled.append((lang, rank, re.compile(pattern)))
    return tuple(compiled)


_PATTERNS = _compile()


def return_date(text: str, sent: datetime) -> date | None:
    """The first return date the text announces, resolved against the day it was sent."""
    folded = _fold(text)
    found: list[tuple[int, int, date]] = []
    for lang, rank, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            resolved = _resolve(match, lang, sent.date())
            if resolved is not None:
                found.append((match.start(), rank, resolved))
                break
    return min(found)[2] if found else None


def _resolve(match: re.Match[str], lang: str, sent: date) -> date | None:
    groups = match.groupdict()
    if groups.get("only") is not None:
        weekday = WEEKDAYS.get(groups["only"])
        if weekday is None:
            return None
        return sent + timedelta(days=(weekday - sent.weekday() - 1) % 7 + 1)
    if groups.get("a") is not None:
        first, second = int(groups["a"]), int(groups["b"])
        day, month = (first, second) if lang == "fr" else (second, first)
        return _build(groups.get("y"), month, day, sent)
    month_number = MONTHS.get(groups["month"])
    weekday_name = groups.get("weekday")
    if month_number is None or (weekday_name is not None and weekday_name not in WEEKDAYS):
        return None
    return _build(groups.get("year"), month_number, int(groups["day"]), sent)


def _build(year: str | None, month: int, day: int, sent: date) -> date | None:
    try:
        if year is not None:
            full = int(year) + (2000 if len(year) == 2 else 0)
            return date(full, month, day)
        candidate = date(sent.year, month, day)
        return candidate if candidate >= sent else date(sent.year + 1, month, day)
    except ValueError:  # 31/02, 13/13: not a date
        return None
