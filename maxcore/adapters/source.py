"""Read whatever PATH the CLI was given into threads: a .eml file, a folder of them, an mbox
(plain or gzip), or a Gmail API JSON response.

Reads and groups; never decides. The kind is told by content, not by name (an mbox starts with
`From `, JSON with `{`, gzip with 1f 8b), so a Takeout file called "Tous les messages.mbox" or a
saved "thread.txt" both work. Input that is wrong as a whole raises one clear `MaxcoreError`
(missing, empty, neither mail nor JSON, JSON of the wrong shape, a folder without mail); one
broken message inside a mailbox is skipped and counted by reason, never fatal.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..core.errors import MaxcoreError
from ..core.grouping import group_threads
from ..core.model import Message, Thread
from .gmail_json import is_gmail_json, thread_from_gmail
from .mail import iter_mbox, parse_message
from .mbox import GZIP_ERRORS, GZIP_MAGIC, is_gzip, looks_like_mbox
from .page_json import thread_from_page

# Why a message was skipped, from the field a `bad_message` error names.
SKIP_REASONS = {"headers": "no_headers", "raw": "unparseable"}


@dataclass(frozen=True)
class ReadResult:
    threads: list[Thread]
    messages: int  # messages read (a repeated Message-ID counts once in `threads`)
    skipped: int
    skipped_reasons: dict[str, int] = field(default_factory=dict)


def read_threads(path: Path) -> ReadResult:
    path = Path(path)
    if not path.exists():
        raise MaxcoreError("not_found", f"{path}: no such file or folder", field="path")
    if path.is_dir():
        return _from_messages(_read_folder(path), f"{path}: no .eml file in this folder")
    try:
        head = _head(path)
    except GZIP_ERRORS as err:
        reason = getattr(err, "strerror", None) or type(err).__name__
        raise MaxcoreError("unreadable", f"{path}: cannot be read ({reason})") from err
    if not head.strip():
        raise MaxcoreError("empty", f"{path}: the file is empty", field="path")
    if looks_like_mbox(head):
        return _from_messages(_read_mbox(path), f"{path}: no message in this mbox")
    if head.lstrip()[:1] in (b"{", b"["):
        return _read_json(path)
    try:
        message = parse_message(path.read_bytes())
    except MaxcoreError as err:
        raise MaxcoreError(
            "bad_input", f"{path}: neither a mail message, an mbox nor Gmail JSON", field="path"
        ) from err
    return ReadResult(group_threads([message]), messages=1, skipped=0)


def _head(path: Path) -> bytes:
    with path.open("rb") as f:
        head = f.read(4096)
    if head.startswith(GZIP_MAGIC):
        with gzip.open(path, "rb") as g:
            return g.read(4096)
    return head


def _read_mbox(path: Path) -> Iterable[Message | MaxcoreError]:
    for _, raw in iter_mbox(path):
        try:
            yield parse_message(raw)
        except MaxcoreError as err:
            yield err


def _read_folder(path: Path) -> Iterable[Message | MaxcoreError]:
    for file in sorted(p for p in path.rglob("*") if p.suffix.lower() == ".eml" and p.is_file()):
        try:
            yield parse_message(file.read_bytes())
        except (MaxcoreError, OSError) as err:
            yield err if isinstance(err, MaxcoreError) else MaxcoreError("unreadable", str(err))


def _from_messages(items: Iterable[Message | MaxcoreError], nothing: str) -> ReadResult:
    messages: list[Message] = []
    reasons: Counter[str] = Counter()
    for item in items:
        if isinstance(item, Message):
            messages.append(item)
        else:
            reasons[SKIP_REASONS.get(item.field or "", item.code)] += 1
    if not messages:
        detail = f" ({sum(reasons.values())} unreadable)" if reasons else ""
        raise MaxcoreError("no_mail", nothing + detail, field="path")
    return ReadResult(group_threads(messages), len(messages), sum(reasons.values()), dict(reasons))


def thread_from_json(obj: object, now: datetime) -> Thread:
    """A Gmail API thread or message, or the extension's page reading: told apart by shape."""
    if is_gmail_json(obj):
        return thread_from_gmail(obj)
    return thread_from_page(obj, now=now)


def _read_json(path: Path) -> ReadResult:
    try:
        with gzip.open(path, "rb") if is_gzip(path) else path.open("rb") as f:
            obj = json.load(f)
    except RecursionError as err:  # "[[[[..." nested past the stack
        raise MaxcoreError("bad_json", f"{path}: JSON nested too deep", field="path") from err
    except ValueError as err:  # UnicodeDecodeError is one
        raise MaxcoreError("bad_json", f"{path}: not valid JSON ({err})", field="path") from err
    except GZIP_ERRORS as err:
        raise MaxcoreError("unreadable", f"{path}: a damaged gzip file", field="path") from err
    items = obj if isinstance(obj, list) else [obj]
    if not items or not all(is_gmail_json(item) for item in items):
        raise MaxcoreError(
            "bad_gmail_json",
            f"{path}: JSON, but not a Gmail API thread or message (users.threads.get)",
            field="messages",
        )
    threads = [thread_from_gmail(item) for item in items]
    return ReadResult(threads, sum(len(t.messages) for t in threads), 0)
