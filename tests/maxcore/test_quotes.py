"""quotes: a reply cut down to its new text, and its signature split off.

The gold corpus is Discourse's email_reply_trimmer test set (64 bodies, 17 languages) in
../shared/data; comparison is on whitespace-normalised text (runs of whitespace made one space).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from maxcore.core.quotes import split_signature, strip_quotes

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mail"
GOLD = DATA / "email_reply_trimmer_corpus" / "test"
NB, NN = "\u00a0", "\u202f"

STRIP_CASES = [
    (  # Gmail FR, with the no-break spaces Gmail really writes
        "Merci, ok pour moi.\n\n"
        f"Le lun. 3 févr. 2026 à 10:12, Jean Dupont <j@x.fr> a{NB}écrit{NN}:\n> Bonjour\n> test\n",
        "Merci, ok pour moi.",
    ),
    (  # the same line wrapped by Gmail over two lines
        "D'accord.\n\nLe lun. 3 févr. 2026 à 10:12, Jean Dupont <\nj@x.fr> a écrit :\n\n> Salut\n",
        "D'accord.",
    ),
    (
        "Thanks!\n\nOn Mon, Feb 3, 2026 at 10:12 AM, Jean <j@x.fr> wrote:\n> hi\n",
        "Thanks!",
    ),
    (  # Outlook FR header block, a signature phone line right above it
        "Validé.\n\nThomas\nPortable : 07 81 23 45 67\n\nDe : Claire <c@o.fr>\n"
        "Envoyé : mardi 10 novembre 2026 10:00\nÀ : Thomas\nObjet : Devis\n\nBonjour",
        "Validé.\n\nThomas\nPortable : 07 81 23 45 67",
    ),
    ("Ja.\n\nVon: Claire <c@o.fr>\nGesendet: Dienstag\nAn: Hans\nBetreff: Angebot\n\nHallo", "Ja."),
    ("Sì.\n\nDa: Claire <c@o.fr>\nInviato: martedì\nA: Luca\nOggetto: Offerta\n\nCiao", "Sì."),
    ("Yes.\n\n-----Original Message-----\nFrom: a\nSent: b\n\nhello", "Yes."),
    ("Oui.\n\n-------- Message d'origine --------\nDe : a\n\nbonjour", "Oui."),
    ("Thanks, noted.\n\n> quoted line\n> more\n", "Thanks, noted."),  # header-less quote
    ("Le 2 nov. 2026, Marc a écrit :\n> question ?\n\nRéponse en bas.\n", "Réponse en bas."),
    ("> Email with only quote.\n", ""),
    (f"Envoyé de mon iPhone\n\nLe 23 oct. 2026 à 11:00, C <c@o.fr> a écrit{NN}:\n> Voici\n", ""),
    ("Just new text, no quote at all.", "Just new text, no quote at all."),
]


@pytest.mark.parametrize(("text", "expected"), STRIP_CASES)
def test_strip_quotes_keeps_only_the_new_text(text: str, expected: str) -> None:
    assert strip_quotes(text) == expected


SIGNATURE_CASES = [
    ("Ok pour jeudi.\n\nCordialement,\nMarc\n06 12 34 56 78", "Ok pour jeudi.", "Cordialement,"),
    ("Sounds good.\n\nBest regards,\nSarah", "Sounds good.", "Best regards,"),
    ("Body here\n-- \nMarc Lefèvre\nBatiPlus", "Body here", "-- \nMarc Lefèvre\nBatiPlus"),
    ("Bien à vous,\nThomas", "Bien à vous,\nThomas", ""),  # a closing on line one is not cut
    ("Merci pour votre retour, je regarde.", "Merci pour votre retour, je regarde.", ""),
    ("Oui.\n\nBonne journée !\nLuc", "Oui.", "Bonne journée !"),
    ("Thank you.\n\nSent from Outlook Mobile", "Thank you.", "Sent from Outlook Mobile"),
]


@pytest.mark.parametrize(("text", "body", "signature_start"), SIGNATURE_CASES)
def test_split_signature_cuts_at_the_closing(text: str, body: str, signature_start: str) -> None:
    got_body, signature = split_signature(text)
    assert got_body == body
    assert signature.startswith(signature_start)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _gold_scores() -> tuple[int, int, int, int]:
    strip_equal = with_signature_equal = kept = total = 0
    for path in sorted((GOLD / "emails").glob("*.txt")):
        gold = _norm((GOLD / "trimmed" / path.name).read_text(encoding="utf-8"))
        got = strip_quotes(path.read_text(encoding="utf-8"))
        strip_equal += _norm(got) == gold
        with_signature_equal += _norm(split_signature(got)[0]) == gold
        kept += gold in _norm(got)
        total += 1
    return strip_equal, with_signature_equal, kept, total


def test_gold_corpus_accuracy_stays_at_least_what_was_measured() -> None:
    # Measured 2026-11-27: 51/64 equal after strip_quotes, 48/64 after split_signature too, and
    # the gold text kept in 59/64. Most misses are the gold keeping inline quotes or forwarded
    # text, which MAX deliberately drops; "> Email with only quote." must give "" for MAX.
    strip_equal, with_signature_equal, kept, total = _gold_scores()
    assert total == 64
    assert strip_equal >= 51
    assert with_signature_equal >= 48
    assert kept >= 59
