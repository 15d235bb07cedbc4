"""Read the thread the extension saw on Gmail's page (JSON) into a `Thread`.

Parses and validates; never decides. The shape is `PageThread` below, the one definition the
contract's JSON Schema is generated from (app/contract.py); msgspec checks it and names the exact
place of a wrong or missing field, which the backend turns straight into its 4xx JSON error
(`field` = "thread.messages[2].from.email"). Limits: at most MAX_MESSAGES messages, text cut to
MAX_TEXT characters. Dates are ISO 8601 or the text Gmail displays, French or English ("10:12",
"3 nov.", "Nov 3, 2026, 10:12 AM", "lun. 3 nov. 2026, 10:12"), read against `now`; a date outside
the mail era (the year 9999) is no date. A lone surrogate in a string (JSON's `\ud800`, a snippet
cut inside an emoji) becomes U+FFFD. A decoding error nobody foresaw is
`MaxcoreError("unreadable_message")` naming the message (`_message`, the one net).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

import msgspec

from ..core.errors import MaxcoreError
from ..core.model import Address, Message, Thread
from .charsets import without_surrogates
from .displayed_date import parse_displayed_date
from .gmail_json import GMAIL_ID_PATTERN
from .mail import READ_ERRORS, is_mail_era

CODE = "bad_thread"
MAX_MESSAGES = 500
MAX_TEXT = 20_000
_NAME = Annotated[str, msgspec.Meta(max_length=300)]


class PageAddress(msgspec.Struct, frozen=True):
    email: Annotated[str, msgspec.Meta(min_length=3, max_length=320)]
    name: _NAME = ""


class PageMessage(msgspec.Struct, frozen=True):
    id: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    date: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=100,
            description="ISO 8601, or the date Gmail displays (`.g3[title]`), FR or EN",
        ),
    ]
    sender: PageAddress = msgspec.field(name="from")
    to: Annotated[tuple[PageAddress, ...], msgspec.Meta(max_length=500)] = ()
    cc: Annotated[tuple[PageAddress, ...], msgspec.Meta(max_length=500)] = ()
    text: Annotated[str, msgspec.Meta(description=f"visible text; cut to {MAX_TEXT} chars")] = ""
    labels: Annotated[tuple[_NAME, ...], msgspec.Meta(max_length=50)] = ()


class PageThread(msgspec.Struct, frozen=True):
    """The open thread as the extension read it from Gmail's page."""

    thread_id: Annotated[str, msgspec.Meta(pattern=GMAIL_ID_PATTERN)]
    messages: Annotated[
        tuple[PageMessage, ...], msgspec.Meta(min_length=1, max_length=MAX_MESSAGES)
    ]
    subject: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    complete: bool = True  # false when folded messages could not be read


def thread_from_page(obj: object, *, now: datetime) -> Thread:
    try:
        page = msgspec.convert(obj, PageThread)
    except msgspec.ValidationError as err:
        raise bad(err) from None
    messages = [
        _message(m, f"thread.messages[{i}]", page, now) for i, m in enumerate(page.messages)
    ]
    ordered = sorted(messages, key=lambda m: m.date or now)
    subject = without_surrogates(page.subject)
    return Thread(page.thread_id, subject, tuple(ordered), complete=page.complete)


_AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_NAMED = re.compile(r"^Object (?P<what>missing required|contains unknown) field `(?P<name>[^`]+)`")


def field_of(err: msgspec.ValidationError, root: str) -> tuple[str, str]:
    """(path, what) for msgspec's "Expected `str`, got `int` - at `$.messages[0].id`": the
    path under `root` ("thread.messages[0].id"), a missing field's name included."""
    message = str(err)
    found = _AT.search(message)
    what = message[: found.start()] if found else message
    path = root + (found.group("path") if found else "")
    named = _NAMED.match(what)
    if named:
        what = "missing" if named.group("what").startswith("missing") else "unknown field"
        path = f"{path}.{named.group('name')}"
    return path.lstrip("."), what


def bad(err: msgspec.ValidationError) -> MaxcoreError:
    path, what = field_of(err, "thread")
    return MaxcoreError(CODE, f"{path}: {what}", field=path)


def _message(item: PageMessage, path: str, page: PageThread, now: datetime) -> Message:
    try:
        return _read_message(item, path, page, now)
    except READ_ERRORS as err:
        raise MaxcoreError(
            "unreadable_message", f"{path} cannot be read ({type(err).__name__})", field=path
        ) from err


def _read_message(item: PageMessage, path: str, page: PageThread, now: datetime) -> Message:
    for key, value in (("id", item.id), ("date", item.date)):
        if not value.strip():
            raise MaxcoreError(CODE, f"{path}.{key} is empty", field=f"{path}.{key}")
    date = parse_displayed_date(item.date, now)
    if date is None or not is_mail_era(date):
        raise MaxcoreError(
            CODE, f"{path}.date is not a date: {item.date[:40]!r}", field=f"{path}.date"
        )
    return Message(
        id=without_surrogates(item.id),
        subject=without_surrogates(page.subject),
        sender=_address(item.sender, f"{path}.from"),
        to=tuple(_address(a, f"{path}.to[{i}]") for i, a in enumerate(item.to)),
        cc=tuple(_address(a, f"{path}.cc[{i}]") for i, a in enumerate(item.cc)),
        date=date,
        text=without_surrogates(item.text[:MAX_TEXT]),
        labels=frozenset(without_surrogates(label) for label in item.labels),
        thread_id=page.thread_id,
    )


def _address(entry: PageAddress, path: str) -> Address:
    email = without_surrogates(entry.email).strip().lower()
    if "@" not in email or any(c.isspace() for c in email):
        raise MaxcoreError(CODE, f"{path}.email is not an email address", field=f"{path}.email")
    return Address(email, without_surrogates(entry.name).strip())
