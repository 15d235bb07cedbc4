"""Pairing: a short one-time code shown on the server's console, exchanged for a bearer token.

Rule: the code is 8 characters from an alphabet with no look-alikes (no 0/O, 1/I/L), lives 10
minutes, works once, and every live code dies after 5 wrong tries in total — with 31^8 ≈ 8.5e11
codes, 5 guesses give an attacker a chance of about 6e-12. Codes are stored hashed, like tokens.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .auth import hash_secret, issue_token
from .db import DEFAULT_USER_ID, now_utc, pairing_codes
from .errors import ApiError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_TTL = timedelta(minutes=10)
MAX_WRONG_TRIES = 5


def format_code(code: str) -> str:
    """ABCD-EFGH: two groups of four read better aloud and on a console."""
    return f"{code[:4]}-{code[4:]}"


def normalize_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch not in " -\t")


def new_pairing_code(
    engine: Engine, user_id: int = DEFAULT_USER_ID, now: datetime | None = None
) -> str:
    at = now or now_utc()
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    with engine.begin() as conn:
        conn.execute(
            pairing_codes.insert().values(
                user_id=user_id,
                code_hash=hash_secret(code),
                created_at=at,
                expires_at=at + CODE_TTL,
                wrong_tries=0,
            )
        )
    return code


def _live(at: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        pairing_codes.c.used_at.is_(None),
        pairing_codes.c.expires_at > at,
        pairing_codes.c.wrong_tries < MAX_WRONG_TRIES,
    )


def _count_wrong_try(conn: Connection, at: datetime) -> None:
    # We cannot tell which code a wrong guess aimed at, so every live code pays for it.
    conn.execute(
        pairing_codes.update().where(_live(at)).values(wrong_tries=pairing_codes.c.wrong_tries + 1)
    )


def exchange_code(engine: Engine, raw_code: str, now: datetime | None = None) -> str:
    """A fresh bearer token for a live code; ApiError 401 naming "code" otherwise."""
    at = now or now_utc()
    code = normalize_code(raw_code)
    with engine.begin() as conn:
        row = conn.execute(
            sa.select(pairing_codes.c.id, pairing_codes.c.user_id).where(
                pairing_codes.c.code_hash == hash_secret(code), _live(at)
            )
        ).first()
        if row is not None:
            claimed = conn.execute(
                pairing_codes.update()
                .where(pairing_codes.c.id == row.id, pairing_codes.c.used_at.is_(None))
                .values(used_at=at)
            )
            if claimed.rowcount == 1:
                user_id = int(row.user_id)
            else:
                row = None
        if row is None:
            _count_wrong_try(conn, at)
    if row is None:
        raise ApiError(
            401,
            "bad_pairing_code",
            "This pairing code is wrong, expired or already used: print a new one with "
            "`python -m backend pair`.",
            "code",
        )
    return issue_token(engine, user_id)
