"""`mail.parse_message(raw, with_body=False)` and `mail.add_body` for the plain shape most mail
has, several times cheaper; `mail.py` itself for anything else.

Parses; never decides. mail.py walks the header section line by line in Python (~15 µs a
message); here two regexes, run in C, check that the section has the plain shape (LF line ends,
every line a `Name: value` header or its folded continuation, a blank line before the body) and
split it, then every value goes through mail.py's own decoders, so both read a value the same
way. A body is decoded here only for a single text/plain part with a plain charset and a 7bit,
8bit or quoted-printable transfer encoding, the way the stdlib's compat32 parser decodes it; any
other body, and any section not of the plain shape, is mail.py's. tests/maxcore/adapters/
test_mail_fast.py checks both answers are equal on every real message of ../shared/data/mail.
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from ..core.model import Address, Message
from . import mail
from .charsets import decode
from .html_text import html_to_text

_NAME = rb"[\x21-\x39\x3b-\x7e]+"  # printable ASCII but ":", as compat32's feedparser reads one
_SECTION = re.compile(rb"(?:" + _NAME + rb":[^\n]*\n(?:[ \t][^\n]*\n)*)*")
_FIELD = re.compile(rb"(" + _NAME + rb"):([^\n]*)\n((?:[ \t][^\n]*\n)*)")
_NEEDED = ("from", "message-id", "date")  # mail.parse_message refuses a message with none
# The headers `read_envelope` reads, and only those (a header line starts no continuation).
_ENVELOPE = re.compile(
    rb"^(message-id|references|in-reply-to|subject|from|to|cc|date|x-gm-thrid|x-gmail-labels)"
    rb":([^\n]*)\n((?:[ \t][^\n]*\n)*)",
    re.M | re.I,
)
_NO_LABELS: frozenset[str] = frozenset()
# The one Content-Type whose body is decoded here, charset as a plain token or quoted.
# A parameter value as a plain token or a quoted string without escapes; `_parseparam` reads
# both alike. No `*` in names: RFC 2231 values are the stdlib's.
_VALUE = r'(?:"[^"\\\r\n]*"|[^";\s\\]+)'
_PARAM = re.compile(rf";[ \t]*([a-z][a-z0-9-]*)=({_VALUE})", re.I)
_TYPE_TOKEN = r"[a-z0-9!#$&.+^_-]+"
_CONTENT_TYPE = re.compile(
    rf"({_TYPE_TOKEN})/({_TYPE_TOKEN})((?:;[ \t]*[a-z][a-z0-9-]*={_VALUE})*)", re.I
)
_PLAIN_ENCODINGS = frozenset({"", "7bit", "8bit", "binary", "quoted-printable"})
# Multiparts whose parts default to text/plain (RFC 2046 5.1.5: a digest's are message/rfc822).
_FLAT_MULTIPARTS = frozenset({"multipart/alternative", "multipart/mixed", "multipart/related"})
_BODY_HEADERS = ("content-type", "content-transfer-encoding", "content-disposition")


def read_headers(raw: bytes) -> Message:
    """What `mail.parse_message(raw, with_body=False)` gives (and raises)."""
    pairs = _plain_section(raw.lstrip(b"\r\n"))
    if pairs is None:
        return mail.parse_message(raw, with_body=False)
    return _message(pairs) or mail.parse_message(raw, with_body=False)


def read_envelope(raw: bytes) -> Message | None:
    """`mail.parse_message(raw, with_body=False)` but for its `headers` and `content_types`,
    left empty: what threading and the sender's side need (ids, subject, addresses, date, Gmail
    labels and thread id), the other headers not decoded. None when the section is not of the
    plain shape, or when the id must be made from every header (no Message-ID)."""
    section = _plain_header_section(raw.lstrip(b"\r\n"))
    if section is None:
        return None
    first: dict[str, str] = {}
    to: list[str] = []
    cc: list[str] = []
    for name, value, folded in _ENVELOPE.findall(section):
        value = _unfold(value, folded)
        key = name.decode("ascii").lower()
        text = mail._bytes_text(value.strip())
        first.setdefault(key, text)
        if key in ("to", "cc"):
            (to if key == "to" else cc).append(text)
    ids = mail.parse_ids(first.get("message-id", ""))
    if not ids and not first.get("message-id", "").strip():
        return None  # the id is a digest of every header: mail.py's
    if not any(name in first for name in _NEEDED):
        return None
    sender = _addresses(first.get("from", ""))
    return Message(
        id=mail._message_id(first.get("message-id", ""), []),
        subject=mail.decode_header_value(first["subject"]) if "subject" in first else "",
        sender=sender[0] if sender else Address(""),
        to=_addresses(*to),
        cc=_addresses(*cc),
        date=_parse_date(first.get("date")),
        in_reply_to=next(iter(mail.parse_ids(first.get("in-reply-to", ""))), None),
        references=mail.parse_ids(first.get("references", "")),
        labels=mail.takeout_labels(first["x-gmail-labels"])
        if "x-gmail-labels" in first
        else _NO_LABELS,
        thread_id=mail.takeout_thread_id(first.get("x-gm-thrid", "")),
    )


def read_body(message: Message, raw: bytes) -> Message:
    """What `mail.add_body(message, raw)` gives, for `message` read headers-only from `raw`."""
    body = _plain_body(raw.lstrip(b"\r\n"))
    if body is None:
        return mail.add_body(message, raw)
    content_types, text = body
    return Message(
        id=message.id,
        subject=message.subject,
        sender=message.sender,
        to=message.to,
        cc=message.cc,
        date=message.date,
        headers=message.headers,
        content_types=content_types,
        text=text,
        labels=message.labels,
        in_reply_to=message.in_reply_to,
        references=message.references,
        thread_id=message.thread_id,
    )


def read_message(raw: bytes) -> Message:
    """What `mail.parse_message(raw)` gives (and raises)."""
    return read_body(read_headers(raw), raw)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The Date most mail writes (RFC 5322 section 3.3, what `format_datetime` writes); any other form,
# comments and obsolete zones included, is `mail.parse_date`'s.
_PLAIN_DATE = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (" + "|".join(_MONTHS) + r") (\d{4})"
    r" (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"
)


def _parse_date(value: str | None) -> datetime | None:
    """`mail.parse_date`, the plain form read here (as `email.utils.parsedate_to_datetime`
    reads it: "-0000" is an unknown zone, so UTC; a date that does not exist is None)."""
    found = _PLAIN_DATE.fullmatch(value) if value else None
    if found is None or found[3] < "0100":  # years 0-99 are read as 19xx/20xx there
        return mail.parse_date(value)
    day, month, year, hour, minute, second, sign, zone_h, zone_m = found.groups()
    offset = int(zone_h) * 3600 + int(zone_m) * 60
    try:
        zone = (
            UTC
            if sign == "-" and not offset
            else timezone(timedelta(seconds=-offset if sign == "-" else offset))
        )
        parsed = datetime(
            int(year),
            _MONTHS.index(month) + 1,
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=zone,
        )
    except ValueError:  # 31 Feb, 25:00, a zone of a day or more
        return None
    return parsed if mail.is_mail_era(parsed) else None


def _addresses(*values: str) -> tuple[Address, ...]:
    """`mail._addresses`, with a short memory of its own: a mailbox's addresses recur close
    together (a thread's people), and mail.py's 8,192-entry one would grow with the mailbox."""
    return tuple(a for v in values if v for a in _address_list(v))


_parse_address_list = getattr(mail._address_list, "__wrapped__", mail._address_list)
_address_list = lru_cache(maxsize=512)(_parse_address_list)


def _plain_section(raw: bytes) -> list[tuple[str, str]] | None:
    """The (lower-case name, value) pairs as mail.py reads them, or None when the section is
    not of the plain shape (then mail.py reads it)."""
    fields = _fields(raw)
    if fields is None:
        return None
    return [(name, mail._bytes_text(value.strip())) for name, value, _ in fields]


def _fields(raw: bytes) -> list[tuple[str, bytes, bool]] | None:
    """(lower-case name, unfolded raw value, whether the stdlib reads that value as is: one line
    with no blank at its end), or None when the section is not of the plain shape."""
    section = _plain_header_section(raw)
    if section is None:
        return None
    fields = []
    for name, first, folded in _FIELD.findall(section):
        value = _unfold(first, folded)
        # compat32 keeps a value from after the colon's spaces and tabs to the line's end.
        as_is = not folded and first.lstrip(b" \t") == first.strip()
        fields.append((name.decode("ascii").lower(), value, as_is))
    return fields


def _plain_header_section(raw: bytes) -> bytes | None:
    """The header section up to its blank line, or None when it is not of the plain shape (no
    mbox "From " line, no CR, every line a field or a fold): then mail.py reads the message."""
    end = raw.find(b"\n\n")
    if end < 0 or raw.startswith(b"From "):
        return None
    section = raw[: end + 1]
    if b"\r" in section or _SECTION.fullmatch(section) is None:
        return None
    return section


def _unfold(first: bytes, folded: bytes) -> bytes:
    """RFC 5322 section 2.2.3: a value unfolded as mail.py unfolds it, one space a fold."""
    value = first
    for line in folded.split(b"\n")[:-1] if folded else ():
        value = value.rstrip() + b" " + line.strip()
    return value


def _message(raw_headers: list[tuple[str, str]]) -> Message | None:
    """The headers-only `Message`, built as `mail.parse_message` builds it."""
    if not any(name in _NEEDED for name, _ in raw_headers):
        return None  # mail.parse_message raises its own error
    headers: dict[str, list[str]] = {}
    for name, value in raw_headers:
        headers.setdefault(name, []).append(mail.decode_header_value(value))
    first_raw = {name: value for name, value in reversed(raw_headers)}
    sender = _addresses(first_raw.get("from", ""))
    return Message(
        id=mail._message_id(first_raw.get("message-id", ""), raw_headers),
        subject=headers.get("subject", [""])[0],
        sender=sender[0] if sender else Address(""),
        to=_addresses(*[v for n, v in raw_headers if n == "to"]),
        cc=_addresses(*[v for n, v in raw_headers if n == "cc"]),
        date=_parse_date(first_raw.get("date")),
        headers={name: tuple(values) for name, values in headers.items()},
        content_types=(mail._top_type(first_raw.get("content-type")),),
        in_reply_to=next(iter(mail.parse_ids(first_raw.get("in-reply-to", ""))), None),
        references=mail.parse_ids(first_raw.get("references", "")),
        labels=mail.takeout_labels(first_raw.get("x-gmail-labels", "")),
        thread_id=mail.takeout_thread_id(first_raw.get("x-gm-thrid", "")),
    )


@dataclass(frozen=True)
class _Part:
    """A MIME part as compat32 reads it: what `mail._content_types` and `mail._text` ask of it."""

    content_type: str  # the full value, lower case, as mail._content_types lists it
    ctype: str  # `get_content_type()`
    params: dict[str, str]  # lower-case names, values unquoted
    encoding: str  # `str(get("content-transfer-encoding", "")).lower()`
    attachment: bool
    payload: bytes


def _plain_body(raw: bytes) -> tuple[tuple[str, ...], str] | None:
    """(content types, text) as `mail._add_body` finds them, for a body of the plain shape: one
    text part, or a multipart of text parts (one level, each with plain MIME headers); None
    for anything else."""
    fields = _fields(raw)
    if fields is None:
        return None
    body = raw[raw.find(b"\n\n") + 2 :]
    top = _part(fields, body, "text/plain")
    if top is None or top.ctype.startswith("message/"):
        return None
    if not top.ctype.startswith("multipart/"):
        leaves = [top]
    elif top.ctype in _FLAT_MULTIPARTS:
        found = _parts(body, top.params.get("boundary", ""))
        if found is None:
            return None
        leaves = found
    else:
        return None
    text = _text(leaves)
    if text is None:
        return None
    parts = leaves if leaves[0] is top else [top, *leaves]
    return tuple(p.content_type for p in parts), text


def _part(fields: list[tuple[str, bytes, bool]], payload: bytes, default: str) -> _Part | None:
    """The part of these headers, or None when a MIME header is not of the plain shape."""
    mime: dict[str, str] = {}
    for name, value, as_is in fields:
        if name not in _BODY_HEADERS:
            continue
        if name in mime or not as_is or not value.isascii() or b"=?" in value:
            return None  # repeated, folded, 8-bit or encoded: compat32 reads it its own way
        mime[name] = value.strip().decode("ascii")
    content_type = mime.get("content-type", "")
    if content_type:
        found = _CONTENT_TYPE.fullmatch(content_type)
        if found is None:
            return None
        params = _params(found[3])
        if params is None:
            return None
        ctype = f"{found[1]}/{found[2]}".lower()
    else:
        params, ctype = {}, default
    disposition = mime.get("content-disposition", "")
    return _Part(
        content_type=(content_type or ctype).lower(),
        ctype=ctype,
        params=params,
        encoding=mime.get("content-transfer-encoding", "").lower(),
        attachment=disposition.lower().startswith("attachment"),
        payload=payload,
    )


def _params(text: str) -> dict[str, str] | None:
    params: dict[str, str] = {}
    for name, value in _PARAM.findall(text):
        if name.lower() in params:
            return None  # a repeated parameter: which one the stdlib takes is its business
        params[name.lower()] = value[1:-1] if value.startswith('"') else value
    return params


def _parts(body: bytes, boundary: str) -> list[_Part] | None:
    """The parts between `--boundary` lines, as compat32's feedparser splits them (RFC 2046
    section 5.1.1: the line break before a boundary belongs to it), or None when the body is
    not of the plain shape: a CR anywhere, a boundary line with more on it, two in a row, a
    part without a blank line after its headers, or no closing boundary."""
    # `get_boundary` unquotes twice (a quoted "<<x>>" becomes <x>): such a value is the stdlib's.
    if not boundary or boundary[:1] in ('"', "<") or boundary.rstrip() != boundary:
        return None
    if b"\r" in body:
        return None
    separator = b"--" + boundary.encode("ascii")
    lines = body.split(b"\n")
    marks = [i for i, line in enumerate(lines) if line.startswith(separator)]
    closes = [i for i in marks if lines[i] == separator + b"--"]
    if not closes or any(lines[i] not in (separator, separator + b"--") for i in marks):
        return None
    marks = [i for i in marks if i <= closes[0]]
    if len(marks) < 2 or any(b - a < 2 for a, b in zip(marks, marks[1:], strict=False)):
        return None
    parts = []
    for start, stop in zip(marks, marks[1:], strict=False):
        chunk = lines[start + 1 : stop]
        if b"" not in chunk:
            return None
        blank = chunk.index(b"")
        head = b"\n".join(chunk[:blank]) + b"\n\n" if blank else b"\n"
        fields = _fields(head) if blank else []
        if fields is None:
            return None
        part = _part(fields, b"\n".join(chunk[blank + 1 :]), "text/plain")
        if part is None or part.ctype.startswith(("multipart/", "message/")):
            return None
        parts.append(part)
    return parts


def _text(leaves: list[_Part]) -> str | None:
    """`mail._text`: the first inline text/plain part, else the first HTML (or enriched) part made
    text; None when a part it would decode is in a transfer encoding left to the stdlib."""
    fallback: _Part | None = None
    for part in leaves:
        if part.attachment:
            continue
        if part.ctype == "text/plain":
            return _decoded(part)
        if part.ctype in ("text/html", "text/enriched") and fallback is None:
            fallback = part
    if fallback is None:
        return ""
    text = _decoded(fallback)
    return None if text is None else html_to_text(text)


def _decoded(part: _Part) -> str | None:
    """`mail._payload_text`: `get_payload(decode=True)`, then the part's charset (the one place a
    charset is looked up, adapters.charsets)."""
    if part.encoding not in _PLAIN_ENCODINGS:
        return None
    data = (
        quopri.decodestring(part.payload) if part.encoding == "quoted-printable" else part.payload
    )
    charset = part.params.get("charset")
    return decode(data, charset.lower() if charset else None).replace("\r\n", "\n")
