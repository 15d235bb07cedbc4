"""The return date an out-of-office announces ("de retour le 15 décembre", "back on Monday").

Pure: text and the message's own date in, a `date` or None out; never raises. Rule: a lead-in
phrase from the table below (French, English, German, Spanish, Italian) followed by a date; a
lead-in may instead hold `{date}` where the date sits ("ab dem 7. Dezember wieder im Büro"). A
date without a year is the next one on or after the day the auto-reply was sent; a weekday alone
("back on Monday") is the first such day after it.

Numeric dates: every language here but English writes the day first. English is written both
ways (day first in the UK and most of the world, month first in the US), so when "05/01/2010"
reads both ways the reading that equals another date of the text wins ("returning 5th January"),
then the order the text's other numeric dates show ("15/12" can only be day first), then the
reading nearest on or after the sent day (an absence is days or weeks, not months); a reading
before the sent day loses to one after it, and with nothing to choose, the US habit, month first.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .text import fold

# Lead-in phrases, by language. The date expression must follow (or sit at `{date}`). Sources:
# mail-signals.md "Body phrases" (fr, en); for de/es/it the wording of Outlook's automatic-reply
# templates in those languages (Microsoft KB 290846, localised editions).
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
    ("de", r"(?:zurück|zurueck)(?: im büro| im buero)?(?: am| ab)?"),
    ("de", r"wieder (?:im büro|im buero|im hause|erreichbar|da)(?: am| ab)?(?: dem)?"),
    ("de", r"ab (?:dem )?{date}(?: [^ ]+){0,3} wieder"),  # [^ ], not \S: fold lowers it
    ("de", r"bis(?: einschließlich| einschliesslich| zum| am)?"),
    (
        "es",
        r"(?:de vuelta|de regreso|regresaré|regreso|volveré|me reincorporo)"
        r"(?: a la oficina)?(?: el| a partir del)?",
    ),  # fmt: skip
    ("es", r"hasta(?: el)?"),
    (
        "it",
        r"(?:di ritorno|di rientro|rientrerò|tornerò|rientro(?: previsto)?)(?: in ufficio)?"
        r"(?: il| dal| a partire dal)?",
    ),  # fmt: skip
    ("it", r"sarò di nuovo in ufficio(?: il| dal)?"),
    ("it", r"fino al"),
)

MONTHS: dict[str, int] = {
    **{m: i for i, m in enumerate(
        ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
         "octobre", "novembre", "decembre"), start=1)},
    **{m: i for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december"), start=1)},
    **{m: i for i, m in enumerate(
        ("januar", "februar", "marz", "april", "mai", "juni", "juli", "august", "september",
         "oktober", "november", "dezember"), start=1)},
    **{m: i for i, m in enumerate(
        ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
         "octubre", "noviembre", "diciembre"), start=1)},
    **{m: i for i, m in enumerate(
        ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
         "settembre", "ottobre", "novembre", "dicembre"), start=1)},
    **{m: i for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1)},
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9,
    "janner": 1, "okt": 10, "dez": 12, "setiembre": 9,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    **{d: i for i, d in enumerate(
        ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"))},
    **{d: i for i, d in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{d: i for i, d in enumerate(
        ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"))},
    **{d: i for i, d in enumerate(
        ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"))},
    **{d: i for i, d in enumerate(
        ("lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica"))},
}  # fmt: skip

_MONTH = r"(?P<month>[a-z]{3,10})\.?"
_DAY = r"(?P<day>\d{1,2})(?:er|st|nd|rd|th|\.)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?P<weekday>[a-z]{5,10})\.?,? )?"
_NUMERIC = r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})(?:[/.-](?P<y>\d{2,4}))?"
_DATE_FORMS = (
    _NUMERIC,  # 15/12, 12/07/2026, 07.12.
    # lundi 7 décembre 2026, Montag, 7. Dezember 2026, lunes 7 de diciembre de 2026
    rf"{_WEEKDAY}(?:the )?{_DAY}(?: of| de)? {_MONTH}(?:,? (?:de )?{_YEAR})?",
    rf"{_WEEKDAY}{_MONTH} {_DAY}(?:,? {_YEAR})?",  # Monday, December 7th, 2026
    r"(?P<only>[a-z]{5,10})\b",  # Monday / lundi / Montag
)
# Any numeric date, wherever it is: its order tells how the text writes dates.
_ANY_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-]\d{2,4})?\b")


def _fold(text: str) -> str:
    """Lower-case, no accents, plain spaces, one apostrophe: patterns stay simple."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    return re.sub(r"\s+", " ", fold(text))


_Rule = tuple[str, re.Pattern[str], tuple[tuple[int, re.Pattern[str]], ...]]


def _compile() -> tuple[_Rule, ...]:
    """Per lead-in: the lead-in alone (a cheap first search), then it joined to every date form;
    the form's index ranks a full date first."""
    compiled = []
    for lang, lead in LEAD_INS:
        folded = _fold(lead)
        forms = []
        for rank, form in enumerate(_DATE_FORMS):
            if "{date}" in folded:
                pattern = rf"\b{folded.replace('{date}', form)}"
            else:
                pattern = rf"\b{folded} (?:(?:le|the|on|el|il|am) )?{form}"
            forms.append((rank, re.compile(pattern)))
        alone = re.compile(rf"\b{folded.partition('{date}')[0]}")
        compiled.append((lang, alone, tuple(forms)))
    return tuple(compiled)


_RULES = _compile()


def return_date(text: str, sent: datetime) -> date | None:
    """The first return date the text announces, resolved against the day it was sent."""
    folded = _fold(text)
    matches: list[tuple[int, int, str, re.Match[str]]] = []
    for lang, alone, forms in _RULES:
        if not alone.search(folded):
            continue
        for rank, pattern in forms:
            matches.extend((m.start(), rank, lang, m) for m in pattern.finditer(folded))
    if not matches:
        return None
    day = sent.date()
    sure = {
        resolved
        for _, _, lang, match in matches
        if not _is_ambiguous(match, lang) and (resolved := _resolve(match, lang, day))
    }
    order = _text_order(folded)
    found = [
        (start, rank, resolved)
        for start, rank, lang, match in matches
        if (resolved := _resolve(match, lang, day, sure, order)) is not None
    ]
    return min(found)[2] if found else None


def _is_ambiguous(match: re.Match[str], lang: str) -> bool:
    """An English numeric date both of whose parts could be the month."""
    a, b = match.groupdict().get("a"), match.groupdict().get("b")
    return lang == "en" and a is not None and b is not None and int(a) <= 12 and int(b) <= 12


def _text_order(folded: str) -> str | None:
    """ "day" or "month" first, when a numeric date of the text can only be read one way."""
    for first, second in _ANY_NUMERIC.findall(folded):
        if int(first) > 12 >= int(second):
            return "day"
        if int(second) > 12 >= int(first):
            return "month"
    return None


def _resolve(
    match: re.Match[str],
    lang: str,
    sent: date,
    sure: set[date] | None = None,
    order: str | None = None,
) -> date | None:
    groups = match.groupdict()
    if groups.get("only") is not None:
        weekday = WEEKDAYS.get(groups["only"])
        if weekday is None:
            return None
        return sent + timedelta(days=(weekday - sent.weekday() - 1) % 7 + 1)
    if groups.get("a") is not None:
        return _numeric(
            int(groups["a"]), int(groups["b"]), groups.get("y"), lang, sent, sure, order
        )
    month_number = MONTHS.get(groups["month"])
    weekday_name = groups.get("weekday")
    if month_number is None or (weekday_name is not None and weekday_name not in WEEKDAYS):
        return None
    return _build(groups.get("year"), month_number, int(groups["day"]), sent)


def _numeric(
    first: int,
    second: int,
    year: str | None,
    lang: str,
    sent: date,
    sure: set[date] | None,
    order: str | None,
) -> date | None:
    """Day first outside English; in English, the reading the module docstring says."""
    day_first = _build(year, second, first, sent)
    if lang != "en":
        return day_first
    month_first = _build(year, first, second, sent)
    readings = [r for r in (month_first, day_first) if r is not None and r >= sent]
    if len(readings) < 2 or readings[0] == readings[1]:
        return readings[0] if readings else month_first
    for reading in readings:
        if sure and reading in sure:
            return reading
    if order is not None:
        return day_first if order == "day" else month_first
    return min(readings)


def _build(year: str | None, month: int, day: int, sent: date) -> date | None:
    try:
        if year is not None:
            full = int(year) + (2000 if len(year) == 2 else 0)
            return date(full, month, day)
        candidate = date(sent.year, month, day)
        return candidate if candidate >= sent else date(sent.year + 1, month, day)
    except ValueError:  # 31/02, 13/13: not a date
        return None
