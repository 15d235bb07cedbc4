"""The suggestion: the two-line phone message that replaces one more email.

Always returns one (the user may act by hand, whatever the policy said). The channel is the one
asked for, else the recommended pivot, else WhatsApp. An LLM writer, when given, writes the first
line; its answer is used only if it passes the same validator as the templates, else a template
writes it (and `source` says which). The second line is always ours: who writes, plus the opt-out
on an SMS. Pure: a writer is the only way out, and its failures never escape.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from typing import Literal

from ..core.errors import MaxcoreError
from ..core.model import Suggestion, Team, Thread, ThreadReport
from ..core.reading import new_text, our_touches, their_replies
from ..core.settings import Settings
from .details import Detail, extract_detail
from .identity import first_name, signature
from .language import LANGS, Lang, as_lang, detect_lang
from .links import link_for
from .prompt import LlmPrompt, MessageWriter, build_prompt
from .qr import qr_svg
from .sms import fit_sms, sms_info
from .templates import candidates, second_line
from .validate import is_valid

PHONE_CHANNELS = ("whatsapp", "sms")
DEFAULT_CHANNEL = "whatsapp"
log = logging.getLogger(__name__)


def _channel(asked: str | None, report: ThreadReport) -> str:
    if asked is not None:
        if asked not in PHONE_CHANNELS:
            raise MaxcoreError("bad_channel", "channel must be whatsapp or sms", field="channel")
        return asked
    recommended = report.recommendation.channel if report.recommendation else None
    return recommended if recommended in PHONE_CHANNELS else DEFAULT_CHANNEL


def _lang(asked: str | None, texts: list[str]) -> Lang:
    """The asked language, else the language of the thread's own words (ours and the prospect's
    genuine replies: an English bounce or auto-reply in a French thread does not count)."""
    if asked is not None:
        lang = as_lang(asked)
        if lang is None:
            raise MaxcoreError("bad_lang", f"lang must be one of {', '.join(LANGS)}", field="lang")
        return lang
    return detect_lang("\n".join(t for t in texts if t))


def _sources(thread: Thread, team: Team, report: ThreadReport) -> tuple[list[str], str]:
    """Texts to find a detail in, most telling first (our last message, their last reply, our
    earlier messages, their earlier replies, the subject) and the prospect's last words."""
    ours = [new_text(m) for m in reversed(our_touches(thread, team, report))]
    theirs = [new_text(m) for m in reversed(their_replies(thread, team, report))]
    texts = [*ours[:1], *theirs[:1], *ours[1:], *theirs[1:], thread.subject]
    return texts, theirs[0] if theirs else ""


def _from_writer(writer: MessageWriter, prompt: LlmPrompt) -> str:
    """The writer's first line, "" on any failure (which means "template")."""
    try:
        line = writer.write(prompt)
    except Exception as exc:  # noqa: BLE001 — a writer's failure must never reach the user
        log.warning("message writer failed: %s", type(exc).__name__)
        return ""
    return (line or "").strip()


def _assemble(first: str, second: str, channel: str) -> str:
    text = f"{first}\n{second}" if second else first
    return fit_sms(text) if channel == "sms" else text


def suggest(
    report: ThreadReport,
    thread: Thread,
    team: Team,
    now: datetime,
    settings: Settings,
    *,
    lang: str | None = None,
    channel: str | None = None,
    writer: MessageWriter | None = None,
) -> Suggestion:
    """The phone message for this thread (ARCHITECTURE.md, "The suggestion")."""
    chosen = _channel(channel, report)
    texts, last_reply = _sources(thread, team, report)
    language = _lang(lang, texts)
    detail: Detail | None = extract_detail(texts, language)
    prospect = report.prospect
    name = first_name(prospect.name, prospect.email) if prospect else ""
    phone = prospect.phone if prospect else None
    # Only the prospect's own number may appear: a number copied from an email could be an
    # injected one (google-openai.md: "no phone number that is not the prospect's own").
    allowed = frozenset({phone} if phone else ())
    check = partial(is_valid, lang=language, channel=chosen, allowed_phones=allowed)
    second = second_line(language, chosen, signature(thread, team))

    def whole(first: str) -> str:
        """The message if `first` passes alone and the two lines pass together, else ""."""
        text = _assemble(first, second, chosen)
        return text if check(first) and check(text, check_language=False) else ""

    source: Literal["template", "llm"] = "template"
    text = ""
    if writer is not None:
        prompt = build_prompt(
            lang=language,
            channel=chosen,
            subject=thread.subject,
            detail=detail,
            last_reply=last_reply,
            first_name=name,
        )
        text = whole(_from_writer(writer, prompt))
        source = "llm" if text else "template"
    if not text:
        firsts = list(candidates(thread.thread_id, language, detail, name))
        # The first that passes; the last (generic, no name) when none does: templates are
        # tested to pass, so this only guards against an exotic name or detail.
        text = next((t for t in map(whole, firsts) if t), _assemble(firsts[-1], second, chosen))
    link = link_for(chosen, phone, text)
    return Suggestion(
        channel=chosen,  # type: ignore[arg-type]
        text=text,
        lang=language,
        source=source,
        send_at=report.recommendation.send_at if report.recommendation else None,
        link=link,
        sms=sms_info(text) if chosen == "sms" else None,
        qr_svg=qr_svg(link) if link else None,
    )
