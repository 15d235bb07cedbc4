"""phones: the prospect's mobile from their reply, E.164, never a company identifier or ours."""

from __future__ import annotations

import pytest

from maxcore.core.phones import find_mobile, find_phones, region_for

MOBILE_CASES = [
    ("06 12 34 56 78", "FR", "+33612345678"),
    ("+33 6 12 34 56 78", "FR", "+33612345678"),
    ("0033 6 12 34 56 78", "FR", "+33612345678"),
    ("06-12-34-56-78.", "FR", "+33612345678"),
    ("0612345678", "FR", "+33612345678"),
    ("Portable : 07 81 23 45 67", "FR", "+33781234567"),
    ("Tél : 01 23 45 67 89 | Mob : 06 12 34 56 78 | Fax : 01 23 45 67 90", "FR", "+33612345678"),
    ("T. 01 23 45 67 89 / M. 07 81 23 45 67", "FR", "+33781234567"),
    ("09 70 12 34 56 (WhatsApp)", "FR", "+33970123456"),  # VOIP, but labelled WhatsApp
    ("+32 470 12 34 56", "FR", "+32470123456"),
    ("+41 79 123 45 67", "FR", "+41791234567"),
    ("M: +44 7911 123456", "GB", "+447911123456"),
    ("+1 (415) 555-0132", "US", "+14155550132"),  # NANP: FIXED_LINE_OR_MOBILE, a "maybe"
    ("Standard : 01 23 45 67 89", "FR", None),  # a fixed line cannot take a WhatsApp/SMS
    ("0 800 123 456", "FR", None),  # toll-free
    ("SIRET 123 456 789 00012\nRCS Paris B 123 456 789", "FR", None),
    ("TVA intracom FR 12 345678901", "FR", None),
    ("IBAN FR76 3000 6000 0112 3456 7890 189", "FR", None),
    ("Rendez-vous le 12/11/2026 à 10:30, 75008 Paris, 1 250,00 €", "FR", None),
]


@pytest.mark.parametrize(("text", "region", "expected"), MOBILE_CASES)
def test_find_mobile(text: str, region: str, expected: str | None) -> None:
    assert find_mobile(text, region) == expected


def test_a_labelled_mobile_beats_an_unlabelled_one() -> None:
    text = "Marc : 06 11 11 11 11\nMob : 07 81 23 45 67"
    assert find_mobile(text) == "+33781234567"


def test_the_teams_numbers_are_never_returned() -> None:
    text = "Marc\nMob : 06 12 34 56 78\nClaire (OptiPlan) : 06 98 76 54 32"
    ours = frozenset(find_phones("Claire Martin\nTél. : 06 98 76 54 32"))
    assert ours == {"+33698765432"}
    assert find_mobile(text, exclude=ours) == "+33612345678"
    assert find_mobile("Rappelez-moi au 06 98 76 54 32", exclude=ours) is None


def test_find_phones_lists_every_valid_number_in_order() -> None:
    text = "Tél : 01 23 45 67 89 | Mob : 06 12 34 56 78"
    assert find_phones(text) == ("+33123456789", "+33612345678")


@pytest.mark.parametrize(
    ("domain", "region"),
    [
        ("batiplus.fr", "FR"),
        ("northwind-logistics.co.uk", "GB"),
        ("example.be", "BE"),
        ("example.ch", "CH"),
        ("example.de", "DE"),
        ("example.com", "FR"),
        ("startup.io", "FR"),
        ("europa.eu", "FR"),
        ("", "FR"),
    ],
)
def test_region_for(domain: str, region: str) -> None:
    assert region_for(domain) == region
