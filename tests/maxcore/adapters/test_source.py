"""read_threads: any PATH the CLI accepts, told apart by content; bad input is one clear error."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from maxcore.adapters.source import read_threads
from maxcore.core.errors import MaxcoreError

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "mail"
APACHE = DATA / "apache_ponymail_corpus"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gmail"


@pytest.mark.parametrize("path", sorted(APACHE.glob("*.mbox")), ids=lambda p: p.name)
def test_every_apache_mbox_reads_with_broken_messages_counted(path: Path) -> None:
    if path.name == "no_date.mbox":  # its one message has no From, Message-ID or Date
        with pytest.raises(MaxcoreError) as err:
            read_threads(path)
        assert err.value.code == "no_mail" and "1 unreadable" in err.value.message
        return
    result = read_threads(path)
    assert result.messages + result.skipped == _count_separators(path.read_bytes())
    assert sum(len(t.messages) for t in result.threads) <= result.messages
    assert all(t.messages for t in result.threads)


def _count_separators(data: bytes) -> int:
    """An independent count: From_ lines at the start or after a blank line."""
    lines = data.split(b"\n")
    return sum(
        1
        for i, line in enumerate(lines)
        if line.startswith(b"From ") and (i == 0 or not lines[i - 1].strip())
    )


@pytest.mark.parametrize(
    ("path", "messages", "threads"),
    [
        (APACHE / "httpd-users-2020-07.mbox", 108, None),  # SOURCES.txt: 108 messages
        (DATA / "threading_fedora_devel" / "2010-January.txt.gz", 292, None),
        (DATA / "discourse_emails", 140, None),  # a folder of .eml
        (DATA / "discourse_emails" / "big5.eml", 1, 1),
        (DATA / "discourse_emails" / "boundary_email.txt", 1, 1),  # a .eml under another name
        (FIXTURES / "thread_full.json", 4, 1),
        (FIXTURES / "message_raw.json", 1, 1),
    ],
)
def test_each_kind_of_path_is_recognised(path: Path, messages: int, threads: int | None) -> None:
    result = read_threads(path)
    assert result.messages == messages
    assert result.skipped == 0
    if threads is not None:
        assert len(result.threads) == threads


def test_one_broken_message_in_a_mailbox_is_skipped_and_counted(tmp_path: Path) -> None:
    source = (APACHE / "httpd-users-200606-part.mbox").read_bytes()
    broken = b"From nobody Mon Jan  1 00:00:00 2001\nthis is not a header line\n\n"
    path = tmp_path / "mixed.mbox"
    path.write_bytes(broken + source + b"\n" + broken)
    result = read_threads(path)
    assert (result.messages, result.skipped, result.skipped_reasons) == (12, 2, {"no_headers": 2})


def test_a_gzip_mbox_under_any_name(tmp_path: Path) -> None:
    path = tmp_path / "Tous les messages"
    path.write_bytes(gzip.compress((APACHE / "httpd-users-200606-part.mbox").read_bytes()))
    assert read_threads(path).messages == 12


def test_a_list_of_gmail_threads_is_several_threads(tmp_path: Path) -> None:
    one = json.loads((FIXTURES / "thread_full.json").read_text())
    other = json.loads((FIXTURES / "message_full.json").read_text())
    other["threadId"] = "another"
    path = tmp_path / "threads.json"
    path.write_text(json.dumps([one, other]))
    assert [t.thread_id for t in read_threads(path).threads] == ["18f2a0c0d1e2f301", "another"]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("missing.mbox", None, "not_found"),
        ("empty.mbox", b"", "empty"),
        ("blank.eml", b"\n\n   \n", "empty"),
        ("garbage.bin", b"\x00\x01\x02 not mail at all", "bad_input"),
        ("notes.txt", b"Dear diary,\nnothing here is mail.\n", "bad_input"),
        ("bad.json", b"{not json", "bad_json"),
        ("other.json", b'{"kind": "calendar#events", "items": []}', "bad_gmail_json"),
        ("list.json", b"[1, 2]", "bad_gmail_json"),
        ("nomail", "dir", "no_mail"),
    ],
)
def test_bad_input_is_one_clear_error(
    tmp_path: Path, name: str, content: bytes | str | None, code: str
) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
        (path / "readme.txt").write_text("no mail here")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(MaxcoreError) as err:
        read_threads(path)
    assert err.value.code == code
    assert str(path) in err.value.message and "\n" not in err.value.message


def test_a_folder_is_read_recursively(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    for name in ("email_reply_1.eml", "email_reply_2.eml"):
        shutil.copy(DATA / "discourse_emails" / name, nested / name)
    assert read_threads(tmp_path).messages == 2
