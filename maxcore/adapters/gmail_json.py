"""Read a Gmail API response (users.threads.get, users.messages.get) into a `Thread`.

Parses; never decides. Accepted shapes: a thread (`{"id", "messages": [...]}`, format=full or
format=metadata), one message (format=full, metadata or raw), or a bare `{"messages": [...]}`.
Headers come from `payload.headers` and go through the same RFC 5322 reading as a .eml file;
bodies are base64url `body.data` in nested `parts`. The instant is `internalDate` (epoch ms,
"more reliable than the Date header" per the API reference), shown in the sender's own UTC
offset when the Date header has one: timing needs the prospect's clock. A wrong shape raises
`MaxcoreError("bad_gmail_json")` whose `field` is a path like `messages[3].payload.headers`;
so do parts nested deeper than MAX_PART_DEPTH and a date outside the mail era. What a message
says about its own text degrades instead: a charset no codec reads (charsets.decode_lenient), a
header name no RFC 5322 reader takes (dropped), a lone surrogate in a string (U+FFFD). A decoding
error nobody foresaw is `MaxcoreError("unreadable_message")` naming the message (the one net, in
`message_from_gmail`; the fuzz suite fails on it).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from ..core.errors import MaxcoreError
from ..core.grouping import strip_prefixes
from ..core.model import Message, Thread
from .charsets import decode_lenient, without_surrogates
from .html_text import html_to_text
from .json_shape import as_dict, as_list, as_str
from .mail import READ_ERRORS, decode_header_value, is_mail_era, parse_date, parse_message

CODE = "bad_gmail_json"
# Gmail's thread and message ids: a 64-bit number in lower-case hex ("18f0000000000000"), the
# id family of the API's threadId and of the page's data-legacy-thread-id (gmail-page.md).
GMAIL_ID_PATTERN = "^[0-9a-f]{1,16}$"
# Real Gmail MIME trees are a few levels deep (multipart/mixed > alternative > related); the
# walk is iterative, the limit only keeps an absurd tree from costing a path string per level.
MAX_PART_DEPTH = 64
# RFC 5322 section 3.6.8: a field name is printable US-ASCII but ":".
_FIELD_NAME = re.compile(r"[\x21-\x39\x3b-\x7e]+")


def is_gmail_json(obj: object) -> bool:
    """Whether `obj` is one of the accepted shapes rather than the extension's page reading: the
    API's messages carry a MIME `payload` (or `raw`); the page reading's carry neither."""
    if not isinstance(obj, dict):
        return False
    if "payload" in obj or "raw" in obj:
        return "id" in obj
    messages = obj.get("messages")
    return (
        isinstance(messages, list)
        and bool(messages)
        and isinstance(messages[0], dict)
        and ("payload" in messages[0] or "raw" in messages[0])
    )


def thread_from_gmail(obj: object) -> Thread:
    if not isinstance(obj, dict):
        raise MaxcoreError(CODE, "Gmail JSON must be an object", field="$")
    if "messages" in obj:
        items = _list(obj["messages"], "messages")
        paths = [f"messages[{i}]" for i in range(len(items))]
    elif "payload" in obj or "raw" in obj:
        items, paths = [obj], ["$"]
    else:
        raise MaxcoreError(CODE, "Gmail JSON has neither messages nor payload", field="messages")
    if not items:
        raise MaxcoreError(CODE, "Gmail thread has no messages", field="messages")
    messages = [message_from_gmail(item, path) for item, path in zip(items, paths, strict=True)]
    thread_id = obj.get("id") if "messages" in obj else None
    if isinstance(thread_id, str) and thread_id:
        thread_id = without_surrogates(thread_id)
    else:
        thread_id = messages[0].thread_id
    ordered = sorted(messages, key=lambda m: m.date or datetime.min.replace(tzinfo=UTC))
    subject = next((m.subject for m in ordered if m.subject), "")
    return Thread(thread_id or ordered[0].id, strip_prefixes(subject), tuple(ordered))


def message_from_gmail(obj: object, path: str = "$") -> Message:
    try:
        return _message(obj, path)
    except READ_ERRORS as err:
        raise MaxcoreError(
            "unreadable_message", f"{path} cannot be read ({type(err).__name__})", field=path
        ) from err


def _message(obj: object, path: str) -> Message:
    item = _dict(obj, path)
    gmail_id = _str(item.get("id"), f"{path}.id")
    thread_id = item.get("threadId")
    if thread_id is not None:
        thread_id = _str(thread_id, f"{path}.threadId")
    labels = [
        _str(label, f"{path}.labelIds[{i}]")
        for i, label in enumerate(_list(item.get("labelIds", []), f"{path}.labelIds"))
    ]
    if "raw" in item:
        try:
            message = parse_message(_b64(item["raw"], f"{path}.raw"))
        except MaxcoreError as err:
            raise MaxcoreError(CODE, f"{path}.raw: {err.message}", field=f"{path}.raw") from err
    else:
        message = _from_payload(_dict(item.get("payload"), f"{path}.payload"), f"{path}.payload")
    return replace(
        message,
        id=message.id if message.header("message-id") else gmail_id,
        labels=frozenset(labels),
        thread_id=thread_id,
        date=_date(item.get("internalDate"), message, f"{path}.internalDate"),
    )


def _from_payload(payload: dict[str, Any], path: str) -> Message:
    # A name that is no field name would end the header block there, as in a .eml: drop it.
    headers = [(n, v) for n, v in _headers(payload, path) if _FIELD_NAME.fullmatch(n)]
    block = "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
    try:
        message = parse_message(block.encode("utf-8"), with_body=False)
    except MaxcoreError as err:
        raise MaxcoreError(CODE, f"{path}.headers: {err.message}", field=f"{path}.headers") from err
    parts = list(_walk(payload, path))
    content_types = tuple(_content_type(p, pp) for p, pp in parts)
    return replace(message, content_types=content_types, text=_text(parts))


def _walk(part: dict[str, Any], path: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every part, depth first, the payload first (an explicit stack: JSON nested as deep as
    the JSON parser allows would overflow Python's)."""
    stack = [(part, path, 0)]
    while stack:
        part, path, depth = stack.pop()
        yield part, path
        children = _list(part.get("parts", []), f"{path}.parts")
        if children and depth >= MAX_PART_DEPTH:
            raise MaxcoreError(
                CODE, f"{path}.parts: nested deeper than {MAX_PART_DEPTH}", field=f"{path}.parts"
            )
        for i in reversed(range(len(children))):
            child = f"{path}.parts[{i}]"
            stack.append((_dict(children[i], child), child, depth + 1))


def _headers(part: dict[str, Any], path: str) -> list[tuple[str, str]]:
    pairs = []
    for i, header in enumerate(_list(part.get("headers", []), f"{path}.headers")):
        entry = _dict(header, f"{path}.headers[{i}]")
        name = _str(entry.get("name"), f"{path}.headers[{i}].name")
        value = _str(entry.get("value"), f"{path}.headers[{i}].value")
        pairs.append((name, value.replace("\r", " ").replace("\n", " ")))
    return pairs


def _content_type(part: dict[str, Any], path: str) -> str:
    for name, value in _headers(part, path):
        if name.lower() == "content-type":
            return " ".join(value.split()).lower()
    mime = part.get("mimeType", "")
    return mime.lower() if isinstance(mime, str) else ""


def _text(parts: list[tuple[dict[str, Any], str]]) -> str | None:
    """First inline text/plain body, else the first HTML one; None when no body was sent."""
    found: dict[str, str] = {}
    seen_data = False
    for part, path in parts:
        body = part.get("body")
        data = body.get("data") if isinstance(body, dict) else None
        if data is None or part.get("filename"):
            continue
        seen_data = True
        mime = part.get("mimeType", "")
        if mime in ("text/plain", "text/html") and mime not in found:
            found[mime] = _decode(_b64(data, f"{path}.body.data"), _content_type(part, path))
    if "text/plain" in found:
        return found["text/plain"]
    if "text/html" in found:
        return html_to_text(found["text/html"])
    return "" if seen_data else None  # format=metadata: headers only, like a scan's first pass


def _decode(data: bytes, content_type: str) -> str:
    charset = "utf-8"
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip() == "charset":
            charset = value.strip().strip('"') or charset
    return decode_lenient(data, charset).replace("\r\n", "\n")


def _date(value: object, message: Message, path: str) -> datetime | None:
    if value is None:
        return message.date
    try:
        instant = datetime.fromtimestamp(int(str(value)) / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError) as err:
        raise MaxcoreError(CODE, f"{path} must be epoch milliseconds", field=path) from err
    if not is_mail_era(instant):
        raise MaxcoreError(CODE, f"{path} is not a date a mail was sent", field=path)
    sent = parse_date(decode_header_value(message.header("date") or ""))
    return instant.astimezone(sent.tzinfo) if sent is not None else instant


def _b64(value: object, path: str) -> bytes:
    text = _str(value, path)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as err:
        raise MaxcoreError(CODE, f"{path} is not base64url", field=path) from err


def _dict(value: object, path: str) -> dict[str, Any]:
    return as_dict(value, path, CODE)


def _list(value: object, path: str) -> list[Any]:
    return as_list(value, path, CODE)


def _str(value: object, path: str) -> str:
    return as_str(value, path, CODE)
