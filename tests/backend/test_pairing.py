"""Pairing codes: one use, ten minutes, five tries a minute per address; stored hashed."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from backend.db import make_engine, now_utc, pair_tries, pairing_codes
from backend.errors import ApiError
from backend.pairing import (
    ALPHABET,
    CODE_LENGTH,
    CODE_TTL,
    TRIES_PER_MINUTE,
    TRY_WINDOW,
    client_key,
    exchange_code,
    format_code,
    new_pairing_code,
    normalize_code,
)


def test_codes_use_only_the_unambiguous_alphabet(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    codes = {new_pairing_code(engine) for _ in range(50)}
    assert len(codes) == 50
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert not set("0O1IL") & set(ALPHABET)


def test_codes_are_stored_hashed(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(pairing_codes.c.code_hash)).scalars().all()
    assert stored and code not in stored[0]


@pytest.mark.parametrize(
    ("typed", "transform"),
    [
        ("as shown", format_code),
        ("lower case", lambda c: format_code(c).lower()),
        ("no dash", lambda c: c),
        ("spaces", lambda c: f" {c[:4]} {c[4:]} "),
    ],
)
def test_the_code_may_be_typed_loosely(app: Flask, typed: str, transform: object) -> None:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine)
    assert normalize_code(transform(code)) == code  # type: ignore[operator]
    assert len(exchange_code(engine, transform(code))) >= 40  # type: ignore[operator]


def test_pairing_end_to_end_gives_a_token_that_opens_the_api(
    app: Flask, client: FlaskClient
) -> None:
    code = format_code(new_pairing_code(app.extensions["max_engine"]))
    token = client.post("/api/v1/pair", json={"code": code}).json["token"]  # type: ignore[index]
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post("/api/v1/tracking/pixels", json={"thread_id": "18f"}, headers=headers)
    assert response.status_code == 200
    again = client.post("/api/v1/pair", json={"code": code})
    assert again.status_code == 401 and again.json["error"]["field"] == "code"  # type: ignore[index]


def test_an_expired_code_is_refused(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    created = now_utc() - CODE_TTL - timedelta(seconds=1)
    code = new_pairing_code(engine, now=created)
    with pytest.raises(ApiError) as err:
        exchange_code(engine, code)
    assert (err.value.status, err.value.field) == (401, "code")
    assert exchange_code(engine, code, now=created + CODE_TTL / 2)  # it was good in its time


def _wrong(code: str) -> str:
    return "2" * CODE_LENGTH if code != "2" * CODE_LENGTH else "3" * CODE_LENGTH


def _outcome(engine: Engine, code: str, client: str) -> int:
    """The HTTP status exchange_code would answer with."""
    try:
        exchange_code(engine, code, client)
    except ApiError as err:
        return err.status
    return 200


def test_a_code_raced_from_many_addresses_gives_one_token(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine)
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda i: _outcome(engine, code, f"c{i}"), range(12)))
    assert sorted(statuses) == [200] + [401] * 11


def test_a_burst_from_one_address_gets_its_tries_and_no_more(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine)
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda _: _outcome(engine, _wrong(code), "attacker"), range(30)))
    assert sorted(statuses) == [401] * TRIES_PER_MINUTE + [429] * (30 - TRIES_PER_MINUTE)


def _tries_in_a_process(url: str, code: str, n: int) -> list[int]:
    engine = make_engine(url)
    try:
        return [_outcome(engine, code, "attacker") for _ in range(n)]
    finally:
        engine.dispose()


def test_the_limit_holds_across_processes(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine)
    url = app.config["MAX_DATABASE_URL"]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=4, mp_context=spawn) as pool:
        runs = list(pool.map(_tries_in_a_process, [url] * 4, [_wrong(code)] * 4, [4] * 4))
    statuses = sorted(s for run in runs for s in run)
    assert statuses == [401] * TRIES_PER_MINUTE + [429] * (16 - TRIES_PER_MINUTE)


def test_after_a_burst_the_right_code_does_not_get_through_but_stays_the_users(
    app: Flask,
) -> None:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: _outcome(engine, _wrong(code), "attacker"), range(8)))
    assert _outcome(engine, code, "attacker") == 429
    assert _outcome(engine, code, "the user") == 200  # nobody else's guesses spent it


def test_wrong_guesses_from_elsewhere_never_spend_the_users_code(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine)
    for i in range(40):
        _outcome(engine, _wrong(code), f"attacker-{i % 8}")
    assert exchange_code(engine, code, "the user")


def test_the_tries_come_back_after_a_minute_and_retry_after_says_when(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine)
    t0 = now_utc()
    for _ in range(TRIES_PER_MINUTE):
        with pytest.raises(ApiError):
            exchange_code(engine, _wrong(code), "me", now=t0)
    with pytest.raises(ApiError) as err:
        exchange_code(engine, code, "me", now=t0 + timedelta(seconds=20))
    assert (err.value.status, err.value.headers) == (429, {"Retry-After": "40"})
    assert exchange_code(engine, code, "me", now=t0 + TRY_WINDOW + timedelta(seconds=1))


def test_addresses_are_kept_as_keyed_hashes_ipv6_by_64(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    key = client_key("203.0.113.7", "secret")
    assert key != client_key("203.0.113.8", "secret") and key != client_key("203.0.113.7", "x")
    assert client_key("2001:db8::1", "s") == client_key("2001:db8::ffff:1", "s")
    assert client_key("2001:db8::1", "s") != client_key("2001:db8:0:1::1", "s")
    assert _outcome(engine, "ZZZZZZZZ", key) == 401
    with engine.connect() as conn:
        stored = conn.execute(sa.select(pair_tries.c.client)).scalars().all()
    assert stored == [key] and "203.0.113.7" not in key
