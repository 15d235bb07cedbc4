"""Which language a thread is in: French or English, the two MAX writes.

`langdetect` (a port of Google's language-detection) decides; its sampling is random, so it is
seeded once (DetectorFactory.seed = 0) and the same text always gets the same answer. A thread in
another language gets English; an empty one gets `DEFAULT_LANG`. Pure.
"""

from __future__ import annotations

from typing import Literal

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

DetectorFactory.seed = 0

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")
DEFAULT_LANG: Lang = "en"


def detect_lang(text: str, default: Lang = DEFAULT_LANG) -> Lang:
    """`fr` or `en`, whichever langdetect finds more probable; `default` when it finds neither."""
    if not any(ch.isalpha() for ch in text):
        return default
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
