"""SMS encoding and segments: is a text GSM-7 or UCS-2, and how many SMS does it cost.

3GPP TS 23.038 decides the alphabet; the `gsm0338` codec is the oracle (no hand-written table):
a character of the extension table (`^ { } \\ [ ~ ] | €`, form feed) encodes as ESC + char, so
counting the codec's bytes counts septets. A single SMS carries 140 octets: 160 GSM-7 septets or
70 UCS-2 units; a concatenated one loses 6 octets to its UDH: 153 septets or 67 units (pivot.md).
French typography (’ « » … – — and the no-break spaces) forces UCS-2, so it is replaced first, as
Twilio's SmartEncodingMap does. Pure; never raises.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

import gsm0338  # noqa: F401  (registers the 'gsm03.38' codec)

from ..core.model import SmsInfo

CODEC = "gsm03.38"
# (single, per segment when concatenated), per encoding (3GPP TS 23.040 §9.2.3.24 UDH = 6 octets).
SEGMENT_SIZES = {"GSM-7": (160, 153), "UCS-2": (70, 67)}

# Typography that has a plain GSM-7 equivalent (Twilio's SmartEncodingMap, trimmed to what French
# and English mail writers produce).
SMART_REPLACEMENTS = str.maketrans(
    {
        "\u2019": "'",  # ’ right single quote (French apostrophe)
        "\u2018": "'",  # ‘
        "\u02bc": "'",  # ʼ modifier apostrophe
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2026": "...",  # …
        "\u2013": "-",  # – en dash
        "\u2014": "-",  # — em dash
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",  # NBSP before ? ! : ; in French typography
        "\u202f": " ",  # narrow NBSP
        "\u2009": " ",  # thin space
        "\u2007": " ",
    }
)


def smart_replace(text: str) -> str:
    """The text with typography replaced by its GSM-7 look-alike; `« x »` becomes `" x "`."""
    return text.translate(SMART_REPLACEMENTS)


def is_gsm7(text: str) -> bool:
    try:
        text.encode(CODEC)
    except UnicodeEncodeError:
        return False
    return True


def units(text: str) -> int:
    """GSM-7 septets (extension characters count 2) or UCS-2 16-bit units (astral chars count 2)."""
    if is_gsm7(text):
        return len(text.encode(CODEC))
    return len(text.encode("utf-16-le")) // 2


def sms_info(text: str) -> SmsInfo:
    """Encoding and segment count of `text` as it stands (call `fit_sms` first to replace)."""
    encoding: Literal["GSM-7", "UCS-2"] = "GSM-7" if is_gsm7(text) else "UCS-2"
    single, multi = SEGMENT_SIZES[encoding]
    n = units(text)
    segments = 1 if n <= single else -(-n // multi)
    return SmsInfo(encoding=encoding, segments=segments)


def _transliterate(text: str) -> str:
    """Letters outside GSM-7 reduced to their base letter (ê → e, ç → c); GSM-7 letters kept."""
    out = []
    for ch in text:
        if is_gsm7(ch):
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch)[:1]
        out.append(base if base and is_gsm7(base) else ch)
    return "".join(out)


def fit_sms(text: str) -> str:
    """The text to send by SMS: typography replaced; accents outside GSM-7 (ê, ç, œ → oe is not
    attempted) dropped only when that brings a multi-segment UCS-2 text down to one segment."""
    replaced = smart_replace(text)
    if sms_info(replaced).segments == 1:
        return replaced
    plain = _transliterate(replaced)
    return plain if sms_info(plain).segments < sms_info(replaced).segments else replaced
