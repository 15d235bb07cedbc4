"""The replay's vocabulary: an attack is a row (family, name, what it tries, how), run against a
`Target` within a `Budget`; it says how many hostile requests it made and how many of them
changed something they must not: MAX's advice, or what the attacker must never get (a token, a
page read across origins, a user's pairing blocked, an open silently lost, a hostile line shown,
private text sent to the LLM, a file others can read)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .target import Target


@dataclass(frozen=True)
class Budget:
    name: str
    flood: int  # pixel fetches in the flood
    burst: int  # pairing guesses in a burst
    lock_seconds: float  # how long the database stays locked under the pixel
    hostile_lines: int  # LLM answers tried through the CLI (all of them through the backend)


BUDGETS = {
    # The audit's numbers: 2,000 fetches; a lock longer than SQLite's 10 s busy timeout.
    "full": Budget("full", flood=2000, burst=40, lock_seconds=11.0, hostile_lines=99),
    # For CI (tests/adversarial/test_replay.py): the same attacks, smaller.
    "small": Budget("small", flood=200, burst=20, lock_seconds=3.0, hostile_lines=3),
}


@dataclass(frozen=True)
class Outcome:
    tried: int
    changed: int
    note: str = ""


@dataclass(frozen=True)
class Attack:
    family: str
    name: str
    what: str
    run: Callable[[Target, Budget], Outcome]


@dataclass(frozen=True)
class Row:
    attack: Attack
    tried: int
    changed: int
    server_errors: int  # answers >= 500
    tracebacks: int  # in the server's stderr or the CLI's
    note: str

    @property
    def clean(self) -> bool:
        return self.tried > 0 and self.changed == self.server_errors == self.tracebacks == 0
