"""Which requests the backend answers at all: a Host it serves and, on the API, the extension's
Origin (or none).

DNS rebinding: a web page on attacker.example makes its own name resolve to 127.0.0.1, and the
browser then sends it our answers as same-origin (`Host: attacker.example`). So every request
must name a host the backend serves: a loopback name (`localhost`, 127.0.0.0/8, `::1`), the host
of MAX_PUBLIC_URL or of MAX_GOOGLE_REDIRECT_URI, the address it was started on, or one listed in
MAX_ALLOWED_HOSTS; anything else is a 421 (RFC 9110 §15.5.20: not a host this server serves). A
request without Host (HTTP/1.0 from a script) passes: browsers always send one.

A web page's own requests carry its Origin; the extension's carry `chrome-extension://<id>`, and
curl or a script none. On /api/v1/ only the extension's origins or no Origin pass, anything else
(a page, `null` from a sandbox) is a 403. The id of an unpacked extension is not known before it
is loaded, so by default any `chrome-extension://` origin passes; MAX_EXTENSION_ORIGINS (comma-
separated origins) narrows it to the listed ones.

CORS (a team server is another origin than the extension's): the same rule decides. A request on
/api/v1/ from an extension origin gets `Access-Control-Allow-Origin` echoing it (and `Vary:
Origin`, the answer depends on it); its preflight (OPTIONS with Access-Control-Request-Method) is
a 204 naming the methods and headers the API takes, cached for MAX_AGE. Any other origin gets no
CORS header, and the 403 above: the Fetch standard's browser then shows the page nothing.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

from .errors import ApiError

API_PREFIX = "/api/v1/"
LOOPBACK_NAMES = frozenset({"localhost"})
# Chrome extension ids: 32 letters from a to p (the SHA-256 of the key, in base 16 shifted).
EXTENSION_ORIGIN = re.compile(r"chrome-extension://[a-p]{32}")
# What the API's preflight allows: every method a view takes, the headers backend-client.js sends.
CORS_METHODS = "GET, POST, PUT, DELETE"
CORS_HEADERS = "Authorization, Content-Type"
MAX_AGE = "600"  # seconds; Chrome caps a preflight's cache at 2 hours anyway


def _split_list(value: Any) -> list[str]:
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


def hostname(host: str) -> str:
    """The name in a Host header, without its port: `[::1]:8765` -> `::1`; lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_loopback_ip(address: str | None) -> bool:
    """127.0.0.0/8 or ::1, an IPv4-mapped one too (a dual-stack socket's view of 127.0.0.1)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool((mapped or ip).is_loopback)


def is_loopback(name: str) -> bool:
    """A host name that means this computer: a loopback address, or exactly `localhost`."""
    return name in LOOPBACK_NAMES or is_loopback_ip(name)


def allowed_hosts(config: Mapping[str, Any], extra: Iterable[str] = ()) -> frozenset[str]:
    """The host names, besides loopback ones, this backend answers for."""
    urls = [config.get("MAX_PUBLIC_URL"), config.get("MAX_GOOGLE_REDIRECT_URI")]
    names = {urlsplit(str(u)).hostname or "" for u in urls if u}
    names |= {hostname(h) for h in [*_split_list(config.get("MAX_ALLOWED_HOSTS")), *extra]}
    return frozenset(n for n in names if n and n not in ("0.0.0.0", "::"))


def allow_host(app: Flask, host: str) -> None:
    """Also answer for `host` (the address `python -m backend --host` bound to)."""
    app.extensions["max_allowed_hosts"] = allowed_hosts(app.config, [host]) | app.extensions.get(
        "max_allowed_hosts", frozenset()
    )


def is_extension_origin(origin: str, configured: list[str]) -> bool:
    if configured:
        return origin in configured
    return EXTENSION_ORIGIN.fullmatch(origin) is not None


def extension_origins(config: Mapping[str, Any]) -> list[str]:
    """MAX_EXTENSION_ORIGINS, or [] for any extension's."""
    return _split_list(config.get("MAX_EXTENSION_ORIGINS"))


def _check() -> Response | None:
    host = request.environ.get("HTTP_HOST")
    if host is not None:
        name = hostname(host)
        if not (is_loopback(name) or name in current_app.extensions["max_allowed_hosts"]):
            raise ApiError(
                421, "unknown_host", "This server does not answer for that host name.", "Host"
            )
    origin = request.headers.get("Origin")
    on_api = request.path.startswith(API_PREFIX)
    if (
        on_api
        and origin is not None
        and not is_extension_origin(origin, extension_origins(current_app.config))
    ):
        raise ApiError(
            403, "forbidden_origin", "Only the MAX extension may call the API.", "Origin"
        )
    if on_api and origin is not None and _is_preflight():
        return Response(status=204)  # _allow_extension adds what it allows
    return None


def _is_preflight() -> bool:
    return request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers


def _allow_extension(response: Response) -> Response:
    """CORS headers for the extension's origin, on the API only; a refused origin never gets here
    with an answer to read (its 403 goes out without them)."""
    if not request.path.startswith(API_PREFIX):
        return response
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if origin is None or not is_extension_origin(origin, extension_origins(current_app.config)):
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    if _is_preflight():
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        response.headers["Access-Control-Max-Age"] = MAX_AGE
    return response


def init_app(app: Flask) -> None:
    app.extensions["max_allowed_hosts"] = allowed_hosts(app.config)
    app.before_request(_check)
    app.after_request(_allow_extension)
