"""The rules every phone message obeys, whoever wrote it (a template or an LLM).

One validator for both, so a template that breaks a rule fails its test and an LLM answer that
breaks one is replaced by a template (google-openai.md, "Untrusted email in an LLM prompt"; OWASP
LLM01): besides form (lines, length, links, numbers, invisible characters), what a scam says
(payment, urgency, an account threat: `PRESSURE`) and any line not in the thread's language.
The rules are data tables; `problems()` lists the names of the rules a text breaks, empty when
it may be shown. Pure; never raises.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection

from ..core.model import Lang
from ..core.phones import possible_phones
from ..core.text import fold
from .language import detect_lang
from .sms import fit_sms, sms_info

MAX_LINES = 2
MAX_CHARS = 200  # two short lines; a one-segment SMS is 160 GSM-7 characters
MAX_SMS_SEGMENTS = 1

# Links in any disguise: schemes (also "hxxp"), www., defanged dots, spelled-out dots, shorteners,
# and bare domains with a common TLD (the message never needs one; wa.me links are built apart).
_URL = re.compile(
    r"h[tx]{2}ps?\s*:|\bwww\s*\.|\[\s*\.\s*\]|\(\s*(dot|point)\s*\)|\s(dot|point)\s+(com|fr|net|org|io|eu)\b"
    r"|\b(bit\.ly|tinyurl|t\.co|goo\.gl|ow\.ly|is\.gd|buff\.ly|rebrand\.ly|cutt\.ly|wa\.me|lnkd\.in)\b"
    r"|\b[a-z0-9-]{2,}\.(com|fr|net|org|io|co|ly|me|app|dev|eu|de|uk|be|ch|info|biz|xyz|link|ai)\b"
    r"|://",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"@|\b\w+\s*[\[(]\s*(at|arobase)\s*[\])]\s*\w+", re.IGNORECASE)
# Long digit runs (separators allowed) that a phone-number matcher might not call valid.
_DIGIT_RUN = re.compile(r"\+?\d(?:[\s.\-/()]*\d){7,}")

# What an assistant says about itself or the task, never part of a message to a prospect.
META = (
    "as an ai",
    "as a language model",
    "language model",
    "i cannot",
    "i can't help",
    "here is",
    "here's",
    "here are",
    "sure!",
    "certainly",
    "ignore previous",
    "ignore all",
    "system prompt",
    "en tant qu'ia",
    "en tant qu'intelligence",
    "modele de langage",
    "voici le message",
    "voici",
    "je ne peux pas",
    "bien sur !",
    "message :",
    "message:",
    "```",
    "{",
    "}",
    "<",
    ">",
    "[email]",
    "[number]",
    "[link]",
    "[address]",
    "[iban]",
    "[card]",
    "[name]",
    "prompt",
)
# The follow-up clichés and guilt the seed forbids (FR + EN, folded: no accents, lower case).
FORBIDDEN = (
    "just checking in",
    "just following up",
    "following up",
    "follow up on my",
    "circling back",
    "circle back",
    "touch base",
    "touching base",
    "bump",
    "friendly reminder",
    "gentle reminder",
    "haven't heard",
    "have not heard",
    "didn't hear",
    "did not hear",
    "did you get a chance",
    "did you see my",
    "as per my last",
    "my last email",
    "my previous email",
    "any update",
    "je me permets de vous relancer",
    "je me permets de revenir",
    "je reviens vers vous",
    "suite a mon dernier",
    "suite a mon precedent",
    "mon dernier mail",
    "mon dernier email",
    "mon precedent mail",
    "petit rappel",
    "relance",
    "sans nouvelles",
    "sans reponse",
    "toujours pas de reponse",
    "avez-vous pu",
    "avez vous pu",
    "vous avez du etre",
    "n'avez pas repondu",
    "pas eu de retour",
    "je n'ai pas eu",
    "desole de vous deranger",
    "sorry to bother",
    "urgent",
    "dernier rappel",
    "last chance",
    "derniere chance",
)
# What a scam says, never a pivot message (a model obeying text injected into a mail would):
# asking for money, pressing for time, threatening an account. Regexes over folded text (lower
# case, no accents), FR + EN, each a whole-word match.
PRESSURE: tuple[tuple[str, str], ...] = (
    (
        "payment",
        r"pay|pays|paying|payment|payments|repay|deposit|down payment|wire|wired|wiring"
        r"|bank transfer|money transfer|transfer the (money|funds|amount|payment)"
        r"|iban|bic|swift|sort code|routing number|bank details|banking details"
        r"|card (number|details)|credit card|debit card|cvv|cvc|unpaid|overdue|outstanding balance"
        r"|payer|payez|payes|paiement|paiements|regler|reglez|reglement|acompte|arrhes"
        r"|virement|virer|coordonnees bancaires|rib|carte bancaire|carte de credit"
        r"|numero de carte|cryptogramme|impaye|impayee|impayes|facture en retard|en souffrance",
    ),
    (
        "urgency",
        r"act now|right now|immediately|right away|asap|as soon as possible|urgent\w*"
        r"|within (the hour|\d+ ?(h|hours?|minutes?))|before (midnight|tonight|end of day|eod"
        r"|\d{1,2} ?(am|pm|h))|today only|final (notice|warning|reminder)|last warning"
        r"|expires? (today|tonight|soon|in)|will expire|time is running out|don't miss"
        r"|tout de suite|immediatement|sur le champ|au plus vite|des que possible|sans delai"
        r"|sous \d+ ?(h|heures?|minutes?)|dans l'heure|avant (ce soir|minuit|demain|\d{1,2} ?h)"
        r"|dernier delai|ultime (relance|rappel|delai)|mise en demeure|expire (aujourd'hui"
        r"|ce soir|bientot|dans)|va expirer|derniere minute",
    ),
    (
        "account_threat",
        r"(account|access|subscription|service|licen[cs]e|compte|acces|abonnement)"
        r"( \w+){0,3} (is |has been |will be |sera |a ete |est |va etre )?"
        r"(suspend\w*|block\w*|bloqu\w*|lock\w*|deactivat\w*|desactiv\w*|disabl\w*|clos\w*"
        r"|ferm\w*|terminat\w*|resili\w*|restrict\w*|cancel\w*|annul\w*|supprim\w*|delet\w*)"
        r"|reactivat\w*|reactiv\w*|verify your (account|identity|details)"
        r"|confirm your (identity|account|details|password|card|bank)|password|mot de passe"
        r"|identifiants?|verifiez votre (compte|identite)|confirmez votre (identite|compte"
        r"|mot de passe|carte|coordonnees)|reply (yes|y|ok) to|text (yes|back)"
        r"|repondez (oui|ok) pour|verification code|one.time code|otp|code de (verification"
        r"|confirmation)|code recu",
    ),
)
_PRESSURE = tuple((name, re.compile(rf"\b(?:{words})\b")) for name, words in PRESSURE)
# A line this short (in letters) says too little for its language to be told.
MIN_LANGUAGE_LETTERS = 12
# Control, format (ZWSP, bidi overrides, soft hyphen, tag characters), private-use, unassigned.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Zl", "Zp"})


def _has_invisible(text: str) -> bool:
    return any(ch != "\n" and unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text)


def _foreign_phones(text: str, allowed: Collection[str]) -> bool:
    if any(e164 not in allowed for e164 in possible_phones(text)):
        return True
    allowed_digits = {p.lstrip("+") for p in allowed}
    for run in _DIGIT_RUN.findall(text):
        digits = re.sub(r"\D", "", run)
        if not any(digits.endswith(a[-9:]) for a in allowed_digits):
            return True
    return False


def _contains(phrases: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda text: any(p in fold(text) for p in phrases)


def _pressure(text: str) -> list[str]:
    folded = fold(text).replace("’", "'")
    return [name for name, pattern in _PRESSURE if pattern.search(folded)]


def _foreign_line(text: str, lang: Lang) -> bool:
    """A line in another language than `lang` ("a French line in an English thread"): each line
    is judged alone, so one line in the thread's language cannot carry another."""
    return any(
        sum(ch.isalpha() for ch in line) >= MIN_LANGUAGE_LETTERS
        and detect_lang(line, default=lang) != lang
        for line in text.split("\n")
    )


# (rule name, test that is True when the text breaks the rule); the order is the report order.
_TEXT_RULES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("empty", lambda t: not t.strip()),
    ("too_many_lines", lambda t: len([ln for ln in t.strip().split("\n")]) > MAX_LINES),
    ("too_long", lambda t: len(t) > MAX_CHARS),
    ("url", lambda t: bool(_URL.search(t))),
    ("email_address", lambda t: bool(_EMAIL.search(t))),
    ("invisible_character", _has_invisible),
    ("meta_text", _contains(META)),
    ("forbidden_phrase", _contains(FORBIDDEN)),
)


def problems(
    text: str,
    *,
    lang: Lang,
    channel: str,
    allowed_phones: Collection[str] = (),
    check_language: bool = True,
) -> list[str]:
    """The names of the rules `text` breaks as a `channel` message in `lang`; [] when valid.

    `check_language=False` for a whole message whose written line was checked alone: a short
    signature line ("Thomas (Acme Software)") can tip langdetect on a two-line text."""
    found = [name for name, breaks in _TEXT_RULES if breaks(text)]
    found += _pressure(text)
    if _foreign_phones(text, allowed_phones):
        found.append("foreign_phone")
    if (
        check_language
        and text.strip()
        and (detect_lang(text, default=lang) != lang or _foreign_line(text, lang))
    ):
        found.append("wrong_language")
    if channel == "sms" and sms_info(fit_sms(text)).segments > MAX_SMS_SEGMENTS:
        found.append("sms_segments")
    return found


def is_valid(
    text: str,
    *,
    lang: Lang,
    channel: str,
    allowed_phones: Collection[str] = (),
    check_language: bool = True,
) -> bool:
    found = problems(
        text,
        lang=lang,
        channel=channel,
        allowed_phones=allowed_phones,
        check_language=check_language,
    )
    return not found
