"""Read one RFC 5322 message into a `Message`; also the mbox splitter (`iter_mbox`, `read_at`).

Parses; never decides: no rule here says what a message *is*. Real mail is broken in every way,
so the rule is to survive: headers are decoded in any charset (RFC 2047 encoded words, raw 8-bit
headers read as UTF-8 else Windows-1252, unknown charsets), a garbage Date gives `date=None`, a
missing Message-ID gives a stable synthetic one. Only bytes with no header at all are refused
(`MaxcoreError("bad_message")`). The header section is read here, by the rule of compat32's
feedparser (checked equal on real mail); bodies go to the stdlib parser with `policy=compat32`:
on the 2,812 messages of ../shared/data/mail both policies survived every message, and compat32
read the usual headers 5.4x faster (1.3 s vs 7.0 s), handing back raw values we decode ourselves.

Hostile mail (tests/adversarial/) is read too: every charset a message names goes through
`charsets.decode`, which never raises; a header value is cut at HEADER_LIMIT characters (the
stdlib's RFC 2047 and parameter parsers are quadratic: a 10 MB header took minutes); a body the
stdlib cannot take apart (MIME nested past the stack, a parameter no codec reads) leaves the
message with its headers and an empty text (`_add_body`, the one place a body degrades). Dates
outside MAIL_YEARS are garbage: a Date in the year 9999 overflows any arithmetic on it. Headers that
still fail in the decoding family (READ_ERRORS, a case nobody foresaw) make the message unreadable,
`MaxcoreError("bad_message", field="raw")`: a mailbox skips and counts it.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import Message as EmailMessage
from email.parser import BytesParser
from email.policy import Compat32
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache

from ..core.errors import MaxcoreError
from ..core.model import Address, Message
from .charsets import DECODING_ERRORS, decode
from .html_text import html_to_text
from .mbox import iter_mbox, read_at, read_many

__all__ = ["parse_message", "add_body", "iter_mbox", "read_at", "read_many", "decode_header_value"]

# 17x the longest header value in the 3,105 messages of ../shared/data/mail (a 3,791-character
# Autocrypt key); RFC 5322 section 2.1.1 caps a line at 998 characters. It also keeps a label list
# under the csv module's field limit (128 KiB).
HEADER_LIMIT = 1 << 16
# No mail was sent before 1971; past 2200 is a clock gone wrong, and near year 9999 adding a day
# overflows `datetime`. (The year as the sender's clock shows it: a compare of two aware datetimes
# costs a scan 2%.)
MAIL_YEARS = range(1970, 2200)


class _CappedCompat32(Compat32):
    """compat32, each header of each MIME part cut at HEADER_LIMIT characters: the stdlib's
    parameter parser (email.message._parseparam) is quadratic in the header's length."""

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        name, value = super().header_source_parse(sourcelines)
        return name, value[:HEADER_LIMIT]


_FULL = BytesParser(policy=_CappedCompat32())
# A header line as compat32's feedparser sees one (email/feedparser.py headerRE): a name of
# printable ASCII but ":", then the colon, no space between.
_HEADER_LINE = re.compile(rb"([\x21-\x39\x3b-\x7e]*):")
_FOLD = re.compile(r"[ \t]*\r?\n[ \t]*")
_ANGLE_ID = re.compile(r"<[^<>\s]+>")


def parse_message(raw: bytes, *, with_body: bool = True) -> Message:
    """The `Message` in `raw`; `with_body=False` reads headers only (text=None), for scans."""
    # Leading blank lines (seen in saved Gmail/Discourse files) would end the headers at once.
    raw = raw.lstrip(b"\r\n")
    raw_headers, mime, body_at = _header_section(raw)
    if not raw_headers or not any(n in ("from", "message-id", "date") for n, _ in raw_headers):
        raise MaxcoreError(
            "bad_message", "not a mail message: no From, Message-ID or Date header", field="headers"
        )
    try:
        message = _message(raw_headers)
    except READ_ERRORS as err:
        # The headers' one net: each step above degrades what it cannot read, so this is a
        # decoding failure nobody foresaw. The message cannot be read: a mailbox skips and counts
        # it ("unparseable"), and the fuzz suite fails on it, to be fixed where it happened.
        raise MaxcoreError(
            "bad_message", f"unreadable headers ({type(err).__name__})", field="raw"
        ) from err
    return _add_body(message, mime, raw[body_at:]) if with_body else message


def _message(raw_headers: list[tuple[str, str]]) -> Message:
    headers: dict[str, list[str]] = {}
    for name, value in raw_headers:
        headers.setdefault(name, []).append(decode_header_value(value))
    first_raw = {name: value for name, value in reversed(raw_headers)}
    sender = _addresses(first_raw.get("from", ""))
    return Message(
        id=_message_id(first_raw.get("message-id", ""), raw_headers),
        subject=headers.get("subject", [""])[0],
        sender=sender[0] if sender else Address(""),
        to=_addresses(*[v for n, v in raw_headers if n == "to"]),
        cc=_addresses(*[v for n, v in raw_headers if n == "cc"]),
        date=parse_date(first_raw.get("date")),
        headers={name: tuple(values) for name, values in headers.items()},
        content_types=(_top_type(first_raw.get("content-type")),),
        in_reply_to=next(iter(parse_ids(first_raw.get("in-reply-to", ""))), None),
        references=parse_ids(first_raw.get("references", "")),
        labels=takeout_labels(first_raw.get("x-gmail-labels", "")),
        thread_id=takeout_thread_id(first_raw.get("x-gm-thrid", "")),
    )


def add_body(message: Message, raw: bytes) -> Message:
    """`message`, read headers-only from `raw`, completed with its body: what
    `parse_message(raw)` gives, without reading the headers twice (a scan's second pass)."""
    _, mime, body_at = _header_section(raw.lstrip(b"\r\n"))
    return _add_body(message, mime, raw.lstrip(b"\r\n")[body_at:])


def _add_body(message: Message, mime: bytes, body: bytes) -> Message:
    # The body is parsed under its MIME headers alone: the rest was read already, the same way.
    # The top Content-Type stays as the header reading gave it (equal on all 3,112 real messages):
    # where the stdlib reads it otherwise (an 8-bit byte in it), `check` and `scan`, which reads
    # some bodies only, would judge the message apart.
    try:
        msg = _FULL.parsebytes(mime + b"\n" + body)
        parts = _content_types(msg)[1:]
        content_types = (*message.content_types[:1], *parts)
        return replace(message, content_types=content_types, text=_text(msg, body))
    except BODY_ERRORS:
        # The one place a body degrades: the message keeps its headers (a reply still counts as
        # one) and reads as empty; a scan's second pass and `check` degrade it alike.
        return replace(message, text="")


# The decoding family: what a codec looked up by a foreign name raises (charsets.DECODING_ERRORS:
# LookupError, ValueError and its UnicodeError, binascii.Error), and RecursionError, which the
# stdlib's recursive parsers raise on input nested past the stack (email._parseaddr on comments,
# email.feedparser on multiparts or message/rfc822 ~1,000 deep).
READ_ERRORS = (*DECODING_ERRORS, RecursionError)
# A body adds TypeError: `charset*=a; charset*0*=b` makes email.utils.decode_params sort None
# against 0. (An RFC 2231 `boundary*=` in a codec that fails raises inside the feedparser, from
# email.utils.collapse_rfc2231_value.)
BODY_ERRORS = (*READ_ERRORS, TypeError)


# Google Takeout's mbox names Gmail's system labels in words (X-Gmail-Labels: Sent,Opened);
# the Gmail API's ids are what the rest of MAX reads (SENT, DRAFT, INBOX...).
TAKEOUT_LABELS = {
    "sent": "SENT",
    "inbox": "INBOX",
    "draft": "DRAFT",
    "drafts": "DRAFT",
    "important": "IMPORTANT",
    "unread": "UNREAD",
    "starred": "STARRED",
    "spam": "SPAM",
    "trash": "TRASH",
    "chat": "CHAT",
}


def takeout_labels(value: str) -> frozenset[str]:
    # A label with a comma in it is quoted, CSV style: "Clients, 2026". A bare CR (a header
    # folded the old Mac way) would make the csv module refuse the line.
    if not value:
        return frozenset()
    line = value.replace("\r", " ").replace("\n", " ") if "\r" in value or "\n" in value else value
    labels = (label.strip() for label in next(csv.reader([line], skipinitialspace=True), []))
    return frozenset(
        TAKEOUT_LABELS.get(label.lower())
        or (label.upper().replace(" ", "_") if label.lower().startswith("category ") else label)
        for label in labels
        if label
    )


def takeout_thread_id(value: str) -> str | None:
    """X-GM-THRID is Gmail's thread id in decimal; the API and the page show it in hex."""
    value = value.strip()
    # A 64-bit number: at most 20 ASCII digits (str.isdigit() also says yes to "²", and int()
    # refuses a string of more than 4,300 digits).
    is_number = value.isascii() and value.isdigit() and len(value) <= 20
    return format(int(value), "x") if is_number else None


def _header_section(raw: bytes) -> tuple[list[tuple[str, str]], bytes, int]:
    """The header pairs, the raw lines of the MIME headers, and where the body starts.

    Read as the stdlib's compat32 feedparser reads them (same header-line rule, same stop at the
    first non-header line) but without pushing the body through it: a headers-only scan pass is
    ~3x cheaper this way."""
    pairs: list[tuple[bytes, bytes]] = []
    folds: dict[int, list[bytes]] = {}  # a folded header's next lines, joined once at the end
    mime: list[bytes] = []
    pos = raw.find(b"\n") + 1 if raw.startswith(b"From ") else 0  # a saved mbox From_ line
    while pos < len(raw):
        end = raw.find(b"\n", pos) + 1 or len(raw)
        line = raw[pos:end]
        if line in (b"\n", b"\r\n"):
            pos = end  # the blank line that ends the header section (RFC 5322 section 2.1)
            break
        if line[:1] in (b" ", b"\t"):
            if pairs:  # RFC 5322 section 2.2.3: a folded line continues the previous header
                folds.setdefault(len(pairs) - 1, []).append(line.strip())
                if pairs[-1][0].lower() in MIME_HEADERS:
                    mime.append(line)
        elif (match := _HEADER_LINE.match(line)) is None:
            break
        elif match[1]:  # ":value" with no name: the stdlib drops it and reads on
            pairs.append((match[1], line[match.end() :].rstrip(b"\r\n")))
            if match[1].lower() in MIME_HEADERS:
                mime.append(line)
        pos = end
    for i, more in folds.items():  # each fold one space; a blank continuation adds nothing
        name, first = pairs[i]
        pairs[i] = (name, b" ".join(line for line in (first.rstrip(), *more) if line))
    decoded = [(n.decode("ascii").lower(), _bytes_text(v.strip())[:HEADER_LIMIT]) for n, v in pairs]
    return decoded, b"".join(mime), pos


# What the stdlib parser needs to read a body: with only these, it skips the Received chain.
MIME_HEADERS = frozenset({b"content-type", b"content-transfer-encoding", b"content-disposition"})


def _bytes_text(data: bytes) -> str:
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _top_type(value: str | None) -> str:
    return " ".join(value.split()).lower() if value else "text/plain"


def decode_header_value(value: str) -> str:
    """RFC 2047 encoded words decoded; an unknown, lying or hostile charset never raises."""
    if "=?" not in value:
        return value
    try:
        parts = decode_header(value)
    except HeaderParseError:  # a B word that is not base64: keep the text as it came
        return value
    return "".join(d if isinstance(d, str) else decode(d, charset) for d, charset in parts)


def _addresses(*values: str) -> tuple[Address, ...]:
    return tuple(a for v in values if v for a in _address_list(v))


@lru_cache(maxsize=8192)  # the same From/To values recur all over a mailbox
def _address_list(value: str) -> tuple[Address, ...]:
    try:
        pairs = getaddresses([value])
    except RecursionError:  # comments nested past the stack: "((((..." (email._parseaddr)
        pairs = getaddresses([value.translate(_NO_PARENS)])
    return tuple(
        Address(email.strip().lower(), decode_header_value(name).strip())
        for name, email in pairs
        if email or name
    )


_NO_PARENS = str.maketrans("", "", "()")


def parse_date(value: str | None) -> datetime | None:
    """An aware datetime (the sender's offset kept), or None for a missing or garbage Date."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    # RFC 5322 section 3.3: "-0000" means the offset is unknown; the instant is still UTC.
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return parsed if is_mail_era(parsed) else None


def is_mail_era(moment: datetime) -> bool:
    """Whether `moment` can be a mail's date (its year in MAIL_YEARS); any other is garbage."""
    return moment.year in MAIL_YEARS


def parse_ids(value: str) -> tuple[str, ...]:
    """`<id>` tokens of In-Reply-To/References; tolerates commas (Exchange, iOS) and bare ids."""
    found = _ANGLE_ID.findall(value)
    if found:
        return tuple(found)
    return tuple(f"<{t}>" for t in re.split(r"[\s,]+", value.strip("<> ")) if "@" in t)


def _message_id(value: str, raw_headers: list[tuple[str, str]]) -> str:
    ids = parse_ids(value)
    if ids:
        return ids[0]
    if value.strip():
        return f"<{value.strip().strip('<>')}>"
    # No Message-ID: a stable id from the headers, so a re-read finds the same message.
    digest = hashlib.sha1(repr(raw_headers).encode("utf-8", "surrogateescape")).hexdigest()
    return f"<{digest}@max.invalid>"


def _content_types(msg: EmailMessage) -> tuple[str, ...]:
    types = []
    for part in _mime_tree(msg):
        value = part.get("content-type")
        full = _FOLD.sub(" ", value).strip() if isinstance(value, str) else ""
        types.append((full or part.get_content_type()).lower())
    return tuple(types)


def _mime_tree(msg: EmailMessage) -> Iterator[EmailMessage]:
    """Every MIME part, top first; a message/* part is listed but not entered: the headers of
    an attached original or the fields of a delivery-status are not parts of this message."""
    yield msg
    # Only containers hold a list; test that first, get_content_maintype() scans the headers.
    # (Not get_payload(): on a leaf with 8-bit bytes it decodes them in the part's charset.)
    if msg.is_multipart() and msg.get_content_maintype() == "multipart":
        for part in msg.get_payload():
            if isinstance(part, EmailMessage):
                yield from _mime_tree(part)


def _text(msg: EmailMessage, body: bytes) -> str:
    """The visible text: first inline text/plain part, else the first HTML part made text."""
    fallback: EmailMessage | None = None  # HTML, or text/enriched (RFC 1896): tags to drop
    for part in _leaf_parts(msg, body):
        if _is_attachment(part):
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain":
            return _payload_text(part)
        if ctype in ("text/html", "text/enriched") and fallback is None:
            fallback = part
    return html_to_text(_payload_text(fallback)) if fallback is not None else ""


def _leaf_parts(msg: EmailMessage, body: bytes) -> list[EmailMessage]:
    if msg.get_content_maintype() == "multipart" and not msg.is_multipart():
        return _split_by_boundary(msg, body)
    return [part for part in msg.walk() if not part.is_multipart()]


def _split_by_boundary(msg: EmailMessage, body: bytes) -> list[EmailMessage]:
    """Parts of a multipart body (`msg`, parsed from `body`) the stdlib could not split (an
    illegal boundary such as `<<001-3e1dcd5a-119e>>`, which RFC 2046's bchars forbid but
    2003-era Exchange wrote)."""
    # get_boundary() would strip the angle brackets (email.utils.unquote): take the raw parameter.
    # The body's own bytes, not get_payload(), which would decode 8-bit ones in the charset.
    boundary = msg.get_param("boundary", unquote=False)
    if not isinstance(boundary, str):
        return [msg]
    delimiter = re.escape(boundary.strip().strip('"').encode("utf-8", "surrogateescape"))
    chunks = re.split(rb"(?m)^--" + delimiter + rb"(?:--)?[ \t]*\r?$", body)
    raws = [c.lstrip(b"\r\n") for c in chunks[1:-1]]
    return [_FULL.parsebytes(raw) for raw in raws if raw.strip()]


def _is_attachment(part: EmailMessage) -> bool:
    disposition = part.get("content-disposition")
    return isinstance(disposition, str) and disposition.strip().lower().startswith("attachment")


def _payload_text(part: EmailMessage) -> str:
    # compat32 decodes base64, quoted-printable and uuencode leniently: bytes, or None for a
    # container. Its get_content_charset() would raise on an RFC 2231 `charset*=` naming a codec
    # with a NUL; the parameter is read here and its value goes to charsets.decode.
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    return decode(data, _charset(part)).replace("\r\n", "\n")


def _charset(part: EmailMessage) -> str | None:
    value = part.get_param("charset")
    if isinstance(value, tuple):  # RFC 2231 `charset*=us-ascii'en'utf-8`: the value is the name
        value = value[2]
    return value if isinstance(value, str) else None
