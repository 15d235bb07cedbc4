"""The suggestion: the two-line phone message that replaces one more email.

Always returns one (the user may act by hand, whatever the policy said). The channel is the one
asked for, else the recommended pivot, else WhatsApp. An LLM writer, when given, writes the first
line; its answer is used only if it passes the same validator as the templates, else a template
writes it (and `source` says which). The second line is always ours: who writes, plus the opt-out
on an SMS. Pure: a writer is the only way out, and its failures never escape.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Literal

from ..core.errors import MaxcoreError
from ..core.model import Lang, PhoneChannel, Suggestion, Team, Thread, ThreadReport
from .brief import PHONE_CHANNELS, Brief, brief_of
from .language import LANGS, as_lang
from .links import link_for
from .prompt import LlmPrompt, MessageWriter, build_prompt
from .qr import qr_svg
from .sms import fit_sms, sms_info
from .templates import candidates, second_line
from .validate import is_valid

log = logging.getLogger(__name__)


def _channel(asked: str | None, brief: Brief) -> PhoneChannel:
    if asked is None:
        return brief.channel
    if asked not in PHONE_CHANNELS:
        raise MaxcoreError("bad_channel", "channel must be whatsapp or sms", field="channel")
    return asked


def _lang(asked: str | None, brief: Brief) -> Lang:
    """The asked language, else the thread's own."""
    if asked is None:
        return brief.lang
    lang = as_lang(asked)
    if lang is None:
        raise MaxcoreError("bad_lang", f"lang must be one of {', '.join(LANGS)}", field="lang")
    return lang


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


def write(
    brief: Brief,
    *,
    lang: str | None = None,
    channel: str | None = None,
    writer: MessageWriter | None = None,
) -> Suggestion:
    """The phone message written from a brief (ARCHITECTURE.md, "The suggestion")."""
    chosen = _channel(channel, brief)
    language = _lang(lang, brief)
    detail = brief.detail(language)
    # Only the prospect's own number may appear: a number copied from an email could be an
    # injected one (google-openai.md: "no phone number that is not the prospect's own").
    allowed = frozenset({brief.phone} if brief.phone else ())
    check = partial(is_valid, lang=language, channel=chosen, allowed_phones=allowed)
    second = second_line(language, chosen, brief.signature)

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
            subject=brief.subject,
            detail=detail,
            last_reply=brief.last_reply,
            first_name=brief.first_name,
        )
        text = whole(_from_writer(writer, prompt))
        source = "llm" if text else "template"
    if not text:
        firsts = list(candidates(brief.thread_id, language, detail, brief.first_name))
        # The first that passes; the last (generic, no name) when none does: templates are
        # tested to pass, so this only guards against an exotic name or detail.
        text = next((t for t in map(whole, firsts) if t), _assemble(firsts[-1], second, chosen))
    link = link_for(chosen, brief.phone, text)
    return Suggestion(
        channel=chosen,
        text=text,
        lang=language,
        source=source,
        send_at=brief.send_at,
        link=link,
        sms=sms_info(text) if chosen == "sms" else None,
        qr_svg=qr_svg(link) if link else None,
    )


def suggest(
    report: ThreadReport,
    thread: Thread,
    team: Team,
    *,
    lang: str | None = None,
    channel: str | None = None,
    writer: MessageWriter | None = None,
) -> Suggestion:
    """The phone message for this thread: `write` from its brief."""
    return write(brief_of(report, thread, team), lang=lang, channel=channel, writer=writer)
