"""Hypothesis strategies for hostile mail and JSON, grown from real mail and the fixtures' shapes.

- `messages()`: RFC 5322 messages built from a grammar of the parts readers trip on (hostile
  charsets in encoded words and parameters, RFC 2231, boundaries, transfer encodings, nested
  comments, raw 8-bit and NUL bytes).
- `mutated_real()`: a real message from ../shared/data/mail (or samples/demo.mbox), then a few
  mutations: bytes flipped, inserted, deleted, duplicated, the message cut, its charsets or
  boundaries replaced, a hostile header added.
- `mutate_json(data, tree)`: a fixture's JSON with nodes replaced by arbitrary JSON values or
  hostile strings, keys dropped, parts nested, charsets swapped.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from maxcore.adapters.mbox import iter_mbox

from .corpus import ROOT, SHARED

CHARSETS = [
    "utf-8",
    "us-ascii",
    "iso-8859-1",
    "windows-1252",
    "big5",
    "utf-16",
    "utf-32-be",
    "utf-7",
    "iso-2022-jp",
    "gb18030",
    "cp037",
    "undefined",
    "idna",
    "punycode",
    "x\x00y",
    "utf-8\x00",
    "unicode_escape",
    "raw_unicode_escape",
    "base64",
    "rot13",
    "zlib",
    "",
    "unknown-8bit",
    "x-user-defined",
    "utf-8*fr",
    "mbcs",
    "\xff",
    "a" * 300,
]
# Byte strings that mean something to one reader or another.
TOKENS = [
    b"\x00",
    b"\r",
    b"\n",
    b"\r\n\r\n",
    b"\n\n",
    b" ",
    b"\t",
    b"--",
    b"=?",
    b"?=",
    b"=?undefined?Q?x=E9?=",
    b"=?idna?B?//79?=",
    b"=?x\x00y?q?a?=",
    b'charset="idna"',
    b"charset*=punycode''%FF",
    b"boundary=",
    b"boundary*=idna''xx\"",
    b"Content-Type: multipart/mixed; boundary=B\n",
    b"Content-Type: message/rfc822\n\n",
    b"Content-Transfer-Encoding: base64\n",
    b"Content-Transfer-Encoding: x-uuencode\n\nbegin 644 f\n",
    b"\n--B\n",
    b"\n--B--\n",
    b"From ",
    b">From ",
    b"(((((",
    b"<",
    b">",
    b"\\",
    b'"',
    b"\xff\xfe",
    b"\xc3",
    b"\xe9",
    b"+2AA-",
    b"\\ud800",
    b"X-GM-THRID: \xc2\xb2\n",
    b"Date: Fri, 31 Dec 9999 23:59:59 -1200\n",
]
HEADER_NAMES = [
    "From",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-Disposition",
    "Auto-Submitted",
    "X-Autoreply",
    "Precedence",
    "List-Unsubscribe",
    "Disposition-Notification-To",
    "X-GM-THRID",
    "X-Gmail-Labels",
    "Return-Path",
]


@st.composite
def encoded_word(draw: st.DrawFn) -> bytes:
    charset = draw(st.sampled_from(CHARSETS)).encode("latin-1")
    encoding = draw(st.sampled_from([b"Q", b"q", b"B", b"b", b"X", b""]))
    if encoding in (b"B", b"b"):
        payload = base64.b64encode(draw(st.binary(max_size=40)))
        payload = payload[: draw(st.integers(0, len(payload)))]
    else:
        payload = draw(st.binary(max_size=40)).replace(b"?=", b"")
    return b"=?" + charset + b"?" + encoding + b"?" + payload + b"?="


def _latin1(max_size: int = 60) -> st.SearchStrategy[bytes]:
    return st.text(max_size=max_size).map(lambda t: t.encode("utf-8", "surrogatepass"))


address = st.one_of(
    st.just(b"Marc Lefevre <marc@batiplus.example>"),
    st.just(b"claire.martin@optiplan.fr"),
    st.builds(lambda w: w + b" <p@x.example>", encoded_word()),
    st.builds(lambda n: b"(" * n + b"a@b.example" + b")" * (n // 2), st.integers(0, 3000)),
    st.builds(lambda s: b"<" + s + b">", st.binary(max_size=30)),
)
param = st.builds(
    lambda key, star, cs, value: key + star + b"=" + cs + value,
    st.sampled_from([b"charset", b"boundary", b"name", b"filename", b"format"]),
    st.sampled_from([b"", b"*", b"*0*", b"*1"]),
    st.sampled_from([b"", b"utf-8''", b"idna''", b"x\x00y''", b"punycode'fr'"]),
    st.one_of(st.sampled_from([b"B", b'"B"', b"", b'"']), _latin1(20)),
)
content_type = st.builds(
    lambda mime, params: mime + b"".join(b"; " + p for p in params),
    st.sampled_from(
        [
            b"text/plain",
            b"text/html",
            b"text/enriched",
            b"multipart/mixed",
            b"multipart/alternative",
            b"multipart/report; report-type=delivery-status",
            b"message/rfc822",
            b"message/delivery-status",
            b"application/octet-stream",
            b"",
            b"/",
        ]
    ),
    st.lists(param, max_size=4),
)
header_value = st.one_of(
    address,
    content_type,
    encoded_word(),
    st.lists(st.one_of(encoded_word(), _latin1(10)), max_size=6).map(b" ".join),
    st.sampled_from(
        [
            b"Tue, 03 Nov 2026 09:12:00 +0100",
            b"Fri, 31 Dec 9999 23:59:59 -1200",
            b"Mon, 1 Jan 0001 00:00:00 +9959",
            b"auto-replied",
            b"bulk",
            "²³".encode(),
            b"9" * 5000,
            b"<a@b> <c@d>, e@f",
        ]
    ),
    st.binary(max_size=80).map(lambda b: b.replace(b"\n", b" ")),
)


@st.composite
def header_line(draw: st.DrawFn) -> bytes:
    name = draw(st.one_of(st.sampled_from(HEADER_NAMES), st.text(max_size=12))).encode(
        "utf-8", "surrogatepass"
    )
    value = draw(header_value)
    if draw(st.booleans()):  # fold it
        value = value.replace(b" ", b"\r\n ", draw(st.integers(0, 5)))
    return name + b": " + value


@st.composite
def body(draw: st.DrawFn, depth: int = 0) -> bytes:
    if depth < 3 and draw(st.booleans()):
        boundary = draw(st.sampled_from([b"B", b"=_x", b"<<001>>", b"", b"a" * 80]))
        parts = draw(
            st.lists(
                st.builds(
                    lambda h, b: (h, b), st.lists(header_line(), max_size=3), body(depth + 1)
                ),
                max_size=3,
            )
        )
        out = [draw(_latin1(30))]
        for headers, part in parts:
            out.append(b"--" + boundary + b"\n" + b"\n".join(headers) + b"\n\n" + part)
        if draw(st.booleans()):
            out.append(b"--" + boundary + b"--\n")
        return b"\n".join(out)
    return draw(st.one_of(_latin1(200), st.binary(max_size=200), st.sampled_from(TOKENS)))


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    headers = draw(st.lists(header_line(), min_size=1, max_size=12))
    if draw(st.booleans()):
        headers.insert(0, b"From: " + draw(address))
    eol = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    head = eol.join(headers) + eol
    return head + eol + draw(body()).replace(b"\n", eol)


# ----- real mail, mutated -----


@lru_cache(maxsize=1)
def real_messages() -> tuple[bytes, ...]:
    """Every .eml of ../shared/data/mail, the messages of a few real mboxes, and the demo."""
    raws = [p.read_bytes() for p in sorted(SHARED.rglob("*.eml"))]
    mboxes = [
        ROOT / "samples" / "demo.mbox",
        SHARED / "apache_ponymail_corpus" / "tomcat-ancient-boundary.mbox",
        SHARED / "apache_ponymail_corpus" / "httpd-users-2020-07.mbox",
        SHARED / "apache_ponymail_corpus" / "text_enriched.mbox",
        SHARED / "apache_ponymail_corpus" / "nexus-html-only.mbox",
    ]
    for mbox in mboxes:
        raws += [raw for _, raw in iter_mbox(mbox)]
    return tuple(raws)


@lru_cache(maxsize=1)
def demo_messages() -> tuple[bytes, ...]:
    return tuple(raw for _, raw in iter_mbox(ROOT / "samples" / "demo.mbox"))


def _at(raw: bytes, where: int) -> int:
    return where % (len(raw) + 1)


def _swap_charsets(raw: bytes, charset: str) -> bytes:
    new = b'charset="' + charset.encode("latin-1") + b'"'
    return re.sub(rb'(?i)charset="?[^";\s]*"?', lambda _: new, raw)


def _swap_boundaries(raw: bytes, new: bytes) -> bytes:
    return re.sub(rb'(?i)boundary="?([^";\s]+)"?', lambda _: b"boundary=" + new, raw)


@st.composite
def mutation(draw: st.DrawFn, raw: bytes) -> bytes:
    where, size = draw(st.integers(0, 1 << 24)), draw(st.integers(0, 64))
    kind = draw(st.integers(0, 8))
    at = _at(raw, where)
    if kind == 0:
        return raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1 :]
    if kind == 1:
        return raw[:at] + draw(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=8))) + raw[at:]
    if kind == 2:
        return raw[:at] + raw[at + size :]
    if kind == 3:
        return raw[:at]
    if kind == 4:
        return _swap_charsets(raw, draw(st.sampled_from(CHARSETS)))
    if kind == 5:
        return _swap_boundaries(raw, draw(st.sampled_from([b"", b'"', b"x\x00", b"*=idna''B"])))
    if kind == 6:  # a hostile header right after the first line
        line = raw.find(b"\n") + 1
        return raw[:line] + draw(header_line()) + b"\n" + raw[line:]
    if kind == 7:  # remove every closing delimiter
        return re.sub(rb"(?m)^(--\S+)--", rb"\1", raw)
    return raw[:at] + raw[at : at + size] * draw(st.integers(2, 50)) + raw[at + size :]


@st.composite
def mutated(draw: st.DrawFn, raw: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 5))):
        raw = draw(mutation(raw))
    return raw


@st.composite
def mutated_real(draw: st.DrawFn) -> bytes:
    return draw(mutated(draw(st.sampled_from(real_messages()))))


@st.composite
def mutated_demo(draw: st.DrawFn) -> bytes:
    """A message of the demo mailbox, left alone or mutated: threads with our own touches."""
    raw = draw(st.sampled_from(demo_messages()))
    return draw(mutated(raw)) if draw(st.booleans()) else raw


@st.composite
def mbox_files(draw: st.DrawFn) -> bytes:
    raws = draw(
        st.lists(
            st.one_of(mutated_demo(), mutated_real(), messages(), st.binary(max_size=200)),
            min_size=1,
            max_size=8,
        )
    )
    out = []
    for raw in raws:
        if draw(st.booleans()):  # mboxrd escaping, or none (a body line "From " splits it)
            raw = re.sub(rb"(?m)^(>*From )", rb">\1", raw)
        gap = draw(st.sampled_from([b"\n\n", b"\n", b"\r\n\r\n", b"\n\n\n"]))
        out.append(b"From sender@example Fri Nov 27 12:00:00 2026\n" + raw + gap)
    return b"".join(out)


# ----- JSON -----

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(1 << 70), max_value=1 << 70)
    | st.floats(allow_nan=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
hostile_strings = st.one_of(
    encoded_word().map(lambda b: b.decode("latin-1")),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\ud800",
            "a\udfff",
            "Devis \ud83d",
            "=?undefined?Q?x?=",
            "text/plain; charset=idna",
            'text/plain; charset="x\x00y"',
            "multipart/mixed; boundary*=idna''x",
            "253402300799000",
            "-62135596800001",
            "1" * 5000,
            "9999-12-31T23:59:59-12:00",
            "31 déc. 9999, 23:59",
            "lun. 3 nov. 2026, 10:12",
            "10:12 PM",
            "Nov 31",
            "a@b",
            "not an address",
            "X Bad:",
            "Qm9uam91cg=x",
            "é",
        ]
    ),
    st.binary(max_size=60).map(lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")),
    st.text(max_size=40),
)


def load_json(path: Path) -> Any:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data.pop("_fixture", None)
        data.pop("_expect", None)
    return data


def _nodes(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in a JSON tree (dict keys and list indexes), the root first."""
    found = [path]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += _nodes(value, (*path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            found += _nodes(value, (*path, i))
    return found


def _parent(tree: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        tree = tree[step]
    return tree


def mutate_json(draw: st.DrawFn, tree: Any, steps: int = 4) -> Any:
    """`tree` (a fixture) with up to `steps` nodes replaced, dropped or nested."""
    tree = copy.deepcopy(tree)
    for _ in range(draw(st.integers(1, steps))):
        paths = _nodes(tree)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(tree, path), path[-1]
        action = draw(st.integers(0, 4))
        if action == 0:
            parent[key] = draw(json_values)
        elif action == 1:
            parent[key] = draw(hostile_strings)
        elif action == 2 and isinstance(parent, dict):
            del parent[key]
        elif action == 3:  # nest the node in itself: parts in parts, lists in lists
            node = parent[key]
            for _ in range(draw(st.integers(1, 80))):
                node = (
                    {"parts": [node], "mimeType": "multipart/mixed"}
                    if draw(st.booleans())
                    else [node]
                )
            parent[key] = node
        else:
            parent[key] = copy.deepcopy(draw(st.sampled_from([tree, parent, parent[key]])))
    return tree
