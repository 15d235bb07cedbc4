"""Only what the sender just wrote: quoted history and signature cut off a reply's text.

Pure text in, text out; never raises. The steps follow mail-signals.md ("Quote stripping"): a
pre-step (French no-break spaces; Gmail's `Le lun. 3 févr. 2026 à 10:12, X <x@y> a écrit :`
wrapped over two or three lines, which no library recognises; an attribution glued to the
answer's last line), `quotequail.unwrap` for the answer above the quote, the attribution lines
and Outlook header blocks it misses (attribution.py, by language), then a walk through the rest:
a ">" quote is skipped but what the sender wrote under it (an interleaved answer, a signature
below the quote) is kept, and history that is not marked as quoted ends the new text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import quote_start
from .attribution import (
    ATTRIBUTION_START,
    DASHED_WROTE,
    FROM_LINE,
    GLUED_OPENER,
    GMAIL_DATE_LINE,
    HAS_DATE,
    HAS_TIME_OR_ADDRESS,
    HEADER_LINE,
    LOOSE_END,
    LOOSE_START,
    ORIGINAL_MESSAGE,
    ends_attribution,
    is_attribution,
    is_device_footer,
)

# French typography puts a no-break space (U+00A0) or a narrow one (U+202F) before ":" and inside
# dates; Gmail copies them into its attribution line.
# (As replacements: str.translate with a table looks each character up in Python, ~10x slower.)
_SPACES = (("\u00a0", " "), ("\u202f", " "), ("\u2007", " "), ("\r", ""))

# Closings that open a signature (FR + EN), and the RFC 3676 §4.3 signature separator "-- ".
_CLOSINGS = re.compile(
    r"^\s*(cordialement|bien cordialement|très cordialement|bien à (vous|toi)|belle journée"
    r"|bonne (journée|soirée|fin de journée|semaine|réception)|salutations|sincères salutations"
    r"|merci( (beaucoup|d'avance|par avance))?|à (bientôt|très vite)|amicalement|bises"
    r"|best( regards)?|kind regards|regards|warm regards|all the best|cheers|thanks"
    r"|thank you|many thanks|sincerely|best wishes)\s*[,.!]*\s*$",
    re.IGNORECASE,
)
_SIG_SEPARATOR = re.compile(r"^-- ?$")


# A closing line of only rules or dashes ("____", "-----", "—") carries no text.
_RULE_LINE = re.compile(r"^[\s\-_=*~#+—ᐧ]*$")
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
# Mailman's and ezmlm's list footers, Hotmail's and Yahoo's adverts open with a long rule.
_LONG_RULE = re.compile(r"^\s*[-_=*]{10,}\s*$")

QUOTE_LOOKAHEAD = 3  # quoted lines handed to quotequail after the first one
QUOTEQUAIL_MAX_LINES = 60
ATTRIBUTION_LINES = 3  # an attribution wrapped by a client spans at most this many lines


def prepare(text: str) -> str:
    """Normalise French spaces, put an attribution glued to the answer on a line of its own, and
    rejoin a wrapped attribution line so quotequail can see it."""
    for char, space in _SPACES:
        text = text.replace(char, space)
    lines = _unglue(text.split("\n"))
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        span = 0
        if ATTRIBUTION_START.match(line.strip()) and not ends_attribution(line):
            span = _wrapped_span(lines, i)
        out.append(" ".join(part.strip() for part in lines[i : i + span]) if span else line)
        i += span or 1
    return "\n".join(out)


def _wrapped_span(lines: list[str], i: int) -> int:
    """How many lines the attribution starting at line i was wrapped over (0: it is not one)."""
    for span in (2, 3):
        if i + span > len(lines):
            break
        # A line below that opens an attribution of its own: line i is an answer ("Le devis me
        # va." above "On Wed, … wrote:"), not the start of a wrapped attribution.
        if ATTRIBUTION_START.match(lines[i + span - 1].strip()):
            break
        if ends_attribution(" ".join(part.strip() for part in lines[i : i + span])):
            return span
    return 0


def _unglue(lines: list[str]) -> list[str]:
    """ "Sounds good On Wed, Apr 4, 2012 at 10:00 AM, X <x@y> wrote:" as two lines: the answer,
    then the attribution (Gmail and Yahoo's "--- On …" glue them when the answer has no newline).
    The attribution part must hold a date and a time or an address, so a sentence saying "on"
    and "wrote:" stays whole."""
    # Only the lines just above one that ends with ":" can start an attribution.
    near = {
        i
        for j, line in enumerate(lines)
        if line.rstrip().endswith(":")
        for i in range(max(j - ATTRIBUTION_LINES + 1, 0), j + 1)
    }
    if not near:
        return lines
    out: list[str] = []
    for i, line in enumerate(lines):
        if i not in near or not GLUED_OPENER.search(line):
            out.append(line)
            continue
        window = lines[i : i + ATTRIBUTION_LINES]
        for found in GLUED_OPENER.finditer(line):
            head, tail = line[: found.start()].rstrip(" -"), line[found.end() :]
            joined = " ".join([tail, *(part.strip() for part in window[1:])])
            if (
                head.strip()
                and HAS_DATE.search(tail)
                and HAS_TIME_OR_ADDRESS.search(joined)
                and any(
                    ends_attribution(" ".join([tail, *window[1:n]]))
                    for n in range(1, len(window) + 1)
                )
            ):
                out += [head, tail]
                break
        else:
            out.append(line)
    return out


def _cut_outlook_header(lines: list[str]) -> list[str]:
    """Cut at "-----Original Message-----" or at a From:/De: line followed by another header."""
    for i, line in enumerate(lines):
        if "--" in line and ORIGINAL_MESSAGE.match(line):  # both need these: a C test first
            return lines[:i]
        if (
            ":" in line
            and FROM_LINE.match(line)
            and i + 1 < len(lines)
            and HEADER_LINE.match(lines[i + 1])
        ):
            end = i - 1 if i > 0 and _UNDERSCORES.match(lines[i - 1]) else i
            return lines[:end]
    return lines


def _cut_attribution(lines: list[str]) -> list[str]:
    """Cut at an attribution that quotequail did not see (no ">" after it, wrapped further, or
    in a language or shape it does not know: attribution.py)."""
    ends = _ends_open(lines)
    for i, line in enumerate(lines):
        if GMAIL_DATE_LINE.match(line):
            return lines[:i]
        if i and _attribution_span(lines, i, ends):
            return lines[:i]
    return lines


def _drop_trailing_rules(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and _RULE_LINE.match(lines[end - 1]):
        end -= 1
    return lines[:end]


def _drop_trailing_quote(lines: list[str]) -> list[str]:
    """Drop a final block of ">" lines (blank lines inside it included)."""
    end = len(lines)
    while end and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith(">")):
        end -= 1
    if any(line.lstrip().startswith(">") for line in lines[end:]):
        return lines[:end]
    return lines


def _drop_trailing_attribution(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    if lines and (ends_attribution(lines[-1]) or is_attribution(lines[-1])):
        return lines[:-1]
    return lines


def _drop_trailing_footers(lines: list[str]) -> list[str]:
    while lines and (not lines[-1].strip() or is_device_footer(lines[-1])):
        lines = lines[:-1]  # "Envoyé de mon iPhone" is the device talking, not the sender
    return lines


def _cut(lines: list[str]) -> list[str]:
    """The cuts of the answer above the quote quotequail found."""
    lines = _cut_outlook_header(lines)
    lines = _cut_attribution(lines)
    lines = _drop_trailing_quote(lines)
    lines = _drop_trailing_attribution(lines)
    return _drop_trailing_footers(_drop_trailing_rules(lines))


# A verdict (signals) and the thread's reading (reading.py, which keeps it for every later rule)
# ask for the same reply one after the other: a short memory is enough, and stays small.
@lru_cache(maxsize=128)
def strip_quotes(text: str) -> str:
    """The new text of a reply: no quoted history, no attribution line; "" if nothing new.

    A person's words are never dropped with a quote: text under a ">" quote (an interleaved
    answer, a signature placed below the quote) is theirs too and is kept; only history that is
    not marked as quoted (below an Outlook header block or an unprefixed attribution) goes.
    """
    # Our Outlook-header cut runs first: quotequail takes a signature's "Portable : 06..." line
    # just above "De : ..." for one more header of the quoted block, and the number is lost.
    prepared = _cut_outlook_header(prepare(text).split("\n"))
    found = _quotequail_top(_through_first_quote("\n".join(prepared)))
    if found is None or not _has_text(_drop_trailing_attribution(found.split("\n"))):
        # No attribution quotequail knows, or bottom-posting: walk the whole text.
        return "\n".join(_walk(prepared)).strip()
    head = _cut(found.split("\n"))
    end = _end_of(head, prepared)
    below = _walk(prepared[end:]) if end is not None and _opens_quote(prepared[end:]) else []
    return "\n".join([*head, "", *below] if below else head).strip()


def _is_quoted(line: str) -> bool:
    """A ">" line, or Supercite's "JD>" (initials before the mark)."""
    start = line.lstrip()[:4]
    mark = start.find(">")
    return mark == 0 or (mark > 0 and start[:mark].isascii() and start[:mark].isalpha())


def _ends_open(lines: list[str]) -> list[bool]:
    """Per line: does it or one of the next five end as an attribution does (":" or "-")?
    Every attribution has such a line within its span, so any other line is passed over at the
    cost of one string test."""
    near = [False] * len(lines)
    countdown = 0
    for i in range(len(lines) - 1, -1, -1):
        countdown = 6 if lines[i].rstrip().endswith((":", "-")) else max(countdown - 1, 0)
        near[i] = countdown > 0
    return near


def _attribution_span(lines: list[str], i: int, ends: list[bool]) -> int:
    """How many lines from line i make an attribution, 0 when they do not (`ends`: `_ends_open`
    of `lines`). A wrapped one starts with its date, address or opener and stops before a line
    that opens an attribution of its own ("On my side it is fine." above "On Wed…"); it
    crosses no blank line, except the loose "On … <address> … wrote:" spread over up to six."""
    first = lines[i]
    if first.lstrip()[:1].isdigit() and GMAIL_DATE_LINE.match(first):
        return 1
    if not ends[i]:
        return 0
    if not (HAS_DATE.search(first) or "@" in first or LOOSE_START.search(first)):
        return 1 if DASHED_WROTE.match(first) else 0
    for n in range(1, ATTRIBUTION_LINES + 1):
        line = lines[i + n - 1] if i + n - 1 < len(lines) else ""
        if n > 1 and (not line.strip() or ATTRIBUTION_START.match(line.strip())):
            break
        # Every attribution ends its last line with ":" or "-": test only those spans.
        if line.rstrip().endswith((":", "-")) and is_attribution(
            " ".join(p.strip() for p in lines[i : i + n])
        ):
            return n
    if LOOSE_START.search(first):
        for n in range(2, 7):
            if i + n > len(lines) or ATTRIBUTION_START.match(lines[i + n - 1].strip()):
                break
            last = lines[i + n - 1].rstrip()
            if last.endswith((":", "-")) and LOOSE_END.search(
                " ".join(p.strip() for p in lines[i : i + n])
            ):
                return n
    return 0


def _next_text(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _opens_quote(lines: list[str]) -> bool:
    """True when the lines start (blank lines and an attribution aside) with a ">" quote: only
    then is what follows it the sender's; below an Outlook block, it is all history."""
    i = _next_text(lines, 0)
    if i < len(lines):
        i = _next_text(lines, i + _attribution_span(lines, i, _ends_open(lines)))
    return i < len(lines) and _is_quoted(lines[i])


def _walk(lines: list[str]) -> list[str]:
    """The sender's lines, in order: quoted lines and the attribution above a ">" quote skipped;
    the end at history that is not marked as quoted (an Outlook header block, "-----Original
    Message-----", an attribution over unprefixed text) or at a long rule below a quote (what
    machines append); one blank line where several were."""
    kept: list[str] = []
    ends = _ends_open(lines)
    below_quote = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_quoted(line):
            below_quote = True
            i += 1
            continue
        if below_quote and _LONG_RULE.match(line):
            break  # a list footer or a webmail's advert follows a rule; a signature opens "-- "
        span = _attribution_span(lines, i, ends) if ends[i] or line.lstrip()[:1].isdigit() else 0
        if span:
            after = _next_text(lines, i + span)
            # Over a ">" quote, or at the very top (some mobile clients write the attribution
            # above the answer): skip it; over unmarked history below an answer: the end.
            if (after < len(lines) and _is_quoted(lines[after])) or not _has_text(kept):
                i += span
                continue
            break
        if ("--" in line and ORIGINAL_MESSAGE.match(line)) or (
            ":" in line
            and FROM_LINE.match(line)
            and i + 1 < len(lines)
            and HEADER_LINE.match(lines[i + 1])
        ):
            break
        if line.strip() or (kept and kept[-1].strip()):
            kept.append(line)
        i += 1
    return _drop_trailing_footers(_drop_trailing_rules(kept))


def _end_of(head: list[str], lines: list[str]) -> int | None:
    """Where `head` (a stripped copy of the first lines of `lines`) ends in `lines`."""
    if not head:
        return 0
    start = _next_text(lines, 0)
    stop = start + len(head)
    if stop > len(lines):
        return None
    same = all(a.strip() == b.strip() for a, b in zip(head, lines[start:stop], strict=True))
    return stop if same else None


def _through_first_quote(text: str) -> str:
    """The text up to its first ">" line and a few after: all quotequail needs to find the cut.

    quotequail costs ~50 µs a line (measured: 4.5 ms for an Apache list reply with its history),
    so a long text is searched in its head only; the cheap cuts that follow still read it all.
    """
    lines = text.split("\n")[:QUOTEQUAIL_MAX_LINES]
    for i, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            return "\n".join(lines[: i + QUOTE_LOOKAHEAD])
    return "\n".join(lines)


# What any of quotequail's patterns needs in a line (its REPLY/FORWARD_PATTERNS and HEADER_RE all
# hold a ":", an "@", "---" or a 32-underscore rule), or a quote's ">".
_QUOTEQUAIL_NEEDS = (":", "@", "---", "_" * 32)


def _may_open_quote(line: str) -> bool:
    return line.lstrip().startswith(">") or any(mark in line for mark in _QUOTEQUAIL_NEEDS)


def _quotequail_top(text: str) -> str | None:
    """quotequail's `text_top` ("" when absent), or None when it finds nothing: the same answer
    as `quotequail.unwrap(text)` (found by `quote_start`, at a fifth of unwrap's cost), without
    trying the lines that cannot match.

    quotequail tries each line joined with the next one and needs a mark of `_QUOTEQUAIL_NEEDS`
    in that window; so no such mark means no result, and the lines before the first marked one
    but one are skipped: unwrap runs from an "anchor", a line starting with a non-space, so that
    its stripped `text_top` still starts at that line and the skipped lines go back in front.
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if _may_open_quote(line)), None)
    if first is None:
        return None
    anchor = max(
        (i for i in range(first - 1) if lines[i][:1] and not lines[i][0].isspace()), default=0
    )
    top = quote_start.text_top("\n".join(lines[anchor:]))
    if top is None:
        return None
    skipped = ("\n".join(lines[:anchor]) + "\n").lstrip() if anchor else ""
    return skipped + top


def _has_text(lines: list[str]) -> bool:
    return any(line.strip() for line in lines)


def split_signature(text: str) -> tuple[str, str]:
    """(body, signature): the signature starts at "-- ", a closing line, or "Sent from my...".

    A closing must stand alone on its line and never be the first line, so "Merci pour votre retour,
    ..." opening a reply is not a signature; the separator "-- " (RFC 3676 §4.3) wins anywhere.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _SIG_SEPARATOR.match(line):
            return _pair(lines, i)
    for i, line in enumerate(lines):
        if i > 0 and (_CLOSINGS.match(line) or is_device_footer(line)):
            return _pair(lines, i)
    return text.strip(), ""


def _pair(lines: list[str], i: int) -> tuple[str, str]:
    return "\n".join(lines[:i]).strip(), "\n".join(lines[i:]).strip()
