"""The hostile corpus through the readers: a degraded Thread or one MaxcoreError, never a crash."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from maxcore.adapters import page_json
from maxcore.adapters.gmail_json import thread_from_gmail
from maxcore.adapters.mail import HEADER_LIMIT, parse_message
from maxcore.adapters.source import read_threads
from maxcore.app import service
from maxcore.app.scan import riskiest_first, scan_mbox
from maxcore.core.errors import MaxcoreError
from maxcore.core.grouping import group_threads
from maxcore.core.model import Message
from maxcore.core.settings import Settings

from .corpus import BY_NAME, CLI_JSON, GMAIL_JSON, MAIL, MB, Sample, page_reading
from .validity import NOW, TEAM, assert_valid_thread

BIG = {s.name for s in MAIL if "10mb" in s.name or "8mb" in s.name}

# What each degraded message must still say: the part of it that survived.
MAIL_CHECKS: dict[str, Callable[[Message], bool]] = {
    "header_undefined_charset": lambda m: m.subject == "Devis révisé",
    "header_nul_in_charset": lambda m: m.subject == "Devis révisé",
    "header_idna_and_punycode_words": lambda m: (
        m.subject.startswith("a" * 70) and m.sender.email == "marc@batiplus.example"
    ),
    "header_charset_with_language": lambda m: m.subject == "Devis révisé",
    "header_mixed_utf8_and_cp1252_raw": lambda m: m.subject.startswith("Devis r"),
    "body_charset_idna": lambda m: m.text == "Bonjour éÿ +2AA- \\ud800 fin\n",
    "body_charset_punycode": lambda m: m.text == "Bonjour éÿ +2AA- \\ud800 fin\n",
    "body_charset_undefined": lambda m: m.text == "Bonjour éÿ +2AA- \\ud800 fin\n",
    "body_charset_nul": lambda m: m.text == "Bonjour éÿ +2AA- \\ud800 fin\n",
    "body_charset_rfc2231_nul": lambda m: m.text == "Bonjour\n",
    "body_charset_escape_codecs": lambda m: m.text == "Bonjour \\ud800 \\N{oops} \\x\n",
    "body_charset_utf7_surrogate": lambda m: m.text is not None and "\ufffd" in m.text,
    "body_charset_not_text": lambda m: m.text is not None and m.text.startswith("Bonjour é"),
    "params_rfc2231_mixed_continuations": lambda m: m.text == "" and m.subject == "",
    "labels_bare_cr": lambda m: m.labels == {"SENT", "IMPORTANT"},
    "arf_content_type_8bit": lambda m: m.content_types[0].startswith("multipart/report€"),
    "multipart_boundary_rfc2231_idna": lambda m: m.text == "",
    "big5_as_idna": lambda m: m.subject.startswith("Re: [Discourse]") and bool(m.text),
    "weird_encoding_as_nul": lambda m: (m.text or "").startswith("This is a reply"),
    "truncated_mime": lambda m: (m.text or "").startswith("Bonjour Marc, voici le devis révisé."),
    "boundary_never_closes": lambda m: (m.text or "").startswith("Bonjour Marc"),
    # RFC 2046 section 5.1.1: the text before the first delimiter is a preamble, not shown.
    "boundary_never_opens": lambda m: m.text == "" and m.sender.email.startswith("marc@"),
    "apple_mail_never_closes": lambda m: (m.text or "").startswith("Picture below."),
    "multipart_nested_3000_deep": lambda m: m.text == "" and m.sender.email.startswith("marc@"),
    "rfc822_nested_3000_deep": lambda m: m.text == "" and m.sender.email.startswith("marc@"),
    "broken_base64_and_uuencode": lambda m: (m.text or "").startswith("Bonjour"),
    "header_10mb_subject": lambda m: len(m.subject) == HEADER_LIMIT,
    "header_10mb_encoded_words": lambda m: m.subject.startswith("révisé"),
    "header_10mb_recipients": lambda m: 0 < len(m.cc) <= HEADER_LIMIT // 13 + 1,
    "header_10mb_content_type": lambda m: (m.text or "").startswith("Bonjour"),
    "header_8mb_folded": lambda m: m.subject.startswith("Devis révisé révisé"),
    "body_10mb_one_line": lambda m: len(m.text or "") > 9 * MB,
    "address_comments_5000_deep": lambda m: m.sender.email == "marc@batiplus.example",
    "takeout_ids_hostile": lambda m: m.thread_id is None,
    "date_year_9999": lambda m: m.date is None and m.sender.email == "marc@batiplus.example",
    "nul_bytes_everywhere": lambda m: m.subject == "a\x00b",
    "cr_only_line_ends": lambda m: m.sender.email == "marc@batiplus.example",
}


def test_every_mail_sample_has_a_check_and_a_known_expectation() -> None:
    read = {s.name for s in MAIL if s.expect == "read"}
    assert read == set(MAIL_CHECKS)
    assert {s.expect for s in BY_NAME.values()} == {"read", "refused"}


@pytest.mark.parametrize("sample", MAIL, ids=lambda s: s.name)
def test_a_hostile_message_is_read_degraded_or_refused_in_one_error(sample: Sample) -> None:
    raw = sample.build()
    started = time.process_time()
    if sample.expect == "refused":
        with pytest.raises(MaxcoreError) as err:
            parse_message(raw)
        assert err.value.code == "bad_message"
        return
    message = parse_message(raw)
    assert time.process_time() - started < 10  # minutes before the header cap
    assert MAIL_CHECKS[sample.name](message)
    headers_only = parse_message(raw, with_body=False)
    assert headers_only.text is None and headers_only.id == message.id
    for thread in group_threads([message]):
        assert_valid_thread(thread)


@pytest.mark.parametrize("sample", GMAIL_JSON + CLI_JSON, ids=lambda s: s.name)
def test_hostile_gmail_json_is_a_thread_or_an_error_naming_its_field(sample: Sample) -> None:
    try:
        obj = json.loads(sample.build())
    except RecursionError:  # deeper than the JSON parser goes: the CLI and backend refuse it
        assert sample.expect == "refused"
        return
    if sample.expect == "refused":
        with pytest.raises(MaxcoreError) as err:
            thread_from_gmail(obj)
        assert err.value.code == "bad_gmail_json"
        assert (err.value.field or "").removeprefix("$.") == sample.field
        return
    report = assert_valid_thread(thread_from_gmail(obj))
    assert report["thread_id"]


def test_a_page_reading_with_lone_surrogates_everywhere_is_a_valid_thread() -> None:
    thread = page_reading()["thread"]
    thread["subject"] = "\udfff"
    for message in thread["messages"]:
        message.update(id="e\ud800", text="cut \ud83d", labels=["SENT", "\ud800"])
        message["from"]["name"] += "\ud800"
    assert_valid_thread(page_json.thread_from_page(thread, now=NOW))
    thread["thread_id"] += "\ud800"  # an id is not degraded: it must be Gmail's
    with pytest.raises(MaxcoreError) as err:
        page_json.thread_from_page(thread, now=NOW)
    assert err.value.field == "thread.thread_id"


def _deep_parts(depth: int) -> dict[str, Any]:
    part: dict[str, Any] = {"mimeType": "text/plain", "body": {"data": "aGk"}}
    for _ in range(depth):
        part = {"mimeType": "multipart/mixed", "parts": [part]}
    headers = [{"name": "From", "value": "marc@batiplus.example"}]
    return {"messages": [{"id": "m1", "payload": {"headers": headers, "parts": [part]}}]}


def test_gmail_parts_nested_past_the_stack_as_python_values_are_refused_by_field() -> None:
    with pytest.raises(MaxcoreError) as err:
        thread_from_gmail(_deep_parts(50_000))
    assert err.value.field is not None and err.value.field.endswith(".parts")


def test_gmail_parts_nested_within_the_limit_are_read() -> None:
    thread = thread_from_gmail(_deep_parts(60))
    assert thread.messages[0].text == "hi"


def _explode(value: str) -> object:
    raise UnicodeError("a decoding failure nobody foresaw")


def test_the_mail_readers_net_skips_and_counts_a_message_nobody_foresaw(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import maxcore.adapters.mail as mail

    original = mail.takeout_thread_id
    monkeypatch.setattr(mail, "takeout_thread_id", lambda v: _explode(v) if v else original(v))
    fine = BY_NAME["header_undefined_charset"].build()
    bad = fine.replace(b"Message-ID: <hostile-1@", b"X-GM-THRID: boom\r\nMessage-ID: <bad@")
    with pytest.raises(MaxcoreError) as err:
        parse_message(bad)
    assert (err.value.code, err.value.field) == ("bad_message", "raw")
    path = tmp_path / "one-bad.mbox"
    path.write_bytes(to_mbox([bad, fine]))
    result = read_threads(path)
    assert (result.messages, result.skipped_reasons) == (1, {"unparseable": 1})
    assert scan_mbox(path, TEAM, NOW, Settings()).skipped_reasons == {"unparseable": 1}


def test_the_json_readers_nets_name_the_message_nobody_foresaw(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import maxcore.adapters.gmail_json as gmail_json

    monkeypatch.setattr(gmail_json, "_decode", lambda data, ctype: _explode(ctype))
    with pytest.raises(MaxcoreError) as err:
        thread_from_gmail(json.loads(BY_NAME["gmail_body_idna"].build()))
    assert (err.value.code, err.value.field) == ("unreadable_message", "messages[0]")
    monkeypatch.setattr(page_json, "parse_displayed_date", lambda text, now: _explode(text))
    with pytest.raises(MaxcoreError) as err:
        page_json.thread_from_page(page_reading()["thread"], now=NOW)
    assert (err.value.code, err.value.field) == ("unreadable_message", "thread.messages[0]")


def to_mbox(raws: list[bytes]) -> bytes:
    """An mboxrd file: each message after a From_ line, its own From_ lines escaped."""
    out = []
    for raw in raws:
        body = raw.replace(b"\nFrom ", b"\n>From ")
        out.append(b"From MAILER-DAEMON Fri Nov 27 12:00:00 2026\n" + body.rstrip(b"\n") + b"\n\n")
    return b"".join(out)


def test_check_and_scan_of_a_mailbox_of_every_sample_agree_and_skip_only_the_garbage(
    tmp_path: Path,
) -> None:
    raws = [s.build() for s in MAIL if s.name not in BIG]
    path = tmp_path / "hostile.mbox"
    path.write_bytes(to_mbox(raws))
    full = read_threads(path)
    assert full.skipped_reasons == {"no_headers": 1}  # binary_garbage
    assert full.messages == len(raws) - 1
    expected = riskiest_first(service.analyze(t, TEAM, NOW) for t in full.threads)
    scanned = scan_mbox(path, TEAM, NOW, Settings())
    assert scanned.reports == expected
    assert (scanned.messages, scanned.skipped_reasons) == (full.messages, full.skipped_reasons)
    for thread in full.threads:
        assert_valid_thread(thread)


@pytest.mark.parametrize("sample", [s for s in MAIL if s.name not in BIG], ids=lambda s: s.name)
def test_check_and_scan_judge_each_hostile_message_alike(sample: Sample, tmp_path: Path) -> None:
    """scan reads some bodies only: what it reads without one must be what check reads."""
    path = tmp_path / "one.mbox"
    path.write_bytes(to_mbox([sample.build()]))
    try:
        full = read_threads(path)
    except MaxcoreError as err:
        assert sample.expect == "refused" and err.code == "no_mail"
        return
    expected = riskiest_first(service.analyze(t, TEAM, NOW) for t in full.threads)
    assert scan_mbox(path, TEAM, NOW, Settings()).reports == expected


def test_a_folder_of_every_sample_reads_with_the_garbage_skipped(tmp_path: Path) -> None:
    for sample in MAIL:
        if sample.name not in BIG:
            (tmp_path / f"{sample.name}.eml").write_bytes(sample.build())
    result = read_threads(tmp_path)
    assert result.skipped_reasons == {"no_headers": 1}
    assert result.messages == len(MAIL) - len(BIG) - 1
