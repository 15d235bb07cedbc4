"""Property-based fuzzing of every reader, and of `service.analyze` on what they produce.

The property: a reader gives a valid Thread (validity.py: UTF-8 strings, dates in the mail era, a
report that serialises) or raises one `MaxcoreError` with its own code; never another exception.

Budget: in `make test`, FUZZ_EXAMPLES inputs per test, deterministic (`derandomize=True`: the same
inputs every run, no example database written). `MAX_FUZZ_EXAMPLES=5000` runs the long campaign
(`MAX_FUZZ_SEED=N` draws another deterministic sequence).
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from maxcore.adapters import mail_fast
from maxcore.adapters.gmail_json import thread_from_gmail
from maxcore.adapters.mail import parse_message
from maxcore.adapters.page_json import thread_from_page
from maxcore.adapters.source import read_threads
from maxcore.app import service
from maxcore.app.scan import scan_mbox
from maxcore.core.errors import MaxcoreError
from maxcore.core.grouping import group_threads
from maxcore.core.settings import Settings
from maxcore.core.triage import riskiest_first

from .corpus import GMAIL, PAGE
from .strategies import (
    load_json,
    mbox_files,
    messages,
    mutate_json,
    mutated_demo,
    mutated_real,
)
from .validity import NOW, TEAM, assert_valid_message, assert_valid_thread

FUZZ_EXAMPLES = 150  # about 15 s for the 7 tests on this 2-core machine
EXAMPLES = int(os.environ.get("MAX_FUZZ_EXAMPLES", FUZZ_EXAMPLES))
SEED = os.environ.get("MAX_FUZZ_SEED")
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=SEED is None,
    database=None,
    deadline=None,  # a shared 2-core machine: timing is no property here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz(test: Any) -> Any:
    test = FUZZ(test)
    return seed(int(SEED))(test) if SEED is not None else test


# The one refusal a reader may make of a message: no header section. Anything else is its net
# firing (field "raw": a decoding failure nobody foresaw), to be fixed where it happened.
REFUSED = ("bad_message", "headers")


def _outcome(read: Callable[[bytes], object], raw: bytes) -> object:
    try:
        return read(raw)
    except MaxcoreError as err:
        return err.code, err.field


def read_mail(raw: bytes) -> None:
    """parse_message, headers only and in full, then the thread it makes; the scan's fast
    reader (adapters.mail_fast) gives the very same answers, refusals included."""
    assert _outcome(mail_fast.read_headers, raw) == _outcome(
        lambda r: parse_message(r, with_body=False), raw
    )
    assert _outcome(mail_fast.read_message, raw) == _outcome(parse_message, raw)
    try:
        headers_only = parse_message(raw, with_body=False)
    except MaxcoreError as err:
        assert (err.code, err.field) == REFUSED
        return
    message = parse_message(raw)  # the same headers read: it cannot be refused now
    assert_valid_message(headers_only)
    assert message.id == headers_only.id and message.text is not None
    for thread in group_threads([message]):
        assert_valid_thread(thread)


@fuzz
@given(st.binary(max_size=4096))
def test_the_mail_reader_on_arbitrary_bytes(raw: bytes) -> None:
    read_mail(raw)


@fuzz
@given(messages())
def test_the_mail_reader_on_messages_built_from_hostile_parts(raw: bytes) -> None:
    read_mail(raw)


@fuzz
@given(mutated_real())
def test_the_mail_reader_on_mutated_real_messages(raw: bytes) -> None:
    read_mail(raw)


@fuzz
@given(st.lists(mutated_demo(), min_size=1, max_size=12))
def test_analyze_on_threads_of_mutated_demo_messages(raws: list[bytes]) -> None:
    read = []
    for raw in raws:
        try:
            read.append(parse_message(raw))
        except MaxcoreError as err:
            assert (err.code, err.field) == REFUSED
    for thread in group_threads(read):
        assert_valid_thread(thread)
        service.suggest(thread, TEAM, NOW)  # the template writer: no LLM here


@fuzz
@given(mbox_files(), st.sampled_from(["plain", "gzip", "gzip cut short"]))
def test_the_mbox_reader_check_and_scan_agree_or_refuse_alike(data: bytes, packing: str) -> None:
    if packing != "plain":
        data = gzip.compress(data)
        data = data[: len(data) * 3 // 4] if packing == "gzip cut short" else data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.mbox"
        path.write_bytes(data)
        try:
            full = read_threads(path)
        except MaxcoreError as err:
            assert err.code in {"no_mail", "bad_mbox", "unreadable", "bad_input", "empty"}
            full = None
        try:
            scanned = scan_mbox(path, TEAM, NOW, Settings())
        except MaxcoreError as err:
            assert err.code in {"bad_mbox", "not_found"}
            scanned = None
    if full is None or scanned is None:
        return
    assert set(full.skipped_reasons) <= {"no_headers"}
    reports = [assert_valid_thread(thread) for thread in full.threads]
    assert len(reports) == len(full.threads)
    expected = riskiest_first(service.analyze(t, TEAM, NOW) for t in full.threads)
    assert scanned.reports == expected
    assert (scanned.messages, scanned.skipped) == (full.messages, full.skipped)


GMAIL_FIXTURES = [load_json(path) for path in sorted(GMAIL.glob("*.json"))]
PAGE_FIXTURES = [load_json(path) for path in sorted(PAGE.parent.glob("*.json"))]


@fuzz
@given(st.data())
def test_the_gmail_json_reader_on_structures_grown_from_the_fixtures(data: st.DataObject) -> None:
    obj = mutate_json(data.draw, data.draw(st.sampled_from(GMAIL_FIXTURES)))
    try:
        thread = thread_from_gmail(obj)
    except MaxcoreError as err:
        assert err.code == "bad_gmail_json" and isinstance(err.field, str)
        return
    assert_valid_thread(thread)


@fuzz
@given(st.data())
def test_the_page_json_reader_on_readings_grown_from_the_fixtures(data: st.DataObject) -> None:
    body = mutate_json(data.draw, data.draw(st.sampled_from(PAGE_FIXTURES)))
    thread_json = body.get("thread") if isinstance(body, dict) else body
    try:
        thread = thread_from_page(thread_json, now=NOW)
    except MaxcoreError as err:
        assert err.code == "bad_thread" and (err.field or "").startswith("thread")
        return
    assert_valid_thread(thread)
