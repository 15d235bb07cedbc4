"""backend/local_pairing.py: which addresses, Host headers and Origins may pair without a code."""

from __future__ import annotations

import pytest

from backend.errors import ApiError
from backend.local_pairing import (
    check_extension,
    check_local,
    extension_id,
    is_loopback_address,
    is_loopback_host,
)

EXT = "abcdefghijklmnopabcdefghijklmnop"


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),  # a dual-stack socket's view of an IPv4 loopback client
        ("192.168.1.20", False),
        ("10.0.0.1", False),
        ("::ffff:192.168.1.20", False),
        ("", False),
        (None, False),
        ("localhost", False),  # an address, not a name
    ],
)
def test_only_loopback_addresses_are_this_computer(address: str | None, loopback: bool) -> None:
    assert is_loopback_address(address) is loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1:8765", True),
        ("127.0.0.1", True),
        ("localhost:8765", True),
        ("LOCALHOST", True),
        ("[::1]:8765", True),
        (
            "evil.example:8765",
            False,
        ),  # DNS rebinding: the name points at 127.0.0.1, the Host says so
        ("127.0.0.1.nip.io:8765", False),
        ("localhost.evil.example", False),
        ("sub.localhost:8765", False),  # only the exact name
        ("192.168.1.20:8765", False),
        ("[::ffff:127.0.0.1]:8765", True),
        ("", False),
        (None, False),
        ("127.0.0.1:8765:1", False),
    ],
)
def test_the_host_header_must_name_this_computer(host: str | None, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


@pytest.mark.parametrize(
    ("origin", "found"),
    [
        (f"chrome-extension://{EXT}", EXT),
        (f"chrome-extension://{EXT}/", None),
        ("chrome-extension://abc", None),
        ("chrome-extension://ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP", None),
        ("https://mail.google.com", None),
        ("null", None),
        (None, None),
    ],
)
def test_extension_origins(origin: str | None, found: str | None) -> None:
    assert extension_id(origin) == found


@pytest.mark.parametrize(
    ("config", "remote", "host", "field"),
    [
        ({}, "127.0.0.1", "127.0.0.1:8765", None),
        ({"MAX_LOCAL_PAIRING": "on"}, "::1", "localhost:8765", None),
        ({"MAX_LOCAL_PAIRING": "off"}, "127.0.0.1", "127.0.0.1:8765", "config"),
        ({"MAX_LOCAL_PAIRING": "0"}, "127.0.0.1", "127.0.0.1:8765", "config"),
        ({}, "192.168.1.20", "127.0.0.1:8765", "client"),
        ({}, "127.0.0.1", "evil.example:8765", "host"),
    ],
)
def test_check_local_names_what_it_refused(
    config: dict[str, str], remote: str, host: str, field: str | None
) -> None:
    if field is None:
        check_local(config, remote, host)
        return
    with pytest.raises(ApiError) as raised:
        check_local(config, remote, host)
    assert (raised.value.status, raised.value.code, raised.value.field) == (403, "not_local", field)


def test_a_pinned_extension_id_refuses_other_extensions() -> None:
    other = "p" * 32
    check_extension({}, f"chrome-extension://{other}")
    check_extension({"MAX_EXTENSION_ID": EXT}, f"chrome-extension://{EXT}")
    with pytest.raises(ApiError) as raised:
        check_extension({"MAX_EXTENSION_ID": EXT}, f"chrome-extension://{other}")
    assert raised.value.field == "origin"
