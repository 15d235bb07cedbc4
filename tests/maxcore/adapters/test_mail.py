"""parse_message: RFC 5322 bytes become a Message, whatever the charset or breakage."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from maxcore.adapters.mail import add_body, iter_mbox, parse_date, parse_ids, parse_message
from maxcore.core.errors import MaxcoreError

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "mail"
DISCOURSE = DATA / "discourse_emails"
APACHE = DATA / "apache_ponymail_corpus"


def mail(headers: str, body: bytes = b"Hello\r\n") -> bytes:
    return headers.replace("\n", "\r\n").encode("latin-1") + b"\r\n" + body


BASE = "From: Marc <marc@batiplus.fr>\nTo: me@acme.fr\nDate: Mon, 3 Nov 2026 10:12:00 +0100\n"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Subject: =?UTF-8?Q?Proposition_=E2=80=93_module?=", "Proposition – module"),
        ("Subject: =?iso-8859-1?q?R=E9f=2E_:_devis?=", "Réf. : devis"),
        ("Subject: Re: =?utf-8?b?w6l0w6k=?= suite", "Re: été suite"),
        ("Subject: =?x-unknown-charset?q?caf=C3=A9?=", "café"),  # unknown charset: UTF-8 guess
        ("Subject: =?utf-8?q?broken", "=?utf-8?q?broken"),  # malformed word kept as is
        ("Subject: plain\n  folded line", "plain folded line"),
    ],
)
def test_subject_is_decoded_in_any_charset(header: str, expected: str) -> None:
    assert parse_message(mail(BASE + header + "\n")).subject == expected


def test_raw_8bit_headers_are_read_as_utf8_else_windows_1252() -> None:
    utf8 = (BASE + "Subject: ").encode() + "Récapitulatif".encode() + b"\r\n\r\nx"
    latin = (BASE + "Subject: ").encode() + "Récapitulatif".encode("latin-1") + b"\r\n\r\nx"
    assert parse_message(utf8.replace(b"\n", b"\r\n")).subject == "Récapitulatif"
    assert parse_message(latin.replace(b"\n", b"\r\n")).subject == "Récapitulatif"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "Mon, 3 Nov 2026 10:12:00 +0100",
            datetime(2026, 11, 3, 10, 12, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("3 Nov 2026 10:12:00 -0000", datetime(2026, 11, 3, 10, 12, tzinfo=UTC)),
        ("Mon, 3 Nov 2026 10:12:00 GMT", datetime(2026, 11, 3, 10, 12, tzinfo=UTC)),
        ("yesterday, around noon", None),
        ("Mon, 45 Nov 2026 10:12:00 +0100", None),
        ("", None),
    ],
)
def test_date_keeps_the_senders_offset_and_garbage_is_none(
    value: str, expected: datetime | None
) -> None:
    parsed = parse_date(value)
    assert parsed == expected
    if parsed is not None and expected is not None:
        assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<a@x> <b@y>", ("<a@x>", "<b@y>")),
        ("<a@x>,<b@y>", ("<a@x>", "<b@y>")),  # Exchange / iOS commas
        ("<a@x>\r\n\t<b@y>", ("<a@x>", "<b@y>")),
        ("a@x", ("<a@x>",)),  # brackets missing
        ("a@x, b@y", ("<a@x>", "<b@y>")),
        ("Your message of Mon <a@x>", ("<a@x>",)),
        ("", ()),
    ],
)
def test_reference_lists_tolerate_clients_that_break_them(
    value: str, expected: tuple[str, ...]
) -> None:
    assert parse_ids(value) == expected


def test_addresses_are_lower_cased_and_display_names_decoded() -> None:
    message = parse_message(
        mail(
            "From: =?utf-8?q?Marc_Lef=C3=A8vre?= <Marc.Lefevre@BatiPlus.FR>\n"
            'To: "Martin, Claire" <claire@acme.fr>, bob@acme.fr\nCc: <c@d.fr>\nMessage-ID: <1@x>\n'
        )
    )
    assert message.sender.email == "marc.lefevre@batiplus.fr"
    assert message.sender.name == "Marc Lefèvre"
    assert [(a.email, a.name) for a in message.to] == [
        ("claire@acme.fr", "Martin, Claire"),
        ("bob@acme.fr", ""),
    ]
    assert [a.email for a in message.cc] == ["c@d.fr"]


def test_missing_message_id_gets_a_stable_synthetic_one() -> None:
    raw = mail(BASE + "Subject: x\n")
    first, again = parse_message(raw), parse_message(raw)
    other = parse_message(mail(BASE + "Subject: y\n"))
    assert first.id == again.id != other.id
    assert first.id.startswith("<") and first.id.endswith("@max.invalid>")


def test_headers_keep_every_occurrence_lower_cased() -> None:
    message = parse_message(mail(BASE + "Received: a\nReceived: b\nX-Autoreply: yes\n"))
    assert message.headers["received"] == ("a", "b")
    assert message.header("X-AUTOREPLY") == "yes"


def test_multipart_report_lists_every_part_type_with_parameters() -> None:
    body = (
        b"--b\r\nContent-Type: text/plain\r\n\r\nIt bounced.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n\r\n"
        b"--b--\r\n"
    )
    headers = BASE + 'Content-Type: multipart/report; report-type=delivery-status;\n boundary="b"\n'
    full = parse_message(mail(headers, body))
    assert full.content_types == (
        'multipart/report; report-type=delivery-status; boundary="b"',
        "text/plain",
        "message/delivery-status",
    )
    assert full.text == "It bounced."
    light = parse_message(mail(headers, body), with_body=False)
    assert light.text is None
    assert light.content_types == full.content_types[:1]


def test_html_only_mail_becomes_text_and_calendar_is_not_text() -> None:
    body = (
        b"--b\r\nContent-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\n"
        b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<style>p{}</style><p>Bonjour,</p><p>Merci&nbsp;!</p>\r\n--b--\r\n"
    )
    message = parse_message(mail(BASE + 'Content-Type: multipart/mixed; boundary="b"\n', body))
    assert message.text == "Bonjour,\n\nMerci !"
    assert "text/calendar; method=reply" in message.content_types


def test_a_plain_part_marked_attachment_is_not_the_text() -> None:
    body = (
        b"--b\r\nContent-Type: text/plain\r\n"
        b"Content-Disposition: attachment; filename=a.txt\r\n\r\n"
        b"LOG\r\n--b\r\nContent-Type: text/plain\r\n\r\nReal words\r\n--b--\r\n"
    )
    message = parse_message(mail(BASE + 'Content-Type: multipart/mixed; boundary="b"\n', body))
    assert message.text == "Real words"


@pytest.mark.parametrize(
    "raw", [b"", b"\r\n\r\n", b"just some words\nno headers at all\n", b"X: y\n\nbody"]
)
def test_bytes_without_mail_headers_are_refused(raw: bytes) -> None:
    with pytest.raises(MaxcoreError) as err:
        parse_message(raw)
    assert err.value.code == "bad_message"


@pytest.mark.parametrize(
    ("name", "subject", "text_start"),
    [
        (
            "big5.eml",
            "Re: [Discourse] new reply to your post in 'Crystal Blue'",
            "媽！我上電視了！",
        ),
        ("reply_with_weird_encoding.eml", "", "This is a reply with a weird encoding."),
        ("encoded_display_name.eml", "I need help", "Будьте здоровы!"),
        ("chinese_reply.eml", "", "您好！ 你今天好吗？"),
    ],
)
def test_discourse_odd_encodings(name: str, subject: str, text_start: str) -> None:
    message = parse_message((DISCOURSE / name).read_bytes())
    assert message.subject == subject
    assert (message.text or "").startswith(text_start)


def test_every_discourse_email_parses() -> None:
    files = sorted(DISCOURSE.glob("*.eml"))
    assert len(files) == 140  # SOURCES.txt: 140 .eml
    messages = [parse_message(f.read_bytes()) for f in files]
    assert all(m.sender.email or m.id for m in messages)
    assert sum(m.date is not None for m in messages) >= 130


@pytest.mark.parametrize(
    ("name", "text_start"),
    [
        ("tomcat-ancient-boundary.mbox", "Lajos..."),  # boundary "<<001-...>>": split by hand
        ("text_enriched.mbox", "Hi, I am able to startup"),
        ("nexus-html-only.mbox", "Message from: https://repository.apache.org"),
        ("empty_body.mbox", ""),
    ],
)
def test_apache_edge_cases_give_their_visible_text(name: str, text_start: str) -> None:
    _, raw = next(iter_mbox(APACHE / name))
    text = parse_message(raw).text
    assert text is not None and text.startswith(text_start)


def _corpus() -> list[bytes]:
    raws = [f.read_bytes() for f in sorted(DATA.rglob("*.eml"))]
    for path in sorted(APACHE.glob("*.mbox")):
        raws += [raw for _, raw in iter_mbox(path)][::3]  # a third: the suite stays quick
    return raws


def test_headers_only_reading_agrees_with_the_full_parse_on_every_real_message() -> None:
    # Headers-only mode reads the header section itself (no body through the stdlib parser);
    # on ~1,400 real messages here it must give exactly what the full parse gives.
    raws = _corpus()
    assert len(raws) > 1200
    for raw in raws:
        try:
            full = parse_message(raw)
        except MaxcoreError as err:
            with pytest.raises(MaxcoreError) as light_err:
                parse_message(raw, with_body=False)
            assert light_err.value.field == err.field
            continue
        light = parse_message(raw, with_body=False)
        assert light == replace(full, text=None, content_types=full.content_types[:1])
        assert add_body(light, raw) == full  # a scan's second pass completes it exactly


@pytest.mark.parametrize(
    ("labels", "thrid", "expected_labels", "expected_thread"),
    [
        ("Sent,Opened", "1783000000000000001", {"SENT", "Opened"}, "18be7d0da2858001"),
        (
            'Inbox,Important,"Clients, 2026",Category Updates',
            "",
            {"INBOX", "IMPORTANT", "Clients, 2026", "CATEGORY_UPDATES"},
            None,
        ),
        ("Drafts", "not-a-number", {"DRAFT"}, None),
    ],
)
def test_google_takeout_labels_and_thread_id_are_read_as_the_api_names_them(
    labels: str, thrid: str, expected_labels: set[str], expected_thread: str | None
) -> None:
    message = parse_message(mail(BASE + f"X-GM-THRID: {thrid}\nX-Gmail-Labels: {labels}\n"))
    assert message.labels == expected_labels
    assert message.thread_id == expected_thread
