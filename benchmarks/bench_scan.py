"""How much `maxcore scan` costs over the least any scan must do, and whether memory stays flat.

Generates, deterministically and in a temporary folder, a realistic sales mailbox (threads of 1-6
messages with References, out-of-office replies, multipart text+HTML bodies that quote the
previous message), then measures in the same run, each in a fresh subprocess so peak memory
(getrusage maxrss) is its own, in CPU seconds (the machine is shared; wall time is shown too):

- floor: the stdlib alone: `mailbox.mbox`, headers parsed with `BytesHeaderParser`, messages
  grouped by their first Reference. No reply detection, no bodies: a lower bound, not a rival.
- read: scan's own reading (`maxcore.app.scan.iter_threads`): both passes, JWZ threads, and the
  bodies the report needs, parsed in full. This is the reading layer's cost.
- scan: `maxcore.app.scan.scan_mbox`, the whole thing (reading + verdicts, counts, timing, reports).

Target: ≤ 2x the floor, and memory growth that stays small from 10k to 20k messages.
Run: `python -m benchmarks` (or `python -m benchmarks bench_scan`).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

SEED = 20261127
SIZES = (10_000, 20_000)
ME = "claire.martin@optiplan.fr"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
PARIS = timezone(timedelta(hours=1))
FIRST = ["Marc", "Anne", "Julien", "Sophie", "Paul", "Claire", "Luc", "Emma", "Hugo", "Léa"]
LAST = ["Lefèvre", "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Girard", "Roux"]
TOPICS = ["Proposition OptiPlan", "Devis planification", "Démo chantier", "Suivi pilote"]
LINES = [
    "Suite à notre échange, voici les éléments pour le module planification.",
    "Le pilote peut démarrer sur deux dépôts dès le mois prochain.",
    "Je vous joins le devis révisé avec la remise discutée.",
    "Avez-vous pu en parler avec votre directeur des opérations ?",
    "Merci pour votre retour, on regarde cela en comité mardi.",
]


def generate(path: Path, messages: int, seed: int = SEED) -> int:
    """Write an mbox of about `messages` messages; returns how many were written."""
    rng = random.Random(seed)
    written, thread_no = 0, 0
    with path.open("wb") as out:
        while written < messages:
            thread_no += 1
            for raw in _thread(rng, thread_no, min(rng.randint(1, 6), messages - written)):
                out.write(b"From MAILER-DAEMON Fri Nov 27 12:00:00 2026\n" + raw + b"\n")
                written += 1
    return written


def _thread(rng: random.Random, n: int, length: int) -> list[bytes]:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    prospect = f"{name.split()[0].lower()}.p{n}@client{n % 997}.fr"
    subject = f"{rng.choice(TOPICS)} - dossier {n}"
    date = datetime(2026, 6, 1, 9, tzinfo=PARIS) + timedelta(minutes=rng.randint(0, 250_000))
    ids: list[str] = []
    out, mine = [], True
    for i in range(length):
        auto = i > 0 and mine is False and rng.random() < 0.15
        sender, to = (ME, prospect) if mine else (prospect, ME)
        mid = f"<{n}.{i}.{rng.getrandbits(40):x}@{sender.split('@')[1]}>"
        subj = ("Réponse automatique : " if auto else "Re: " if i else "") + subject
        out.append(_message(rng, sender, to, subj, date, mid, ids, auto))
        ids.append(mid)
        date += timedelta(hours=rng.randint(2, 120))
        mine = not mine if rng.random() < 0.4 else True
    return out


def _message(
    rng: random.Random,
    sender: str,
    to: str,
    subject: str,
    date: datetime,
    mid: str,
    ids: list[str],
    auto: bool,
) -> bytes:
    text = "Bonjour,\n\n" + "\n".join(rng.sample(LINES, 3)) + "\n\nCordialement\n"
    if ids:
        text += f"\nLe {date:%d/%m/%Y} à 10:12, {to} a écrit :\n> " + "\n> ".join(LINES) + "\n"
    headers = [
        f"Received: from mail{rng.randint(1, 99)}.example.net by mx.google.com; "
        f"{format_datetime(date)}",
        "DKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=s1; h=from:to:subject; "
        "bh=" + "x" * 44 + "; b=" + "y" * 170,
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Date: {format_datetime(date)}",
        f"Message-ID: {mid}",
        "MIME-Version: 1.0",
    ]
    if ids:
        headers += [f"In-Reply-To: {ids[-1]}", "References: " + " ".join(ids)]
    if auto:
        headers.append("Auto-Submitted: auto-replied")
        text = "Je suis absent du bureau jusqu'au 15 décembre.\n"
    body = _multipart(text) if rng.random() < 0.6 else text
    headers.append(
        'Content-Type: multipart/alternative; boundary="b1"'
        if body is not text
        else "Content-Type: text/plain; charset=utf-8"
    )
    return ("\n".join(headers) + "\n\n" + body).encode("utf-8")


def _multipart(text: str) -> str:
    html = "<div>" + text.replace("\n", "<br>") + "</div>"
    return (
        f"--b1\nContent-Type: text/plain; charset=utf-8\n\n{text}\n"
        f"--b1\nContent-Type: text/html; charset=utf-8\n\n{html}\n--b1--\n"
    )


def floor(path: Path) -> int:
    import mailbox
    from email.parser import BytesHeaderParser
    from email.policy import compat32

    parser, threads = BytesHeaderParser(policy=compat32), {}
    box = mailbox.mbox(path, create=False)
    for key in box.iterkeys():
        headers = parser.parsebytes(box.get_bytes(key))
        refs = (headers.get("references") or "").split()
        root = refs[0] if refs else headers.get("in-reply-to") or headers.get("message-id")
        threads.setdefault(root, []).append(key)
    return len(threads)


def scan(path: Path) -> int:
    from maxcore.app.scan import scan_mbox
    from maxcore.core.model import Team
    from maxcore.core.settings import Settings

    return len(scan_mbox(path, Team.of([ME], ["optiplan.fr"]), NOW, Settings()).reports)


def read(path: Path) -> int:
    """scan's own reading (both passes, threads built, bodies that matter parsed), no analysis."""
    from maxcore.app.scan import iter_threads
    from maxcore.core.model import Team
    from maxcore.core.settings import Settings

    return sum(1 for _ in iter_threads(path, Team.of([ME], ["optiplan.fr"]), Settings()))


def _child(kind: str, path: str) -> None:
    import resource

    if kind != "floor":  # imports are not the mailbox's cost: load them before measuring
        import maxcore.app.scan  # noqa: F401

    started_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu_start = time.perf_counter(), time.process_time()
    threads = {"floor": floor, "read": read, "scan": scan}[kind](Path(path))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "peak_mb": peak_kb / 1024,
                "start_mb": started_kb / 1024,
                "threads": threads,
            }
        )
    )


def _measure(kind: str, path: Path, runs_wanted: int = 2) -> dict[str, float]:
    runs = []
    for _ in range(runs_wanted):  # best of several: the machine is shared
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_scan", "--child", kind, str(path)],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        runs.append(json.loads(out.stdout))
    return min(runs, key=lambda r: r["cpu"])


def _row(kind: str, result: dict[str, float], floor_cpu: float) -> str:
    cpu, peak = result["cpu"], result["peak_mb"]
    return (
        f"{kind:>6} cpu {cpu:7.2f} s {cpu / floor_cpu:6.2f}x  wall {result['seconds']:7.2f} s"
        f"  peak {peak:6.1f} MB"
        f"  growth {peak - result['start_mb']:6.1f} MB  threads {result['threads']:.0f}"
    )


def main() -> None:
    print(
        "each row: CPU seconds of the best run and its ratio to the floor (CPU, not wall time:"
        " the machine is shared), wall seconds, peak RSS, growth = peak minus RSS after imports"
    )
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
        for size in SIZES:
            path = Path(tmp) / f"{size}.mbox"
            count = generate(path, size)
            print(f"-- {count} messages, {path.stat().st_size / 2**20:.1f} MB", flush=True)
            base = _measure("floor", path)
            for kind, result in (
                ("floor", base),
                ("read", _measure("read", path)),
                ("scan", _measure("scan", path, runs_wanted=1)),  # long enough to be stable
            ):
                print(_row(kind, result, base["cpu"]), flush=True)
    print("target: read and scan <= 2x floor; growth about flat from 10k to 20k messages")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], sys.argv[3])
    else:
        main()
