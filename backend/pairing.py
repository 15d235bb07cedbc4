"""Pairing: a short one-time code shown on the server's console, exchanged for a bearer token.

Rule: the code is 8 characters from an alphabet with no look-alikes (no 0/O, 1/I/L), lives 10
minutes and works once: one UPDATE ... WHERE unused AND live RETURNING claims it, so two racing
requests cannot both get a token. Guessing is limited per client address, not per code: each
address gets `tries_per_minute` tries (5 by default, MAX_PAIR_TRIES_PER_MINUTE), counted in the
database by one atomic upsert before the code is even looked at, so a burst from one address is
numbered and only the first few are weighed, in one process or many; past them, a 429 with
Retry-After. A stranger's wrong guesses never spend the user's code. With 31^8 ≈ 8.5e11 codes,
one address gets 50 guesses in a code's life: a chance of about 6e-11. Codes are stored hashed,
like tokens; addresses only as a keyed hash (IPv6 by /64, what one machine can choose from).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from . import users
from .auth import hash_secret, issue_token
from .db import DEFAULT_USER_ID, UtcDateTime, now_utc, pair_tries, pairing_codes
from .errors import ApiError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_TTL = timedelta(minutes=10)
TRIES_PER_MINUTE = 5
TRY_WINDOW = timedelta(minutes=1)


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


def client_key(address: str | None, secret: str) -> str:
    """Who is trying, as a keyed hash: the IPv4 address, or the IPv6 /64 it belongs to."""
    try:
        ip = ipaddress.ip_address(address or "")
        network = (
            str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
        )
    except ValueError:
        network = address or "unknown"
    return hmac.new(secret.encode(), network.encode(), hashlib.sha256).hexdigest()[:32]


def _count_try(conn: Connection, client: str, at: datetime) -> tuple[int, datetime]:
    """This try's number in the client's current window, and when that window began: one atomic
    upsert (SQLite and PostgreSQL: INSERT ... ON CONFLICT DO UPDATE ... RETURNING)."""
    conn.execute(pair_tries.delete().where(pair_tries.c.window_start < at - CODE_TTL))
    insert = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(pair_tries)
    stale = pair_tries.c.window_start <= at - TRY_WINDOW
    statement = (
        insert.values(client=client, window_start=at, tries=1)
        .on_conflict_do_update(
            index_elements=[pair_tries.c.client],
            set_={
                "tries": sa.case((stale, 1), else_=pair_tries.c.tries + 1),
                "window_start": sa.case(
                    (stale, sa.literal(at, UtcDateTime())), else_=pair_tries.c.window_start
                ),
            },
        )
        .returning(pair_tries.c.tries, pair_tries.c.window_start)
    )
    tries, start = conn.execute(statement).one()
    return int(tries), start


def _too_many(window_start: datetime, at: datetime) -> ApiError:
    wait = max(1, math.ceil((window_start + TRY_WINDOW - at).total_seconds()))
    return ApiError(
        429,
        "too_many_tries",
        f"Too many pairing tries from this address: try again in {wait} seconds.",
        "code",
        headers={"Retry-After": str(wait)},
    )


def exchange_code(
    engine: Engine,
    raw_code: str,
    client: str = "local",
    now: datetime | None = None,
    tries_per_minute: int = TRIES_PER_MINUTE,
    account: str | None = None,
) -> str:
    """A fresh bearer token for a live code; ApiError 429 past the client's tries, 401 naming
    "code" for a wrong, expired or used one. With the address the extension confirmed, the
    code's user is bound to it, or the code refused if it is another's (backend.users) — in the
    claim's own transaction, so a refused code is not spent."""
    at = now or now_utc()
    with engine.begin() as conn:  # committed before the code is looked at: a burst is numbered
        tries, window_start = _count_try(conn, client, at)
    if tries > tries_per_minute:
        raise _too_many(window_start, at)
    claim = (
        pairing_codes.update()
        .where(
            pairing_codes.c.code_hash == hash_secret(normalize_code(raw_code)),
            pairing_codes.c.used_at.is_(None),
            pairing_codes.c.expires_at > at,
        )
        .values(used_at=at)
        .returning(pairing_codes.c.user_id)
    )
    with engine.begin() as conn:
        user_id = conn.execute(claim).scalar_one_or_none()
        if user_id is not None and account is not None:
            users.bind(conn, int(user_id), account)
    if user_id is None:
        raise ApiError(
            401,
            "bad_pairing_code",
            "This pairing code is wrong, expired or already used: print a new one with "
            "`python -m backend pair`.",
            "code",
        )
    return issue_token(engine, int(user_id))
