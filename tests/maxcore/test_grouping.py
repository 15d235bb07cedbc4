"""group_threads: Gmail ids, then JWZ, then a careful subject fallback; measured on Fedora."""

from __future__ import annotations

import gzip
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

import pytest

from maxcore.adapters.mail import iter_mbox, parse_message
from maxcore.core.grouping import (
    group_keys,
    group_threads,
    key_of,
    normalize_subject,
    strip_prefixes,
)
from maxcore.core.model import Address, Message

FEDORA = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "data"
    / "mail"
    / "threading_fedora_devel"
)
ME, PROSPECT, OTHER = "me@acme.fr", "marc@batiplus.fr", "anne@bois.fr"
T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
CC = (Address(OTHER),)


def msg(
    mid: str,
    *,
    days: float | None = 0,
    subject: str = "Proposition - module",
    sender: str = ME,
    to: str = PROSPECT,
    refs: tuple[str, ...] = (),
    irt: str | None = None,
    thread_id: str | None = None,
) -> Message:
    return Message(
        id=f"<{mid}>",
        subject=subject,
        sender=Address(sender),
        to=(Address(to),),
        date=None if days is None else T0 + timedelta(days=days),
        references=tuple(f"<{r}>" for r in refs),
        in_reply_to=f"<{irt}>" if irt else None,
        thread_id=thread_id,
    )


def ids(messages: list[Message]) -> list[list[str]]:
    return [[m.id.strip("<>") for m in t.messages] for t in group_threads(messages)]


@pytest.mark.parametrize(
    ("subject", "stripped"),
    [
        ("Re: Proposition", "Proposition"),
        ("RE: Re: FW: Proposition", "Proposition"),
        ("TR : Proposition", "Proposition"),  # French Outlook forward, space before the colon
        ("Réf. : Proposition", "Proposition"),
        ("AW: WG: Angebot", "Angebot"),
        ("SV: VS: Antw: RV: R: I: Tarif", "Tarif"),
        ("回复：报价", "报价"),
        ("[EXT] Re: [EXTERNAL] Devis", "Devis"),
        ("Re[2]: Devis", "Devis"),
        ("Fwd:Re:Devis", "Devis"),
        ("Rendez-vous mardi", "Rendez-vous mardi"),  # "R" inside a word is not a prefix
        ("Invitation: Démo", "Invitation: Démo"),
    ],
)
def test_reply_and_forward_prefixes_are_stripped_in_many_languages(
    subject: str, stripped: str
) -> None:
    assert strip_prefixes(subject) == stripped


def test_normalized_subject_ignores_case_and_spacing() -> None:
    assert normalize_subject("RE:  Devis   BATIPLUS") == normalize_subject("devis batiplus")


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        # References chain, delivered out of order.
        (
            [msg("c", days=2, refs=("a", "b")), msg("a"), msg("b", days=1, refs=("a",))],
            [["a", "b", "c"]],
        ),
        # In-Reply-To alone links.
        ([msg("a"), msg("b", days=1, sender=PROSPECT, to=ME, irt="a")], [["a", "b"]]),
        # Two replies to a parent we never saw share a dummy parent: one thread.
        ([msg("x", refs=("gone",)), msg("y", days=1, irt="gone", subject="Autre")], [["x", "y"]]),
        # A loop in broken References does not hang or merge strangers.
        (
            [
                msg("a", refs=("b",)),
                msg("b", days=1, refs=("a",)),
                msg("z", subject="Other", to=OTHER),
            ],
            [["a", "b"], ["z"]],
        ),
        # The same Message-ID twice (archives repeat messages) is read once.
        ([msg("a"), msg("a"), msg("b", days=1, irt="a")], [["a", "b"]]),
    ],
)
def test_jwz_links_by_references_then_in_reply_to(
    messages: list[Message], expected: list[list[str]]
) -> None:
    assert ids(messages) == expected


@pytest.mark.parametrize(
    ("later", "joined"),
    [
        (
            msg("r", days=2, subject="Re: Proposition - module", sender=PROSPECT, to=ME),
            True,
        ),  # reply, no refs
        (msg("f", days=5, subject="Proposition - module"), True),  # my follow-up sent as a new mail
        (
            msg("t", days=1, subject="Proposition - module", to=OTHER),
            False,
        ),  # the same template to another
        (
            msg("late", days=9, subject="Re: Proposition - module", sender=PROSPECT, to=ME),
            False,
        ),  # > 7 days
        (msg("s", days=1, subject="Devis", sender=PROSPECT, to=ME), False),  # other subject
    ],
)
def test_subject_fallback_needs_both_ends_and_the_window(later: Message, joined: bool) -> None:
    groups = ids([msg("a"), later])
    assert (len(groups) == 1) is joined


@pytest.mark.parametrize(
    ("later", "joined"),
    [
        (
            msg("r", days=1, subject="Re: Suivi", sender=PROSPECT, to=ME),
            True,
        ),  # the same two people
        (msg("o", days=1, subject="Suivi", sender=OTHER, to=ME), False),
        # Someone new in copy: fine for a specific subject, not for a generic one.
        (replace(msg("c", days=1, subject="Re: Suivi", sender=PROSPECT, to=ME), cc=CC), False),
    ],
)
def test_generic_subjects_never_merge_across_different_people(later: Message, joined: bool) -> None:
    groups = ids([msg("a", subject="Suivi"), later])
    assert (len(groups) == 1) is joined


def test_a_specific_subject_accepts_someone_new_in_copy() -> None:
    later = replace(
        msg("c", days=1, subject="Re: Proposition - module", sender=PROSPECT, to=ME), cc=CC
    )
    assert len(ids([msg("a"), later])) == 1


def test_window_is_a_parameter() -> None:
    messages = [
        msg("a"),
        msg("late", days=9, subject="Re: Proposition - module", sender=PROSPECT, to=ME),
    ]
    assert len(group_threads(messages, window=timedelta(days=10))) == 1


def test_gmail_thread_ids_are_trusted_over_headers() -> None:
    messages = [
        msg("a", thread_id="T1"),
        msg("b", days=1, irt="a", thread_id="T2"),  # Gmail split it (subject changed, say)
        msg("c", days=2, thread_id="T1", subject="Sans rapport"),
    ]
    threads = group_threads(messages)
    assert [(t.thread_id, [m.id for m in t.messages]) for t in threads] == [
        ("T1", ["<a>", "<c>"]),
        ("T2", ["<b>"]),
    ]


def test_thread_is_named_by_its_first_message_and_sorted_by_date() -> None:
    messages = [
        msg("b", days=1, irt="a", subject="RE: Proposition - module"),
        msg("u", days=None, irt="b"),  # undated: stays after the message it followed
        msg("a", subject="Proposition - module"),
    ]
    (thread,) = group_threads(messages)
    assert thread.thread_id == "<a>"
    assert thread.subject == "Proposition - module"
    assert [m.id for m in thread.messages] == ["<a>", "<b>", "<u>"]


class _MHonArcThreads(HTMLParser):
    """Mailman's thread page (MHonArc): top-level <li> are threads, msgNNNNN.html = mbox order."""

    def __init__(self) -> None:
        super().__init__()
        self.started, self.depth, self.threads = False, 0, []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        self.started = self.started or tag == "hr"
        if not self.started:
            return
        if tag == "ul":
            self.depth += 1
        elif tag == "a" and href.startswith("msg"):
            number = int(href[3:8])
            if self.depth == 1:
                self.threads.append([number])
            else:
                self.threads[-1].append(number)

    def handle_endtag(self, tag: str) -> None:
        if self.started and tag == "ul":
            self.depth -= 1


def test_threading_accuracy_on_fedora_devel_against_mailmans_thread_page() -> None:
    keys = [
        key_of(parse_message(raw, with_body=False))
        for _, raw in iter_mbox(FEDORA / "2010-January.txt.gz")
    ]
    page = _MHonArcThreads()
    page.feed(
        gzip.decompress((FEDORA / "2010-January_thread.html.gz").read_bytes()).decode("latin-1")
    )
    truth = {n: frozenset(t) for t in page.threads for n in t}
    assert len(truth) == len(keys) == 292
    predicted = {n: frozenset(g) for g in group_keys(keys) for n in g}
    exact = sum(predicted[n] == truth[n] for n in truth) / len(truth)
    pairs = {p for g in predicted.values() for p in combinations(sorted(g), 2)}
    true_pairs = {p for t in truth.values() for p in combinations(sorted(t), 2)}
    precision = len(pairs & true_pairs) / len(pairs)
    recall = len(pairs & true_pairs) / len(true_pairs)
    # Measured 2026-11-27: 95.9 % of messages in exactly the right thread, pair precision 100 %,
    # pair recall 98.8 % (the misses: list replies with no References, whose sender had not yet
    # written in the thread; MAX's subject fallback refuses those on purpose).
    assert exact >= 0.95
    assert precision >= 0.99
    assert recall >= 0.98
