"""Every built-in template, in every situation and language, passes the validator and fits one
GSM-7 SMS with its signature and opt-out, even with long names and the longest details."""

from __future__ import annotations

import pytest

from maxcore.compose.details import Detail
from maxcore.compose.sms import fit_sms, sms_info
from maxcore.compose.templates import TEMPLATES, candidates, greeting, render, second_line
from maxcore.compose.validate import problems

DETAILS = {
    ("fr", "step"): Detail("step", "le référencement fournisseur", "du référencement fournisseur"),
    ("fr", "document"): Detail("document", "le cahier des charges", "du cahier des charges"),
    ("fr", "figure"): Detail("figure", "12 conducteurs de travaux"),
    ("fr", "date"): Detail("date", "le 15 décembre"),
    ("en", "step"): Detail("step", "the vendor onboarding"),
    ("en", "document"): Detail("document", "the specification"),
    ("en", "figure"): Detail("figure", "12,500 licenses"),
    ("en", "date"): Detail("date", "December 15th"),
    ("fr", "generic"): None,
    ("en", "generic"): None,
}
SIGNATURE = "Thomas (Acme Software)"
ROWS = [(key, i) for key, variants in TEMPLATES.items() for i in range(len(variants))]


@pytest.mark.parametrize(("key", "index"), ROWS)
@pytest.mark.parametrize("channel", ["whatsapp", "sms"])
def test_every_template_is_valid_and_fits_one_gsm7_sms(
    key: tuple[str, str], index: int, channel: str
) -> None:
    lang = key[0]
    first = render(TEMPLATES[key][index], greeting(lang, "Jean-Baptiste"), DETAILS[key])  # type: ignore[arg-type, index]
    text = fit_sms(f"{first}\n{second_line(lang, channel, SIGNATURE)}")  # type: ignore[arg-type]
    assert problems(first, lang=lang, channel=channel) == [], first  # type: ignore[arg-type]
    assert problems(text, lang=lang, channel=channel, check_language=False) == [], text  # type: ignore[arg-type]
    assert sms_info(text).encoding == "GSM-7" and sms_info(text).segments == 1, (len(text), text)
    assert "{" not in text and "  " not in text


def test_the_variant_is_fixed_by_the_thread_id() -> None:
    detail = DETAILS[("fr", "document")]
    first = [next(candidates(f"thread-{i}", "fr", detail, "Marc")) for i in range(40)]
    assert first == [next(candidates(f"thread-{i}", "fr", detail, "Marc")) for i in range(40)]
    assert len(set(first)) == len(TEMPLATES[("fr", "document")])


def test_candidates_fall_back_to_generic_and_then_no_name() -> None:
    options = list(candidates("t", "en", DETAILS[("en", "figure")], "Sarah"))
    assert options[0].startswith("Hi Sarah,") and "12,500 licenses" in options[0]
    assert any("next step" in o for o in options) and options[-1].startswith("Hi,")
