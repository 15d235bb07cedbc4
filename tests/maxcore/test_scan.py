"""scan_mbox: the streaming two-pass scan gives the same reports as reading everything."""

from __future__ import annotations

import gzip
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from maxcore.adapters.source import read_threads
from maxcore.app import service
from maxcore.app.scan import scan_mbox
from maxcore.core.errors import MaxcoreError
from maxcore.core.model import Team, ThreadReport
from maxcore.core.settings import Settings
from maxcore.core.triage import is_at_risk, riskiest_first

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".." / "shared" / "data" / "mail"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

CASES = [
    (ROOT / "samples" / "demo.mbox", Team.of(["claire.martin@optiplan.fr"], ["optiplan.fr"])),
    (DATA / "apache_ponymail_corpus" / "httpd-users-2020-07.mbox", Team.of(["covener@gmail.com"])),
    (
        DATA / "apache_ponymail_corpus" / "maven-dev-2017-11-mboxvm.mbox",
        Team.of([], ["apache.org"]),
    ),
    (DATA / "threading_fedora_devel" / "2010-January.txt.gz", Team.of(["loganjerry@gmail.com"])),
]


@pytest.mark.parametrize(("path", "team"), CASES, ids=lambda c: getattr(c, "name", ""))
def test_scan_equals_analysing_every_thread_read_in_full(path: Path, team: Team) -> None:
    full = read_threads(path)
    expected = riskiest_first(service.analyze(t, team, NOW) for t in full.threads)
    result = scan_mbox(path, team, NOW, Settings())
    assert result.reports == expected
    assert (result.messages, result.skipped) == (full.messages, full.skipped)


@pytest.mark.parametrize(("path", "team"), CASES, ids=lambda c: getattr(c, "name", ""))
def test_listing_the_threads_at_risk_equals_the_full_parse_at_risk(path: Path, team: Team) -> None:
    full = read_threads(path)
    expected = [
        r
        for r in riskiest_first(service.analyze(t, team, NOW) for t in full.threads)
        if is_at_risk(r)
    ]
    result = scan_mbox(path, team, NOW, Settings(), at_risk_only=True)
    assert result.reports == expected
    assert (result.messages, result.skipped) == (full.messages, full.skipped)


@pytest.mark.parametrize("watch_at", [2, 3])
def test_listing_at_risk_follows_the_watch_threshold(watch_at: int) -> None:
    path, team = CASES[0]
    settings = replace(Settings(), watch_at=watch_at, trap_at=watch_at + 1)
    full = read_threads(path)
    every = [service.analyze(t, team, NOW, settings) for t in full.threads]
    listed = scan_mbox(path, team, NOW, settings, at_risk_only=True).reports
    assert listed == riskiest_first(r for r in every if is_at_risk(r))
    assert 0 < len(listed) < len(every)


def test_demo_mailbox_is_ordered_riskiest_first() -> None:
    path, team = CASES[0]
    levels = [r.level for r in scan_mbox(path, team, NOW, Settings()).reports]
    assert levels == sorted(levels, key=["trap", "watch", "ok"].index)
    assert levels[0] == "trap"


def _report(level: str, touch: datetime | None, tid: str) -> ThreadReport:
    base = ThreadReport(tid, "s", 0, "ok", None, None, 0, (), None)
    return replace(base, level=level, last_touch_at=touch)  # type: ignore[arg-type]


def test_riskiest_first_is_level_then_oldest_silence() -> None:
    old, recent = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC)
    reports = [
        _report("ok", old, "a"),
        _report("watch", recent, "b"),
        _report("trap", recent, "c"),
        _report("watch", None, "d"),
        _report("trap", old, "e"),
        _report("watch", old, "f"),
    ]
    assert [r.thread_id for r in riskiest_first(reports)] == ["e", "c", "f", "b", "d", "a"]


def test_progress_goes_up_to_the_total(tmp_path: Path) -> None:
    path, team = CASES[1]
    calls: list[tuple[int, int]] = []
    scan_mbox(path, team, NOW, Settings(), lambda done, total: calls.append((done, total)))
    assert calls and len({total for _, total in calls}) == 1
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1][0] == calls[-1][1]


def test_broken_messages_are_skipped_and_counted(tmp_path: Path) -> None:
    path, team = CASES[0]
    broken = b"From nobody Mon Jan  1 00:00:00 2001\nnot a header\n\n"
    mixed = tmp_path / "mixed.mbox.gz"
    mixed.write_bytes(gzip.compress(broken + path.read_bytes() + b"\n" + broken))
    result = scan_mbox(mixed, team, NOW, Settings())
    clean = scan_mbox(path, team, NOW, Settings())
    assert (result.skipped, result.skipped_reasons) == (2, {"no_headers": 2})
    assert result.reports == clean.reports


@pytest.mark.parametrize(
    ("content", "code"), [(None, "not_found"), (b"Subject: hi\n\nnot an mbox\n", "bad_mbox")]
)
def test_bad_mailbox_is_one_clear_error(tmp_path: Path, content: bytes | None, code: str) -> None:
    path = tmp_path / "box.mbox"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(MaxcoreError) as err:
        scan_mbox(path, Team.of(["me@acme.fr"]), NOW, Settings())
    assert err.value.code == code


def test_a_truncated_gzip_mailbox_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.mbox.gz"
    path.write_bytes(gzip.compress(CASES[0][0].read_bytes())[:300])
    with pytest.raises(MaxcoreError) as err:
        scan_mbox(path, Team.of(["me@acme.fr"]), NOW, Settings())
    assert err.value.code == "bad_mbox"
