"""The adversarial replay (issue 10, "Done means"): every attack of the audit, replayed against
the real backend on waitress (and the CLI for what arrives by mail), with one line per attack:
tried / changed / 500s / tracebacks. All of the last three must be zero.

`python -m benchmarks adversarial` (the audit's sizes), `--budget small` (CI:
tests/adversarial/test_replay.py), `--repo DIR` to attack another checkout (the code before a
change), `--only FAMILY_OR_NAME`. A new family is a module in benchmarks/adversarial/ with an
`ATTACKS` table, listed in FAMILIES below. Exit status 1 when any row is not clean.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.adversarial import files, http_guard, llm, opens, pairing
from benchmarks.adversarial.table import BUDGETS, Attack, Budget, Row
from benchmarks.adversarial.target import REPO, TRACEBACK, Target, running_target

FAMILIES = (opens, pairing, http_guard, llm, files)
ATTACKS: tuple[Attack, ...] = tuple(a for family in FAMILIES for a in family.ATTACKS)


def run_one(target: Target, attack: Attack, budget: Budget) -> Row:
    errors, cli_tracebacks, offset = target.server_errors, target.cli_tracebacks, target.log_size()
    try:
        outcome = attack.run(target, budget)
        tried, changed, note = outcome.tried, outcome.changed, outcome.note
    except Exception as exc:  # noqa: BLE001 — an attack that cannot finish is a failed row
        tried, changed, note = 1, 1, f"the replay failed: {type(exc).__name__}: {exc}"
    time.sleep(0.2)  # let the server finish writing its log for this attack
    tracebacks = target.log_since(offset).count(TRACEBACK) + target.cli_tracebacks - cli_tracebacks
    return Row(attack, tried, changed, target.server_errors - errors, tracebacks, note)


def replay(
    budget: Budget, repo: Path = REPO, only: Sequence[str] = (), attacks: Sequence[Attack] = ATTACKS
) -> list[Row]:
    chosen = [a for a in attacks if not only or a.family in only or a.name in only]
    with running_target(repo) as target:
        return [run_one(target, attack, budget) for attack in chosen]


def table(rows: Sequence[Row]) -> str:
    head = f"{'attack':<26} {'tried':>6} {'changed':>8} {'500s':>5} {'tracebacks':>10}  note"
    lines = [head, "-" * len(head)]
    for r in rows:
        name = f"{r.attack.family}/{r.attack.name}"
        lines.append(
            f"{name:<26} {r.tried:>6} {r.changed:>8} {r.server_errors:>5} {r.tracebacks:>10}  "
            f"{r.note}"
        )
    total = [
        sum(getattr(r, k) for r in rows)
        for k in ("tried", "changed", "server_errors", "tracebacks")
    ]
    lines.append(f"{'total':<26} {total[0]:>6} {total[1]:>8} {total[2]:>5} {total[3]:>10}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks adversarial", description=__doc__)
    parser.add_argument("--budget", choices=sorted(BUDGETS), default="full")
    parser.add_argument("--repo", type=Path, default=REPO)
    parser.add_argument("--only", action="append", default=[])
    args = parser.parse_args(list(argv or ()))
    budget = BUDGETS[args.budget]
    rows = replay(budget, args.repo.resolve(), args.only)
    print(f"adversarial replay, budget {budget.name}, code from {args.repo}")
    print(table(rows))
    return 0 if all(r.clean for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
