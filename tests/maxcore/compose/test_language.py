"""Thread language: French or English, deterministic (langdetect seeded)."""

from __future__ import annotations

import pytest

from maxcore.compose.language import as_lang, detect_lang

CASES = [
    ("Bonjour Marc, voici la proposition pour vos équipes de chantier.", "fr"),
    ("Hi Sarah, here is the overview of how we schedule depot crews.", "en"),
    ("Guten Tag, anbei das Angebot für Ihre Baustellen.", "en"),  # neither: English
    ("", "en"),
    ("12 000 € / 2026", "en"),
    # Short lines, where character n-grams alone err: function words settle them.
    ("Hi Marc, still 12 licenses?", "en"),
    ("Bonjour Marc, le devis ?", "fr"),
    ("Hi Marc, is the quote fine as it is?", "en"),
    ("Bonjour Sarah, on garde le 15 décembre ?", "fr"),
]


@pytest.mark.parametrize(("text", "lang"), CASES)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang
    assert all(detect_lang(text) == lang for _ in range(5))  # seeded: the same every time


def test_default_applies_only_without_words() -> None:
    assert detect_lang("", default="fr") == "fr"
    assert detect_lang("Hi Sarah, shall we talk tomorrow?", default="fr") == "en"


@pytest.mark.parametrize(
    ("value", "lang"), [("fr", "fr"), ("en", "en"), ("de", None), (None, None)]
)
def test_as_lang(value: str | None, lang: str | None) -> None:
    assert as_lang(value) == lang
