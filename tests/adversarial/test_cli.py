"""`maxcore` on hostile input, as a person runs it: a subprocess, exit status, stdout and stderr.

The promise (README, ARCHITECTURE.md): bad input is one stderr line and exit 2, never a
traceback; in a mailbox one broken message is skipped and counted, the rest analysed as if it were
not there.
"""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from maxcore.app.cli import main

from .corpus import CLI_JSON, GMAIL_JSON, HOSTILE_REPLY, MAIL, POISON, ROOT, SHARED, Sample
from .test_corpus import BIG, to_mbox

DEMO = ROOT / "samples" / "demo.mbox"
ME = ["--me", "claire.martin@optiplan.fr", "--team-domain", "optiplan.fr"]
NOW = ["--now", "2026-11-27T10:00:00+01:00"]
SKIPPED_ONE = "maxcore: 1 unreadable message(s) skipped"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "maxcore", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


def assert_no_traceback(out: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in out.stderr, out.stderr[-2000:]
    assert out.returncode in (0, 2), out.stderr[-2000:]
    if out.returncode == 2:  # one line on stderr, the CLI's own
        assert out.stderr.count("\n") == 1 and out.stderr.startswith("maxcore: "), out.stderr


def threads(out: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert out.returncode == 0, out.stderr
    result: list[dict[str, Any]] = json.loads(out.stdout)["threads"]
    return result


@pytest.mark.parametrize("sample", MAIL + GMAIL_JSON + CLI_JSON, ids=lambda s: s.name)
def test_check_on_a_hostile_file_exits_0_or_prints_one_line_never_a_traceback(
    sample: Sample, tmp_path: Path
) -> None:
    path = tmp_path / (sample.name + sample.suffix)
    path.write_bytes(sample.build())
    out = run("check", path, *ME, *NOW, "--json")
    assert_no_traceback(out)
    assert out.returncode == (2 if sample.expect == "refused" else 0), out.stderr
    if out.returncode == 0:
        assert threads(out) and out.stderr == ""


def test_check_on_a_folder_of_the_hostile_mail_counts_the_one_that_is_no_mail(
    tmp_path: Path,
) -> None:
    for sample in MAIL:
        if sample.name not in BIG:
            (tmp_path / f"{sample.name}.eml").write_bytes(sample.build())
    out = run("check", tmp_path, *ME, *NOW, "--json")
    assert_no_traceback(out)
    assert out.stderr.strip() == SKIPPED_ONE
    # Most samples share one Message-ID, so one thread; the derived ones keep their own.
    ids = {t["thread_id"] for t in threads(out)}
    assert "<hostile-1@batiplus.example>" in ids and len(ids) >= 4


@pytest.mark.parametrize(
    "command", [["check"], ["suggest", "--json"], ["suggest", "--channel", "sms"]]
)
def test_the_table_and_the_suggestions_print_hostile_text_without_a_traceback(
    command: list[str], tmp_path: Path
) -> None:
    for sample in MAIL:
        if sample.name not in BIG:
            (tmp_path / f"{sample.name}.eml").write_bytes(sample.build())
    out = run(command[0], tmp_path, *ME, *NOW, *command[1:])
    assert_no_traceback(out)
    assert out.returncode == 0 and out.stdout.strip()


def _by_thread(reports: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["thread_id"]: r for r in reports}


@pytest.mark.parametrize("command", ["check", "scan"])
def test_demo_mailbox_plus_one_poisoned_message_gives_the_same_reports_and_counts_it(
    command: str, tmp_path: Path
) -> None:
    poisoned = tmp_path / "demo-poisoned.mbox"
    poisoned.write_bytes(DEMO.read_bytes().rstrip(b"\n") + b"\n\n" + POISON)
    extra = ["--all"] if command == "scan" else []
    alone = run(command, DEMO, *ME, *NOW, "--json", *extra)
    out = run(command, poisoned, *ME, *NOW, "--json", *extra)
    assert_no_traceback(out)
    assert out.stderr.strip() == SKIPPED_ONE
    assert alone.stderr == ""
    assert threads(out) == threads(alone)
    assert len(threads(alone)) >= 4


@pytest.mark.parametrize("command", ["check", "scan"])
def test_demo_mailbox_plus_a_hostile_but_readable_reply_keeps_every_other_report(
    command: str, tmp_path: Path
) -> None:
    mbox = tmp_path / "demo-hostile.mbox"
    mbox.write_bytes(DEMO.read_bytes().rstrip(b"\n") + b"\n\n" + HOSTILE_REPLY)
    extra = ["--all"] if command == "scan" else []
    alone = _by_thread(threads(run(command, DEMO, *ME, *NOW, "--json", *extra)))
    out = run(command, mbox, *ME, *NOW, "--json", *extra)
    assert_no_traceback(out)
    assert out.stderr == ""  # degraded, not skipped
    reports = _by_thread(threads(out))
    assert set(reports) - set(alone) and set(alone) <= set(reports)
    assert {t: reports[t] for t in alone} == alone
    (hostile,) = (reports[t] for t in set(reports) - set(alone))
    assert hostile["prospect"]["email"] == "inconnu@hostile.example"


@pytest.mark.parametrize("command", ["check", "scan"])
def test_a_gzip_mailbox_cut_short_is_one_line(command: str, tmp_path: Path) -> None:
    packed = gzip.compress(DEMO.read_bytes())
    cut = tmp_path / "demo.mbox.gz"
    cut.write_bytes(packed[: len(packed) * 2 // 3])
    out = run(command, cut, *ME, *NOW)
    assert_no_traceback(out)
    assert out.returncode == 2


@pytest.mark.parametrize("cut", [2, 20, 200])
def test_a_gzip_gmail_json_cut_short_or_corrupt_is_one_line(cut: int, tmp_path: Path) -> None:
    packed = bytearray(gzip.compress((ROOT / "tests/fixtures/gmail/thread_full.json").read_bytes()))
    path = tmp_path / "thread.json.gz"
    packed[cut] ^= 0xFF  # a corrupt deflate block, or a bad header
    path.write_bytes(bytes(packed[: len(packed) - cut]))
    out = run("check", path, *ME, *NOW)
    assert_no_traceback(out)
    assert out.returncode == 2


def test_a_now_in_the_year_9999_is_one_line() -> None:
    out = run("check", DEMO, *ME, "--now", "9999-12-31T23:59:59-12:00")
    assert_no_traceback(out)
    assert out.returncode == 2 and "--now" in out.stderr


# ----- a few hundred inputs mutated from the real corpora, with a fixed seed -----

SEED = 20261127
MUTANTS = 300
HOSTILE_CHARSETS = [b"undefined", b"idna", b"punycode", b"x\x00y", b"utf-7", b"unicode_escape"]


def _mutate(rng: random.Random, raw: bytes) -> bytes:
    choice = rng.randrange(6)
    if choice == 0:  # flip bytes
        data = bytearray(raw)
        for _ in range(rng.randint(1, 30)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if choice == 1:  # cut anywhere
        return raw[: rng.randrange(len(raw) + 1)]
    if choice == 2:  # a hostile charset everywhere one is named
        return raw.replace(b"charset=", b'charset="' + rng.choice(HOSTILE_CHARSETS) + b'" x=')
    if choice == 3:  # a hostile encoded word in a header
        word = b"=?" + rng.choice(HOSTILE_CHARSETS) + b"?Q?r=E9vis=E9?="
        return raw.replace(b"\nSubject:", b"\nSubject: " + word, 1).replace(
            b"\nFrom:", b"\nFrom: " + word, 1
        )
    if choice == 4:  # boundaries that never close
        return raw.replace(b"--\n", b"\n").replace(b"--\r\n", b"\r\n")
    return raw[: len(raw) // 2] + raw[len(raw) // 3 :]  # a splice


def mutants() -> list[bytes]:
    rng = random.Random(SEED)
    files = sorted((SHARED / "discourse_emails").glob("*.eml"))
    files += sorted((SHARED / "sisimai_set_of_emails").rglob("*.eml"))[::10]
    raws = [f.read_bytes() for f in files]
    return [_mutate(rng, rng.choice(raws)) for _ in range(MUTANTS)]


@pytest.fixture(scope="module")
def mutant_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("mutants")
    paths = []
    for i, raw in enumerate(mutants()):
        path = folder / f"{i:03d}.eml"
        path.write_bytes(raw)
        paths.append(path)
    return paths


def test_each_mutant_through_the_cli_entry_point_exits_0_or_2_with_one_line(
    mutant_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    codes = []
    for path in mutant_files:  # in-process: 300 subprocesses would take minutes here
        code = main(["check", str(path), *ME, *NOW, "--json"])  # an exception fails the test
        err = capsys.readouterr().err
        assert code in (0, 2), (path.name, err)
        if code == 2:
            assert err.count("\n") == 1 and err.startswith("maxcore: "), (path.name, err)
        codes.append(code)
    assert codes.count(0) > MUTANTS // 2  # most mutants are still mail


def test_the_mutants_as_one_folder_and_one_mailbox_never_print_a_traceback(
    mutant_files: list[Path], tmp_path: Path
) -> None:
    mbox = tmp_path / "mutants.mbox"
    mbox.write_bytes(to_mbox([p.read_bytes() for p in mutant_files]))
    folder = mutant_files[0].parent
    for args in (["check", folder], ["check", mbox], ["scan", mbox, "--all"]):
        out = run(*args, *ME, *NOW, "--json")
        assert_no_traceback(out)
        assert out.returncode == 0 and threads(out)


def test_a_sample_of_the_mutants_one_subprocess_each(mutant_files: list[Path]) -> None:
    for path in mutant_files[::15]:
        assert_no_traceback(run("check", path, *ME, *NOW))
