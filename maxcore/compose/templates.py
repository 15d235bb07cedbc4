"""The built-in messages: several per situation and language, offline, the default writer.

The seed's tone (shared/seed): never "just checking in" nor guilt; each line lowers the effort of
answering — it offers to simplify the pending step, or asks one precise question on the thread's
concrete detail, answerable by "yes", "no" or one word. Which variant a thread gets is fixed by a
hash of its thread id (stable across runs, unlike Python's `hash`). Text is GSM-7 friendly: ASCII
apostrophes, no ê/ç/â (they force UCS-2 in an SMS). Pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from ..core.model import Lang
from .details import Detail, DetailKind

Situation = DetailKind | str  # a detail kind, or "generic" when the thread gave none

# {hi}: the greeting with the first name; {d}: the detail ("le devis"); {of}: its French "de" form.
TEMPLATES: dict[tuple[Lang, str], tuple[str, ...]] = {
    ("fr", "step"): (
        "{hi} on simplifie {d} ? Je peux vous proposer plus léger.",
        "{hi} est-ce que {d} coince ? Un oui ou un non suffit.",
        "{hi} pour {d}, un appel de 10 min vous aiderait ?",
    ),
    ("fr", "document"): (
        "{hi} {d}, c'est bon tel quel ou on ajuste un point ?",
        "{hi} une version courte {of} vous aiderait à trancher ?",
        "{hi} faut-il changer un point {of} pour avancer ?",
    ),
    ("fr", "figure"): (
        "{hi} {d}, c'est toujours le bon chiffre pour démarrer ?",
        "{hi} on part toujours sur {d} ou on ajuste ?",
    ),
    ("fr", "date"): (
        "{hi} {d}, c'est toujours bon pour vous ?",
        "{hi} on garde {d} ou on décale ? Un mot me suffit.",
    ),
    ("fr", "generic"): (
        "{hi} on simplifie la prochaine étape ? Un oui ou un non me suffit.",
        "{hi} plus simple pour vous : un appel de 10 min ou un résumé en 3 lignes ?",
        "{hi} le sujet est-il toujours d'actualité ? Un oui ou un non suffit.",
    ),
    ("en", "step"): (
        "{hi} can we make {d} simpler for you? I can suggest a lighter version.",
        "{hi} is {d} the sticking point? A yes or no is enough.",
        "{hi} would a 10-minute call with the right person help with {d}?",
    ),
    ("en", "document"): (
        "{hi} is {d} fine as it is, or should we adjust one point?",
        "{hi} would a one-page version of {d} make the decision easier?",
        "{hi} is there one thing to change in {d}? One word is enough.",
    ),
    ("en", "figure"): (
        "{hi} is {d} still the right number to start with?",
        "{hi} still going with {d}, or should we adjust? One word is enough.",
    ),
    ("en", "date"): (
        "{hi} does {d} still work on your side?",
        "{hi} shall we keep {d} or move it? One word is enough.",
    ),
    ("en", "generic"): (
        "{hi} can we make the next step simpler? A yes or no is enough.",
        "{hi} what would make the next step easier: a 10-minute call or a 3-line summary?",
        "{hi} is this still on your list? A yes or no is enough.",
    ),
}
GREETINGS: dict[Lang, tuple[str, str]] = {
    "fr": ("Bonjour {name},", "Bonjour,"),
    "en": ("Hi {name},", "Hi,"),
}
# Said once, on an SMS: the free way to object that CNIL asks of every prospecting SMS (pivot.md).
SMS_OPT_OUT: dict[Lang, str] = {
    "fr": "STOP pour ne plus recevoir de SMS",
    "en": "Reply STOP to opt out",
}


def greeting(lang: Lang, name: str) -> str:
    with_name, without = GREETINGS[lang]
    return with_name.format(name=name) if name else without


def _pick(thread_id: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(thread_id.encode()).digest()[:4], "big") % count


def render(template: str, hi: str, detail: Detail | None) -> str:
    text = template.format(hi=hi, d=detail.text if detail else "", of=detail.of if detail else "")
    # A sentence that starts with the detail ("le devis, c'est bon...") after the greeting comma
    # stays lower case; one that starts the line gets a capital.
    return text[:1].upper() + text[1:]


def candidates(thread_id: str, lang: Lang, detail: Detail | None, name: str) -> Iterator[str]:
    """First lines to try, best first: this thread's variant for its detail, the other variants,
    then the generic ones, then the same without the name (a long name can break the length)."""
    for hi in (greeting(lang, name), greeting(lang, "")) if name else (greeting(lang, ""),):
        for situation in (detail.kind, "generic") if detail else ("generic",):
            variants = TEMPLATES[(lang, situation)]
            start = _pick(thread_id, len(variants))
            for i in range(len(variants)):
                yield render(
                    variants[(start + i) % len(variants)],
                    hi,
                    detail if situation != "generic" else None,
                )


def second_line(lang: Lang, channel: str, signature: str) -> str:
    """Who writes, plus the opt-out on an SMS: "Thomas (Acme) - STOP pour ne plus recevoir..."."""
    parts = [signature] if signature else []
    if channel == "sms":
        parts.append(SMS_OPT_OUT[lang])
    return " - ".join(parts)
