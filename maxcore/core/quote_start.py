"""Where `quotequail.unwrap` would say a reply's quote starts, at a fifth of its cost.

Pure text in, a line number out; never raises. quotequail (`_internal.find_unwrap_start`) walks the
lines and, on each one, tries each of its 45 reply and forward patterns against the line and the
line joined with the next (`MAX_WRAP_LINES`): ~90 regex calls a line, in Python loops. The first
line where one matches, or where `MIN_QUOTED_LINES` ">" lines start, or where `MIN_HEADER_LINES`
quoted headers start, is the cut, and `text_top` is every line above it. Only that first answer
matters to `quotes.strip_quotes`, so here the 45 patterns are one alternation (a regex matches at
the start iff one of its alternatives does) and the rest is quotequail's own rule, read from its
pattern table so both stay in step. `tests/maxcore/test_quotes.py` checks the answer equals
`quotequail.unwrap`'s on every text of the corpora.
"""

from __future__ import annotations

import re

from quotequail import _internal, _patterns

# One regex for all of quotequail's reply/forward patterns: they are plain (no flags but the
# default, no backreference), so joining them as alternatives keeps each one's meaning.
_ANY_PATTERN = re.compile("|".join(f"(?:{p.pattern})" for p in _patterns.COMPILED_PATTERNS))
_WRAP: int = _patterns.MAX_WRAP_LINES
_MIN_QUOTED: int = _patterns.MIN_QUOTED_LINES
_MIN_HEADERS: int = _patterns.MIN_HEADER_LINES


def text_top(text: str) -> str | None:
    """`quotequail.unwrap(text)["text_top"]` ("" when it has none), or None when unwrap finds
    nothing to unwrap."""
    lines = text.split("\n")
    start = unwrap_start(lines)
    return None if start is None else "\n".join(lines[:start]).strip()


def unwrap_start(lines: list[str]) -> int | None:
    """The first line of `_internal.find_unwrap_start(lines, ...)`'s answer, or None."""
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        if _opens_pattern(lines, n) or _opens_quote(lines, n, line) or _opens_headers(lines, n):
            return n
    return None


def _opens_pattern(lines: list[str], n: int) -> bool:
    """`_internal.find_pattern_on_line(...) is not None`, all patterns at once."""
    for m in range(_WRAP):
        joined = _internal.join_wrapped_lines(lines[n : n + 1 + m])
        if joined.startswith(">"):
            joined = joined[1:].strip()
        if not joined:
            return False  # a blank line after ">": quotequail stops trying this line
        if _ANY_PATTERN.match(joined.strip()):
            return True
    return False


def _opens_quote(lines: list[str], n: int, line: str) -> bool:
    """`_MIN_QUOTED` ">" lines from line n on, blank lines between them aside."""
    if not line.startswith(">"):
        return False
    quoted = 1
    for peek in lines[n + 1 :]:
        if quoted >= _MIN_QUOTED:
            break
        if not peek.strip():
            continue
        if not peek.startswith(">"):
            return False
        quoted += 1
    return quoted >= _MIN_QUOTED


def _opens_headers(lines: list[str], n: int) -> bool:
    if not _patterns.HEADER_RE.match(lines[n]):
        return False
    headers: dict[str, str] = _internal.extract_headers(lines[n:], _WRAP)[0]
    return len(headers) >= _MIN_HEADERS
