"""Pairing under attack: guesses in bursts, from one address and from many, against the code the
user is about to type. The rules (docs/pairing.md): a few tries per address per minute (429 with
Retry-After past them, counted atomically: a burst gets no more), a code works once, and nobody
else's wrong guesses can spend the user's code.

Each attack gets its own loopback addresses (127.0.0.0/8 all reach the server), so one attack's
spent tries never explain another's result; the user types from 127.0.0.2.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from .table import Attack, Budget, Outcome
from .target import Answer, Target

TRIES_PER_MINUTE = 5  # docs/pairing.md
USER = "127.0.0.2"


def _guess(target: Target, code: str, source: str) -> Answer:
    return target.call("POST", "/api/v1/pair", {"code": code}, auth=False, source=source)


def _wrong(code: str, i: int) -> str:
    """A well-formed code that is not `code`."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    guess = "".join(alphabet[(i * 7 + k * 3) % len(alphabet)] for k in range(8))
    return guess if guess != code.replace("-", "") else guess[::-1]


def _burst(target: Target, codes: list[str], sources: list[str]) -> list[Answer]:
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(lambda pair: _guess(target, *pair), zip(codes, sources, strict=True)))


def burst_then_right_code(target: Target, budget: Budget) -> Outcome:
    """A concurrent burst of wrong guesses from one address, then the right code from it."""
    code, source = target.pair_code(), "127.0.1.1"
    _burst(target, [_wrong(code, i) for i in range(budget.burst)], [source] * budget.burst)
    right = _guess(target, code, source)
    return Outcome(budget.burst + 1, int(right.status == 200), f"the right code: {right.status}")


def guesses_past_the_limit(target: Target, budget: Budget) -> Outcome:
    """A concurrent burst from one address: how many guesses the server weighed (not 429)."""
    code, source = target.pair_code(), "127.0.1.2"
    answers = _burst(
        target, [_wrong(code, i) for i in range(budget.burst)], [source] * budget.burst
    )
    weighed = sum(a.status != 429 for a in answers)
    no_retry_after = sum(a.status == 429 and "retry-after" not in a.headers for a in answers)
    note = f"{weighed} weighed, {budget.burst - weighed} refused with 429"
    return Outcome(budget.burst, max(0, weighed - TRIES_PER_MINUTE) + no_retry_after, note)


def block_the_user(target: Target, budget: Budget) -> Outcome:
    """Wrong guesses from elsewhere, then the user types the right code."""
    code = target.pair_code()
    sources = [f"127.0.2.{i % 50 + 1}" for i in range(budget.burst)]
    _burst(target, [_wrong(code, i) for i in range(budget.burst)], sources)
    mine = _guess(target, code, USER)
    return Outcome(budget.burst, int(mine.status != 200), f"the user's code: {mine.status}")


def one_code_one_token(target: Target, budget: Budget) -> Outcome:
    """The right code sent at once from many addresses: exactly one token."""
    code = target.pair_code()
    n = 12
    answers = _burst(target, [code] * n, [f"127.0.3.{i + 1}" for i in range(n)])
    tokens = sum(a.status == 200 for a in answers)
    return Outcome(n, abs(tokens - 1), f"{tokens} token(s) for one code")


ATTACKS = (
    Attack(
        "pairing",
        "burst_then_right",
        "a burst of guesses, then the right code",
        burst_then_right_code,
    ),
    Attack(
        "pairing", "past_the_limit", "a concurrent burst from one address", guesses_past_the_limit
    ),
    Attack(
        "pairing", "block_the_user", "wrong guesses from elsewhere spend the code", block_the_user
    ),
    Attack("pairing", "one_code_twice", "one code raced from 12 addresses", one_code_one_token),
)
