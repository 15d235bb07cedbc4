"""What an LLM may see of a thread, and the Protocol a writer implements.

Minimised by design (GDPR art. 5(1)(c) and 25; pivot.md): the subject, the one concrete detail, and
the prospect's last words (quotes stripped, cut short), with every address (email and postal),
link, IBAN, card and phone-like number masked and the prospect's surname replaced; the prospect is
named by first name only. Runs of angle brackets are dropped, so no text can pass for the
adapter's data fence (OWASP LLM01). `minimise` is the one function that does it, for the brief
and the prompt alike. Compose stays pure: a `MessageWriter` is anything with
`write(prompt) -> str | None`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from ..core.model import Lang
from ..core.text import fold
from .details import Detail

MAX_REPLY_CHARS = 400
MAX_SUBJECT_CHARS = 120
MAX_BODY_CHARS = 130  # the LLM writes the first line only; the signature line is ours

_STREET_FR = (
    r"rue|avenue|av\.|boulevard|bd|place|all[ée]e|impasse|chemin|route|quai|cours|square|passage"
    r"|voie|rond-point|lieu-dit|r[ée]sidence|zone|za|zi|parc"
)
_STREET_EN = (
    r"street|st\.?|road|rd\.?|avenue|ave\.?|lane|ln\.?|drive|dr\.?|boulevard|blvd\.?|way|court"
    r"|ct\.?|place|pl\.?|square|sq\.?|terrace|crescent|close|park"
)
# Order matters: addresses before links (an address contains a domain), links before numbers,
# IBANs and cards before numbers (else "FR76 3000 ..." would keep its country code).
_MASKS = (
    (re.compile(r"[\w.+\-]+@[\w\-]+(\.[\w\-]+)+"), "[email]"),
    (
        re.compile(r"(h[tx]{2}ps?://|www\.)\S+|\b[\w\-]+(\.[\w\-]+)*\.[a-z]{2,6}/\S*", re.I),
        "[link]",
    ),
    (re.compile(r"\b[\w\-]+\.(com|fr|net|org|io|co|eu|de|uk|be|ch)\b", re.I), "[link]"),
    # ISO 13616 IBAN: country, check digits, then up to 30 letters and digits, often by fours.
    (re.compile(r"\b[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]{2,4}){3,8}\b"), "[iban]"),
    # Payment cards: 13 to 19 digits, by fours (ISO/IEC 7812).
    (re.compile(r"\b\d{4}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7}\b"), "[card]"),
    # Postal addresses: "12 bis rue de la Paix", "10 Downing Street", then a French postcode and
    # its town, a UK postcode, a US ZIP with its state, a French postal box.
    (
        re.compile(
            rf"\b\d{{1,5}}(?:\s?(?:bis|ter|[a-d]))?,?\s+(?:{_STREET_FR})\b[^,\n.;:!?]{{0,60}}", re.I
        ),
        "[address]",
    ),
    (
        re.compile(
            rf"\b\d{{1,5}}[A-Z]?\s+(?:[A-Z][\w'\-]*\s+){{1,3}}(?i:{_STREET_EN})(?=[\s,.;]|$)"
        ),
        "[address]",
    ),
    (
        re.compile(
            r"\b(?:[0-9]{5}|[0-9]{2} [0-9]{3})\s+(?:cedex\b|[A-Z][\w'\-]+)(?:\s+cedex)?", re.I
        ),
        "[address]",
    ),  # fmt: skip
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"), "[address]"),
    (re.compile(r"\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b"), "[address]"),
    (re.compile(r"\b(?:BP|CS|TSA)\s?\d{3,6}\b"), "[address]"),
    (re.compile(r"\+?\d(?:[\s.\-/()]*\d){5,}"), "[number]"),
)
# What could pass for a fence or markup around the data: runs of angle brackets (<<<, >>>).
_FENCE_LIKE = re.compile(r"[<>«»‹›〈〉⟨⟩]{2,}")
_COMBINING = "[\u0300-\u036f]*"
MIN_NAME_CHARS = 3  # "Le", "Da": too short to tell from words


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


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for `names` in decomposed (NFD) text, any case, with or without accents."""
    words = {fold(w) for n in names for w in re.split(r"[\s\-'’.]+", n)}
    words = {w for w in words if len(w) >= MIN_NAME_CHARS and w.isalpha()}
    if not words:
        return None
    spelled = [
        "".join(re.escape(ch) + _COMBINING for ch in w) for w in sorted(words, key=len)[::-1]
    ]
    return re.compile(rf"(?<![\w\u0300-\u036f])(?:{'|'.join(spelled)})(?!\w)", re.IGNORECASE)


def mask(text: str, names: Iterable[str] = ()) -> str:
    """`text` with email and postal addresses, links, IBANs, cards and phone-like numbers
    replaced by [email], [address], [link], [iban], [card], [number], and `names` (the
    prospect's surname) by [name]."""
    for pattern, label in _MASKS:
        text = pattern.sub(label, text)
    named = _names_pattern(names)
    if named is not None:
        decomposed = named.sub("[name]", unicodedata.normalize("NFD", text))
        text = unicodedata.normalize("NFC", decomposed)
    return text


def minimise(text: str, limit: int, names: Iterable[str] = ()) -> str:
    """`text` masked, fence-like runs dropped, cut short, on one line: all of a mail's words an
    LLM may see (the brief stores it so; build_prompt applies it again to a brief it is given)."""
    text = " ".join(_FENCE_LIKE.sub(" ", mask(text, names)).split())
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
