"""What an LLM may see of a thread, and the Protocol a writer implements.

Minimised by design (GDPR art. 5(1)(c) and 25; pivot.md): the subject, the one concrete detail, and
the prospect's last words (quotes stripped, cut short), with every address, link and phone-like
number masked; the prospect is named by first name only. The adapter fences this text as data.
Compose stays pure: a `MessageWriter` is anything with `write(prompt) -> str | None`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ..core.model import Lang
from .details import Detail

MAX_REPLY_CHARS = 400
MAX_SUBJECT_CHARS = 120
MAX_BODY_CHARS = 130  # the LLM writes the first line only; the signature line is ours

# Order matters: addresses before links (an address contains a domain), links before numbers.
_MASKS = (
    (re.compile(r"[\w.+\-]+@[\w\-]+(\.[\w\-]+)+"), "[email]"),
    (
        re.compile(r"(h[tx]{2}ps?://|www\.)\S+|\b[\w\-]+(\.[\w\-]+)*\.[a-z]{2,6}/\S*", re.I),
        "[link]",
    ),
    (re.compile(r"\b[\w\-]+\.(com|fr|net|org|io|co|eu|de|uk|be|ch)\b", re.I), "[link]"),
    (re.compile(r"\+?\d(?:[\s.\-/()]*\d){5,}"), "[number]"),
)


@dataclass(frozen=True)
class LlmPrompt:
    lang: Lang
    channel: str  # "whatsapp" or "sms"
    subject: str
    detail: str  # the concrete detail to ask about, "" when none was found
    last_reply: str  # the prospect's last words, stripped and masked; "" when they never wrote
    first_name: str  # the prospect's first name, "" when unknown
    max_chars: int = MAX_BODY_CHARS


class MessageWriter(Protocol):
    def write(self, prompt: LlmPrompt) -> str | None:
        """The message's first line, or None when the writer cannot answer (any failure)."""
        ...


def mask(text: str) -> str:
    """`text` with addresses, links and phone-like numbers replaced by [email], [link], [number]."""
    for pattern, label in _MASKS:
        text = pattern.sub(label, text)
    return text


def minimise(text: str, limit: int) -> str:
    """`text` masked and cut short, on one line: all of a mail's words an LLM may see."""
    text = " ".join(mask(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def build_prompt(
    *,
    lang: Lang,
    channel: str,
    subject: str,
    detail: Detail | None,
    last_reply: str,
    first_name: str,
) -> LlmPrompt:
    return LlmPrompt(
        lang=lang,
        channel=channel,
        subject=minimise(subject, MAX_SUBJECT_CHARS),
        detail=detail.text if detail else "",
        last_reply=minimise(last_reply, MAX_REPLY_CHARS),
        first_name=first_name,
    )
