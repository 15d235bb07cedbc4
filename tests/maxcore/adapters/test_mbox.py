"""iter_mbox / read_at: a streaming mbox splitter that agrees with an independent count."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from maxcore.adapters.mbox import CHUNK, iter_mbox, read_at, read_many
from maxcore.core.errors import MaxcoreError

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "mail"
APACHE = DATA / "apache_ponymail_corpus"
FEDORA = DATA / "threading_fedora_devel" / "2010-January.txt.gz"


def count_from_lines(data: bytes) -> int:
    """An independent count: From_ lines at the start or after a blank line, read line by line."""
    count, previous = 0, b""
    for i, line in enumerate(data.splitlines()):
        if line.startswith(b"From ") and (i == 0 or previous.strip() == b""):
            count += 1
        previous = line
    return count


@pytest.mark.parametrize("path", sorted(APACHE.glob("*.mbox")), ids=lambda p: p.name)
def test_every_apache_mbox_splits_into_the_independent_count(path: Path) -> None:
    messages = list(iter_mbox(path))
    assert len(messages) == count_from_lines(path.read_bytes())
    assert all(path.read_bytes()[offset:].startswith(b"From ") for offset, _ in messages)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("httpd-users-2020-07.mbox", 108), ("maven-dev-2017-11-mboxvm.mbox", 317)],
)
def test_counts_match_the_corpus_sources_file(name: str, expected: int) -> None:
    assert sum(1 for _ in iter_mbox(APACHE / name)) == expected  # SOURCES.txt, "Measured"


def test_gzip_mbox_is_read_transparently() -> None:
    messages = list(iter_mbox(FEDORA))
    assert len(messages) == 292  # SOURCES.txt: 292 msgs
    assert len(messages) == count_from_lines(gzip.decompress(FEDORA.read_bytes()))
    offset, raw = messages[100]
    assert read_at(FEDORA, offset) == raw


def test_read_at_gives_back_exactly_what_iteration_gave() -> None:
    path = APACHE / "httpd-users-2020-07.mbox"
    messages = list(iter_mbox(path))
    for offset, raw in messages[::7]:
        assert read_at(path, offset) == raw
    picked = dict(messages[5:9])
    assert dict(read_many(path, reversed(list(picked)))) == picked


def test_mboxrd_escaped_from_lines_lose_one_quote(tmp_path: Path) -> None:
    path = tmp_path / "rd.mbox"
    path.write_bytes(
        b"From a@b Mon Nov  3 10:12:00 2026\nSubject: one\n\n>From here\n>>From there\n\n"
        b"From c@d Mon Nov  3 10:13:00 2026\nSubject: two\n\nbody\n"
    )
    (_, first), (_, second) = iter_mbox(path)
    assert first == b"Subject: one\n\nFrom here\n>From there\n"
    assert second == b"Subject: two\n\nbody\n"


def test_messages_straddling_chunk_seams_are_whole(tmp_path: Path) -> None:
    # Message sizes chosen so separators fall on and around the 1 MiB chunk boundaries.
    bodies = [b"x" * (CHUNK // 3 + n) + b"\n" for n in range(-5, 20)]
    path = tmp_path / "big.mbox"
    path.write_bytes(
        b"".join(
            b"From s Mon Nov  3 10:12:00 2026\nSubject: %d\n\n" % i + body + b"\n"
            for i, body in enumerate(bodies)
        )
    )
    messages = list(iter_mbox(path))
    assert [raw.split(b"\n\n", 1)[1] for _, raw in messages] == bodies
    assert read_at(path, messages[-1][0]) == messages[-1][1]


@pytest.mark.parametrize("content", [b"Subject: not an mbox\n\nbody\n", b"{}"])
def test_a_file_that_is_not_an_mbox_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.mbox"
    path.write_bytes(content)
    with pytest.raises(MaxcoreError) as err:
        list(iter_mbox(path))
    assert err.value.code == "bad_mbox"


def test_an_empty_file_has_no_message(tmp_path: Path) -> None:
    path = tmp_path / "empty.mbox"
    path.write_bytes(b"")
    assert list(iter_mbox(path)) == []
