"""The prospect's mobile number, found in the text of their own reply.

Pure: text in, an E.164 string out. Matching is Google's libphonenumber (`phonenumbers`, the lite
build) at `Leniency.VALID`, which mail-signals.md measured exact on 29 real cases where `POSSIBLE`
took RCS and TVA numbers for phones. Callers pass only the stripped reply (new text and its
signature), never quoted text, and exclude the team's own numbers, so MAX never texts itself.
Only numbers a phone message can reach are returned: MOBILE, NANP's FIXED_LINE_OR_MOBILE ("maybe",
North American numbers do not say), or any number its line labels as a mobile or WhatsApp.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

# A label just before the number (same line) that says "this is a mobile"; FR + EN habits:
# "Mob :", "Port. :", "Portable", "Cell", "GSM", "WhatsApp", "M.", "M :", "Tél. port.".
_MOBILE_LABEL = re.compile(
    r"(?<!\w)(mob(ile)?|port(able)?\.?|cell(ulaire|phone)?|gsm|whats\s?app|m|tél\.?\s*port(able)?\.?)"
    r"\s*[.:]?\s*(\(\s*\w+\s*\)\s*)?$",
    re.IGNORECASE,
)
_WHATSAPP_AFTER = re.compile(r"^\s*[(\[-]?\s*(whats\s?app|mobile|portable|cell)", re.IGNORECASE)
# Company identifiers that can look like phone numbers (mail-signals.md, "Phone numbers").
_IDENTIFIER_LABEL = re.compile(
    r"(siret|siren|rcs|tva|vat|iban|bic|swift|n°\s*tva|ape|naf|capital)[^\n]{0,25}$", re.IGNORECASE
)

# Any digit, as libphonenumber's matcher pattern reads one (Unicode \d, like its `_DIGITS`).
_DIGIT = re.compile(r"\d")

# Rank of a match: higher is better; 0 means "not a number a phone message can reach".
_TYPE_RANK = {
    PhoneNumberType.MOBILE: 3,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: 2,
}
_LABEL_BONUS = 2
# A labelled number of a type that may be a mobile (e.g. a VOIP "09" someone labels WhatsApp); a
# labelled FIXED_LINE stays out: libphonenumber knows better than a mislabelled signature.
_LABELLED_OTHER_RANK = 1
_LABELLED_MAYBE = frozenset(
    {PhoneNumberType.VOIP, PhoneNumberType.PERSONAL_NUMBER, PhoneNumberType.UNKNOWN}
)

# Country-code TLDs whose region differs from the upper-cased TLD (ISO 3166: the UK is "GB").
_TLD_REGION = {"uk": "GB", "eu": "FR"}
_DEFAULT_REGION = "FR"
# ccTLDs sold as generic names (.io, .co, .ai...) say nothing about where the person lives.
_VANITY_TLDS = frozenset({"io", "co", "ai", "me", "tv", "fm", "ly", "to", "gg", "sh", "ws", "cc"})


@dataclass(frozen=True, slots=True)
class Found:
    """A number found in a text: E.164, and how good a number for a phone message it is (0: not
    one a phone message can reach; higher is better)."""

    e164: str
    rank: int


def region_for(email_domain: str) -> str:
    """The default phone region for a correspondent's domain: its ccTLD, else France."""
    tld = email_domain.strip().lower().rpartition(".")[2]
    if tld in _VANITY_TLDS:
        return _DEFAULT_REGION
    if tld in _TLD_REGION:
        return _TLD_REGION[tld]
    if len(tld) == 2 and tld.isalpha():
        region = tld.upper()
        if phonenumbers.country_code_for_region(region):
            return region
    return _DEFAULT_REGION


def find_phones(text: str, region: str = _DEFAULT_REGION) -> tuple[str, ...]:
    """Every valid phone number in the text, E.164, in order (for the team's exclude set)."""
    return tuple(found.e164 for found in phone_matches(text, region))


def possible_phones(text: str, region: str = _DEFAULT_REGION) -> tuple[str, ...]:
    """Everything that might be dialled as a number (`Leniency.POSSIBLE`), E.164: for checking a
    written message, where a false alarm only costs a template, never for finding the prospect's."""
    leniency = phonenumbers.Leniency.POSSIBLE
    return tuple(
        phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency)
    )


@lru_cache(maxsize=256)  # asked of the same prospect's number by several rules
def is_mobile(e164: str) -> bool:
    """True for a number a WhatsApp or SMS can reach (MOBILE, or NANP's "maybe")."""
    try:
        return phonenumbers.number_type(phonenumbers.parse(e164)) in _TYPE_RANK
    except phonenumbers.NumberParseException:
        return False


@lru_cache(maxsize=256)
def regions_of(e164: str) -> tuple[str, ...]:
    """The number's own region, then its calling code's main one (+44 7911... is Guernsey for
    the lite metadata, the United Kingdom for the calling code); () when it does not parse."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return ()
    own = phonenumbers.region_code_for_number(number)
    main = phonenumbers.region_code_for_country_code(number.country_code or 0)
    return tuple(r for r in (own, main) if r)


def find_mobile(
    text: str, region: str = _DEFAULT_REGION, exclude: frozenset[str] = frozenset()
) -> str | None:
    """The best mobile number in the text (E.164), or None; numbers in `exclude` never count."""
    return best_mobile(phone_matches(text, region), exclude)


def best_mobile(found: Iterable[Found], exclude: frozenset[str] = frozenset()) -> str | None:
    """The best mobile of numbers found (`phone_matches`), or None; `exclude` never counts."""
    best: Found | None = None
    for number in found:
        if number.rank and number.e164 not in exclude and (best is None or number.rank > best.rank):
            best = number
    return best.e164 if best else None


# libphonenumber costs ~0.1 ms a signature; a thread the extension sends again on each opening
# holds the same replies: their answers are kept a while (bounded, keyed by the text itself).
@lru_cache(maxsize=256)
def phone_matches(text: str, region: str = _DEFAULT_REGION) -> tuple[Found, ...]:
    """Every valid number of the text, in order, ranked (what `find_mobile` chooses from)."""
    if not _DIGIT.search(text):  # libphonenumber's matcher needs a digit to start a candidate
        return ()
    return tuple(_matches(text, region))


def _matches(text: str, region: str) -> Iterator[Found]:
    leniency = phonenumbers.Leniency.VALID
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency):
        line_start = text.rfind("\n", 0, match.start) + 1
        before = text[line_start : match.start]
        if _IDENTIFIER_LABEL.search(before):
            continue
        line_end = text.find("\n", match.end)
        after = text[match.end : line_end if line_end >= 0 else len(text)]
        # Only the label right before this number counts: "Tél : 01... | Mob : 06..." labels two.
        own_label = re.split(r"[|/,;]|\s{3,}", before)[-1]
        labelled = bool(_MOBILE_LABEL.search(own_label.strip()) or _WHATSAPP_AFTER.match(after))
        kind = phonenumbers.number_type(match.number)
        rank = _TYPE_RANK.get(kind, 0)
        if labelled and rank:
            rank += _LABEL_BONUS
        elif labelled and kind in _LABELLED_MAYBE:
            rank = _LABELLED_OTHER_RANK
        e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
        yield Found(e164, rank)
