"""Who may pair without a code: a browser on the computer the backend runs on, and nothing else.

Rule: three checks, each one a header or address a web page cannot choose. The client's address is
loopback (127.0.0.0/8 or ::1, an IPv4-mapped one too). The Host header names a loopback host
(127.x.x.x, [::1] or exactly "localhost"), so a web page that points its own DNS name at 127.0.0.1
(DNS rebinding) is refused: its requests carry its own name. For the one-click token, the Origin is
an extension's (`chrome-extension://` and a 32-letter a–p id), which no web page can send; with
MAX_EXTENSION_ID set, that extension's only, so another extension in the same browser cannot pair.
Other accounts on a shared computer, and a reverse proxy in front of the backend, reach loopback
too: set MAX_LOCAL_PAIRING=off there, and pair with the console's code.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any

from .errors import ApiError

EXTENSION_ORIGIN = re.compile(r"chrome-extension://([a-p]{32})")
HOST = re.compile(r"(?:\[(?P<ipv6>[0-9a-fA-F:.]+)\]|(?P<name>[^:]+))(?::\d{1,5})?")
OFF = {"0", "off", "false", "no"}


def is_loopback_address(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool((mapped or ip).is_loopback)


def is_loopback_host(host: str | None) -> bool:
    """Whether a Host header ("127.0.0.1:8765", "[::1]:8765", "localhost") names this computer."""
    m = HOST.fullmatch(host or "")
    if not m:
        return False
    name = m.group("ipv6") or m.group("name") or ""
    return name.lower() == "localhost" or is_loopback_address(name)


def extension_id(origin: str | None) -> str | None:
    m = EXTENSION_ORIGIN.fullmatch(origin or "")
    return m.group(1) if m else None


def check_local(config: Mapping[str, Any], remote_addr: str | None, host: str | None) -> None:
    """ApiError 403 unless local pairing is on and this request comes from this computer."""
    if str(config.get("MAX_LOCAL_PAIRING") or "on").lower() in OFF:
        raise ApiError(
            403, "not_local", "Pairing without a code is off (MAX_LOCAL_PAIRING).", "config"
        )
    if not is_loopback_address(remote_addr):
        raise ApiError(403, "not_local", "Only a browser on this computer may pair here.", "client")
    if not is_loopback_host(host):
        raise ApiError(403, "not_local", "Open this page as 127.0.0.1 or localhost.", "host")


def check_extension(config: Mapping[str, Any], origin: str | None) -> None:
    """ApiError 403 unless Origin is an extension's (MAX_EXTENSION_ID's, when set)."""
    found = extension_id(origin)
    pinned = config.get("MAX_EXTENSION_ID")
    if found is None or (pinned and found != pinned):
        raise ApiError(
            403, "not_local", "Only MAX's own extension may pair in one click.", "origin"
        )
