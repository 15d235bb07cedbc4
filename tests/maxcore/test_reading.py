"""reading: a thread read once — sides, verdicts, new text and numbers — is what each rule would
have worked out alone, and a late body changes only its own message's verdict."""

from __future__ import annotations

from dataclasses import replace

from maxcore.core.counting import build_report
from maxcore.core.model import History, Kind
from maxcore.core.phones import phone_matches
from maxcore.core.reading import new_text, our_touches, read_thread, their_replies
from maxcore.core.settings import Settings
from maxcore.core.signals import classify, is_ours
from tests.maxcore._threads import ME, NOW, PROSPECT, TEAM, msg, thread

REPLY = (
    "Bonjour Thomas,\n\nOk pour jeudi.\n\nCordialement,\nMarc\nPort. 06 12 34 56 78\n\n"
    "Le 3 nov. 2026 à 10:12, Thomas <t@acme-software.fr> a écrit :\n> Voici le devis.\n"
)
TH = thread(
    msg(1, ME, 9, "Voici le devis.\nThomas\n01 40 00 00 00"),
    msg(2, PROSPECT, 8, REPLY),
    msg(3, ME, 5, "Un retour ?"),
    msg(4, PROSPECT, 4, "Je suis absent du bureau jusqu'au 15 décembre."),
)


def test_each_entry_is_the_message_its_side_and_its_own_verdict() -> None:
    reading = read_thread(TH, TEAM)
    my_ids = frozenset(m.id for m in TH.messages if is_ours(m, TEAM))
    assert reading.my_ids == my_ids
    assert [e.message for e in reading.entries] == list(TH.messages)
    assert [e.ours for e in reading.entries] == [True, False, True, False]
    assert [e.verdict for e in reading.entries] == [classify(m, TEAM, my_ids) for m in TH.messages]
    assert [e.kind for e in reading.entries][1:4:2] == [Kind.REPLY, Kind.AUTO_REPLY]


def test_words_and_numbers_are_what_each_rule_would_find_alone() -> None:
    reading = read_thread(TH, TEAM)
    reply = TH.messages[1]
    assert reading.words(reply) == new_text(reply) == "Bonjour Thomas,\n\nOk pour jeudi."
    assert reading.phones(reply, "FR", new_only=True) == phone_matches(
        reading.stripped(reply), "FR"
    )
    assert [f.e164 for f in reading.phones(reply, "FR", new_only=True)] == ["+33612345678"]
    assert [f.e164 for f in reading.phones(TH.messages[0], "FR", new_only=False)] == [
        "+33140000000"
    ]
    report = build_report(TH, TEAM, NOW, Settings(), History())
    assert reading.touches(report) == our_touches(TH, TEAM, report)
    assert reading.replies(report) == their_replies(TH, TEAM, report)


def test_a_body_read_late_reclassifies_only_its_own_message() -> None:
    headers_only = replace(TH, messages=tuple(replace(m, text=None) for m in TH.messages))
    reading = read_thread(headers_only, TEAM)
    assert reading.entries[3].verdict.rule.startswith("8")  # no body yet: taken as a reply
    first = reading.entries[0]
    later = reading.with_texts([*headers_only.messages[:3], TH.messages[3]])
    assert later.entries[0] is first  # kept, not classified again
    assert later.entries[3].kind is Kind.AUTO_REPLY
    assert later.thread.messages[3] is TH.messages[3]
    assert [e.verdict for e in later.entries] == [
        e.verdict for e in read_thread(later.thread, TEAM).entries
    ]
