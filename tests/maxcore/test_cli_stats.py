"""`maxcore stats` on a generated mailbox whose outcomes are known: real RFC 5322 messages written
with the standard library's email package into an mbox, the CLI run in a subprocess."""

from __future__ import annotations

import json
import mailbox
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ME = "claire@optiplan.example"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


class Mailbox:
    """Threads of our emails and the prospects' answers, each message a real RFC 5322 one."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.threads = 0

    def thread(self, steps: list[tuple[str, float]]) -> tuple[str, list[datetime]]:
        """One thread: (who, hours from its start) per message, who one of "me", "them",
        "auto" (an out-of-office, RFC 3834's Auto-Submitted). Returns its Gmail id (hex) and
        the messages' times."""
        self.threads += 1
        n = self.threads
        thrid = 1_800_000_000_000_000_000 + n  # X-GM-THRID, Gmail's id in decimal
        prospect = f"prospect{n}@client{n}.example"
        start = START + timedelta(days=n)
        ids: list[str] = []
        times: list[datetime] = []
        for i, (who, hours) in enumerate(steps):
            at = start + timedelta(hours=hours)
            msg = EmailMessage()
            msg["Message-ID"] = f"<t{n}-m{i}@gen.example>"
            msg["Date"] = format_datetime(at)
            subject = ("Re: " if i else "") + f"Offre {n}"
            msg["Subject"] = f"Réponse automatique : Offre {n}" if who == "auto" else subject
            msg["X-GM-THRID"] = str(thrid)
            if ids:
                msg["In-Reply-To"], msg["References"] = ids[-1], " ".join(ids)
            if who == "me":
                msg["From"], msg["To"] = f"Claire <{ME}>", prospect
                msg["X-Gmail-Labels"] = "Sent"
                msg.set_content(f"Bonjour,\nVoici où nous en sommes sur l'offre {n}.\nClaire\n")
            else:
                msg["From"], msg["To"] = prospect, ME
                msg["X-Gmail-Labels"] = "Inbox"
                if who == "auto":
                    msg["Auto-Submitted"] = "auto-replied"
                    msg.set_content("Je suis absent et n'ai pas accès à mes emails.\n")
                else:
                    msg.set_content("Merci, je regarde ça avec mon associé cette semaine.\n")
            ids.append(msg["Message-ID"])
            times.append(at)
            self.messages.append(msg)
        return f"{thrid:x}", times

    def write(self, path: Path) -> Path:
        box = mailbox.mbox(path)
        for msg in self.messages:
            box.add(msg)
        box.close()
        return path


THIRD = [("me", 0), ("me", 72), ("me", 144)]  # our email and two follow-ups: the third at 144 h
REPLY_HOURS = [2, 4, 6, 8, 10, 12, 14]  # after the third email, in the answered threads


def known_mailbox(tmp_path: Path) -> tuple[Path, Path]:
    """14 third-email cases, 8 answered (7 after 2-14 h, one after 5 h), auto-replies that must
    not count; 12 pivots an hour after a third email, 8 answered (7 by email 1-13 h after, one
    marked answered on the phone 3 h after), and one pivot of a thread not in the mailbox."""
    box, pivots = Mailbox(), []
    for hours in REPLY_HOURS:
        thread_id, times = box.thread([*THIRD, ("them", 144 + hours)])
        pivots.append(
            {"thread_id": thread_id, "sent_at": (times[2] + timedelta(hours=1)).isoformat()}
        )
    for k in range(5):  # no answer after the third: an out-of-office, or nothing
        thread_id, times = box.thread([*THIRD, ("auto", 145)] if k < 3 else THIRD)
        pivot: dict[str, Any] = {
            "thread_id": thread_id,
            "sent_at": (times[2] + timedelta(hours=1)).isoformat(),
        }
        if k == 0:  # the salesperson marked it "answered on the phone"
            pivot["answered_at"] = (times[2] + timedelta(hours=4)).isoformat()
        pivots.append(pivot)
    # Two silences in one thread: answered 5 h after its first third email, then a second one
    # left unanswered: two cases.
    box.thread([*THIRD, ("them", 149), ("me", 200), ("me", 272), ("me", 344)])
    # A reply before a third email: never three unanswered, no case.
    box.thread([("me", 0), ("me", 72), ("them", 80), ("me", 150)])
    box.thread([("me", 0), ("them", 5), ("me", 72), ("me", 144)])
    pivots.append({"thread_id": "ffff", "sent_at": "2026-03-20T10:00:00+00:00"})
    pivots_file = tmp_path / "pivots.json"
    pivots_file.write_text(json.dumps(pivots), encoding="utf-8")
    return box.write(tmp_path / "known.mbox"), pivots_file


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "maxcore", "stats", *args],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_stats_json_gives_the_known_rates(tmp_path: Path) -> None:
    mbox, pivots = known_mailbox(tmp_path)
    out = run(str(mbox), "--me", ME, "--pivots", str(pivots), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "after_pivot": {
            "cases": 12, "answered": 8, "reply_rate": round(8 / 12, 4),
            "median_hours_to_reply": 6.0,  # of 1, 3, 5, 7, 9, 11, 13 and the phone's 3
        },
        "after_third_email": {
            "cases": 14, "answered": 8, "reply_rate": round(8 / 14, 4),
            "median_hours_to_reply": 7.0,  # of 2, 4, 6, 8, 10, 12, 14 and 5
        },
        "min_cases": 10,
    }  # fmt: skip
    assert out.stderr.strip() == f"maxcore: 1 pivot(s) for threads not in {mbox} left out"


def test_the_sent_label_says_ours_without_me(tmp_path: Path) -> None:
    mbox, _ = known_mailbox(tmp_path)
    out = run(str(mbox), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["after_third_email"]["cases"] == 14


def test_fewer_than_ten_cases_give_no_figure(tmp_path: Path) -> None:
    box = Mailbox()
    for hours in REPLY_HOURS:  # 7 cases, all answered
        box.thread([*THIRD, ("them", 144 + hours)])
    box.thread([*THIRD, ("auto", 150)])
    box.thread(THIRD)
    out = run(str(box.write(tmp_path / "small.mbox")), "--me", ME, "--json")
    assert out.returncode == 0, out.stderr
    stats = json.loads(out.stdout)
    assert stats["after_third_email"] == {
        "cases": 9, "answered": 7, "reply_rate": None, "median_hours_to_reply": None,
    }  # fmt: skip
    assert stats["after_pivot"]["cases"] == 0


def test_the_table_shows_both_rows(tmp_path: Path) -> None:
    mbox, pivots = known_mailbox(tmp_path)
    out = run(str(mbox), "--me", ME, "--pivots", str(pivots))
    assert out.returncode == 0, out.stderr
    pivot_row = next(line for line in out.stdout.splitlines() if "a pivot" in line)
    third_row = next(line for line in out.stdout.splitlines() if "a third email" in line)
    assert "67%" in pivot_row and "6 h" in pivot_row
    assert "57%" in third_row and "7 h" in third_row


@pytest.mark.parametrize(
    ("pivots", "message"),
    [
        (None, "No such file"),
        ("not json", "must be JSON"),
        ('{"thread_id": "18f"}', "Expected `array`"),
        ('[{"thread_id": "18f"}]', "sent_at"),
        ('[{"thread_id": "18f", "sent_at": "2026-03-02T10:00:00"}]', "timezone"),
        ('[{"thread_id": "<a@b>", "sent_at": "2026-03-02T10:00:00Z"}]', "thread_id"),
    ],
)
def test_a_bad_pivots_file_is_one_line_and_exit_2(
    tmp_path: Path, pivots: str | None, message: str
) -> None:
    mbox, _ = known_mailbox(tmp_path)
    path = tmp_path / "bad.json"
    if pivots is not None:
        path.write_text(pivots, encoding="utf-8")
    out = run(str(mbox), "--pivots", str(path))
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.splitlines()) == 1 and message in out.stderr, out.stderr


def test_a_missing_mailbox_is_one_line_and_exit_2(tmp_path: Path) -> None:
    out = run(str(tmp_path / "none.mbox"))
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1
    assert "no such file" in out.stderr
