"""absence: the return date an out-of-office announces, resolved against the day it was sent."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from maxcore.core.absence import return_date

SENT = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # a Friday
NB = "\u00a0"

CASES = [
    ("Je suis de retour le 15 décembre.", date(2026, 12, 15)),
    ("de retour le lundi 7 décembre", date(2026, 12, 7)),
    ("Je suis absent jusqu'au 12/12.", date(2026, 12, 12)),
    ("absente jusqu’au 4 janvier inclus", date(2027, 1, 4)),  # past the year's end
    ("je serai de retour à partir du 5 janvier", date(2027, 1, 5)),
    (f"Je suis en congés jusqu'au{NB}31 décembre 2026", date(2026, 12, 31)),
    ("De retour au bureau le 1er décembre", date(2026, 12, 1)),
    ("I'm back on Monday, December 7", date(2026, 12, 7)),
    ("I will be back on 12/07", date(2026, 12, 7)),  # English: month first
    ("Je serai de retour le 12/07", date(2027, 7, 12)),  # French: day first
    ("I am out of the office until January 4th", date(2027, 1, 4)),
    ("Returning Jan 5", date(2027, 1, 5)),
    ("I'm back on Monday.", date(2026, 11, 30)),  # a weekday alone: the next one
    ("de retour lundi", date(2026, 11, 30)),
    ("back on 1/12/2027", date(2027, 1, 12)),
    ("de retour le 3 novembre", date(2027, 11, 3)),  # earlier than sent: next year
    ("Bonjour, merci pour votre message.", None),
    ("Je suis de retour le 31/02.", None),  # not a date
    ("Let's meet on Monday, December 7", None),  # a date, but no out-of-office lead-in
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_return_date(text: str, expected: date | None) -> None:
    assert return_date(text, SENT) == expected


def _sent(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T09:00:00+00:00")


# When a numeric date reads both ways (English notices are written day-first in the UK and most
# of the world, month-first in the US), the reading that agrees with another date of the text,
# then with the text's own order, then the one nearest after the day it was sent, wins. Other
# languages write the day first (fr, de, es, it). Texts written for this test.
AMBIGUOUS_CASES = [
    # (text, sent, expected)
    ("I am out of the office until 05/01/2010, returning 5th January.", "2010-01-04",
     date(2010, 1, 5)),  # the other date says day-first
    ("I am out of the office until 05/01/2010.", "2010-01-04", date(2010, 1, 5)),  # nearest
    ("Back on 01/02/2010.", "2010-01-20", date(2010, 2, 1)),  # 2 January is already past
    ("Back on 10/02/2010.", "2010-02-05", date(2010, 2, 10)),  # nearest after the sent day
    ("On leave from 12/15/2026, back on 3/1/2027.", "2026-12-14", date(2027, 3, 1)),  # US order
    ("On leave from 15/12/2026, back on 3/1/2027.", "2026-12-14", date(2027, 1, 3)),  # UK order
    ("I will be back on 12/07", "2026-11-27", date(2026, 12, 7)),
    ("Je suis absent jusqu'au 05/01/2010.", "2010-01-04", date(2010, 1, 5)),  # French: day first
]  # fmt: skip


@pytest.mark.parametrize(("text", "sent", "expected"), AMBIGUOUS_CASES)
def test_an_ambiguous_numeric_date_takes_the_consistent_reading(
    text: str, sent: str, expected: date
) -> None:
    assert return_date(text, _sent(sent)) == expected


# German, Spanish and Italian lead-ins and month names (the wording of Outlook's templates in
# those languages, Microsoft KB 290846: "zurück am", "wieder im Büro", "de vuelta el", "hasta
# el", "di ritorno il", "fino al", "rientro previsto il"). Sent on Friday 27 November 2026.
MORE_LANGUAGES = [
    ("Ich bin ab dem 30. November abwesend und zurück am 7. Dezember.", date(2026, 12, 7)),
    ("Zurück am Montag, 7. Dezember 2026.", date(2026, 12, 7)),
    ("Ab dem 7. Dezember bin ich wieder im Büro.", date(2026, 12, 7)),
    ("Ich bin bis einschließlich 4. Januar im Urlaub.", date(2027, 1, 4)),
    ("Wieder im Büro am 07.12.", date(2026, 12, 7)),  # German: day first
    ("Zurück am Montag.", date(2026, 11, 30)),
    ("Estaré de vuelta el 7 de diciembre.", date(2026, 12, 7)),
    ("Estoy fuera de la oficina hasta el lunes 7 de diciembre de 2026.", date(2026, 12, 7)),
    ("De vuelta el 12/07.", date(2027, 7, 12)),  # Spanish: day first
    ("Sarò di ritorno il 7 dicembre.", date(2026, 12, 7)),
    ("Sono fuori sede fino al 4 gennaio.", date(2027, 1, 4)),
    ("Rientro previsto il 12/07.", date(2027, 7, 12)),  # Italian: day first
    ("Treffen wir uns am 7. Dezember?", None),  # a date, but no lead-in
]


@pytest.mark.parametrize(("text", "expected"), MORE_LANGUAGES)
def test_german_spanish_and_italian_return_dates(text: str, expected: date | None) -> None:
    assert return_date(text, SENT) == expected
