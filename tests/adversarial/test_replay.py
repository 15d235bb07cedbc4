"""The adversarial replay in CI (benchmarks/bench_adversarial.py, budget "small"): every attack of
issue 10 against the real backend on waitress and the CLI; none may change the advice or get
what it must not, nor cause a 500 or a traceback."""

from __future__ import annotations

import pkgutil

import pytest

import benchmarks.adversarial as families
from benchmarks.adversarial.table import BUDGETS, Attack, Outcome, Row
from benchmarks.bench_adversarial import ATTACKS, FAMILIES, replay, table

NAMES = [f"{a.family}/{a.name}" for a in ATTACKS]


@pytest.fixture(scope="module")
def rows() -> dict[str, Row]:
    done = replay(BUDGETS["small"])
    print("\n" + table(done))  # shown with -s, and in the failure report
    return {f"{r.attack.family}/{r.attack.name}": r for r in done}


@pytest.mark.parametrize("name", NAMES)
def test_no_attack_changes_anything(rows: dict[str, Row], name: str) -> None:
    row = rows[name]
    assert row.tried > 0, row.note
    assert (row.changed, row.server_errors, row.tracebacks) == (0, 0, 0), row.note


def test_every_attack_family_module_is_in_the_table() -> None:
    modules = {m.name for m in pkgutil.iter_modules(families.__path__)}
    attack_modules = {m for m in modules if m not in ("table", "target", "threads")}
    assert {f.__name__.rsplit(".", 1)[1] for f in FAMILIES} == attack_modules
    assert len(set(NAMES)) == len(NAMES) >= 15


def test_a_row_is_clean_only_when_it_tried_and_nothing_happened() -> None:
    attack = Attack("t", "t", "t", lambda target, budget: Outcome(1, 0))
    assert Row(attack, 3, 0, 0, 0, "").clean
    for tried, changed, errors, tracebacks in [(0, 0, 0, 0), (3, 1, 0, 0), (3, 0, 1, 0),
                                               (3, 0, 0, 1)]:  # fmt: skip
        assert not Row(attack, tried, changed, errors, tracebacks, "").clean
