"""The one validator for templates and LLM answers: each rule has a row that breaks it."""

from __future__ import annotations

import pytest

from maxcore.compose.validate import problems

OK_FR = "Bonjour Marc, on simplifie la validation juridique ? Un oui ou un non me suffit."
OK_EN = "Hi Marc, can we make the legal review simpler? A yes or no is enough."
CASES = [
    # (text, lang, channel, the rule it breaks, or None)
    (OK_FR, "fr", "whatsapp", None),
    (OK_EN, "en", "sms", None),
    ("", "fr", "whatsapp", "empty"),
    ("Bonjour Marc,\non simplifie ?\nThomas", "fr", "whatsapp", "too_many_lines"),
    (OK_FR + " " + OK_FR + " " + OK_FR, "fr", "whatsapp", "too_long"),
    (OK_FR + " https://acme.fr/devis", "fr", "whatsapp", "url"),
    (OK_FR + " hxxps://evil", "fr", "whatsapp", "url"),
    (OK_FR + " www . evil", "fr", "whatsapp", "url"),
    (OK_FR + " evil[.]com", "fr", "whatsapp", "url"),
    (OK_FR + " evil (dot) com", "fr", "whatsapp", "url"),
    (OK_FR + " bit.ly/x", "fr", "whatsapp", "url"),
    (OK_FR + " acme-software.fr", "fr", "whatsapp", "url"),
    (OK_FR + " marc@batiplus.fr", "fr", "whatsapp", "email_address"),
    (OK_FR + " marc (at) batiplus", "fr", "whatsapp", "email_address"),
    (OK_FR + " Appelez le 06 99 88 77 66", "fr", "whatsapp", "foreign_phone"),
    (OK_FR + " +44 20 7946 0958", "fr", "whatsapp", "foreign_phone"),
    ("Bonjour Marc,\u200b on simplifie la validation ? Un oui ou non suffit.", "fr", "whatsapp",
     "invisible_character"),
    ("Bonjour Marc,\u202e on simplifie la validation ? Un oui ou non suffit.", "fr", "whatsapp",
     "invisible_character"),
    (OK_EN, "fr", "whatsapp", "wrong_language"),
    (OK_FR, "en", "whatsapp", "wrong_language"),
    ("Here is the message: " + OK_EN, "en", "whatsapp", "meta_text"),
    ("As an AI, I suggest: " + OK_EN, "en", "whatsapp", "meta_text"),
    ("Voici le message : " + OK_FR, "fr", "whatsapp", "meta_text"),
    ("Hi Marc, just checking in on the legal review. A yes or no is enough.", "en", "whatsapp",
     "forbidden_phrase"),
    ("Bonjour Marc, je me permets de vous relancer sur la validation juridique.", "fr", "whatsapp",
     "forbidden_phrase"),
    ("Bonjour Marc, suite à mon dernier mail, on simplifie la validation ?", "fr", "whatsapp",
     "forbidden_phrase"),
    ("Bonjour Marc, on simplifie la validation ? \U0001f642 " * 2, "fr", "sms", "sms_segments"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "lang", "channel", "rule"), CASES)
def test_each_rule(text: str, lang: str, channel: str, rule: str | None) -> None:
    found = problems(text, lang=lang, channel=channel)  # type: ignore[arg-type]
    assert found == [] if rule is None else rule in found, found


def test_a_phone_from_the_thread_is_allowed() -> None:
    text = "Bonjour Marc, je vous appelle au 06 12 34 56 78 ? Un oui ou un non me suffit."
    assert "foreign_phone" in problems(text, lang="fr", channel="whatsapp")
    assert problems(text, lang="fr", channel="whatsapp", allowed_phones={"+33612345678"}) == []
