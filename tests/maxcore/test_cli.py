"""The `maxcore` command as a person runs it: a real subprocess, real files, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "samples" / "demo.mbox"
SHARED = ROOT.parent / "shared" / "data" / "mail"
ME = ["--me", "claire.martin@optiplan.fr", "--team-domain", "optiplan.fr"]
NOW = ["--now", "2026-11-27T09:00:00+01:00"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "maxcore", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_check_json_reports_every_thread_of_the_demo_mailbox_with_the_documented_fields() -> None:
    out = run("check", str(DEMO), *ME, *NOW, "--json")
    assert out.returncode == 0, out.stderr
    threads = json.loads(out.stdout)["threads"]
    assert len(threads) >= 3
    assert {
        "thread_id",
        "subject",
        "unanswered",
        "level",
        "last_reply_at",
        "wait_until",
        "opens",
        "ignored",
        "prospect",
        "recommendation",
    } <= set(threads[0])
    assert {t["level"] for t in threads} >= {"trap", "ok"}
    trap = next(t for t in threads if t["level"] == "trap")
    assert trap["unanswered"] >= 3
    assert trap["recommendation"]["channel"] in {"whatsapp", "sms", "wait", "none"}


def test_check_without_json_prints_a_readable_table() -> None:
    out = run("check", str(DEMO), *ME, *NOW)
    assert out.returncode == 0, out.stderr
    assert "trap" in out.stdout and "Unanswered" in out.stdout


def test_scan_lists_riskiest_first() -> None:
    out = run("scan", str(DEMO), *ME, *NOW, "--json")
    assert out.returncode == 0, out.stderr
    levels = [t["level"] for t in json.loads(out.stdout)["threads"]]
    rank = {"trap": 0, "watch": 1, "ok": 2}
    assert levels and levels == sorted(levels, key=rank.__getitem__)
    assert "ok" not in levels  # without --all only threads at risk


def test_suggest_gives_a_two_line_message_with_a_link_and_a_qr_code() -> None:
    out = run("suggest", str(DEMO), *ME, *NOW, "--json")
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert len(answer["suggestions"]) == len(answer["threads"])  # one message per thread
    pairs = zip(answer["threads"], answer["suggestions"], strict=True)
    s = next(s for t, s in pairs if t["level"] == "trap")
    assert 1 <= len(s["text"].splitlines()) <= 2
    assert s["source"] == "template"  # no LLM configured in tests
    assert s["link"].startswith(("https://wa.me/", "sms:"))
    assert s["qr_svg"].lstrip().startswith(("<?xml", "<svg"))


def test_suggest_for_a_terminal_draws_the_message_and_the_qr() -> None:
    out = run("suggest", str(DEMO), *ME, *NOW, "--channel", "sms")
    assert out.returncode == 0, out.stderr
    assert "SMS" in out.stdout and "sms:" in out.stdout
    assert "segment" in out.stdout


def _bad_inputs(tmp: Path) -> list[tuple[list[str], str]]:
    (tmp / "empty.mbox").write_bytes(b"")
    (tmp / "garbage.bin").write_bytes(bytes(range(256)) * 4)
    (tmp / "wrong.json").write_text('{"hello": [1, 2, 3]}')
    (tmp / "nomail").mkdir()
    (tmp / "nomail" / "notes.txt").write_text("")
    return [
        (["check", str(tmp / "missing.eml"), *ME], "missing.eml"),
        (["check", str(tmp / "empty.mbox"), *ME], "empty"),
        (["check", str(tmp / "garbage.bin"), *ME], "garbage.bin"),
        (["check", str(tmp / "wrong.json"), *ME], "wrong.json"),
        (["check", str(tmp / "nomail"), *ME], "nomail"),
        (["check", str(DEMO), *ME, "--now", "yesterday"], "--now"),
        (["check", str(DEMO), "--me", "not-an-address"], "--me"),
        (["check", str(DEMO)], "--me"),
        (["scan", str(tmp / "missing.mbox"), *ME], "missing.mbox"),
        (["frobnicate"], "frobnicate"),
    ]


def test_bad_input_gets_one_clear_stderr_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    for args, named in _bad_inputs(tmp_path):
        out = run(*args)
        assert out.returncode != 0, args
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1, (args, out.stderr)
        assert "Traceback" not in out.stderr
        assert named in lines[0], (args, lines[0])


@pytest.mark.skipif(not (SHARED / "apache_ponymail_corpus").is_dir(), reason="shared data absent")
def test_a_broken_message_in_a_real_mailbox_is_skipped_and_counted_not_fatal() -> None:
    out = run("check", str(SHARED / "apache_ponymail_corpus" / "empty_body.mbox"), *ME, "--json")
    assert out.returncode == 0, out.stderr
    assert isinstance(json.loads(out.stdout)["threads"], list)


def _commands() -> list[str]:
    from maxcore.app.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return list(sub.choices)  # type: ignore[arg-type]


def test_every_cli_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = _commands()
    assert commands == [
        "check",
        "scan",
        "suggest",
        "stats",
    ]  # `serve` is the backend's own: max-backend
    for command in commands:
        out = run(command, "--help")
        assert out.returncode == 0 and "usage:" in out.stdout
        assert f"maxcore {command}" in readme, command
