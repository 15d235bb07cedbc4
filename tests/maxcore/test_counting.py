"""counting: the thread report, on the demo mailbox, on hand-built threads, and on real list mail.

The last test is the contract the streaming scan relies on: a report built from headers only plus
the bodies `messages_needing_text` asks for equals the report built from full messages.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from maxcore.adapters.mail import parse_message
from maxcore.adapters.mbox import iter_mbox
from maxcore.core.counting import (
    build_report,
    classify_thread,
    messages_needing_text,
    our_texts_needed,
    their_texts_needed,
)
from maxcore.core.errors import MaxcoreError
from maxcore.core.model import Address, History, Kind, Message, Team, Thread
from maxcore.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "samples" / "demo.mbox"
APACHE = ROOT / ".." / "shared" / "data" / "mail" / "apache_ponymail_corpus"
TEAM = Team.of(["claire.martin@optiplan.fr"], ["optiplan.fr"])
NOW = datetime.fromisoformat("2026-11-27T10:00:00+01:00")
SETTINGS = Settings()


def threads_of(messages: list[Message]) -> list[Thread]:
    """Threads by the root of References (enough for these files; grouping.py does it for real)."""
    groups: dict[str, list[Message]] = {}
    for m in messages:
        root = m.references[0] if m.references else (m.in_reply_to or m.id)
        groups.setdefault(root, []).append(m)
    return [Thread(root, ms[0].subject, tuple(ms)) for root, ms in groups.items()]


def read_mbox(path: Path, *, with_body: bool = True) -> list[Message]:
    messages = []
    for _, raw in iter_mbox(path):
        try:
            messages.append(parse_message(raw, with_body=with_body))
        except MaxcoreError:
            continue
    return messages


DEMO_EXPECTED = {
    # thread root: (level, unanswered, opens, wait_until, prospect, phone, ignored reasons)
    "<t1-m1@optiplan.fr>": (
        "trap", 4, 1, None, "marc.lefevre@batiplus.fr", "+33612345678", ["read_receipt"]
    ),
    "<t2-m1@optiplan.fr>": (
        "watch", 2, 0, None, "sarah.collins@northwind-logistics.co.uk", "+447911123456", []
    ),
    "<t3-m1@optiplan.fr>": (
        "ok", 1, 0, None, "t.girard@laiterie-girard.fr", "+33781234567", ["internal"]
    ),
    "<t4-m1@optiplan.fr>": (
        "watch", 2, 0, date(2026, 12, 7), "isabelle.moreau@groupe-hexa.fr", None,
        ["auto_reply", "auto_reply"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("root", sorted(DEMO_EXPECTED))
def test_demo_mailbox_reports(root: str) -> None:
    thread = next(t for t in threads_of(read_mbox(DEMO)) if t.thread_id == root)
    r = build_report(thread, TEAM, NOW, SETTINGS, History())
    assert r.prospect is not None
    got = (r.level, r.unanswered, r.opens, r.wait_until, r.prospect.email, r.prospect.phone)
    assert (*got, [i.reason for i in r.ignored]) == DEMO_EXPECTED[root]


def test_the_demo_has_a_name_for_each_prospect_and_our_last_touch() -> None:
    reports = {
        t.thread_id: build_report(t, TEAM, NOW, SETTINGS, History())
        for t in threads_of(read_mbox(DEMO))
    }
    first = reports["<t1-m1@optiplan.fr>"]
    assert first.prospect is not None and first.prospect.name == "Marc Lefèvre"
    assert first.last_touch_at == datetime.fromisoformat("2026-11-16T09:50:00+01:00")
    assert first.last_reply_at == datetime.fromisoformat("2026-10-21T10:12:00+02:00")


# Hand-built threads: "o" ours to the prospect, "r" a genuine reply, "a" an auto-reply,
# "i" an internal note, "d" a draft, "m" a read receipt, "t" a teammate to the prospect.
PROSPECT = Address("marc@batiplus.fr", "Marc")
CLAIRE = Address("claire.martin@optiplan.fr", "Claire")
JULIEN = Address("julien.roux@optiplan.fr", "Julien")
START = datetime.fromisoformat("2026-11-02T10:00:00+01:00")


def _message(code: str, n: int, text: str = "") -> Message:
    date_n = START + timedelta(days=n)
    mid = f"<m{n}@x>"
    if code in "oid":
        to = (JULIEN,) if code == "i" else (PROSPECT,)
        labels = frozenset({"DRAFT"}) if code == "d" else frozenset()
        body = text or "Bonjour Marc, voici notre proposition."
        return Message(mid, "Offre", CLAIRE, to, date=date_n, text=body, labels=labels)
    if code == "t":
        return Message(mid, "Offre", JULIEN, (PROSPECT,), date=date_n, text="Bonjour.")
    headers = {
        "a": {"auto-submitted": ("auto-replied",)},
        "m": {},
        "r": {},
    }[code]
    types = ("multipart/report; report-type=disposition-notification",) if code == "m" else ()
    body = text or ("Merci, je regarde." if code == "r" else "Je suis absent.")
    return Message(
        mid, "Re: Offre", PROSPECT, (CLAIRE,), date=date_n, headers=headers,
        content_types=types, text=body,
    )  # fmt: skip


def _thread(codes: str) -> Thread:
    return Thread("t", "Offre", tuple(_message(c, n) for n, c in enumerate(codes)))


STREAK_CASES = [
    ("", 0, "ok"),
    ("o", 1, "ok"),
    ("oo", 2, "watch"),
    ("ooo", 3, "trap"),
    ("oootooo", 7, "trap"),
    ("ooor", 0, "ok"),
    ("ooroo", 2, "watch"),
    ("otr" + "o", 1, "ok"),
    ("oto", 3, "trap"),  # a teammate's follow-up is one of our touches
    ("oaoao", 3, "trap"),  # auto-replies do not answer
    ("omom", 2, "watch"),  # nor do read receipts
    ("oioid", 2, "watch"),  # internal notes and drafts are not touches
]


@pytest.mark.parametrize(("codes", "unanswered", "level"), STREAK_CASES)
def test_unanswered_and_level(codes: str, unanswered: int, level: str) -> None:
    r = build_report(_thread(codes), TEAM, NOW, SETTINGS, History())
    assert (r.unanswered, r.level) == (unanswered, level)


@pytest.mark.parametrize(
    ("watch_at", "trap_at", "codes", "level"),
    [(1, 2, "o", "watch"), (1, 2, "oo", "trap"), (3, 5, "oooo", "watch"), (3, 5, "oo", "ok")],
)
def test_levels_follow_the_settings(watch_at: int, trap_at: int, codes: str, level: str) -> None:
    settings = replace(SETTINGS, watch_at=watch_at, trap_at=trap_at)
    assert build_report(_thread(codes), TEAM, NOW, settings, History()).level == level


def test_opens_count_receipts_after_the_first_unanswered_email_plus_tracked_opens() -> None:
    thread = _thread("omromom")  # the receipt before the reply is history
    history = History(opens=(NOW, NOW))
    assert build_report(thread, TEAM, NOW, SETTINGS, History()).opens == 2
    assert build_report(thread, TEAM, NOW, SETTINGS, history).opens == 4


def test_a_tracked_open_before_their_last_answer_is_not_counted() -> None:
    thread = _thread("oroo")  # they answered on day 1; our unanswered emails start on day 2
    before, after = START + timedelta(days=1, hours=1), START + timedelta(days=2, hours=1)
    history = History(opens=(before, after, after))
    assert build_report(thread, TEAM, NOW, SETTINGS, history).opens == 2


OOO = "Je suis absent, de retour le 15 décembre."
OOO_JAN = "Je suis en congés, de retour le 4 janvier."
AFTER_RETURN = datetime.fromisoformat("2026-12-16T09:00:00+01:00")

# RFC 3834 §2: an auto-responder answers a sender "not more than once" in a period (commonly 7
# days), so the out-of-office received after our first email is the only one: its return date
# holds for every later email of ours, until a genuine reply says they are back. The report keeps
# the date once it has passed (the UI can say "back since"); policy only waits while it is ahead.
WAIT_UNTIL_CASES = [
    # (name, [(code, text)], now, expected wait_until)
    ("the out-of-office after our email", [("o", ""), ("a", OOO)], NOW, date(2026, 12, 15)),
    ("kept once passed, for the UI", [("o", ""), ("a", OOO)], AFTER_RETURN, date(2026, 12, 15)),
    ("our emails after it do not end the absence",
     [("o", ""), ("a", OOO), ("o", ""), ("o", "")], NOW, date(2026, 12, 15)),
    ("an out-of-office before our first email still holds", [("a", OOO), ("o", "")], NOW,
     date(2026, 12, 15)),
    ("a genuine reply after it: they are back", [("o", ""), ("a", OOO), ("r", ""), ("o", "")],
     NOW, None),
    ("a later out-of-office without a date keeps the announced one",
     [("o", ""), ("a", OOO), ("o", ""), ("a", "Je suis absent."), ("o", "")], NOW,
     date(2026, 12, 15)),
    ("a later date replaces it (leave extended)",
     [("o", ""), ("a", OOO), ("o", ""), ("a", OOO_JAN), ("o", "")], NOW, date(2027, 1, 4)),
    ("an out-of-office with no date gives none", [("o", ""), ("a", "Je suis absent.")], NOW, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "codes_and_texts", "now", "expected"),
    WAIT_UNTIL_CASES,
    ids=[c[0] for c in WAIT_UNTIL_CASES],
)
def test_wait_until(
    name: str, codes_and_texts: list[tuple[str, str]], now: datetime, expected: date | None
) -> None:
    thread = Thread(
        "t", "Offre", tuple(_message(c, n, t) for n, (c, t) in enumerate(codes_and_texts))
    )
    assert build_report(thread, TEAM, now, SETTINGS, History()).wait_until == expected
    # The streaming scan reads the bodies asked for, and must find the same date.
    light = replace(thread, messages=tuple(replace(m, text=None) for m in thread.messages))
    mixed = _headers_plus_needed(thread, light, TEAM)
    assert build_report(mixed, TEAM, now, SETTINGS, History()).wait_until == expected
    assert build_report(_two_steps(thread), TEAM, now, SETTINGS, History()).wait_until == expected


def test_the_prospect_is_the_outside_recipient_when_nobody_answered() -> None:
    r = build_report(_thread("oio"), TEAM, NOW, SETTINGS, History())
    assert r.prospect is not None
    assert (r.prospect.email, r.prospect.name, r.prospect.phone) == (
        "marc@batiplus.fr",
        "Marc",
        None,
    )


def test_a_phone_of_the_team_is_never_the_prospects() -> None:
    ours = _message("o", 0, "Bonjour Marc.\n\nClaire\nMob : 06 98 76 54 32")
    reply = _message("r", 1, "Appelez-moi, ou rappelez Claire au 06 98 76 54 32.")
    thread = Thread("t", "Offre", (ours, reply))
    r = build_report(thread, TEAM, NOW, SETTINGS, History())
    assert r.prospect is not None and r.prospect.phone is None
    signed = replace(reply, text=reply.text + "\n\nMarc\nPortable : 06 12 34 56 78")
    r = build_report(replace(thread, messages=(ours, signed)), TEAM, NOW, SETTINGS, History())
    assert r.prospect is not None and r.prospect.phone == "+33612345678"


def test_ignored_lists_every_non_touch_with_its_kind() -> None:
    thread = _thread("oamid")
    r = build_report(thread, TEAM, NOW, SETTINGS, History())
    assert [(i.message_id, i.reason) for i in r.ignored] == [
        ("<m1@x>", "auto_reply"), ("<m2@x>", "read_receipt"), ("<m3@x>", "internal"),
        ("<m4@x>", "draft"),
    ]  # fmt: skip
    kinds = [v.kind for v in classify_thread(thread, TEAM)]
    assert kinds[0] is Kind.OUTBOUND


def _headers_plus_needed(full: Thread, headers_only: Thread, team: Team) -> Thread:
    needed = messages_needing_text(headers_only, team)
    by_id = {m.id: m for m in full.messages}
    mixed = tuple(by_id[m.id] if m.id in needed else m for m in headers_only.messages)
    return replace(headers_only, messages=mixed)


def _equivalence(path: Path, team: Team) -> tuple[int, int, int, int]:
    """Threads, threads with a reply, bodies needed, messages; asserts equal reports on the way."""
    full = threads_of(read_mbox(path))
    light = {t.thread_id: t for t in threads_of(read_mbox(path, with_body=False))}
    needed = total = replied = 0
    for thread in full:
        mixed = _headers_plus_needed(thread, light[thread.thread_id], team)
        expected = build_report(thread, team, NOW, SETTINGS, History())
        assert build_report(mixed, team, NOW, SETTINGS, History()) == expected, thread.thread_id
        needed += sum(m.text is not None for m in mixed.messages)
        total += len(thread.messages)
        replied += expected.last_reply_at is not None
    return len(full), replied, needed, total


def test_headers_plus_needed_bodies_equal_full_messages_on_the_demo() -> None:
    threads, replied, needed, total = _equivalence(DEMO, TEAM)
    assert (threads, replied, total) == (4, 3, 19)
    # Measured: 16 of 19 (read receipts and our bodies with no reply skipped); both of t4's
    # out-of-offices are read, since the first one's return date holds as long as the second's.
    assert needed <= 16


BOTS = ("git@", "jira@", "noreply", "no-reply")  # commit mails get answers too, but are no person


def test_headers_plus_needed_bodies_equal_full_messages_on_real_list_mail() -> None:
    path = APACHE / "maven-dev-2017-11-mboxvm.mbox"
    # "We" are the poster others answered most, so threads hold our messages, replies and bulk.
    messages = read_mbox(path, with_body=False)
    sender_of = {m.id: m.sender.email for m in messages}
    answered = Counter(sender_of.get(m.in_reply_to or "", "") for m in messages)
    me = next(who for who, _ in answered.most_common() if who and not who.startswith(BOTS))
    threads, replied, needed, total = _equivalence(path, Team.of([me]))
    assert threads >= 50 and total >= 300 and replied >= 5
    # Measured: 66 of 317 bodies needed (answers to us, and our own messages for the phone check).
    assert 0 < needed <= 70


def test_headers_plus_needed_bodies_equal_full_messages_on_real_bounces() -> None:
    path = ROOT / ".." / "shared" / "data" / "mail" / "sisimai_set_of_emails" / "mailbox" / "mbox-0"
    threads, _, needed, total = _equivalence(path, Team.of(["kijitora@example.jp"]))
    # Measured: 35 threads, 37 of 37 bodies needed: a DSN's text may say it is only a delay.
    assert (threads, total) == (35, 37) and needed == total


def _two_steps(full: Thread) -> Thread:
    """What the streaming scan does: headers only, their bodies, then ours only if they matter."""
    by_id = {m.id: m for m in full.messages}
    light = replace(full, messages=tuple(replace(m, text=None) for m in full.messages))

    def fill(thread: Thread, ids: frozenset[str]) -> Thread:
        return replace(
            thread, messages=tuple(by_id[m.id] if m.id in ids else m for m in thread.messages)
        )

    step1 = fill(light, their_texts_needed(light, TEAM))
    return fill(step1, our_texts_needed(step1, TEAM))


TWO_STEP_CASES = {
    "our mobile quoted back in their reply": (
        _message("o", 0, "Bonjour Marc.\n\nClaire\nMob : 06 98 76 54 32"),
        _message("r", 1, "Appelez-moi, ou rappelez Claire au 06 98 76 54 32."),
    ),
    "their own mobile, ours elsewhere": (
        _message("o", 0, "Bonjour Marc.\n\nClaire\nMob : 06 98 76 54 32"),
        _message("r", 1, "Merci, je regarde.\n\nMarc\nPortable : 06 12 34 56 78"),
        _message("o", 2),
    ),
    "no mobile anywhere": (_message("o", 0), _message("r", 1), _message("o", 2)),
}


@pytest.mark.parametrize("case", TWO_STEP_CASES)
def test_reading_our_bodies_only_when_a_reply_holds_a_mobile_changes_no_report(case: str) -> None:
    full = Thread("t", "Offre", TWO_STEP_CASES[case])
    expected = build_report(full, TEAM, NOW, SETTINGS, History())
    assert build_report(_two_steps(full), TEAM, NOW, SETTINGS, History()) == expected
