"""Policy: one table row per rule (channel and the words of the reason)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest

from maxcore.core.counting import build_report
from maxcore.core.model import History, Ignored
from maxcore.core.policy import display_for, has_opted_out, pivot_channel, recommend, sentence
from maxcore.core.settings import Settings
from maxcore.core.timing import SLOT_COUNT, best_slot, user_zone
from tests.maxcore._threads import ME, NOW, PROSPECT, TEAM, msg, report, thread

S = Settings()
PROPOSAL = "Bonjour Marc, ci-joint le devis pour 12 licences."
THREE = (msg(1, ME, 20, PROPOSAL), msg(2, ME, 12, "Une question ?"), msg(3, ME, 5, "Et donc ?"))
TRAP = thread(*THREE)
ANSWERED_THEN_TWO = thread(msg(1, ME, 20, PROPOSAL), msg(2, PROSPECT, 18, "Merci, je regarde."),
                           msg(3, ME, 10, "Des questions ?"), msg(4, ME, 5, "Alors ?"))  # fmt: skip


def _opt_out(text: str) -> object:
    th = thread(msg(1, ME, 20, PROPOSAL), msg(2, PROSPECT, 15, text), *THREE[1:])
    return th, report(th, unanswered=2, level="watch")


CASES = [
    # (name, thread, report kwargs, history, channel, words in the reason)
    ("trap pivots to WhatsApp on a mobile", TRAP, {"unanswered": 3, "level": "trap"}, History(),
     "whatsapp", "third follow-up"),
    ("trap with a landline pivots to SMS", TRAP,
     {"unanswered": 3, "level": "trap", "phone": "+33140000000"}, History(), "sms", "SMS"),
    ("trap with no phone still offers WhatsApp", TRAP,
     {"unanswered": 3, "level": "trap", "phone": None}, History(), "whatsapp", "pick the contact"),
    ("watch with two opens pivots already", ANSWERED_THEN_TWO,
     {"unanswered": 2, "level": "watch", "opens": 2}, History(), "whatsapp",
     "opened your emails 2"),
    ("watch with one open stays on email", ANSWERED_THEN_TWO,
     {"unanswered": 2, "level": "watch", "opens": 1}, History(), "email", "second follow-up"),
    ("ok stays on email", thread(msg(1, ME, 5, PROPOSAL)), {"unanswered": 1, "level": "ok"},
     History(), "email", "still fine"),
    ("the prospect answered last: nothing to follow up",
     thread(msg(1, ME, 5, PROPOSAL), msg(2, PROSPECT, 1, "Oui, parlons-en.")),
     {"unanswered": 0, "level": "ok"}, History(), "none", "answered last"),
    ("one pivot per silence", TRAP, {"unanswered": 3, "level": "trap"},
     History(pivots_sent=(NOW - timedelta(days=2),)), "none", "wait for their answer"),
    ("the touch cap", thread(*THREE, msg(4, ME, 2, "?")), {"unanswered": 4, "level": "trap"},
     History(pivots_sent=()), "none", "4 times in 30 days"),
    ("too soon after our last touch", thread(*THREE[:2], msg(3, ME, 0.5, "Et donc ?")),
     {"unanswered": 3, "level": "trap"}, History(), "wait", "recent"),
    ("out of office until a date not reached", TRAP,
     {"unanswered": 3, "level": "trap", "wait_until": date(2026, 12, 7)}, History(), "wait",
     "away until 2026-12-07"),
    ("out of office long over", TRAP,
     {"unanswered": 3, "level": "trap", "wait_until": date(2026, 11, 2)}, History(), "whatsapp",
     "third follow-up"),
    ("a bounce on their address pivots even at ok",
     thread(msg(1, ME, 5, PROPOSAL),
            msg(2, PROSPECT, 5, "Delivery to marc.lefevre@batiplus.fr failed")),
     {"unanswered": 1, "level": "ok", "ignored": (Ignored("<2@test>", "bounce"),)}, History(),
     "whatsapp", "bounced"),
    ("an incomplete thread says so", TRAP, {"unanswered": 3, "level": "trap", "complete": False},
     History(), "whatsapp", "folded"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "th", "kwargs", "history", "channel", "words"), CASES)
def test_each_rule_gives_its_channel_and_says_why(
    name: str, th: object, kwargs: dict[str, object], history: History, channel: str, words: str
) -> None:
    rep = report(th, **kwargs)  # type: ignore[arg-type]
    rec = recommend(rep, th, TEAM, NOW, S, history)  # type: ignore[arg-type]
    assert rec.channel == channel, rec.reason
    assert words in rec.reason
    if channel in ("email", "whatsapp", "sms", "wait"):
        assert rec.send_at is not None and rec.send_at > NOW
    else:
        assert rec.send_at is None


@pytest.mark.parametrize(
    ("name", "th", "kwargs", "history", "channel", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_only_the_pivot_carries_its_next_windows(
    name: str, th: object, kwargs: dict[str, object], history: History, channel: str, words: str
) -> None:
    rep = report(th, **kwargs)  # type: ignore[arg-type]
    rec = recommend(rep, th, TEAM, NOW, S, history)  # type: ignore[arg-type]
    if rec.channel not in ("whatsapp", "sms"):  # email, wait, none: the mailbox's speed
        assert rec.slots == ()
        return
    mine = user_zone(th, TEAM)  # type: ignore[arg-type]
    best = best_slot(th, TEAM, rep, NOW, S, history, default_tz=mine)  # type: ignore[arg-type]
    assert len(rec.slots) == SLOT_COUNT
    assert rec.slots[0].best == best == rec.send_at
    assert rec.slots[0].best.tzinfo is best.tzinfo
    for earlier, later in pairwise(rec.slots):
        assert earlier.closes.date() < later.opens.date()  # one a day, later and later
    assert all(NOW <= s.opens <= s.best <= s.closes for s in rec.slots)


OPT_OUTS = [
    ("STOP", True), ("Merci de ne plus me contacter.", True), ("Je souhaite me désinscrire", True),
    ("Please unsubscribe me", True), ("We are not interested, thanks.", True),
    ("Pas intéressé pour le moment.", True), ("Remove me from your list", True),
    ("Ne me contactez plus.", True),
    ("On peut en reparler, ne me contactez pas avant janvier", False),
    ("Il faut stopper le projet pilote ?", False), ("Oui, intéressé, parlons-en.", False),
    ("Bonjour\n\nLe 3 nov. 2026, Thomas <t@acme.fr> a écrit :\n> STOP si besoin", False),
]  # fmt: skip


@pytest.mark.parametrize(("text", "opted_out"), OPT_OUTS)
def test_opt_out_is_read_in_their_own_words_only(text: str, opted_out: bool) -> None:
    th, rep = _opt_out(text)
    assert has_opted_out(th, TEAM, rep) is opted_out  # type: ignore[arg-type]
    rec = recommend(rep, th, TEAM, NOW, S, History())  # type: ignore[arg-type]
    assert (rec.channel == "none") is opted_out


@pytest.mark.parametrize(
    ("phone", "channel"),
    [("+33612345678", "whatsapp"), ("+33140000000", "sms"), (None, "whatsapp"),
     ("+14155550123", "whatsapp")],
)  # fmt: skip
def test_pivot_channel_follows_the_phone_kind(phone: str | None, channel: str) -> None:
    assert pivot_channel(phone) == channel


def test_thresholds_are_settings() -> None:
    th = ANSWERED_THEN_TWO
    rep = report(th, unanswered=2, level="watch", opens=2)
    strict = replace(S, pivot_opens=5)
    assert recommend(rep, th, TEAM, NOW, S, History()).channel == "whatsapp"
    assert recommend(rep, th, TEAM, NOW, strict, History()).channel == "email"


DISPLAYS = [
    # (report kwargs, recommendation channel, banner, hold Send, offer the message)
    ({"unanswered": 3, "level": "trap"}, "whatsapp", "trap", True, True),
    ({"unanswered": 3, "level": "trap"}, "none", "trap", True, False),  # the cap: no message
    ({"unanswered": 2, "level": "watch", "opens": 2}, "whatsapp", "watch", False, True),
    ({"unanswered": 2, "level": "watch", "opens": 1}, "email", None, False, False),
    ({"unanswered": 2, "level": "watch", "opens": 2}, "wait", "watch", False, False),
    ({"unanswered": 1, "level": "ok", "opens": 9}, "whatsapp", None, False, False),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "channel", "banner", "hold", "offer"), DISPLAYS)
def test_the_report_says_what_the_extension_shows(
    kwargs: dict[str, object], channel: str, banner: str | None, hold: bool, offer: bool
) -> None:
    rep = report(TRAP, **kwargs)  # type: ignore[arg-type]
    rec = replace(recommend(rep, TRAP, TEAM, NOW, S, History()), channel=channel)  # type: ignore[arg-type]
    display = display_for(replace(rep, recommendation=rec), S, NOW)
    assert (display.banner, display.hold_send, display.offer_message) == (banner, hold, offer)


def test_the_watch_banner_follows_the_opens_setting() -> None:
    rep = report(ANSWERED_THEN_TWO, unanswered=2, level="watch", opens=2)
    assert display_for(rep, S, NOW).banner == "watch"
    assert display_for(rep, Settings(pivot_opens=3), NOW).banner is None


def test_the_reason_is_the_english_of_its_code_and_facts() -> None:
    rec = recommend(
        report(TRAP, unanswered=3, level="trap", phone=None), TRAP, TEAM, NOW, S, History()
    )
    assert (rec.code, rec.facts.unanswered, rec.facts.channel, rec.notes) == (
        "trap", 3, "whatsapp", ("no_phone",),
    )  # fmt: skip
    assert rec.reason == sentence(rec.code, rec.facts, rec.notes)
    assert rec.reason.startswith("3 emails without an answer") and "WhatsApp" in rec.reason


AWAY = "Bonjour,\nJe suis absent jusqu'au 15 décembre, sans accès à mes e-mails.\nMarc"
AUTO = {"auto-submitted": ("auto-replied",)}
# Our email, their out-of-office (RFC 3834 §2: the only one a responder sends in its period),
# then two more emails of ours: the third email is a trap, but they are still away.
AWAY_THEN_TWO = thread(msg(1, ME, 20, PROPOSAL), msg(2, PROSPECT, 19.9, AWAY, headers=AUTO),
                       msg(3, ME, 12, "Une question ?"), msg(4, ME, 5, "Et donc ?"))  # fmt: skip


@pytest.mark.parametrize(
    ("now", "channel", "code"),
    [
        (datetime(2026, 12, 1, 10, 0, tzinfo=NOW.tzinfo), "wait", "away"),  # during the leave
        # 15 December plus the two working days of grace is the 17th: from the 18th, pivot.
        (datetime(2026, 12, 18, 10, 0, tzinfo=NOW.tzinfo), "whatsapp", "trap"),
    ],
)
def test_an_out_of_office_holds_for_our_later_emails_until_the_return(
    now: datetime, channel: str, code: str
) -> None:
    rep = build_report(AWAY_THEN_TWO, TEAM, now, S, History())
    assert (rep.unanswered, rep.level, rep.wait_until) == (3, "trap", date(2026, 12, 15))
    rec = recommend(rep, AWAY_THEN_TWO, TEAM, now, S, History())
    assert (rec.channel, rec.code) == (channel, code), rec.reason
    if code == "away":
        assert rec.send_at is not None and rec.send_at.date() > date(2026, 12, 15)


QUESTIONS = "Deux questions : le prix par licence, et le délai de mise en route ?"
ANSWER = "Bonjour Marc, 40 € par licence, et deux semaines de mise en route."
# pivot.md: the 4-touches-per-30-days cap is on solicitations, i.e. our emails while the ball is
# in their court: since their last genuine reply, less the first one, which answers it.
CAP_CASES = [
    # (name, messages, history, code)
    ("our answer to their questions is no solicitation",
     (msg(1, ME, 25, PROPOSAL), msg(2, PROSPECT, 20, QUESTIONS), msg(3, ME, 19, ANSWER),
      msg(4, ME, 12, "Une question ?"), msg(5, ME, 7, "Et donc ?"), msg(6, ME, 3, "Alors ?")),
     History(), "trap"),
    ("touches before their last answer are history",
     (msg(1, ME, 29, PROPOSAL), msg(2, ME, 27, "?"), msg(3, ME, 25, "??"), msg(4, ME, 23, "???"),
      msg(5, PROSPECT, 20, QUESTIONS), msg(6, ME, 19, ANSWER), msg(7, ME, 12, "Une question ?"),
      msg(8, ME, 7, "Et donc ?"), msg(9, ME, 3, "Alors ?")),
     History(), "trap"),
    ("four emails after our answer reach the cap",
     (msg(1, ME, 28, PROPOSAL), msg(2, PROSPECT, 27, QUESTIONS), msg(3, ME, 26, ANSWER),
      msg(4, ME, 20, "?"), msg(5, ME, 14, "Une question ?"), msg(6, ME, 8, "Et donc ?"),
      msg(7, ME, 3, "Alors ?")),
     History(), "cap"),
    ("with no answer ever, every email solicits",
     (msg(1, ME, 20, PROPOSAL), msg(2, ME, 14, "?"), msg(3, ME, 8, "Et donc ?"),
      msg(4, ME, 3, "Alors ?")),
     History(), "cap"),
    ("a pivot they answered since is history too",
     (msg(1, ME, 29, PROPOSAL), msg(2, ME, 25, "?"), msg(3, PROSPECT, 20, QUESTIONS),
      msg(4, ME, 19, ANSWER), msg(5, ME, 12, "Une question ?"), msg(6, ME, 7, "Et donc ?"),
      msg(7, ME, 3, "Alors ?")),
     History(pivots_sent=(NOW - timedelta(days=22),)), "trap"),
    ("solicitations older than the window do not count",
     (msg(1, ME, 40, PROPOSAL), msg(2, ME, 35, "?"), msg(3, ME, 8, "Et donc ?"),
      msg(4, ME, 3, "Alors ?")),
     History(), "trap"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "messages", "history", "code"), CAP_CASES, ids=[c[0] for c in CAP_CASES]
)
def test_the_touch_cap_counts_solicitations_since_their_last_answer(
    name: str, messages: tuple[object, ...], history: History, code: str
) -> None:
    th = thread(*messages)  # type: ignore[arg-type]
    rep = build_report(th, TEAM, NOW, S, history)
    rec = recommend(rep, th, TEAM, NOW, S, history)
    assert rec.code == code, rec.reason


@pytest.mark.parametrize(
    ("wait_until", "absence"),
    [(None, None), (NOW.date() + timedelta(days=3), "away"), (NOW.date(), "away"),
     (NOW.date() - timedelta(days=1), "back")],
)  # fmt: skip
def test_an_announced_return_is_still_ahead_or_over(wait_until: date | None, absence: str) -> None:
    rep = report(TRAP, unanswered=3, level="trap", wait_until=wait_until)  # type: ignore[arg-type]
    assert display_for(rep, S, NOW).absence == absence


@pytest.mark.parametrize(
    ("level", "complete", "shown"),
    [("ok", True, "ok"), ("watch", True, "watch"), ("trap", True, "trap"),
     ("ok", False, "unknown"),  # a partial reading never reassures
     ("watch", False, "watch"), ("trap", False, "trap")],  # at least that many
)  # fmt: skip
def test_the_level_to_show_is_never_ok_on_a_partial_reading(
    level: str, complete: bool, shown: str
) -> None:
    rep = report(TRAP, unanswered=1, level=level, complete=complete)
    assert display_for(rep, S, NOW).level == shown
