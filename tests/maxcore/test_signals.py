"""signals: what each message is, by mail-signals.md's decision order, measured on real corpora.

Measured 2026-11-27 (the thresholds below are these numbers, so a regression fails):
- sisimai bsd/: 580/606 bounces (lhost/rhost/rfc3464) classified bounce; 12 more are DSNs whose
  only action is "delayed", which MAX deliberately files as auto_reply (592/606 machine-detected);
  6/6 RFC 3834 auto-replies; 17/17 ARF reports not taken for a person (14 before the old Hotmail
  feedback loops without report-type, arf-22..24, were read as such); maildir/not: 2/2 human
  controls are replies.
- Discourse index.csv: 8/8 bounces, 6/6 auto-replies, 10/10 bulk, and the human ones are replies
  except 8 fixtures with no readable text (broken multipart, empty bodies).
- Apache list mail: 0 of 2038 messages auto_reply/bounce/read_receipt (all bulk by their headers);
  with the list headers removed, 0 auto_reply/bounce by header rules.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from maxcore.adapters.mail import parse_message
from maxcore.adapters.mbox import iter_mbox
from maxcore.core.autoreply import ABSENCE_PHRASES, ACKNOWLEDGEMENTS, CHALLENGE_PHRASES
from maxcore.core.errors import MaxcoreError
from maxcore.core.model import Address, Kind, Message, Team
from maxcore.core.quotes import strip_quotes
from maxcore.core.signals import classify

ROOT = Path(__file__).resolve().parents[2]
MAIL = ROOT / ".." / "shared" / "data" / "mail"
FR = ROOT / "tests" / "fixtures" / "fr"
# A team whose domain appears in no corpus, so nothing there is "ours" by accident.
OUTSIDER = Team.of(["sales@max-sales.test"], ["max-sales.test"])
TEAM = Team.of(["claire.martin@optiplan.fr"], ["optiplan.fr"])
MY_IDS = frozenset({"<orig-1@optiplan.fr>"})


def read(path: Path) -> Message:
    # Some Discourse fixtures open with a blank line, which would end the headers at once.
    return parse_message(path.read_bytes().lstrip(b"\r\n"))


FR_CASES = [
    ("ooo_outlook_autosubmitted.eml", Kind.AUTO_REPLY, "H6 Auto-Submitted"),
    ("ooo_exchange_rules.eml", Kind.AUTO_REPLY, "H9 Exchange rules reply"),
    ("ooo_subject_only.eml", Kind.AUTO_REPLY, "subject:fr:absence"),
    ("ooo_body_only.eml", Kind.AUTO_REPLY, "7 out-of-office phrase"),
    ("read_receipt_mdn.eml", Kind.READ_RECEIPT, "H2 MDN"),
    ("read_receipt_subject.eml", Kind.READ_RECEIPT, "subject:fr:Lu"),
    ("calendar_accepted_ics.eml", Kind.REPLY, "H5 calendar REPLY"),
    ("calendar_accepted_subject.eml", Kind.REPLY, "subject:fr:Accepté"),
    ("bounce_non_remis.eml", Kind.BOUNCE, "H1 DSN"),
    ("reply_gmail_attribution.eml", Kind.REPLY, "8 genuine reply"),
    ("reply_gmail_wrapped_attribution.eml", Kind.REPLY, "8 genuine reply"),
    ("reply_outlook_header.eml", Kind.REPLY, "8 genuine reply"),  # XARS alone is no signal
    ("reply_with_list_unsubscribe.eml", Kind.REPLY, "8 genuine reply despite H11"),
    ("reply_only_quote.eml", Kind.AUTO_REPLY, "7 empty after quotes"),
]


@pytest.mark.parametrize(("name", "kind", "rule"), FR_CASES)
def test_french_fixtures(name: str, kind: Kind, rule: str) -> None:
    verdict = classify(read(FR / name), TEAM, MY_IDS)
    assert (verdict.kind, verdict.rule.startswith(rule)) == (kind, True), verdict.rule


OOO_TEXT_CASES = [
    ("Je suis en déplacement cette semaine, on se parle lundi ?", Kind.REPLY),
    ("I'm on vacation but yes, send the contract.", Kind.REPLY),
    ("Je suis en congés, de retour le 4 janvier.", Kind.AUTO_REPLY),
    ("Ceci est une réponse automatique.", Kind.AUTO_REPLY),
    ("I am currently out of the office.", Kind.AUTO_REPLY),
    ("Back in the office Monday. For urgent matters, please contact Jo.", Kind.AUTO_REPLY),
]


@pytest.mark.parametrize(("text", "kind"), OOO_TEXT_CASES)
def test_out_of_office_phrases_need_more_than_one_hint(text: str, kind: Kind) -> None:
    message = Message(id="<p@x>", sender=Address("marc@batiplus.fr"), text=text)
    assert classify(message, TEAM).kind is kind


@pytest.mark.parametrize(
    ("text", "types", "kind"),
    [
        ("", ("multipart/mixed", "application/pdf"), Kind.REPLY),  # the signed quote, no words
        ("", ("multipart/mixed", "image/jpeg"), Kind.REPLY),  # a photo of the signed page
        ("Envoyé de mon iPhone\n\n> Voici", ("multipart/related", "image/png"), Kind.AUTO_REPLY),
        ("> Voici", ("text/plain",), Kind.AUTO_REPLY),
    ],
)
def test_an_empty_reply_counts_only_with_a_document(
    text: str, types: tuple[str, ...], kind: Kind
) -> None:
    message = Message(id="<p@x>", sender=Address("marc@batiplus.fr"), text=text)
    assert classify(replace(message, content_types=types), TEAM).kind is kind


def test_list_unsubscribe_without_answering_us_is_bulk() -> None:
    verdict = classify(read(FR / "reply_with_list_unsubscribe.eml"), TEAM, frozenset())
    assert verdict.kind is Kind.BULK


def _msg(sender: str, *to: str, labels: frozenset[str] = frozenset()) -> Message:
    return Message(
        id="<x@y>",
        sender=Address(sender),
        to=tuple(Address(a) for a in to),
        labels=labels,
        text="Bonjour, voici notre proposition.",
    )


ME = "claire.martin@optiplan.fr"
TEAM_CASES = [
    (_msg(ME, "marc@batiplus.fr"), Kind.OUTBOUND, "1 mine"),
    (_msg(ME, "julien.roux@optiplan.fr"), Kind.INTERNAL, "1 mine, team only"),
    (
        _msg("alias@else.fr", "marc@batiplus.fr", labels=frozenset({"SENT"})),
        Kind.OUTBOUND,
        "1 mine",
    ),
    (_msg(ME, "marc@batiplus.fr", labels=frozenset({"DRAFT"})), Kind.DRAFT, "1 DRAFT label"),
    (_msg("julien.roux@optiplan.fr", "marc@batiplus.fr", ME), Kind.OUTBOUND, "2 teammate"),
    (_msg("julien.roux@optiplan.fr", ME), Kind.INTERNAL, "2 teammate, team only"),
    (_msg("marc@batiplus.fr", ME), Kind.REPLY, "8 genuine reply"),
]


@pytest.mark.parametrize(("message", "kind", "rule"), TEAM_CASES)
def test_ours_teammates_and_internal_notes(message: Message, kind: Kind, rule: str) -> None:
    verdict = classify(message, TEAM)
    assert (verdict.kind, verdict.rule) == (kind, rule)


def test_a_public_webmail_domain_never_makes_a_teammate() -> None:
    team = Team.of(["claire.martin@gmail.com"], ["gmail.com"])
    verdict = classify(_msg("marc.prospect@gmail.com", "claire.martin@gmail.com"), team)
    assert verdict.kind is Kind.REPLY


def test_the_gmail_bounce_with_auto_submitted_is_a_bounce() -> None:
    # chatwoot's bounced_gmail.eml: a DSN carrying Auto-Submitted: auto-replied (H1 before H6).
    verdict = classify(read(MAIL / "other_fixtures" / "chatwoot_bounced_gmail.eml"), OUTSIDER)
    assert (verdict.kind, verdict.rule) == (Kind.BOUNCE, "H1 DSN delivery-status")


@cache
def _sisimai() -> Counter[tuple[str, Kind, bool]]:
    counts: Counter[tuple[str, Kind, bool]] = Counter()
    maildir = MAIL / "sisimai_set_of_emails" / "maildir"
    for path in sorted((maildir / "bsd").glob("*.eml")) + sorted((maildir / "not").glob("*")):
        label = path.name.split("-")[0]
        label = "bounce" if label in {"lhost", "rhost", "rfc3464"} else label
        verdict = classify(read(path), OUTSIDER)
        counts[(label, verdict.kind, "delayed" in verdict.rule)] += 1
    return counts


def _count(counts: Counter[tuple[str, Kind, bool]], label: str, *kinds: Kind) -> int:
    return sum(n for (lab, kind, _), n in counts.items() if lab == label and kind in kinds)


def test_sisimai_bounce_detection_rate() -> None:
    counts = _sisimai()
    assert _count(counts, "bounce", *Kind) == 606
    assert _count(counts, "bounce", Kind.BOUNCE) >= 580
    delays = sum(n for (lab, kind, delayed), n in counts.items() if lab == "bounce" and delayed)
    assert delays >= 12 and _count(counts, "bounce", Kind.REPLY) <= 2


def test_sisimai_auto_replies_and_abuse_reports() -> None:
    counts = _sisimai()
    assert _count(counts, "rfc3834", Kind.AUTO_REPLY) == 6
    assert _count(counts, "arf", *Kind) == 17
    assert _count(counts, "arf", Kind.BOUNCE, Kind.AUTO_REPLY) == 17
    assert _count(counts, "is", Kind.REPLY) == 2  # maildir/not: human mail stays human


DISCOURSE_KIND = {
    "autoreply": Kind.AUTO_REPLY,
    "bounce": Kind.BOUNCE,
    "bulk": Kind.BULK,
    "human": Kind.REPLY,
}


def test_discourse_labelled_fixtures() -> None:
    folder = MAIL / "discourse_emails"
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    with (folder / "index.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            expected = DISCOURSE_KIND.get(row["proto_category"])
            if expected is None or not row["file"].endswith(".eml"):
                continue
            verdict = classify(read(folder / row["file"]), OUTSIDER)
            total[row["proto_category"]] += 1
            right[row["proto_category"]] += verdict.kind is expected
    assert (right["bounce"], right["autoreply"], right["bulk"]) == (
        total["bounce"],
        total["autoreply"],
        total["bulk"],
    )
    assert total["human"] - right["human"] <= 8
    human = classify(read(folder / "quirks_exchange_xars.eml"), OUTSIDER)
    assert human.kind is Kind.REPLY


@cache
def _apache() -> tuple[tuple[Message, bytes], ...]:
    """Every readable message, headers only, with its raw bytes."""
    messages = []
    for path in sorted((MAIL / "apache_ponymail_corpus").glob("*.mbox")):
        for _, raw in iter_mbox(path):
            try:
                messages.append((parse_message(raw, with_body=False), raw))
            except MaxcoreError:  # a broken message is skipped, as in a real scan
                continue
    return tuple(messages)


MACHINE = {Kind.AUTO_REPLY, Kind.BOUNCE, Kind.READ_RECEIPT}
LIST_HEADERS = {"list-id", "list-post", "list-unsubscribe", "x-mailing-list", "mailing-list"}
LIST_HEADERS |= {"x-mailman-version", "x-beenthere", "feedback-id", "precedence"}


def test_apache_list_mail_is_bulk_never_machine() -> None:
    kinds = Counter(classify(m, OUTSIDER).kind for m, _ in _apache())
    assert sum(kinds.values()) >= 2000
    assert kinds[Kind.BULK] == sum(kinds.values())


def test_apache_human_mail_without_list_headers_is_not_taken_for_a_machine() -> None:
    # Each message once: the corpus holds the same months in three archive formats.
    unique = {m.id: raw for m, raw in _apache()}.values()
    verdicts = []
    for raw in unique:
        full = parse_message(raw)
        headers = {k: v for k, v in full.headers.items() if k not in LIST_HEADERS}
        verdicts.append(classify(replace(full, headers=headers), OUTSIDER))
    assert len(verdicts) >= 800
    by_headers = [v for v in verdicts if v.kind in MACHINE and not v.rule.startswith("7")]
    weak = [v for v in verdicts if v.kind in MACHINE and v.rule.startswith("7")]
    assert by_headers == []
    assert len(weak) <= WEAK_MEASURED


# Measured: empty bodies (empty_body.mbox, empty_attachment.mbox) and quote-only list replies.
WEAK_MEASURED = 5


# Auto-replies outside French and English headers. Each row is a message written for this test
# (invented people); the comment names where its subject or phrase comes from. Every one answers
# our email (In-Reply-To), as responders do, so the bulk rule alone cannot set it aside.
PROSPECT = Address("ola.nowak@budmax.pl", "Ola Nowak")
PRECEDENCE_BULK = {"precedence": ("bulk",)}
PRECEDENCE_JUNK = {"precedence": ("junk",)}
AUTO_REPLY_CASES = [
    # (name, subject, headers, text, kind)
    # Outlook PL "Odpowiedzi automatyczne" (Microsoft KB 290846, pl-pl; polsl.pl Outlook 365
    # help); "Automatyczna odpowiedź" is the wording other Polish clients and users put first.
    ("pl subject, Precedence bulk only", "Automatyczna odpowiedź: Oferta", PRECEDENCE_BULK,
     "Dzień dobry, odpowiem po powrocie.", Kind.AUTO_REPLY),
    ("pl Outlook subject", "Odpowiedź automatyczna: Oferta", {}, "Dzień dobry.", Kind.AUTO_REPLY),
    # Outlook's localised "Automatic reply:" (Microsoft KB 290846 in de-de, es-es, it-it, nl-nl,
    # pt-pt / pt-br: "Automatische Antworten", "Respuestas automáticas", "Risposte automatiche",
    # "Automatische antwoorden", "Respostas automáticas").
    ("de Outlook subject", "Automatische Antwort: Angebot", {}, "Guten Tag.", Kind.AUTO_REPLY),
    ("es Outlook subject", "Respuesta automática: Oferta", {}, "Hola.", Kind.AUTO_REPLY),
    ("it Outlook subject", "Risposta automatica: Offerta", {}, "Buongiorno.", Kind.AUTO_REPLY),
    ("nl Outlook subject", "Automatisch antwoord: Offerte", {}, "Goedendag.", Kind.AUTO_REPLY),
    ("pt Outlook subject", "Resposta automática: Proposta", {}, "Bom dia.", Kind.AUTO_REPLY),
    # The feature names of the same KB used as subjects ("Fora do escritório", "Poza biurem").
    ("pt out-of-office subject", "Fora do escritório", {}, "Bom dia.", Kind.AUTO_REPLY),
    ("pl out-of-office subject", "Poza biurem", {}, "Dzień dobry.", Kind.AUTO_REPLY),
    # An acknowledgement worded as many helpdesk/vacation responders word it; RFC 3834 §3.1.8:
    # responders stamp their answers "Precedence: bulk/junk" (Sun's vacation(1) does).
    ("en acknowledgement with Precedence bulk", "Re: Proposal", PRECEDENCE_BULK,
     "Thank you for your e-mail. I will endeavour to reply as soon as possible.",
     Kind.AUTO_REPLY),
    ("en acknowledgement with Precedence junk", "Re: Proposal", PRECEDENCE_JUNK,
     "Thanks for your message, I will respond as soon as I can.", Kind.AUTO_REPLY),
    # Challenge-response spam filters ask the sender to prove they are a person before the mail
    # is delivered (SendGrid glossary "Challenge Response"; Mailinblack, Boxbe, SpamArrest).
    ("en challenge-response", "Re: Proposal", {},
     "Your message is being held. Please confirm you are human by clicking the link below to "
     "complete the delivery of your email.", Kind.AUTO_REPLY),
    ("fr challenge-response", "Re: Offre", {},
     "Votre message est en attente. Afin de confirmer que vous n'êtes pas un robot, cliquez sur "
     "le lien ci-dessous.", Kind.AUTO_REPLY),
    ("en sender verification", "Sender verification required", {},
     "Please verify your email address so that your message can be delivered.",
     Kind.AUTO_REPLY),
    # French absence notices without any header (mail-signals.md "Body phrases", FR).
    ("fr leave, no header", "Re: Offre", {},
     "Actuellement en congé, je prendrai connaissance de votre message à mon retour.",
     Kind.AUTO_REPLY),
    # One absence notice per language, in the wording of the languages' own Outlook templates
    # (KB 290846): "während meiner Abwesenheit", "durante mi ausencia", "durante la mia
    # assenza", "tijdens mijn afwezigheid", "durante a minha ausência", "podczas mojej
    # nieobecności", with the usual return/urgent-contact line.
    ("de absence", "Re: Angebot", {},
     "Ich bin bis zum 4. Januar nicht im Büro. Während meiner Abwesenheit werden E-Mails nicht "
     "weitergeleitet.", Kind.AUTO_REPLY),
    ("es absence", "Re: Oferta", {},
     "Estoy fuera de la oficina. Durante mi ausencia no tendré acceso al correo.",
     Kind.AUTO_REPLY),
    ("it absence", "Re: Offerta", {},
     "Sono fuori sede fino al 4 gennaio. Per urgenze contattare Luca.", Kind.AUTO_REPLY),
    ("nl absence", "Re: Offerte", {},
     "Ik ben afwezig tot 4 januari. Tijdens mijn afwezigheid worden berichten niet gelezen.",
     Kind.AUTO_REPLY),
    ("pt absence", "Re: Proposta", {},
     "Estou de férias. Responderei à sua mensagem no meu regresso.", Kind.AUTO_REPLY),
    ("pl absence", "Re: Oferta", {},
     "Jestem na urlopie do 4 stycznia. W pilnych sprawach proszę o kontakt z biurem.",
     Kind.AUTO_REPLY),
    # People write these: one hint alone, or an acknowledgement without a responder's header.
    ("en a person thanking", "Re: Proposal", {},
     "Thank you for your email. The price works for us, send the contract.", Kind.REPLY),
    ("en a person acknowledging", "Re: Proposal", {},
     "Thanks for your message, I will respond as soon as I can.", Kind.REPLY),
    ("de a person travelling", "Re: Angebot", {},
     "Danke für Ihre Nachricht. Nach meiner Rückkehr rufe ich Sie an.", Kind.REPLY),
    ("es a person", "Re: Oferta", {},
     "Gracias por su mensaje. A mi regreso lo revisamos juntos.", Kind.REPLY),
    ("it a person", "Re: Offerta", {}, "Va bene, al mio rientro firmiamo.", Kind.REPLY),
    ("pl a person", "Re: Oferta", {}, "Dziękuję, po powrocie zadzwonię.", Kind.REPLY),
    ("fr a person on leave who answers", "Re: Offre", {},
     "Je suis en congé mais oui, envoyez le contrat.", Kind.REPLY),
    ("fr a person asking to confirm", "Re: Offre", {},
     "Pouvez-vous confirmer que vous êtes disponibles jeudi ?", Kind.REPLY),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "subject", "headers", "text", "kind"),
    AUTO_REPLY_CASES,
    ids=[c[0] for c in AUTO_REPLY_CASES],
)
def test_auto_replies_in_more_languages(
    name: str, subject: str, headers: dict[str, tuple[str, ...]], text: str, kind: Kind
) -> None:
    message = Message(
        id="<ar@budmax.pl>", subject=subject, sender=PROSPECT, to=(Address(ME),), text=text,
        headers=headers, in_reply_to="<orig-1@optiplan.fr>",
    )  # fmt: skip
    verdict = classify(message, TEAM, MY_IDS)
    assert verdict.kind is kind, verdict.rule


def _trimmer_bodies() -> list[tuple[str, str]]:
    folder = MAIL / "email_reply_trimmer_corpus" / "test" / "emails"
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]


def test_no_real_human_mail_is_taken_for_an_auto_reply() -> None:
    """Discourse's human-labelled mails and the 64 real replies of email_reply_trimmer: none is
    filed auto_reply by a phrase, a subject or a header. Only "nothing new after quotes" may
    set one aside, and only when it really has no words of its own (checked here)."""
    wrong: list[tuple[str, str]] = []
    checked = 0
    folder = MAIL / "discourse_emails"
    with (folder / "index.csv").open(encoding="utf-8") as f:
        humans = [r["file"] for r in csv.DictReader(f) if r["proto_category"] == "human"]
    messages = [(name, read(folder / name)) for name in humans if name.endswith(".eml")]
    messages += [
        (name, Message(id=f"<{name}>", sender=Address("someone@example.org"), text=text))
        for name, text in _trimmer_bodies()
    ]
    for name, message in messages:
        verdict = classify(message, OUTSIDER, frozenset({message.in_reply_to or ""}))
        checked += 1
        if verdict.kind is Kind.REPLY:
            continue
        words = strip_quotes(message.text or "")
        if verdict.rule == "7 empty after quotes" and not words:
            continue
        wrong.append((name, verdict.rule))
    assert checked >= 150
    assert wrong == []


def test_old_hotmail_complaints_without_report_type_are_no_reply() -> None:
    # sisimai's Sisimai::ARF: Hotmail's JMRP sends multipart/mixed from staff@hotmail.com,
    # subject "complaint about message from <IP>", the reported mail attached (RFC 5965 §1
    # describes the ARF this predates).
    folder = MAIL / "sisimai_set_of_emails" / "maildir" / "bsd"
    for name in ("arf-22.eml", "arf-23.eml", "arf-24.eml"):
        verdict = classify(read(folder / name), OUTSIDER)
        assert verdict.kind is not Kind.REPLY, (name, verdict.rule)
        assert verdict.kind is Kind.BOUNCE, (name, verdict.rule)


WROTE_LINE = "On Wed, Apr 4, 2012 at 10:00 AM, Jane Roe <jane@example.com> wrote:"


@pytest.mark.parametrize(
    "text",
    [
        f"Sounds good, thanks {WROTE_LINE}\n> Shall we meet?",  # glued to the attribution
        "Ok--- On Wed, 4/4/12, Jane Roe <jane@example.com> wrote:\n> Shall we meet?",  # Yahoo
        f"Le devis me va.\n{WROTE_LINE}\n> Shall we meet?",  # one line that starts like "Le …"
        f"On my side it is fine.\n{WROTE_LINE}\n> Shall we meet?",
    ],
)
def test_a_short_answer_next_to_the_attribution_is_a_reply(text: str) -> None:
    message = Message(id="<p@x>", sender=Address("marc@batiplus.fr"), text=text)
    verdict = classify(message, TEAM)
    assert (verdict.kind, verdict.rule) == (Kind.REPLY, "8 genuine reply")


def test_every_auto_reply_phrase_holds_one_of_its_keys() -> None:
    """autoreply.py runs a row's regex only when one of its keys is in the text: each top-level
    alternative of the pattern must spell one of them, or the row could never fire there."""
    rows = [(k, p) for _, k, p, _ in ABSENCE_PHRASES]
    rows += [(k, p) for _, k, p in (*ACKNOWLEDGEMENTS, *CHALLENGE_PHRASES)]
    for keys, pattern in rows:
        depth, parts, current = 0, [], ""
        for char in pattern:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if char == "|" and depth == 0:
                parts.append(current)
                current = ""
            else:
                current += char
        parts.append(current)
        for part in parts:
            assert any(key in part for key in keys), (keys, part)
