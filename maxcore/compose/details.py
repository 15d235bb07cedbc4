"""The one concrete detail of a thread a short message can ask about: a step, a document, a figure,
a date.

Deterministic: tables of FR and EN words, searched in our own latest message first (what we are
waiting for), then the prospect's latest words, then the subject. The kinds are tried in the order
of `KIND_ORDER` (a pending step says most about what blocks; a bare date least). The detail comes
back already phrased in the message's language, with the article a template needs. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..core.model import Lang
from ..core.text import fold

DetailKind = Literal["step", "document", "figure", "date"]
KIND_ORDER: tuple[DetailKind, ...] = ("step", "document", "figure", "date")


@dataclass(frozen=True)
class Detail:
    kind: DetailKind
    text: str  # as a template uses it: "la validation juridique", "the quote", "12 licences"
    of: str = ""  # French "de" form ("du devis", "de la proposition"); "" in English


# Steps and documents: (pattern on the folded text, French phrase, French "de" form, English).
# Patterns match either language, so a French thread mentioning "PO" still finds the order form.
_STEPS = (
    (
        r"juridique|\blegal\b",
        "la validation juridique",
        "de la validation juridique",
        "the legal review",
    ),
    (
        r"validation (interne|budgetaire|de la direction)|go de la direction"
        r"|internal approval|budget approval",
        "la validation interne",
        "de la validation interne",
        "the internal approval",
    ),
    (
        r"bon de commande|purchase order|\bpo\b",
        "le bon de commande",
        "du bon de commande",
        "the purchase order",
    ),
    (
        r"referencement fournisseur|vendor onboarding|supplier onboarding",
        "le référencement fournisseur",
        "du référencement fournisseur",
        "the vendor onboarding",
    ),
    (
        r"\bsignature\b|\bsigner\b|sign-off|e-sign",
        "la signature",
        "de la signature",
        "the signature",
    ),
    (r"\bpoc\b|proof of concept|\bpilote?\b", "le pilote", "du pilote", "the pilot"),
    (r"\bdemo\b|\bdemonstration\b", "la démo", "de la démo", "the demo"),
    (
        r"questionnaire (de )?securite|security (questionnaire|review)|\bdpa\b|rgpd|gdpr",
        "le volet sécurité",
        "du volet sécurité",
        "the security review",
    ),
)
_DOCUMENTS = (
    (r"\bdevis\b|\bquote\b|\bquotation\b", "le devis", "du devis", "the quote"),
    (
        r"proposition( commerciale)?|\bproposal\b|\boffre\b|\boffer\b",
        "la proposition",
        "de la proposition",
        "the proposal",
    ),
    (r"\bcontrat\b|\bcontract\b|\bagreement\b", "le contrat", "du contrat", "the contract"),
    (
        r"cahier des charges|\brfp\b|specification",
        "le cahier des charges",
        "du cahier des charges",
        "the specification",
    ),
    (
        r"\bplanning\b|retroplanning|\btimeline\b|\bschedule\b",
        "le planning",
        "du planning",
        "the timeline",
    ),
    (
        r"\btarifs?\b|\bpricing\b|grille tarifaire|price list",
        "la grille tarifaire",
        "de la grille tarifaire",
        "the pricing",
    ),
)
# A figure with its unit (space, NBSP and U+202F are French thousands separators).
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d+)?"
_FIGURE = re.compile(
    rf"(?<![\w€$])({_NUMBER}\s?(?:k€|€|euros?\b|eur\b|\$|k\$)|\$\s?{_NUMBER}k?"
    rf"|{_NUMBER}\s(?:licences?|licenses?|utilisateurs|users|postes|seats|sieges|sièges|comptes"
    rf"|accounts|sites|agences|magasins|stores|depots|dépôts|jours|days|mois|months|conducteurs"
    rf"|techniciens|collaborateurs|salariés|employees|agents|chauffeurs|drivers|véhicules"
    rf"|vehicles|camions|trucks)\b(?: de travaux)?)",
    re.IGNORECASE,
)
_MONTHS_FR = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre"
    "|décembre|decembre"
)
_MONTHS_EN = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(
    rf"\b(\d{{1,2}}(?:er)? (?:{_MONTHS_FR})|(?:{_MONTHS_EN}) \d{{1,2}}(?:st|nd|rd|th)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTHS_EN}))\b",
    re.IGNORECASE,
)
_MAX_FIGURE_CHARS = 32


_Table = tuple[tuple[str, str, str, str], ...]


def _compiled(table: _Table) -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """The table's rows compiled, and all of them as one regex: it finds something exactly when
    one row would, so a text with no detail (most of them) costs one search."""
    rows = tuple(re.compile(pattern) for pattern, *_ in table)
    return re.compile("|".join(f"(?:{p})" for p, *_ in table)), rows


_TABLES = {"step": (_STEPS, *_compiled(_STEPS)), "document": (_DOCUMENTS, *_compiled(_DOCUMENTS))}


def _from_table(folded: str, kind: DetailKind, lang: Lang) -> Detail | None:
    table, any_row, rows = _TABLES[kind]
    if not any_row.search(folded):
        return None
    for pattern, (_, fr, fr_of, en) in zip(rows, table, strict=True):
        if pattern.search(folded):
            return Detail(kind, fr, fr_of) if lang == "fr" else Detail(kind, en)
    return None


def _figure(text: str) -> Detail | None:
    match = _FIGURE.search(text)
    if not match:
        return None
    figure = re.sub(r"[\u00a0\u202f]", " ", match.group(1)).strip()
    return Detail("figure", figure) if len(figure) <= _MAX_FIGURE_CHARS else None


def _date(text: str, lang: Lang) -> Detail | None:
    match = _DATE.search(text)
    if not match:
        return None
    day = match.group(1)
    return Detail("date", f"le {day}" if lang == "fr" and day[0].isdigit() else day)


_DIGIT = re.compile(r"\d")  # every figure and every date has one


def detail_in(text: str, lang: Lang, kind: DetailKind) -> Detail | None:
    """The first detail of `kind` in `text`, phrased in `lang`."""
    if kind in _TABLES:
        return _from_table(fold(text), kind, lang)
    if not _DIGIT.search(text):
        return None
    if kind == "figure":
        return _figure(text)
    return _date(text, lang)


def extract_detail(texts: list[str], lang: Lang) -> Detail | None:
    """The best detail in `texts` (most telling first: our last message, their last reply,
    the subject): the first text that has one decides, and in it the first kind of KIND_ORDER."""
    for text in texts:
        for kind in KIND_ORDER:
            found = detail_in(text, lang, kind)
            if found:
                return found
    return None


def extract_details(texts: list[str]) -> tuple[Detail | None, Detail | None]:
    """`extract_detail` in French and in English, searched once: which text and which kind hold
    the detail does not depend on the language it is phrased in."""
    for text in texts:
        for kind in KIND_ORDER:
            found = detail_in(text, "fr", kind)
            if found:
                return found, detail_in(text, "en", kind)
    return None, None
