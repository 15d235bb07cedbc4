"""Read the thread the extension saw on Gmail's page (JSON) into a `Thread`.

Parses and validates; never decides. Validation is strict because the backend turns our
`MaxcoreError("bad_thread", field="thread.messages[2].from.email")` straight into its 4xx JSON
error: every wrong type or missing field is named exactly. Limits: at most MAX_MESSAGES messages,
text cut to MAX_TEXT characters. Dates are ISO 8601 or the text Gmail displays, French or English
("10:12", "3 nov.", "Nov 3, 2026, 10:12 AM", "lun. 3 nov. 2026, 10:12"), read against `now`; a
date outside the mail era (the year 9999) is no date. A lone surrogate in a string (JSON's
`\ud800`, a snippet cut inside an emoji) becomes U+FFFD. A decoding error nobody foresaw is
`MaxcoreError("unreadable_message")` naming the message (`_message`, the one net).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..core.errors import MaxcoreError
from ..core.model import Address, Message, Thread
from .charsets import without_surrogates
from .displayed_date import parse_displayed_date
from .json_shape import as_dict, as_list
from .mail import READ_ERRORS, is_mail_era

CODE = "bad_thread"
MAX_MESSAGES = 500
MAX_TEXT = 20_000


def thread_from_page(obj: object, *, now: datetime) -> Thread:
    thread = _dict(obj, "thread")
    thread_id = _text(thread, "thread_id", "thread", required=True)
    subject = _text(thread, "subject", "thread")
    complete = thread.get("complete", True)
    if not isinstance(complete, bool):
        raise MaxcoreError(CODE, "thread.complete must be true or false", field="thread.complete")
    items = _list(thread.get("messages"), "thread.messages")
    if not items:
        raise MaxcoreError(CODE, "thread.messages is empty", field="thread.messages")
    if len(items) > MAX_MESSAGES:
        raise MaxcoreError(
            CODE, f"thread.messages has more than {MAX_MESSAGES} messages", field="thread.messages"
        )
    messages = [
        _message(
            _dict(item, f"thread.messages[{i}]"), f"thread.messages[{i}]", subject, thread_id, now
        )
        for i, item in enumerate(items)
    ]
    ordered = sorted(messages, key=lambda m: m.date or now)
    return Thread(thread_id, subject, tuple(ordered), complete=complete)


def _message(
    item: dict[str, Any], path: str, subject: str, thread_id: str, now: datetime
) -> Message:
    try:
        return _read_message(item, path, subject, thread_id, now)
    except READ_ERRORS as err:
        raise MaxcoreError(
            "unreadable_message", f"{path} cannot be read ({type(err).__name__})", field=path
        ) from err


def _read_message(
    item: dict[str, Any], path: str, subject: str, thread_id: str, now: datetime
) -> Message:
    date_text = _text(item, "date", path, required=True)
    date = parse_displayed_date(date_text, now)
    if date is None or not is_mail_era(date):
        raise MaxcoreError(
            CODE, f"{path}.date is not a date: {date_text[:40]!r}", field=f"{path}.date"
        )
    labels = _list(item.get("labels", []), f"{path}.labels")
    for i, label in enumerate(labels):
        if not isinstance(label, str):
            raise MaxcoreError(
                CODE, f"{path}.labels[{i}] must be a string", field=f"{path}.labels[{i}]"
            )
    return Message(
        id=_text(item, "id", path, required=True),
        subject=subject,
        sender=_address(item.get("from"), f"{path}.from"),
        to=_addresses(item.get("to", []), f"{path}.to"),
        cc=_addresses(item.get("cc", []), f"{path}.cc"),
        date=date,
        text=_text(item, "text", path)[:MAX_TEXT],
        labels=frozenset(without_surrogates(label) for label in labels),
        thread_id=thread_id,
    )


def _addresses(value: object, path: str) -> tuple[Address, ...]:
    return tuple(_address(a, f"{path}[{i}]") for i, a in enumerate(_list(value, path)))


def _address(value: object, path: str) -> Address:
    entry = _dict(value, path)
    email = _text(entry, "email", path, required=True).strip().lower()
    if "@" not in email or any(c.isspace() for c in email):
        raise MaxcoreError(CODE, f"{path}.email is not an email address", field=f"{path}.email")
    return Address(email, _text(entry, "name", path).strip())


def _text(item: dict[str, Any], key: str, path: str, *, required: bool = False) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise MaxcoreError(CODE, f"{path}.{key} must be a string", field=f"{path}.{key}")
    if required and not value.strip():
        raise MaxcoreError(CODE, f"{path}.{key} is empty", field=f"{path}.{key}")
    return without_surrogates(value)


def _dict(value: object, path: str) -> dict[str, Any]:
    return as_dict(value, path, CODE)


def _list(value: object, path: str) -> list[Any]:
    return as_list(value, path, CODE)
