"""Split an mbox file into raw messages, streaming: the file is read in chunks, never whole.

Reads; never decides. A message starts at a line beginning with `From ` that opens the file or
follows a blank line (the From_ line of RFC 4155 appendix A), which is not part of the message.
Body lines escaped as `>From `, `>>From `... lose one `>`, as mboxrd does (Google Takeout writes
mboxrd). A gzip file (magic bytes 1f 8b) is read through gzip transparently; its offsets are
offsets in the uncompressed stream; a gzip file damaged or cut short is one `bad_mbox` error.
"""

from __future__ import annotations

import gzip
import re
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..core.errors import MaxcoreError

CHUNK = 1 << 20
FIRST_CHUNK = 1 << 14
GZIP_MAGIC = b"\x1f\x8b"
# What reading a damaged gzip stream raises: gzip.BadGzipFile (an OSError) for a bad header or CRC,
# EOFError when it is cut short, zlib.error for a corrupt deflate block.
GZIP_ERRORS = (OSError, EOFError, zlib.error)
# A blank line, then a From_ line: the next message starts at group 1.
_SEPARATOR = re.compile(rb"\n\r?\n(From )")
_ESCAPED_FROM = re.compile(rb"(?m)^>(>*From )")


def is_gzip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(2) == GZIP_MAGIC


def open_mbox(path: Path) -> BinaryIO:
    """The mbox's uncompressed byte stream, gzip or not."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def looks_like_mbox(head: bytes) -> bool:
    return head.startswith(b"From ")


def iter_mbox(path: Path | str) -> Iterator[tuple[int, bytes]]:
    """(offset of its From_ line, raw message) for every message of the mbox, in file order."""
    with open_mbox(Path(path)) as f:
        try:
            yield from _split(f, 0)
        except GZIP_ERRORS as err:
            raise MaxcoreError("bad_mbox", f"{path}: cannot be read ({_reason(err)})") from err


def read_at(path: Path | str, offset: int) -> bytes:
    """The raw message whose From_ line starts at `offset` (as yielded by `iter_mbox`)."""
    with open_mbox(Path(path)) as f:
        return read_from(f, offset)


def read_many(path: Path | str, offsets: Iterable[int]) -> Iterator[tuple[int, bytes]]:
    """Re-read several messages with one open file, in offset order (gzip seeks only forward)."""
    with open_mbox(Path(path)) as f:
        for offset in sorted(set(offsets)):
            yield offset, read_from(f, offset)


def read_from(f: BinaryIO, offset: int) -> bytes:
    """The raw message at `offset` in an open mbox stream (see `open_mbox`)."""
    f.seek(offset)
    for _, raw in _split(f, offset, stop_after_one=True):
        return raw
    raise MaxcoreError("bad_mbox", f"no message at offset {offset}", field="offset")


def _split(f: BinaryIO, base: int, *, stop_after_one: bool = False) -> Iterator[tuple[int, bytes]]:
    # One message is usually a few kB: start small when reading one, double up to CHUNK.
    size = FIRST_CHUNK if stop_after_one else CHUNK
    buf = f.read(size)
    if not buf:
        return
    if not looks_like_mbox(buf):
        raise MaxcoreError("bad_mbox", "not an mbox: it does not start with a 'From ' line")
    start, search = 0, 0  # start: current message's From_ line in buf; search: resume point
    while True:
        match = _SEPARATOR.search(buf, max(search, start + 1))
        if match:
            end = match.start(1)
            yield base + start, _message(buf[start:end])
            if stop_after_one:
                return
            start = search = end
            continue
        size = min(size * 2, CHUNK)
        chunk = f.read(size)
        if not chunk:
            if start < len(buf):
                yield base + start, _message(buf[start:])
            return
        base += start  # drop what was already yielded, keep the unfinished message
        buf = buf[start:] + chunk
        search = max(0, len(buf) - len(chunk) - 4)  # a separator may straddle the seam
        start = 0


def _message(block: bytes) -> bytes:
    """A block from its From_ line to just before the next one, as the message's raw bytes."""
    newline = block.find(b"\n")
    raw = block[newline + 1 :] if newline >= 0 else b""
    if raw.endswith(b"\r\n\r\n"):
        raw = raw[:-2]
    elif raw.endswith(b"\n\n"):
        raw = raw[:-1]  # the blank line before the next From_ belongs to the separator
    if b">From " in raw:
        raw = _ESCAPED_FROM.sub(rb"\1", raw)
    return raw


@contextmanager
def seekable_mbox(path: Path) -> Iterator[Path]:
    """The mbox itself, or for a gzip mbox an inflated temporary copy (deleted afterwards)."""
    if not path.is_file():
        raise MaxcoreError("not_found", f"{path}: no such mailbox file", field="mbox")
    if not is_gzip(path):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="maxcore-scan-") as tmp:
        plain = Path(tmp) / "mbox"
        try:
            with gzip.open(path, "rb") as src, plain.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except GZIP_ERRORS as err:
            raise MaxcoreError("bad_mbox", f"{path}: a damaged gzip file ({_reason(err)})") from err
        yield plain


def _reason(err: BaseException) -> str:
    return getattr(err, "strerror", None) or str(err) or type(err).__name__
