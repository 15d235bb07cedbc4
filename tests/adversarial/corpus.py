"""The hostile corpus: mail and JSON made to break a reader, one table, each sample with its origin.

Every sample is built here, in code (README.md lists them): the big ones (a 10 MB header, MIME
nested 3,000 deep) would bloat the repo, and the ones derived from real mail are derived at test
time from ../shared/data/mail, never copied. `python -m tests.adversarial.corpus DIR` writes them
all as files, to try the CLI by hand.

`expect` says what a reader must do: "read" (a Message or Thread comes out, degraded where the
sample is broken), "refused" (one MaxcoreError: the CLI prints one line and exits 2, the backend
answers 400 naming `field`).
"""

from __future__ import annotations

import base64
import copy
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared" / "data" / "mail"
GMAIL = ROOT / "tests" / "fixtures" / "gmail"
PAGE = ROOT / "tests" / "fixtures" / "backend" / "page_trap_en.json"
MB = 1 << 20


@dataclass(frozen=True)
class Sample:
    name: str
    kind: str  # "eml", "gmail" (a users.threads.get response), "json" (any JSON for the CLI)
    build: Callable[[], bytes]
    origin: str
    expect: str = "read"  # or "refused"
    field: str | None = None  # the field a "refused" error names (CLI JSON and backend)

    @property
    def suffix(self) -> str:
        return ".eml" if self.kind == "eml" else ".json"


HEAD = (
    b"From: Marc Lefevre <marc@batiplus.example>\r\n"
    b"To: Claire Martin <claire.martin@optiplan.fr>\r\n"
    b"Message-ID: <hostile-1@batiplus.example>\r\n"
    b"Date: Tue, 03 Nov 2026 09:12:00 +0100\r\n"
)


def eml(*headers: bytes, body: bytes = b"Bonjour, rappelez-moi au 06 12 34 56 78.\r\n") -> bytes:
    return HEAD + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body


def _text_in(charset: bytes, body: bytes = b"Bonjour \xe9\xff +2AA- \\ud800 fin\r\n") -> bytes:
    return eml(b'Content-Type: text/plain; charset="' + charset + b'"', body=body)


def _deep_multipart(depth: int) -> bytes:
    opens = b"".join(
        b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (i, i + 1)
        for i in range(depth)
    )
    leaf = b"--b%d\r\nContent-Type: text/plain\r\n\r\nau fond\r\n" % depth
    return eml(b"Content-Type: multipart/mixed; boundary=b0", body=opens + leaf)


def _deep_rfc822(depth: int) -> bytes:
    inner = b"From: x@y.example\r\nContent-Type: message/rfc822\r\n\r\n" * depth
    return eml(b"Content-Type: message/rfc822", body=inner + b"au fond\r\n")


def _multipart(body: bytes, boundary: bytes = b"XYZ") -> bytes:
    return eml(b'Content-Type: multipart/alternative; boundary="' + boundary + b'"', body=body)


_PARTS = (
    b"--XYZ\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    + base64.encodebytes("Bonjour Marc, voici le devis révisé.\r\n".encode() * 20)
    + b"\r\n--XYZ\r\nContent-Type: text/html\r\n\r\n<p>Bonjour</p>\r\n--XYZ--\r\n"
)


def _derived(relative: str, change: Callable[[bytes], bytes]) -> Callable[[], bytes]:
    return lambda: change((SHARED / relative).read_bytes())


def _set_charset(charset: bytes) -> Callable[[bytes], bytes]:
    return lambda raw: re.sub(rb'(?i)charset="?[^";\s]+"?', b'charset="' + charset + b'"', raw)


def _drop_closing_boundaries(raw: bytes) -> bytes:
    return re.sub(rb"(?m)^(--\S+)--[ \t]*\r?$", rb"\1", raw)


# ----- Gmail API JSON, from tests/fixtures/gmail/thread_full.json (written here) -----


def gmail_thread() -> dict[str, Any]:
    thread: dict[str, Any] = json.loads((GMAIL / "thread_full.json").read_text(encoding="utf-8"))
    thread.pop("_fixture", None)
    return thread


def _gmail(change: Callable[[dict[str, Any]], object]) -> Callable[[], bytes]:
    def build() -> bytes:
        thread = gmail_thread()
        change(thread)
        return json.dumps(thread).encode()

    return build


def _first_payload(thread: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = thread["messages"][0]["payload"]
    return payload


def _header(name: str, value: str) -> Callable[[dict[str, Any]], None]:
    def change(thread: dict[str, Any]) -> None:
        headers = _first_payload(thread)["headers"]
        headers[:] = [h for h in headers if h["name"].lower() != name.lower()]
        headers.append({"name": name, "value": value})

    return change


def _gmail_body(charset: str, data: bytes = b"Bonjour \xe9\xff +2AA- fin") -> Callable[[], bytes]:
    def change(thread: dict[str, Any]) -> None:
        part = _first_payload(thread)["parts"][0]
        part["headers"] = [{"name": "Content-Type", "value": f"text/plain; charset={charset}"}]
        part["body"] = {"size": len(data), "data": base64.urlsafe_b64encode(data).decode()}

    return _gmail(change)


def _gmail_surrogate_ids(thread: dict[str, Any]) -> None:
    thread["id"] = "18f\ud800"
    thread["messages"][0]["threadId"] = "18f\udfff"
    thread["messages"][0]["labelIds"].append("Label_\ud83d")


def _gmail_broken_base64(thread: dict[str, Any]) -> None:
    _first_payload(thread)["parts"][0]["body"]["data"] = "Qm9uam91cg=x"  # "=" inside, 1 char left


def _gmail_raw(raw: bytes) -> Callable[[], bytes]:
    def build() -> bytes:
        message = copy.deepcopy(gmail_thread()["messages"][0])
        del message["payload"]
        message["raw"] = base64.urlsafe_b64encode(raw).decode()
        return json.dumps(message).encode()

    return build


def _gmail_deep_parts(depth: int) -> Callable[[], bytes]:
    """JSON text built by hand: json.dumps itself would overflow the stack on the dict."""

    def build() -> bytes:
        leaf = '{"mimeType": "text/plain", "body": {"data": "aGk"}}'
        nested = '{"mimeType": "multipart/mixed", "parts": [' * depth + leaf + "]}" * depth
        thread = gmail_thread()
        _first_payload(thread)["parts"] = "@PARTS@"
        return json.dumps(thread).replace('"@PARTS@"', "[" + nested + "]").encode()

    return build


def _nested(depth: int, key: str | None = None) -> Callable[[], bytes]:
    if key is None:
        return lambda: b"[" * depth + b"]" * depth
    return lambda: b'{"%s": ' % key.encode() + b"[" * depth + b"]" * depth + b"}"


MAIL = [
    # --- a charset name that comes from the mail: the audit's cases, then their cousins
    Sample(
        "header_undefined_charset",
        "eml",
        lambda: eml(b"Subject: =?undefined?Q?Devis_r=E9vis=E9?="),
        "written here: the audit's `=?undefined?Q?x?=` (Python's `undefined` codec always raises)",
    ),
    Sample(
        "header_nul_in_charset",
        "eml",
        lambda: eml(b"Subject: =?utf-8\x00?B?RGV2aXMgcsOpdmlzw6k=?="),
        "written here: a NUL in an encoded word's charset (bytes.decode raises ValueError)",
    ),
    Sample(
        "header_idna_and_punycode_words",
        "eml",
        lambda: eml(
            b"Subject: =?idna?Q?" + b"a" * 70 + b"?= =?punycode?Q?abc-9999=FF?=",
            b"From: =?punycode?Q?=FF=FE?= <marc@batiplus.example>",
        ),
        "written here: codecs that exist but raise UnicodeError on a long label or bad digits",
    ),
    Sample(
        "header_charset_with_language",
        "eml",
        lambda: eml(b"Subject: =?utf-8*fr?Q?Devis_r=C3=A9vis=C3=A9?="),
        "written here: RFC 2231 section 5, an encoded word's charset with a language",
    ),
    Sample(
        "header_mixed_utf8_and_cp1252_raw",
        "eml",
        lambda: eml(b"Subject: Devis r\xe9vis\xe9 \xe2\x82\xac \x00\x1b[2J"),
        "written here: raw 8-bit in a header, half UTF-8 half Windows-1252, a NUL, an ANSI escape",
    ),
    Sample(
        "body_charset_idna",
        "eml",
        lambda: _text_in(b"idna"),
        "written here: the audit's body in `idna` (it refuses the 'replace' handler)",
    ),
    Sample(
        "body_charset_punycode",
        "eml",
        lambda: _text_in(b"punycode"),
        "written here: the audit's body in `punycode`",
    ),
    Sample(
        "body_charset_undefined",
        "eml",
        lambda: _text_in(b"undefined"),
        "written here: the audit's body in `undefined`",
    ),
    Sample(
        "body_charset_nul",
        "eml",
        lambda: _text_in(b"iso-8859-1\x00"),
        "written here: the audit's NUL in a charset name",
    ),
    Sample(
        "body_charset_rfc2231_nul",
        "eml",
        lambda: eml(b"Content-Type: text/plain; charset*=x\x00y''utf-8", body=b"Bonjour\r\n"),
        "written here: an RFC 2231 `charset*=` whose own charset holds a NUL "
        "(email.message.get_content_charset raised ValueError)",
    ),
    Sample(
        "body_charset_escape_codecs",
        "eml",
        lambda: _text_in(b"unicode_escape", b"Bonjour \\ud800 \\N{oops} \\x\r\n"),
        "written here: Python's unicode_escape codec, which turns \\ud800 into a lone surrogate",
    ),
    Sample(
        "body_charset_utf7_surrogate",
        "eml",
        lambda: _text_in(b"utf-7", b"Bonjour +2AA- et +2D3YAA-\r\n"),
        "written here: UTF-7 (RFC 2152) decoding to a lone surrogate, which stdout cannot write",
    ),
    Sample(
        "body_charset_not_text",
        "eml",
        lambda: _text_in(b"base64") + b"\r\n" + _text_in(b"rot13"),
        "written here: codecs that are not text encodings (bytes.decode raises LookupError)",
    ),
    Sample(
        "params_rfc2231_mixed_continuations",
        "eml",
        lambda: eml(b"Content-Type: text/plain; charset=B; charset*=B; charset*0*=B"),
        "found by test_fuzz.py: `charset*` beside `charset*0*` (email.utils.decode_params sorts "
        "None against 0: TypeError)",
    ),
    Sample(
        "labels_bare_cr",
        "eml",
        lambda: eml(b"X-Gmail-Labels: Sent,\rImportant"),
        "found by test_fuzz.py: a bare CR in X-Gmail-Labels (the csv module raised csv.Error)",
    ),
    Sample(
        "arf_content_type_8bit",
        "eml",
        _derived(
            "sisimai_set_of_emails/maildir/bsd/arf-15.eml",
            lambda raw: raw.replace(b"multipart/report;", b"multipart/report\x80"),
        ),
        "found by the long fuzz run, derived at test time from shared sisimai arf-15.eml: an 8-bit "
        "byte for the `;` of its Content-Type (check and scan judged it apart)",
    ),
    Sample(
        "multipart_boundary_rfc2231_idna",
        "eml",
        lambda: eml(b"Content-Type: multipart/mixed; boundary*=idna''" + b"x" * 80, body=_PARTS),
        "written here: an RFC 2231 boundary in `idna` (email.utils.collapse_rfc2231_value raised "
        "inside the stdlib's parser)",
    ),
    Sample(
        "big5_as_idna",
        "eml",
        _derived("discourse_emails/big5.eml", _set_charset(b"idna")),
        "derived at test time from shared discourse_emails/big5.eml: its charset set to idna",
    ),
    Sample(
        "weird_encoding_as_nul",
        "eml",
        _derived("discourse_emails/reply_with_weird_encoding.eml", _set_charset(b"utf\x008")),
        "derived at test time from shared discourse_emails/reply_with_weird_encoding.eml: its "
        "charset given a NUL",
    ),
    # --- MIME structure
    Sample(
        "truncated_mime",
        "eml",
        lambda: _multipart(_PARTS[: len(_PARTS) // 2]),
        "written here: a multipart cut in the middle of its base64 part",
    ),
    Sample(
        "boundary_never_closes",
        "eml",
        lambda: _multipart(_PARTS.replace(b"--XYZ--", b"")),
        "written here: a multipart whose closing delimiter never comes",
    ),
    Sample(
        "boundary_never_opens",
        "eml",
        lambda: _multipart(b"Bonjour, pas de partie ici.\r\n", boundary=b"NOPE"),
        "written here: a multipart whose boundary appears nowhere",
    ),
    Sample(
        "apple_mail_never_closes",
        "eml",
        _derived("discourse_emails/apple_mail_attachment.eml", _drop_closing_boundaries),
        "derived at test time from shared discourse_emails/apple_mail_attachment.eml: its closing "
        "delimiters removed",
    ),
    Sample(
        "multipart_nested_3000_deep",
        "eml",
        lambda: _deep_multipart(3000),
        "written here: multiparts nested past the stack (email.feedparser RecursionError)",
    ),
    Sample(
        "rfc822_nested_3000_deep",
        "eml",
        lambda: _deep_rfc822(3000),
        "written here: message/rfc822 nested past the stack",
    ),
    Sample(
        "broken_base64_and_uuencode",
        "eml",
        lambda: _multipart(
            b"--XYZ\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            b"Qm9u*am91=cg=x\x00\xff\r\n--XYZ\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n"
            b"begin 644 x\r\n\xff\xfe garbage\r\n--XYZ--\r\n"
        ),
        "written here: base64 with stray characters and padding, uuencode with no `end`",
    ),
    # --- size: each must be read in seconds, not minutes
    Sample(
        "header_10mb_subject",
        "eml",
        lambda: eml(b"Subject: " + b"Devis " * (10 * MB // 6)),
        "written here: a 10 MB Subject line",
    ),
    Sample(
        "header_10mb_encoded_words",
        "eml",
        lambda: eml(b"Subject: " + b"=?utf-8?Q?r=C3=A9vis=C3=A9?= " * (10 * MB // 29)),
        "written here: 10 MB of RFC 2047 words (email.header.decode_header is quadratic)",
    ),
    Sample(
        "header_10mb_recipients",
        "eml",
        lambda: eml(b"Cc: " + b"x@y.example, " * (10 * MB // 13)),
        "written here: a 10 MB Cc line (800,000 addresses)",
    ),
    Sample(
        "header_10mb_content_type",
        "eml",
        lambda: eml(b"Content-Type: text/plain; " + b"a=b; " * (2 * MB)),
        "written here: a 10 MB Content-Type (email.message._parseparam is quadratic)",
    ),
    Sample(
        "header_8mb_folded",
        "eml",
        lambda: eml(b"Subject: Devis" + b"\r\n r\xc3\xa9vis\xc3\xa9" * (8 * MB // 11)),
        "written here: one header folded over 760,000 lines",
    ),
    Sample(
        "body_10mb_one_line",
        "eml",
        lambda: eml(body=b"Bonjour " * (10 * MB // 8)),
        "written here: a 10 MB body on one line",
    ),
    # --- headers the rest of MAX reads
    Sample(
        "address_comments_5000_deep",
        "eml",
        lambda: HEAD.replace(b"From: Marc", b"From: " + b"(" * 5000 + b"Marc") + b"\r\nBonjour\r\n",
        "written here: comments nested 5,000 deep in From (email._parseaddr recurses per level)",
    ),
    Sample(
        "takeout_ids_hostile",
        "eml",
        lambda: eml(
            "X-GM-THRID: ²³".encode(),
            b'X-Gmail-Labels: Sent,\x00,"Clients, 2026',
            b"References: " + b"9" * 5000,
        ),
        "written here: a Takeout thread id of superscript digits (int() refuses them), odd labels",
    ),
    Sample(
        "date_year_9999",
        "eml",
        lambda: HEAD.replace(b"Tue, 03 Nov 2026", b"Fri, 31 Dec 9999") + b"\r\nBonjour\r\n",
        "written here: a Date in the year 9999 (timing's arithmetic overflowed)",
    ),
    Sample(
        "nul_bytes_everywhere",
        "eml",
        lambda: eml(b"Subject: a\x00b", b"X-\x00: c", body=b"\x00" * 1000 + b"Bonjour\x00\r\n"),
        "written here: NUL bytes in a header, a header name and the body",
    ),
    Sample(
        "cr_only_line_ends",
        "eml",
        lambda: eml(b"Subject: Devis", body=b"Bonjour\r\nMarc\r\n").replace(b"\r\n", b"\r"),
        "written here: old Mac line ends (CR alone)",
    ),
    Sample(
        "binary_garbage",
        "eml",
        lambda: bytes(range(256)) * 40,
        "written here: bytes with no header at all",
        expect="refused",
        field="path",
    ),
]

GMAIL_JSON = [
    Sample(
        "gmail_subject_undefined",
        "gmail",
        _gmail(_header("Subject", "=?undefined?Q?Devis_r=E9vis=E9?=")),
        "from tests/fixtures/gmail/thread_full.json (written here): the audit's encoded word",
    ),
    Sample(
        "gmail_subject_nul_charset",
        "gmail",
        _gmail(_header("Subject", "=?x\x00y?Q?Devis?=")),
        "from thread_full.json: a NUL in the encoded word's charset",
    ),
    Sample(
        "gmail_body_idna",
        "gmail",
        _gmail_body("idna"),
        "from thread_full.json: the audit's body in idna",
    ),
    Sample(
        "gmail_body_punycode",
        "gmail",
        _gmail_body("punycode"),
        "from thread_full.json: the audit's body in punycode",
    ),
    Sample(
        "gmail_body_undefined",
        "gmail",
        _gmail_body("undefined"),
        "from thread_full.json: the audit's body in undefined",
    ),
    Sample(
        "gmail_body_nul_charset",
        "gmail",
        _gmail_body('"utf-8\x00"'),
        "from thread_full.json: the audit's NUL in a charset name",
    ),
    Sample(
        "gmail_body_utf7_surrogate",
        "gmail",
        _gmail_body("utf-7", b"Bonjour +2AA-"),
        "from thread_full.json: UTF-7 that decodes to a lone surrogate",
    ),
    Sample(
        "gmail_lone_surrogates",
        "gmail",
        _gmail(_header("Subject", "Devis \ud83d")),
        "from thread_full.json: a Subject cut inside an emoji (JSON `\\ud83d`)",
    ),
    Sample(
        "gmail_ids_and_labels_lone_surrogates",
        "gmail",
        _gmail(_gmail_surrogate_ids),
        "found by the long fuzz run: lone surrogates in the thread id, a threadId and a label",
    ),
    Sample(
        "gmail_header_name_not_a_field",
        "gmail",
        _gmail(lambda t: _first_payload(t)["headers"].insert(0, {"name": "X Bad:", "value": "v"})),
        "from thread_full.json: a header name with a space and a colon, first in the list",
    ),
    Sample(
        "gmail_broken_base64_body",
        "gmail",
        _gmail(_gmail_broken_base64),
        "from thread_full.json: a body.data that is not base64url",
        expect="refused",
        field="messages[0].payload.parts[0].body.data",
    ),
    Sample(
        "gmail_parts_200_deep",
        "gmail",
        _gmail_deep_parts(200),
        "from thread_full.json: parts nested 200 deep (the walk recursed)",
        expect="refused",
        field="messages[0].payload.parts[0]" + ".parts[0]" * 63 + ".parts",
    ),
    Sample(
        "gmail_parts_100000_deep",
        "gmail",
        _gmail_deep_parts(100_000),
        "from thread_full.json: parts nested deeper than any JSON parser goes",
        expect="refused",
        field="path",  # the CLI's JSON reader refuses it; the backend, the body
    ),
    Sample(
        "gmail_internal_date_year_9999",
        "gmail",
        _gmail(lambda t: t["messages"][0].update(internalDate="253402300799000")),
        "from thread_full.json: internalDate in the year 9999",
        expect="refused",
        field="messages[0].internalDate",
    ),
    Sample(
        "gmail_raw_hostile",
        "gmail",
        _gmail_raw(_text_in(b"idna").replace(b"Message-ID", b"Subject: =?undefined?Q?x?=\r\nX")),
        "from message_raw.json's shape: a format=raw message in idna with an undefined word",
    ),
    Sample(
        "gmail_raw_not_mail",
        "gmail",
        _gmail_raw(bytes(range(256))),
        "from message_raw.json's shape: a format=raw message of bytes with no header",
        expect="refused",
        field="raw",
    ),
]

CLI_JSON = [
    Sample(
        "json_nested_100000",
        "json",
        _nested(100_000),
        "written here: JSON lists nested 100,000 deep (json.load raised RecursionError)",
        expect="refused",
        field="path",
    ),
    Sample(
        "json_messages_nested_100000",
        "json",
        _nested(100_000, "messages"),
        "written here: a Gmail-looking object whose messages nest 100,000 deep",
        expect="refused",
        field="path",
    ),
    Sample(
        "json_messages_nested_50",
        "json",
        _nested(50, "messages"),
        "written here: messages that are lists of lists, shallow enough to parse",
        expect="refused",
        field="messages[0]",
    ),
]

SAMPLES = MAIL + GMAIL_JSON + CLI_JSON
BY_NAME = {s.name: s for s in SAMPLES}


def page_reading() -> dict[str, Any]:
    """tests/fixtures/backend/page_trap_en.json (written here), as the body the extension posts."""
    body: dict[str, Any] = json.loads(PAGE.read_text(encoding="utf-8"))
    body.pop("_fixture", None)
    body.pop("_expect", None)
    return body


# A poisoned message for samples/demo.mbox: its From_ line, then bytes with no header at all
# (NULs, an undefined encoded word, binary), so that no reader can take it for mail.
POISON = (
    b"From MAILER-DAEMON Fri Nov 27 12:00:00 2026\n"
    b"\x00\xff\xfe=?undefined?Q?x?= \x00 =?x\x00y?B?AAAA?=\n\x1f\x8b\x08\x00" + bytes(range(256))
)
# And one that can be read, degraded: hostile charsets in its headers and body.
HOSTILE_REPLY = (
    b"From MAILER-DAEMON Fri Nov 27 12:00:00 2026\n"
    b"From: =?undefined?Q?Inconnu?= <inconnu@hostile.example>\n"
    b"To: claire.martin@optiplan.fr\n"
    b"Subject: =?x\x00y?Q?Question?=\n"
    b"Message-ID: <hostile-reply@hostile.example>\n"
    b"Date: Wed, 25 Nov 2026 10:00:00 +0100\n"
    b"Content-Type: text/plain; charset=idna\n\n"
    b"Bonjour \xe9\xff\n"
)


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for sample in SAMPLES:
        path = folder / (sample.name + sample.suffix)
        path.write_bytes(sample.build())
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1])):
        print(written)
