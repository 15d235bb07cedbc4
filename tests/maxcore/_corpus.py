"""The real mail of ../shared/data/mail, for tests that check a fast path gives what the slow one
gives on every message MAX has: each .eml file and each message of each mbox (gzip included)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from maxcore.adapters.mbox import iter_mbox

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mail"
TRIMMER = DATA / "email_reply_trimmer_corpus" / "test"


def _is_mbox(path: Path) -> bool:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        return f.read(5) == b"From "


def _raws() -> Iterator[bytes]:
    for path in sorted(p for p in DATA.rglob("*") if p.is_file()):
        if path.suffix == ".eml":
            yield path.read_bytes()
        elif path.suffix in (".mbox", ".gz", "") and _is_mbox(path):
            yield from (raw for _, raw in iter_mbox(path))


@cache
def raw_messages() -> tuple[bytes, ...]:
    """Every real message as bytes (about 3,100)."""
    return tuple(_raws())


@cache
def reply_texts() -> tuple[str, ...]:
    """email_reply_trimmer's test bodies: replies in 17 languages, quotes and signatures in."""
    return tuple(p.read_text() for p in sorted(TRIMMER.rglob("*.txt")))
