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
    # github/email_reply_parser: a sentence that starts like a device footer is the body.
    (
        "Ok.\n\nSent from my desk, it is much easier.",
        "Ok.\n\nSent from my desk, it is much easier.",
        "",
    ),
]


@pytest.mark.parametrize(("text", "body", "signature_start"), SIGNATURE_CASES)
def test_split_signature_cuts_at_the_closing(text: str, body: str, signature_start: str) -> None:
    got_body, signature = split_signature(text)
    assert got_body == body
    assert signature.startswith(signature_start)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _gold_scores() -> tuple[int, int, int, int, int, int]:
    strip_equal = with_signature_equal = kept = own_equal = own_kept = total = 0
    for path in sorted((GOLD / "emails").glob("*.txt")):
        gold_text = (GOLD / "trimmed" / path.name).read_text(encoding="utf-8")
        gold = _norm(gold_text)
        got = strip_quotes(path.read_text(encoding="utf-8"))
        strip_equal += _norm(got) == gold
        with_signature_equal += _norm(split_signature(got)[0]) == gold
        kept += gold in _norm(got)
        # MAX's own reading of the gold: the sender's words are its lines that are not quoted.
        own = [line for line in gold_text.split("\n") if not line.lstrip().startswith(">")]
        own_equal += _norm(got) == _norm("\n".join(own))
        own_kept += all(_norm(line) in _norm(got) for line in own if line.strip())
        total += 1
    return strip_equal, with_signature_equal, kept, own_equal, own_kept, total


def test_gold_corpus_accuracy_stays_at_least_what_was_measured() -> None:
    # Measured 2026-11-27: 51/64 equal after strip_quotes, 48/64 after split_signature too, the
    # gold kept in 59/64; 52/64 equal to the gold's own (unquoted) lines, all of those kept in
    # 62/64. After issue 11 (more attribution languages, device footers, text under a quote
    # kept): 52, 53, 58, 56 and 63. "Kept" lost quote_and_text.txt, whose gold keeps a leading
    # "> quote" that MAX drops; most misses are the gold keeping inline quotes or forwarded
    # text, which MAX deliberately drops ("> Email with only quote." must give "" for MAX), and
    # signatures under a quote, which MAX keeps (the phone is in them).
    strip_equal, with_signature_equal, kept, own_equal, own_kept, total = _gold_scores()
    assert total == 64
    assert strip_equal >= 52
    assert with_signature_equal >= 53
    assert kept >= 58
    assert own_equal >= 56
    assert own_kept >= 63


ON_WROTE = "On Wed, Apr 4, 2012 at 10:00 AM, Jane Roe <jane@example.com> wrote:"
# A person's words are never lost to quote stripping. Texts written for these tests; the comment
# names the client or library whose format each row copies.
KEEPS_THE_WORDS = [
    # The answer and the attribution on one line (no newline before Gmail's "On … wrote:").
    ("answer glued to On … wrote", f"Sounds good, thanks {ON_WROTE}\n> Shall we meet?\n",
     "Sounds good, thanks"),
    # Yahoo Mail's "--- On Wed, 4/4/12, X <x@y> wrote:" glued to the answer.
    ("answer glued to --- On … wrote",
     "Sounds good--- On Wed, 4/4/12, Jane Roe <jane@example.com> wrote:\n\n> Shall we meet?\n",
     "Sounds good"),
    # A one-line answer that starts like an attribution ("Le", "Il", "On", "Am", "El") must not
    # be joined to the real attribution below it.
    ("French answer starting with Le", f"Le devis me va.\n{ON_WROTE}\n> Shall we meet?\n",
     "Le devis me va."),
    ("French answer starting with Il",
     "Il faut valider.\nLe mer. 4 avr. 2012 à 10:00, Jane <j@x.fr> a écrit :\n> Salut\n",
     "Il faut valider."),
    ("English answer starting with On", f"On my side it is fine.\n{ON_WROTE}\n> Shall we?\n",
     "On my side it is fine."),
    ("one short line", f"Yes\n{ON_WROTE}\n> Shall we meet?\n", "Yes"),
    # Text below a ">" quote is the sender's too: an interleaved answer, a signature (the
    # phone is in it) placed under the quote (Thunderbird's "signature below the quote").
    ("answers above and between quotes",
     f"Answers below.\n\n{ON_WROTE}\n> Shall we meet?\n\nThursday works.\n\n> And the price?\n\n"
     "The price is fine.\n", "Answers below.\n\nThursday works.\n\nThe price is fine."),
    ("signature below the quote",
     f"Yes, Thursday works.\n\n{ON_WROTE}\n> Shall we meet?\n\nOla Nowak\nMobile +48 601 234 567\n",
     "Yes, Thursday works.\n\nOla Nowak\nMobile +48 601 234 567"),
    # A sentence that starts like a device footer is a sentence (github/email_reply_parser,
    # test_do_not_parse_out_send_from_in_regular_sentence); real footers still go.
    ("a sentence is no device footer",
     "Here is the signed page.\n\nSent from my desk, it is much easier than my phone.",
     "Here is the signed page.\n\nSent from my desk, it is much easier than my phone."),
    ("Sent from my iPhone", "Here it is.\n\nSent from my iPhone", "Here it is."),
    ("a footer with its excuse", "Ok.\n\nSent from my cell, please excuse any typos.", "Ok."),
    ("Outlook mobile", "Ok.\n\nGet Outlook for iOS<https://aka.ms/o0ukef>", "Ok."),
    ("Envoyé de mon iPad", "D'accord.\n\nEnvoyé de mon iPad", "D'accord."),
    ("Von meinem iPhone gesendet", "Passt.\n\nVon meinem iPhone gesendet", "Passt."),
    ("Sendt fra min iPad", "Fint.\n\nSendt fra min iPad", "Fint."),
    ("Enviado desde mi iPhone", "Vale.\n\nEnviado desde mi iPhone", "Vale."),
]  # fmt: skip

# Attribution lines and header blocks in more languages and clients (formats as listed by
# Discourse's email_reply_trimmer embedded_email_matcher.rb / email_header_matcher.rb and
# crisp-oss/email-reply-parser lib/regex.ts).
MORE_ATTRIBUTIONS = [
    ("date, time, name <address>:",  # mail.ru / Yandex style, crisp "DD.MM.20YY HH:II NAME"
     'Yes.\n\n30.09.2017, 18.30, "Jane Roe" <jane@example.com>:\nShall we meet?\n', "Yes."),
    ("Finnish kirjoitti",  # Gmail fi
     "Kiitos, sopii.\n\nma 3. helmik. 2026 klo 10.12 Jane Roe <jane@example.com> kirjoitti:\n\n"
     "Shall we meet?\n", "Kiitos, sopii."),
    ("Russian написал",  # Gmail ru, older
     "Да, подходит.\n\n3 февраля 2026 г., 10:12 пользователь Jane Roe <jane@example.com> "
     "написал:\n\nShall we meet?\n", "Да, подходит."),
    ("Russian написала, wrapped",
     "Да.\n\n3 февраля 2026 г., 10:12 пользователь Jane Roe <\njane@example.com> написала:\n"
     "> Shall we meet?\n", "Да."),
    ("Russian, no verb",  # Gmail ru: "пн, 3 февр. 2026 г. в 10:12, X <x@y>:"
     "Хорошо.\n\nпн, 3 февр. 2026 г. в 10:12, Jane Roe <jane@example.com>:\n\nShall we meet?\n",
     "Хорошо."),
    ("Vietnamese đã viết",  # Gmail vi
     "Vâng, được.\n\nVào Th 2, 3 thg 2, 2026 vào lúc 10:12 Jane Roe <jane@example.com> đã viết:"
     "\n\nShall we meet?\n", "Vâng, được."),
    ("Danish Oprindelig meddelelse",  # Outlook da
     "Ja tak.\n\n-----Oprindelig meddelelse-----\nFra: Jane Roe\nSendt: 3. februar 2026 10:12\n"
     "Til: Bo\nEmne: Møde\n\nShall we meet?\n", "Ja tak."),
    ("Norwegian Fra/Sendt block",  # Outlook nb/da
     "Ja.\n\nFra: Jane Roe <jane@example.com>\nSendt: 3. februar 2026 10:12\nTil: Bo\n"
     "Emne: Møte\n\nShall we meet?\n", "Ja."),
    ("Zoho ---- name wrote ----",
     "Yes.\n\n---- Jane Roe wrote ----\n\nShall we meet?\n", "Yes."),
    ("bold From block", "Yes.\n\n*From:* Jane Roe <jane@example.com>\n*Sent:* Monday\n"
     "*To:* Bo\n*Subject:* Meeting\n\nShall we meet?\n", "Yes."),
    ("markdown bold From block", "Yes.\n\n**From:** Jane Roe <jane@example.com>\n**Sent:** "
     "Monday\n**To:** Bo\n\nShall we meet?\n", "Yes."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    KEEPS_THE_WORDS + MORE_ATTRIBUTIONS,
    ids=[c[0] for c in KEEPS_THE_WORDS + MORE_ATTRIBUTIONS],
)
def test_strip_quotes_keeps_every_word_of_the_sender_and_no_other(
    name: str, text: str, expected: str
) -> None:
    assert strip_quotes(text) == expected
