"""backend/local_pairing.py: which addresses, Host headers and Origins may pair without a code."""

from __future__ import annotations

import pytest

from backend.errors import ApiError
from backend.local_pairing import check_extension, check_local, is_loopback_host
from backend.request_guard import is_extension_origin, is_loopback_ip

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
    assert is_loopback_ip(address) is loopback


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
    ("origin", "extension"),
    [
        (f"chrome-extension://{EXT}", True),
        (f"chrome-extension://{EXT}/", False),
        ("chrome-extension://abc", False),
        ("chrome-extension://ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP", False),
        ("https://mail.google.com", False),
        ("null", False),
    ],
)
def test_extension_origins(origin: str, extension: bool) -> None:
    assert is_extension_origin(origin, []) is extension


@pytest.mark.parametrize(
    ("config", "remote", "host", "field"),
    [
        ({}, "127.0.0.1", "127.0.0.1:8765", None),
        ({"MAX_LOCAL_PAIRING": "on"}, "::1", "localhost:8765", None),
        ({"MAX_LOCAL_PAIRING": "off"}, "127.0.0.1", "127.0.0.1:8765", "config"),
        ({"MAX_LOCAL_PAIRING": "0"}, "127.0.0.1", "127.0.0.1:8765", "config"),
        ({}, "192.168.1.20", "127.0.0.1:8765", "client"),
        ({}, "127.0.0.1", "evil.example:8765", "Host"),
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


def test_pinned_extension_origins_refuse_other_extensions_and_no_origin_pairs() -> None:
    other = "p" * 32
    check_extension({}, f"chrome-extension://{other}")
    pinned = {"MAX_EXTENSION_ORIGINS": f"chrome-extension://{EXT}"}
    check_extension(pinned, f"chrome-extension://{EXT}")
    for origin in (f"chrome-extension://{other}", None, ""):
        with pytest.raises(ApiError) as raised:
            check_extension(pinned if origin else {}, origin)
        assert raised.value.field == "Origin"
