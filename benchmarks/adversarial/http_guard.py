"""What a web page can make a browser send to a backend on loopback: a Host that names the
attacker's domain (DNS rebinding: evil.example resolves to 127.0.0.1, and the page reads the
answers as same-origin), an Origin that is not the extension's, bodies that need no CORS
preflight (text/plain, forms). The answers must be 400/421 for a Host the backend does not
serve, 403 for a web page's Origin on the API, 415 for a body that is not JSON; the extension's
own origin, and callers that send no Origin (curl, scripts), must still pass.
"""

from __future__ import annotations

from .table import Attack, Budget, Outcome
from .target import Target

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"  # an unpacked extension's id
READS = (  # (method, path, body, with the token?)
    ("GET", "/healthz", None, False),
    ("GET", "/api/v1/openapi.json", None, False),
    ("POST", "/api/v1/pair", {"code": "ABCD-EFGH"}, False),
    ("GET", "/api/v1/settings", None, True),
    ("GET", "/t/AAAAAAAAAAAAAAAAAAAAAA.gif", None, False),
)
HOSTS = (
    "attacker.example",
    "attacker.example:{port}",
    "127.0.0.1.nip.io:{port}",
    "localhost.attacker.example",
)
ORIGINS = ("https://attacker.example", "null", "http://localhost:3000", "http://127.0.0.1:{port}")


def rebinding(target: Target, budget: Budget) -> Outcome:
    tried = leaked = 0
    for host in HOSTS:
        for method, path, body, auth in READS:
            got = target.call(
                method, path, body, headers={"Host": host.format(port=target.port)}, auth=auth
            )
            tried += 1
            leaked += got.status not in (400, 421)
    return Outcome(tried, leaked, f"{leaked} answers read under a foreign Host")


def web_origins(target: Target, budget: Budget) -> Outcome:
    tried = passed = 0
    for origin in ORIGINS:
        for method, path, body, auth in READS:
            if not path.startswith("/api/v1/"):
                continue
            got = target.call(
                method, path, body, headers={"Origin": origin.format(port=target.port)}, auth=auth
            )
            tried += 1
            passed += got.status != 403
    refused = 0  # the extension itself, and callers without an Origin, must still get through
    for headers in ({"Origin": EXTENSION}, {}):
        got = target.call("GET", "/api/v1/settings", headers=headers)
        refused += got.status != 200
    note = f"{passed} web-page requests passed; legitimate callers refused: {refused}"
    return Outcome(tried, passed + refused, note)


def not_json(target: Target, budget: Budget) -> Outcome:
    bodies = (
        ("text/plain", b'{"code": "ABCD-EFGH"}'),
        ("application/x-www-form-urlencoded", b"code=ABCD-EFGH"),
        ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="code"'
         b"\r\n\r\nABCD-EFGH\r\n--x--\r\n"),
    )  # fmt: skip
    tried = wrong = 0
    for path in ("/api/v1/pair", "/api/v1/threads/analyze", "/api/v1/tracking/pixels"):
        for content_type, raw in bodies:
            got = target.call("POST", path, raw=raw, headers={"Content-Type": content_type})
            tried += 1
            wrong += got.status != 415
    return Outcome(tried, wrong, f"{wrong} not answered 415")


ATTACKS = (
    Attack("http", "dns_rebinding", "a foreign Host on every public read", rebinding),
    Attack("http", "web_origin", "a web page's Origin on the API", web_origins),
    Attack("http", "not_json", "bodies a page can send without preflight", not_json),
)
