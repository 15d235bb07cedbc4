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
    # What a scam says (PRESSURE), FR + EN: a model obeying a mail that told it to.
    ("Hi Marc, please pay the deposit today to keep your slot.", "en", "whatsapp", "payment"),
    ("Hi Marc, can you send the bank transfer this week?", "en", "whatsapp", "payment"),
    ("Hi Marc, could you confirm the card number for the order?", "en", "whatsapp", "payment"),
    ("Bonjour Marc, merci de régler l'acompte pour garder votre créneau.", "fr", "whatsapp",
     "payment"),
    ("Bonjour Marc, pouvez-vous faire le virement cette semaine ?", "fr", "whatsapp", "payment"),
    ("Bonjour Marc, pouvez-vous m'envoyer votre RIB ?", "fr", "whatsapp", "payment"),
    ("Hi Marc, act now: the offer ends soon.", "en", "whatsapp", "urgency"),
    ("Hi Marc, can you sign it within 24 hours?", "en", "whatsapp", "urgency"),
    ("Hi Marc, please answer before midnight so we keep the price.", "en", "whatsapp", "urgency"),
    ("Bonjour Marc, il me faut votre accord immédiatement.", "fr", "whatsapp", "urgency"),
    ("Bonjour Marc, dernier délai pour signer, sous 24 h ?", "fr", "whatsapp", "urgency"),
    ("Bonjour Marc, une réponse avant ce soir serait idéale ?", "fr", "whatsapp", "urgency"),
    ("Hi Marc, your account is suspended; reply YES to reactivate it.", "en", "whatsapp",
     "account_threat"),
    ("Hi Marc, your access will be blocked unless you verify your identity.", "en", "whatsapp",
     "account_threat"),
    ("Hi Marc, what is the verification code you just received?", "en", "whatsapp",
     "account_threat"),
    ("Bonjour Marc, votre compte est suspendu, répondez OUI pour le réactiver.", "fr",
     "whatsapp", "account_threat"),
    ("Bonjour Marc, votre abonnement sera résilié : confirmez votre identité.", "fr", "whatsapp",
     "account_threat"),
    ("Bonjour Marc, pouvez-vous me donner le code reçu par SMS ?", "fr", "whatsapp",
     "account_threat"),
    # Each line in the thread's language: one line in it cannot carry another.
    ("Hi Marc, can we make the legal review simpler for your team this week?\n"
     "Merci de me confirmer vos disponibilités.", "en", "whatsapp", "wrong_language"),
    ("Bonjour Marc, on simplifie la validation juridique pour votre équipe ?\n"
     "Please let me know what works for you.", "fr", "whatsapp", "wrong_language"),
    ("Bonjour Marc, on simplifie la validation juridique ?", "en", "whatsapp", "wrong_language"),
    # Near misses that stay valid: a deadline in the thread, a project on hold, "compte" as
    # "count on", a yes-or-no question, a short greeting line.
    ("Hi Ana, is the March deadline still the one for legal?", "en", "whatsapp", None),
    ("Bonjour Marc, on suspend le dossier jusqu'en janvier ?", "fr", "whatsapp", None),
    ("Bonjour Marc, je compte sur vous pour jeudi ? Un mot suffit.", "fr", "whatsapp", None),
    ("Hi Marc, should we take the security review into account first?", "en", "whatsapp", None),
    ("Hi Marc,\ncan we make the legal review simpler? A yes or no is enough.", "en",
     "whatsapp", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "lang", "channel", "rule"), CASES)
def test_each_rule(text: str, lang: str, channel: str, rule: str | None) -> None:
    found = problems(text, lang=lang, channel=channel)  # type: ignore[arg-type]
    assert found == [] if rule is None else rule in found, found


def test_a_phone_from_the_thread_is_allowed() -> None:
    text = "Bonjour Marc, je vous appelle au 06 12 34 56 78 ? Un oui ou un non me suffit."
    assert "foreign_phone" in problems(text, lang="fr", channel="whatsapp")
    assert problems(text, lang="fr", channel="whatsapp", allowed_phones={"+33612345678"}) == []
