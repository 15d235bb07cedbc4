"""What an LLM may see: minimised and masked."""

from __future__ import annotations

import pytest

from maxcore.compose.details import Detail
from maxcore.compose.prompt import MAX_REPLY_CHARS, build_prompt, mask

CASES = [
    ("Écrivez à marc.lefevre@batiplus.fr", "Écrivez à [email]"),
    ("Mob : 06 12 34 56 78", "Mob : [number]"),
    ("Call +44 20 7946 0958 now", "Call [number] now"),
    ("Voir https://evil.example/x?y=1 et www.batiplus.fr", "Voir [link] et [link]"),
    ("Site batiplus.fr", "Site [link]"),
    ("SIRET 552 100 554 00025", "SIRET [number]"),
    ("Budget 4 500 € pour 12 licences", "Budget 4 500 € pour 12 licences"),
]


@pytest.mark.parametrize(("text", "masked"), CASES)
def test_mask(text: str, masked: str) -> None:
    assert mask(text) == masked


def test_build_prompt_keeps_only_what_the_line_needs() -> None:
    reply = "Merci. Mon portable : 06 12 34 56 78. " + "Blabla " * 200
    prompt = build_prompt(
        lang="fr", channel="sms", subject="Devis pour marc@batiplus.fr",
        detail=Detail("figure", "12 licences"), last_reply=reply, first_name="Marc",
    )  # fmt: skip
    assert prompt.subject == "Devis pour [email]"
    assert prompt.detail == "12 licences" and prompt.first_name == "Marc"
    assert "06 12" not in prompt.last_reply and len(prompt.last_reply) <= MAX_REPLY_CHARS
