"""Who may pair without a code: a browser on the computer the backend runs on, and nothing else.

Rule: three checks, each one a header or address a web page cannot choose. The client's address is
loopback (127.0.0.0/8 or ::1, an IPv4-mapped one too). The Host header names a loopback host
(127.x.x.x, [::1] or exactly "localhost"), so a web page that points its own DNS name at 127.0.0.1
(DNS rebinding) is refused: its requests carry its own name. For the one-click token, the Origin is
an extension's (`chrome-extension://` and a 32-letter a–p id), which no web page can send; with
MAX_EXTENSION_ORIGINS set, those only, so another extension in the same browser cannot pair. The
address, Host and Origin rules are backend.request_guard's, which every request passes first.
Other accounts on a shared computer, and a reverse proxy in front of the backend, reach loopback
too: set MAX_LOCAL_PAIRING=off there, and pair with the console's code. (With MAX_PROXY_HOPS set,
the client is the one the proxy saw, so a remote rep is refused here all the same.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import ApiError
from .request_guard import (
    extension_origins,
    hostname,
    is_extension_origin,
    is_loopback,
    is_loopback_ip,
)

OFF = {"0", "off", "false", "no"}


def is_loopback_host(host: str | None) -> bool:
    """Whether a Host header ("127.0.0.1:8765", "[::1]:8765", "localhost") names this computer."""
    return bool(host) and is_loopback(hostname(host or ""))


def check_local(config: Mapping[str, Any], remote_addr: str | None, host: str | None) -> None:
    """ApiError 403 unless local pairing is on and this request comes from this computer."""
    if str(config.get("MAX_LOCAL_PAIRING") or "on").lower() in OFF:
        raise ApiError(
            403, "not_local", "Pairing without a code is off (MAX_LOCAL_PAIRING).", "config"
        )
    if not is_loopback_ip(remote_addr):
        raise ApiError(403, "not_local", "Only a browser on this computer may pair here.", "client")
    if not is_loopback_host(host):
        raise ApiError(403, "not_local", "Open this page as 127.0.0.1 or localhost.", "Host")


def check_extension(config: Mapping[str, Any], origin: str | None) -> None:
    """ApiError 403 unless Origin is MAX's extension's (request_guard's rule: any extension's,
    or those of MAX_EXTENSION_ORIGINS); a caller with no Origin at all (curl, another program)
    may not pair without a code."""
    if not origin or not is_extension_origin(origin, extension_origins(config)):
        raise ApiError(
            403, "not_local", "Only MAX's own extension may pair in one click.", "Origin"
        )
