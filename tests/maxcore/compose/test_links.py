"""wa.me and RFC 5724 sms: links."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from maxcore.compose.links import link_for, sms_link, whatsapp_link

TEXT = "Bonjour Marc, on simplifie l'étape ?\nThomas (Acme)"


@pytest.mark.parametrize(
    ("phone", "prefix"),
    [("+33612345678", "https://wa.me/33612345678?text="), (None, "https://wa.me/?text=")],
)
def test_whatsapp_link(phone: str | None, prefix: str) -> None:
    link = whatsapp_link(phone, TEXT)
    assert link.startswith(prefix)
    assert parse_qs(urlsplit(link).query)["text"] == [TEXT]
    assert " " not in link and "\n" not in link


def test_sms_link_reads_on_android_and_ios() -> None:
    link = sms_link("+33612345678", TEXT + " R&D")
    assert link.startswith("sms:+33612345678?&body=")
    android = parse_qs(urlsplit(link).query)["body"][0]  # RFC 5724 query
    ios = unquote(link.split("&body=", 1)[1])  # iOS 8+ reads after &body=
    assert android == ios and "R+D" in ios and "&" not in ios
    assert sms_link(None, "x").startswith("sms:?&body=")


def test_link_for_channel() -> None:
    assert link_for("whatsapp", None, "x") == whatsapp_link(None, "x")
    assert link_for("sms", "+33612345678", "x") == sms_link("+33612345678", "x")
    assert link_for("email", None, "x") is None
