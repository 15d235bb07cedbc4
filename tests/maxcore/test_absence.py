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
