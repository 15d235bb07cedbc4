"""MAX_PROXY_HOPS: behind the operator's own reverse proxy, the client is the address the proxy
saw (X-Forwarded-For), so each rep keeps their own pairing tries; without the setting that header
is anybody's to write, and changes nothing. Every request here comes from the proxy's address,
127.0.0.1, as behind nginx on the same host."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from backend import create_app
from backend.pairing import TRIES_PER_MINUTE, format_code, new_pairing_code
from maxcore.core.errors import MaxcoreError

PROXY = {"REMOTE_ADDR": "127.0.0.1"}
WRONG = {"code": "2222-2222"}


def app_with(tmp_path: Path, **config: object) -> Flask:
    return create_app({"TESTING": True, "MAX_DATA_DIR": str(tmp_path / "data"), **config})


def statuses(app: Flask, forwarded_for: list[str]) -> list[int]:
    client = app.test_client()
    return [
        client.post(
            "/api/v1/pair", json=WRONG, headers={"X-Forwarded-For": ip}, environ_base=PROXY
        ).status_code
        for ip in forwarded_for
    ]


def test_without_the_setting_a_written_x_forwarded_for_does_not_buy_more_tries(tmp_path):
    # An attacker rotating the header is still one client: the proxy's (here, its own) address.
    app = app_with(tmp_path)
    got = statuses(app, [f"198.51.100.{i}" for i in range(TRIES_PER_MINUTE + 3)])
    assert got == [401] * TRIES_PER_MINUTE + [429] * 3


def test_behind_one_proxy_each_rep_keeps_their_own_tries(tmp_path):
    app = app_with(tmp_path, MAX_PROXY_HOPS="1")
    # One rep (or an attacker behind one address) spends theirs...
    assert statuses(app, ["203.0.113.7"] * (TRIES_PER_MINUTE + 1)) == (
        [401] * TRIES_PER_MINUTE + [429]
    )
    # ...and the next rep through the same proxy still pairs with their code.
    code = format_code(new_pairing_code(app.extensions["max_engine"]))
    answer = app.test_client().post(
        "/api/v1/pair",
        json={"code": code},
        headers={"X-Forwarded-For": "203.0.113.8"},
        environ_base=PROXY,
    )
    assert answer.status_code == 200 and answer.get_json()["token"]


def test_behind_one_proxy_only_the_proxys_own_entry_counts(tmp_path):
    # A client writing its own X-Forwarded-For before the proxy appends the real address: with
    # one hop MAX takes the last entry, the one the proxy wrote.
    app = app_with(tmp_path, MAX_PROXY_HOPS="1")
    forged = [f"198.51.100.{i}, 203.0.113.7" for i in range(TRIES_PER_MINUTE + 2)]
    assert statuses(app, forged) == [401] * TRIES_PER_MINUTE + [429] * 2


def test_behind_a_proxy_a_remote_rep_cannot_pair_without_a_code(tmp_path):
    # The proxy connects from loopback; the rep it forwards is not this computer.
    app = app_with(tmp_path, MAX_PROXY_HOPS="1")
    page = app.test_client().get(
        "/pair", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base=PROXY
    )
    assert page.status_code == 403
    assert page.get_json()["error"]["code"] == "not_local"
    # Without the setting the same request looks local (why the README says MAX_LOCAL_PAIRING=off).
    plain = app_with(tmp_path / "plain").test_client()
    assert (
        plain.get(
            "/pair", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base=PROXY
        ).status_code
        == 200
    )


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_a_bad_hop_count_is_refused_naming_the_setting(tmp_path, value):
    with pytest.raises(MaxcoreError) as raised:
        app_with(tmp_path, MAX_PROXY_HOPS=value)
    assert raised.value.field == "MAX_PROXY_HOPS"
