"""Pairing codes: one use, ten minutes, five wrong tries in all; stored hashed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend.db import now_utc, pairing_codes
from backend.errors import ApiError
from backend.pairing import (
    ALPHABET,
    CODE_LENGTH,
    CODE_TTL,
    MAX_WRONG_TRIES,
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


def test_wrong_tries_kill_every_live_code(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine)
    wrong = "2" * CODE_LENGTH if code != "2" * CODE_LENGTH else "3" * CODE_LENGTH
    for _ in range(MAX_WRONG_TRIES):
        with pytest.raises(ApiError):
            exchange_code(engine, wrong)
    with pytest.raises(ApiError):
        exchange_code(engine, code)  # the right code, too late
    fresh = new_pairing_code(engine)
    assert exchange_code(engine, fresh)  # a new code printed on the console works


def test_fewer_wrong_tries_leave_the_code_alive(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    code = new_pairing_code(engine)
    for _ in range(MAX_WRONG_TRIES - 1):
        with pytest.raises(ApiError):
            exchange_code(engine, "Z" * CODE_LENGTH)
    assert exchange_code(engine, code)
