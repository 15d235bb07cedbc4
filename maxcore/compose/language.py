"""Which language a thread is in: French or English, the two MAX writes.

`langdetect` (a port of Google's language-detection) decides; its sampling is random, so it is
seeded once (DetectorFactory.seed = 0) and the same text always gets the same answer. On a line
as short as a phone message its character n-grams can err ("Hi Marc, still 12 licenses?" reads
72% French), so a vote of function words, which a short line is mostly made of, speaks first when
it is clear. A thread in
another language gets English; an empty one gets `DEFAULT_LANG`. Pure.
"""

from __future__ import annotations

import re
from typing import get_args

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from ..core.model import Lang

DetectorFactory.seed = 0

LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "en"

# Function words only one of the two languages uses (no "on", "a", "me": both have them).
FUNCTION_WORDS: dict[Lang, frozenset[str]] = {
    "fr": frozenset(
        [
            "bonjour",
            "le",
            "la",
            "les",
            "du",
            "des",
            "un",
            "une",
            "est",
            "et",
            "ou",
            "pour",
            "vous",
            "nous",
            "avec",
            "sur",
            "dans",
            "ce",
            "cette",
            "ces",
            "qui",
            "que",
            "quoi",
            "toujours",
            "encore",
            "merci",
            "oui",
            "non",
            "c'est",
            "est-ce",
            "mais",
            "chez",
            "votre",
            "vos",
            "notre",
        ]
    ),
    "en": frozenset(
        [
            "hi",
            "hello",
            "the",
            "is",
            "are",
            "and",
            "or",
            "for",
            "you",
            "we",
            "with",
            "in",
            "this",
            "these",
            "that",
            "who",
            "what",
            "still",
            "yet",
            "thanks",
            "yes",
            "no",
            "it's",
            "is",
            "there",
            "your",
            "our",
            "can",
            "could",
            "would",
            "should",
            "shall",
            "will",
            "of",
            "to",
        ]
    ),
}
CLEAR_MARGIN = 2  # this many more function words of one language settle it
_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ'-]+")


def _vote(text: str) -> Lang | None:
    words = _WORD.findall(text.lower().replace("’", "'"))
    fr = sum(w in FUNCTION_WORDS["fr"] for w in words)
    en = sum(w in FUNCTION_WORDS["en"] for w in words)
    if abs(fr - en) >= CLEAR_MARGIN:
        return "fr" if fr > en else "en"
    return None


def detect_lang(text: str, default: Lang = DEFAULT_LANG) -> Lang:
    """`fr` or `en`, whichever langdetect finds more probable; `default` when it finds neither."""
    if not any(ch.isalpha() for ch in text):
        return default
    voted = _vote(text)
    if voted is not None:
        return voted
    try:
        guesses = detect_langs(text)
    except LangDetectException:
        return default
    scores = {g.lang: g.prob for g in guesses}
    fr, en = scores.get("fr", 0.0), scores.get("en", 0.0)
    if fr == en == 0.0:
        return "en"  # a language we do not write: English is the lingua franca
    return "fr" if fr > en else "en"


def as_lang(value: str | None) -> Lang | None:
    """`value` as a Lang, None when it is not one of ours."""
    for lang in LANGS:
        if value == lang:
            return lang
    return None
