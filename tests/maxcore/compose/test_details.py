"""The concrete detail a message asks about, found deterministically, phrased in the message's
language."""

from __future__ import annotations

import pytest

from maxcore.compose.details import Detail, extract_detail

CASES = [
    # (texts, lang, expected detail)
    (["La validation juridique prend du temps chez nous."], "fr",
     Detail("step", "la validation juridique", "de la validation juridique")),
    (["Our legal team is reviewing it."], "en", Detail("step", "the legal review")),
    (["Je vous envoie le bon de commande."], "fr",
     Detail("step", "le bon de commande", "du bon de commande")),
    (["Ci-joint le devis."], "fr", Detail("document", "le devis", "du devis")),
    (["Ci-joint le devis."], "en", Detail("document", "the quote")),
    (["Please find our proposal attached."], "en", Detail("document", "the proposal")),
    (["Le contrat est prêt."], "fr", Detail("document", "le contrat", "du contrat")),
    (["On part sur 4 500 € HT par an."], "fr", Detail("figure", "4 500 €")),
    (["We planned 12 licenses for the first year."], "en", Detail("figure", "12 licenses")),
    (["Pour 12 conducteurs de travaux."], "fr", Detail("figure", "12 conducteurs de travaux")),
    (["On en parle le 15 décembre ?"], "fr", Detail("date", "le 15 décembre")),
    (["Shall we talk on December 3rd?"], "en", Detail("date", "December 3rd")),
    (["Merci, bonne journée."], "fr", None),
    # Our last message decides before their reply and the subject.
    (["Voici la grille tarifaire.", "Le devis est chez le juridique.", "Devis"], "fr",
     Detail("document", "la grille tarifaire", "de la grille tarifaire")),
    # In one text, a pending step says more than a document.
    (["Le devis attend la signature."], "fr", Detail("step", "la signature", "de la signature")),
    # Words inside other words are not details.
    (["Nous pilotons le projet en interne, avec un legalese minimal."], "fr", None),
]  # fmt: skip


@pytest.mark.parametrize(("texts", "lang", "expected"), CASES)
def test_extract_detail(texts: list[str], lang: str, expected: Detail | None) -> None:
    assert extract_detail(texts, lang) == expected  # type: ignore[arg-type]
