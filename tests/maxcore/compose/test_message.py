"""compose.suggest: always a message, on the right channel, in the thread's language, valid; on the
demo mailbox (samples/demo.mbox, written for MAX) and on threads built here."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from maxcore.adapters.source import read_threads
from maxcore.app import service
from maxcore.compose import LlmPrompt, suggest
from maxcore.compose.validate import problems
from maxcore.core.errors import MaxcoreError
from maxcore.core.model import Recommendation, Team
from maxcore.core.settings import Settings
from tests.maxcore._threads import ME, MOBILE, PROSPECT, TEAM, msg, report, thread

DEMO = Path(__file__).resolve().parents[3] / "samples" / "demo.mbox"
DEMO_TEAM = Team.of(["claire.martin@optiplan.fr"], ["optiplan.fr"])
DEMO_NOW = datetime.fromisoformat("2026-11-27T10:00:00+01:00")
S = Settings()
TH = thread(
    msg(1, ME, 20, "Bonjour Marc, ci-joint le devis pour 12 licences."),
    msg(2, ME, 10, "Bonjour Marc, des questions sur le devis ?"),
    msg(3, ME, 4, "Bonjour Marc ?"),
)
REP = report(TH, unanswered=3, level="trap")


def _demo() -> list[object]:
    return list(read_threads(DEMO).threads)


# (subject start, language, channel recommended, words expected in the message)
DEMO_CASES = [
    ("Démo OptiPlan", "fr", "whatsapp", "Bonjour Marc,"),
    ("Crew scheduling", "en", "email", "Hi Sarah,"),
    ("Devis OptiPlan", "fr", "email", "Bonjour Thomas,"),
    ("Proposition OptiPlan", "fr", "wait", "Bonjour Isabelle,"),
]


@pytest.mark.parametrize(("subject", "lang", "recommended", "words"), DEMO_CASES)
@pytest.mark.parametrize("channel", ["whatsapp", "sms"])
def test_demo_threads_get_a_valid_message(
    subject: str, lang: str, recommended: str, words: str, channel: str
) -> None:
    th = next(t for t in _demo() if t.subject.startswith(subject))  # type: ignore[attr-defined]
    rep, s = service.suggest(th, DEMO_TEAM, DEMO_NOW, channel=channel)  # type: ignore[arg-type]
    assert rep.recommendation is not None and rep.recommendation.channel == recommended
    assert (s.lang, s.channel, s.source) == (lang, channel, "template")
    assert s.text.startswith(words) and s.text.endswith(
        "STOP pour ne plus recevoir de SMS" if channel == "sms" and lang == "fr"
        else "Reply STOP to opt out" if channel == "sms" else "Claire (Optiplan)"
    )  # fmt: skip
    phone = rep.prospect.phone if rep.prospect else None
    first = s.text.split("\n")[0]
    assert problems(first, lang=s.lang, channel=channel, allowed_phones={phone} - {None}) == []  # type: ignore[arg-type]
    assert problems(s.text, lang=s.lang, channel=channel, check_language=False) == []
    assert s.send_at == rep.recommendation.send_at
    assert (s.sms is not None) == (channel == "sms")
    if s.sms:
        assert (s.sms.encoding, s.sms.segments) == ("GSM-7", 1)


def test_the_link_carries_the_text_and_the_qr_encodes_the_link() -> None:
    s = suggest(REP, TH, TEAM, channel="whatsapp")
    assert s.link is not None and s.link.startswith(f"https://wa.me/{MOBILE[1:]}?text=")
    assert parse_qs(urlsplit(s.link).query)["text"] == [s.text]
    assert s.qr_svg is not None and s.qr_svg.startswith("<svg")
    assert "12 licences" in s.text or "devis" in s.text


@pytest.mark.parametrize(
    ("recommended", "asked", "channel"),
    [("sms", None, "sms"), ("whatsapp", None, "whatsapp"), ("email", None, "whatsapp"),
     ("none", None, "whatsapp"), ("whatsapp", "sms", "sms"), ("sms", "whatsapp", "whatsapp")],
)  # fmt: skip
def test_channel_is_the_asked_one_else_the_pivot_else_whatsapp(
    recommended: str, asked: str | None, channel: str
) -> None:
    rep = REP.__class__(
        **{**REP.__dict__, "recommendation": Recommendation(recommended, None, "", "trap")}
    )  # type: ignore[arg-type]
    assert suggest(rep, TH, TEAM, channel=asked).channel == channel


def test_lang_override_and_bad_arguments_name_the_field() -> None:
    assert suggest(REP, TH, TEAM).lang == "fr"
    english = suggest(REP, TH, TEAM, lang="en")
    assert english.lang == "en" and english.text.startswith("Hi Marc,")
    for kwargs, field in (({"lang": "de"}, "lang"), ({"channel": "email"}, "channel")):
        with pytest.raises(MaxcoreError) as err:
            suggest(REP, TH, TEAM, **kwargs)  # type: ignore[arg-type]
        assert err.value.field == field


class _Writer:
    def __init__(self, answer: str | Exception | None) -> None:
        self.answer = answer
        self.prompts: list[LlmPrompt] = []

    def write(self, prompt: LlmPrompt) -> str | None:
        self.prompts.append(prompt)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.mark.parametrize(
    ("answer", "source"),
    [("Bonjour Marc, les 12 licences, on garde ce chiffre ?", "llm"),
     (RuntimeError("boom"), "template"), (None, "template"), ("", "template"),
     ("Bonjour Marc, voir www.acme.fr", "template"),
     ("Hi Marc, still 12 licenses?", "template")],
)  # fmt: skip
def test_a_writer_is_used_only_when_its_line_passes(answer: object, source: str) -> None:
    writer = _Writer(answer)  # type: ignore[arg-type]
    s = suggest(REP, TH, TEAM, writer=writer)
    assert s.source == source
    assert problems(s.text.split("\n")[0], lang="fr", channel="whatsapp") == []
    assert writer.prompts and writer.prompts[0].first_name == "Marc"
    assert PROSPECT.email not in repr(writer.prompts[0])


def test_the_same_thread_always_gets_the_same_message() -> None:
    assert suggest(REP, TH, TEAM) == suggest(REP, TH, TEAM)
