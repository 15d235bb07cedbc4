"""What "a valid Thread" means for the hostile tests: the values the core is promised.

The core takes model values and does not raise; the readers promise it these: a non-empty tuple of
`Message`, every string writable as UTF-8 (no lone surrogate: stdout, SQLite and HTTP bodies refuse
one), every date aware and inside the mail era, and a report that serialises as the JSON of
ARCHITECTURE.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from maxcore.app import service
from maxcore.app.contract import encode
from maxcore.core.model import Address, Message, Team, Thread

TEAM = Team.of(["claire.martin@optiplan.fr", "claire.martin@acme-saas.fr"], ["optiplan.fr"])
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
LEVELS = {"ok", "watch", "trap"}
MAIL_YEARS = range(1970, 2200)  # adapters/mail.py: no mail before, overflow near 9999


def assert_utf8(*texts: str | None) -> None:
    for text in texts:
        if text is not None:
            text.encode("utf-8")  # raises UnicodeEncodeError on a lone surrogate


def _strings(message: Message) -> Iterable[str | None]:
    yield from (message.id, message.subject, message.text, message.in_reply_to, message.thread_id)
    for address in (message.sender, *message.to, *message.cc):
        assert isinstance(address, Address)
        yield from (address.email, address.name)
    for name, values in message.headers.items():
        yield name
        yield from values
    yield from message.content_types
    yield from message.labels
    yield from message.references


def assert_valid_message(message: Message) -> None:
    assert isinstance(message, Message)
    assert_utf8(*_strings(message))
    if message.date is not None:
        assert message.date.tzinfo is not None
        assert message.date.year in MAIL_YEARS


def assert_valid_thread(thread: Thread) -> dict[str, Any]:
    """Checks `thread`, analyses it, and returns its report as the JSON dict."""
    assert isinstance(thread, Thread)
    assert isinstance(thread.messages, tuple) and thread.messages
    assert_utf8(thread.thread_id, thread.subject)
    for message in thread.messages:
        assert_valid_message(message)
    report: dict[str, Any] = json.loads(encode(service.analyze(thread, TEAM, NOW)))
    assert report["level"] in LEVELS
    return report
