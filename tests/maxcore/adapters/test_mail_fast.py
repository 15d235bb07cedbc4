"""mail_fast: the plain shape read the cheap way gives exactly what mail.py gives, on every real
message and on each shape that must go to mail.py instead."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from maxcore.adapters import mail, mail_fast
from maxcore.adapters.mbox import iter_mbox
from maxcore.core.errors import MaxcoreError
from maxcore.core.model import Message
from tests.maxcore._corpus import raw_messages

DEMO = Path(__file__).resolve().parents[3] / "samples" / "demo.mbox"

HEAD = (
    b"From: Marc <marc@batiplus.fr>\nTo: me@acme.fr\nSubject: Re: Devis\n"
    b"Date: Mon, 3 Nov 2026 10:12:00 +0100\nMessage-ID: <m1@batiplus.fr>\n"
)
ALTERNATIVE = (
    b'Content-Type: multipart/alternative; boundary="b1"\n\npreamble\n--b1\n'
    b"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n"
    b"\nD=E9cid=E9.\n\n--b1\nContent-Type: text/html\n\n<p>D&eacute;cid&eacute;.</p>\n"
    b"--b1--\nepilogue\n"
)


def _outcome(read: object, raw: bytes) -> Message | tuple[str, str | None]:
    try:
        return read(raw)  # type: ignore[operator, no-any-return]
    except MaxcoreError as err:
        return err.code, err.field


def _headers_only(raw: bytes) -> Message:
    return mail.parse_message(raw, with_body=False)


def _same_as_mail_py(raw: bytes) -> None:
    assert _outcome(mail_fast.read_headers, raw) == _outcome(_headers_only, raw)
    assert _outcome(mail_fast.read_message, raw) == _outcome(mail.parse_message, raw)
    envelope = mail_fast.read_envelope(raw)
    if envelope is not None:
        assert envelope == replace(_headers_only(raw), headers={}, content_types=())


def test_every_real_message_reads_the_same() -> None:
    raws = [*raw_messages(), *(raw for _, raw in iter_mbox(DEMO))]
    assert len(raws) > 3000
    for raw in raws:
        _same_as_mail_py(raw)
    plain = [raw for raw in raws if mail_fast._plain_body(raw.lstrip(b"\r\n")) is not None]
    assert len(plain) > len(raws) * 2 // 3  # the fast path really is the common one


def _ct(value: bytes, body: bytes) -> bytes:
    return HEAD + b"Content-Type: " + value + b"\n\n" + body


def _mixed(boundary: bytes, body: bytes) -> bytes:
    return _ct(b"multipart/mixed; boundary=" + boundary, body)


def _cte(value: bytes, body: bytes) -> bytes:
    return HEAD + b"Content-Transfer-Encoding: " + value + b"\n\n" + body


ATTACHED = b"Content-Disposition: attachment; filename=a.txt\n\nfile\n"
PLAIN = [
    ("plain text", HEAD + b"\nBonjour.\n"),
    ("utf-8 quoted", _ct(b'text/plain; charset="UTF-8"; format=flowed', b"d\xc3\xa9j\xc3\xa0\n")),
    ("quoted-printable", _cte(b"quoted-printable", b"d=C3=A9j=C3=A0 =\nvu\n")),
    ("alternative", HEAD + ALTERNATIVE),
    ("html only", _ct(b"text/html; charset=utf-8", b"<div>Oui<br>Marc</div>\n")),
    ("a part without headers", _mixed(b"zz", b"--zz\n\nOk.\n--zz--\n")),
    ("folded references", HEAD + b"References: <a@x>\n <b@x>\n\tfolded\n\nOk\n"),
    ("attachment first", _mixed(b'"q"', b"--q\n" + ATTACHED + b"--q\n\nmot\n--q--\n")),
]
TO_MAIL_PY = [
    ("CRLF", HEAD.replace(b"\n", b"\r\n") + b"\r\nBonjour.\r\n"),
    ("leading blank lines", b"\n\n" + HEAD + b"\nBonjour.\n"),
    ("no header at all", b"not a header\n\nbody\n"),
    ("no blank line", HEAD.rstrip(b"\n")),
    ("CTE with a trailing blank", _cte(b"quoted-printable ", b"d=C3=A9\n")),
    ("folded Content-Type", _ct(b"text/plain;\n charset=utf-8", b"ok\n")),
    ("encoded word in Content-Type", _ct(b"text/plain; name==?utf-8?q?a?=", b"ok\n")),
    ("two Content-Types", _ct(b"text/plain\nContent-Type: text/html", b"<b>ok</b>\n")),
    ("base64", _cte(b"base64", b"ZMOpasOg\n")),
    ("unquoted twice boundary", _mixed(b'"<<b>>"', b"--<<b>>\n\nx\n--<<b>>--\n")),
    ("nested multipart", _mixed(b"o", b'--o\nContent-Type: multipart/alternative; boundary="i"\n'
                                      b"\n--i\n\nin\n--i--\n--o--\n")),
    ("no closing boundary", _mixed(b"b", b"--b\n\nx\n")),
    ("a CR in a part", _mixed(b"b", b"--b\n\nx\r\n--b--\n")),  # compat32 splits lines at CRs
    ("two boundaries in a row", _mixed(b"b", b"--b\n--b\n\nx\n--b--\n")),
    ("a boundary line with more", _mixed(b"b", b"--b \n\nx\n--b--\n")),
    ("a report", _ct(b"multipart/report; report-type=delivery-status; boundary=r",
                     b"--r\n\nx\n--r--\n")),
    ("RFC 2231 parameter", _ct(b"text/plain; charset*=utf-8''x", b"ok\n")),
]  # fmt: skip


@pytest.mark.parametrize(("name", "raw"), PLAIN, ids=[n for n, _ in PLAIN])
def test_the_plain_shape_is_read_here_as_mail_py_reads_it(name: str, raw: bytes) -> None:
    assert mail_fast._plain_body(raw) is not None
    _same_as_mail_py(raw)


@pytest.mark.parametrize(("name", "raw"), TO_MAIL_PY, ids=[n for n, _ in TO_MAIL_PY])
def test_any_other_shape_goes_to_mail_py(name: str, raw: bytes) -> None:
    assert mail_fast._plain_body(raw) is None
    _same_as_mail_py(raw)


def test_the_envelope_is_the_headers_threading_and_sides_need() -> None:
    raw = HEAD + b"Cc: Anne <a@batiplus.fr>\nX-Gmail-Labels: Sent,Opened\nX-GM-THRID: 1234\n\nx\n"
    envelope = mail_fast.read_envelope(raw)
    assert envelope is not None
    assert (envelope.id, envelope.subject, envelope.thread_id) == (
        "<m1@batiplus.fr>",
        "Re: Devis",
        "4d2",
    )
    assert [a.email for a in envelope.recipients] == ["me@acme.fr", "a@batiplus.fr"]
    assert envelope.labels == frozenset({"SENT", "Opened"}) and envelope.headers == {}


def test_without_a_message_id_the_envelope_is_mail_pys_digest_of_every_header() -> None:
    raw = HEAD.replace(b"Message-ID: <m1@batiplus.fr>\n", b"") + b"\nx\n"
    assert mail_fast.read_envelope(raw) is None
    _same_as_mail_py(raw)
    assert mail_fast.read_headers(raw).id.endswith("@max.invalid>")


@pytest.mark.parametrize(
    "value",
    [
        "Thu, 19 Nov 2026 05:39:00 +0100",
        "19 Nov 2026 05:39:00 -0530",
        "Thu, 19 Nov 2026 05:39:00 -0000",  # unknown zone: UTC
        "Thu, 19 Nov 2026 05:39:00 +0000",
        "31 Feb 2026 10:00:00 +0100",  # no such day
        "1 Jan 2026 10:00:00 +2400",  # no such zone
        "1 Jan 0001 00:00:00 +0100",  # read as 2001 there
        "Thu, 19 Nov 2026 05:39:00 +0100 (CET)",  # a comment: mail.py's
        "garbage",
    ],
)
def test_a_plain_date_is_read_as_mail_py_reads_it(value: str) -> None:
    fast, slow = mail_fast._parse_date(value), mail.parse_date(value)
    assert fast == slow
    assert (fast.isoformat() if fast else None) == (slow.isoformat() if slow else None)
