"""charsets: a charset named by a mail decodes in it when it can, and never raises."""

from __future__ import annotations

import pytest

from maxcore.adapters.charsets import decode, decode_lenient, mail_codec, without_surrogates

BYTES = "Devis révisé".encode()
LATIN = "Devis révisé".encode("latin-1")


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("utf-8", "utf-8"),
        ("UTF8", "utf-8"),
        ("latin1", "iso8859-1"),
        ("utf-8*fr", "utf-8"),  # RFC 2231 section 5: a language after the charset
        ("utf-7", "utf-7"),
        ("undefined", None),
        ("idna", None),
        ("punycode", None),
        ("unicode_escape", None),
        ("raw-unicode-escape", None),
        ("x\x00y", None),
        ("utf-8\x00", None),
        ("x-unknown-8bit", None),
        ("", None),
        ("a" * 10_000, None),
    ],
)
def test_mail_codec_names_only_charsets_mail_is_written_in(name: str, codec: str | None) -> None:
    assert mail_codec(name) == codec


@pytest.mark.parametrize(
    ("data", "charset", "text"),
    [
        (BYTES, "utf-8", "Devis révisé"),
        (LATIN, "iso-8859-1", "Devis révisé"),
        (LATIN, "us-ascii", "Devis révisé"),  # a lying charset: UTF-8, then Windows-1252
        (BYTES, None, "Devis révisé"),
        (LATIN, "undefined", "Devis révisé"),
        (LATIN, "idna", "Devis révisé"),
        (b"abc-9999\xff", "punycode", "abc-9999ÿ"),
        (BYTES, "utf-8\x00", "Devis révisé"),
        (b"a \\ud800 b", "unicode_escape", "a \\ud800 b"),  # the escape is not read
        (b"a +2AA- b", "utf-7", "a \ufffd b"),  # a lone surrogate becomes U+FFFD
        (b"Zm9v", "base64", "Zm9v"),  # not a text codec
        (b"\x81\x8d", "x-unknown", "\ufffd\ufffd"),  # Windows-1252's unassigned bytes
    ],
)
def test_decode_never_raises_and_falls_back_to_utf8_then_windows_1252(
    data: bytes, charset: str | None, text: str
) -> None:
    assert decode(data, charset) == text


@pytest.mark.parametrize(
    ("data", "charset", "text"),
    [
        (BYTES, "utf-8", "Devis révisé"),
        (b"caf\xe9 \xff", "utf-8", "caf\ufffd \ufffd"),
        (LATIN, "iso-8859-1", "Devis révisé"),
        (b"caf\xe9", "idna", "caf\ufffd"),  # idna refuses the "replace" handler
        (b"caf\xe9", "undefined", "caf\ufffd"),
        (b"caf\xe9", "x\x00y", "caf\ufffd"),
        (b"+2AA-", "utf-7", "\ufffd"),
    ],
)
def test_decode_lenient_replaces_what_the_charset_cannot_say(
    data: bytes, charset: str, text: str
) -> None:
    assert decode_lenient(data, charset) == text


def test_without_surrogates_keeps_real_characters_and_replaces_lone_ones() -> None:
    assert without_surrogates("ok") == "ok"
    assert (
        without_surrogates("emoji 😀 cut \ud83d, low \udfff") == "emoji 😀 cut \ufffd, low \ufffd"
    )
