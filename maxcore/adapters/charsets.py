"""Bytes to text in a charset the mail itself names: the one place a codec is looked up by a name
that came from a message (an RFC 2047 encoded word, a `charset=` parameter, a Gmail part's
Content-Type).

Decodes; never raises. The name is untrusted: it may be unknown (`undefined-8bit`, `x-user`), not
a text codec (`base64`, `rot13`), hold a NUL (`bytes.decode` raises ValueError), or name one of
Python's codecs that exist but are no mail charset and fail or misbehave on ordinary bytes:
`idna` and `punycode` raise UnicodeError on most input, `undefined` on all of it, and the escape
codecs turn a backslash sequence into a lone surrogate that no UTF-8 writer downstream (stdout,
SQLite, JSON) can encode. Those are refused by name and read the way an unknown charset is.
(The stdlib's own lookups inside its MIME parser, an RFC 2231 `boundary*=` for one, are behind
the mail reader's body net, `mail._add_body`.)
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

__all__ = ["DECODING_ERRORS", "decode", "decode_lenient", "mail_codec", "without_surrogates"]

# What a codec, looked up by a foreign name, raises: LookupError (no such codec, or not a text
# codec), ValueError (a NUL in the name) and its subclass UnicodeError (bytes it cannot read;
# `idna` refusing the "replace" handler). binascii.Error is a ValueError too.
DECODING_ERRORS = (LookupError, ValueError)

# Python's codecs that are no charset a mail is written in (canonical `codecs.lookup` names).
NOT_MAIL_CHARSETS = frozenset(
    {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"}
)
# Mail charsets whose decoder can still yield a lone surrogate: UTF-7 (RFC 2152) decodes
# "+2AA-" to U+D800.
MAY_YIELD_SURROGATES = frozenset({"utf-7"})
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAME_CACHE = 512  # distinct names seen in a mailbox are few; a hostile one cannot grow it


def decode(data: bytes, charset: str | None) -> str:
    """`data` in `charset` when that reads it exactly, else UTF-8, else Windows-1252 with U+FFFD
    for its five unassigned bytes: 8-bit text that is not UTF-8 is nearly always Windows-1252."""
    codec = mail_codec(charset) if charset else None
    if codec is not None and codec != "utf-8":
        try:
            text = data.decode(codec)
        except DECODING_ERRORS:
            pass
        else:
            return without_surrogates(text) if codec in MAY_YIELD_SURROGATES else text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def decode_lenient(data: bytes, charset: str | None) -> str:
    """`data` in `charset` with U+FFFD for what it cannot read, else in UTF-8 likewise: for a
    body whose charset the sender's own software declared (a Gmail API part)."""
    codec = mail_codec(charset) if charset else None
    if codec is not None:
        try:
            text = data.decode(codec, "replace")
        except DECODING_ERRORS:
            pass
        else:
            return without_surrogates(text) if codec in MAY_YIELD_SURROGATES else text
    return data.decode("utf-8", "replace")


@lru_cache(maxsize=_NAME_CACHE)
def mail_codec(name: str) -> str | None:
    """The canonical name of the codec `name` means, or None when it names no mail charset."""
    # RFC 2231 section 5: an encoded word's charset may carry a language, "utf-8*fr".
    name = name.partition("*")[0].strip()
    try:
        info = codecs.lookup(name)
    except DECODING_ERRORS:
        return None
    # A codec that is no text codec (base64, rot13) is refused by bytes.decode: LookupError.
    return None if info.name in NOT_MAIL_CHARSETS else info.name


def without_surrogates(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD, so that it can be written as UTF-8."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)
