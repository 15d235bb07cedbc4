"""SMS encoding per 3GPP TS 23.038 (the gsm0338 codec) and segment counts."""

from __future__ import annotations

import pytest

from maxcore.compose.sms import fit_sms, smart_replace, sms_info, units

CASES = [
    # (text, encoding, segments, units)
    ("a" * 160, "GSM-7", 1, 160),
    ("a" * 161, "GSM-7", 2, 161),
    ("a" * 306, "GSM-7", 2, 306),
    ("a" * 307, "GSM-7", 3, 307),
    ("€" * 80, "GSM-7", 1, 160),  # extension table: 2 septets each
    ("€" * 81, "GSM-7", 2, 162),
    ("é è ù à Ç É", "GSM-7", 1, 11),
    ("ê" * 70, "UCS-2", 1, 70),
    ("ê" * 71, "UCS-2", 2, 71),
    ("ç" + "a" * 133, "UCS-2", 2, 134),
    ("😀" * 35, "UCS-2", 1, 70),  # astral characters are two UTF-16 units
]


@pytest.mark.parametrize(("text", "encoding", "segments", "n"), CASES)
def test_encoding_and_segments(text: str, encoding: str, segments: int, n: int) -> None:
    info = sms_info(text)
    assert (info.encoding, info.segments, units(text)) == (encoding, segments, n)


def test_french_typography_is_replaced_to_stay_gsm7() -> None:
    text = "Bonjour Claire, doit-on simplifier l’étape de validation\u202f? « Oui » … – Thomas"
    assert sms_info(text).encoding == "UCS-2"
    replaced = smart_replace(text)
    assert sms_info(replaced) == sms_info(fit_sms(text))
    assert sms_info(replaced).encoding == "GSM-7"
    assert "l'étape" in replaced and '"' in replaced and "..." in replaced


def test_accents_are_dropped_only_when_that_saves_a_segment() -> None:
    short = "Bonjour François, ça avance ?"
    assert fit_sms(short) == short  # one UCS-2 segment already: the name keeps its ç
    long = "Bonjour François, " + "on simplifie la validation juridique ? " * 2 + "Thomas"
    fitted = fit_sms(long)
    assert sms_info(long).segments == 2 and sms_info(fitted).segments == 1
    assert "Francois" in fitted
