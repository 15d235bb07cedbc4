"""A fake Gmail API and Google OAuth token server on 127.0.0.1, for the real client libraries.

Written for MAX's tests. It speaks the REST paths google-api-python-client calls for the methods
MAX uses (users.getProfile, messages.list/get, threads.get, history.list, watch, stop;
threads.list for the benchmark's baseline), the OAuth token endpoint google-auth and
google-auth-oauthlib post to (RFC 6749 §4.1.3 code exchange with the PKCE verifier of RFC 7636
§4.6, §6 refresh), the revocation endpoint (RFC 7009), and Google's OIDC signing certificates
(`/oauth2/v1/certs`, `{kid: PEM}`), with which `sign_push` signs a Pub/Sub push token the way
Google does (RS256, a test key made here). Tests script it (messages, history expiry, failures
with Retry-After, revoked grants) and read back every request it served, so they can count
quota units with its own price table (Google charges what the server sees).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

READONLY = "https://www.googleapis.com/auth/gmail.readonly"
# google-openai.md §2.2, new regime: what the server charges per call.
PRICES = (
    (re.compile(r"^/gmail/v1/users/me/profile$"), "users.getProfile", 1),
    (re.compile(r"^/gmail/v1/users/me/history$"), "users.history.list", 2),
    (re.compile(r"^/gmail/v1/users/me/messages$"), "users.messages.list", 5),
    (re.compile(r"^/gmail/v1/users/me/messages/[^/]+$"), "users.messages.get", 20),
    (re.compile(r"^/gmail/v1/users/me/threads$"), "users.threads.list", 10),
    (re.compile(r"^/gmail/v1/users/me/threads/[^/]+$"), "users.threads.get", 40),
    (re.compile(r"^/gmail/v1/users/me/watch$"), "users.watch", 100),
    (re.compile(r"^/gmail/v1/users/me/stop$"), "users.stop", 50),
)
WATCH_DAYS = 7  # Gmail's watch lasts a week
KEY_ID = "fake-google-key-1"
GOOGLE_ISSUER = "https://accounts.google.com"


@dataclass
class Served:
    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    form: dict[str, list[str]] = field(default_factory=dict)

    @property
    def api_method(self) -> str | None:
        return next((name for rx, name, _ in PRICES if rx.match(self.path)), None)

    @property
    def units(self) -> int:
        return next((units for rx, _, units in PRICES if rx.match(self.path)), 0)


@dataclass
class Failure:
    path: re.Pattern[str]
    status: int
    times: int
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeMessage:
    id: str
    thread_id: str
    labels: list[str]
    at: datetime
    headers: list[tuple[str, str]]
    text: str
    history_id: int


def gmail_error(status: int, message: str, reason: str) -> dict[str, Any]:
    """The error body Google APIs send (errors[].reason is what client libraries read)."""
    return {"error": {"code": status, "message": message, "errors": [{"reason": reason}]}}


class FakeGmail:
    """One mailbox ("me") and one OAuth client. Thread-safe; start() returns the base URL."""

    def __init__(self, email: str = "me@example.com", now: datetime | None = None) -> None:
        self.email = email
        self.now = now or datetime.now(UTC)
        self.messages: dict[str, FakeMessage] = {}
        self.history_id = 1000
        self.oldest_history = 1000  # history.list below this answers 404
        self.history_has_labels = True
        self.delay = 0.0  # seconds each API answer takes, to observe concurrency
        self.in_flight = 0
        self.max_in_flight = 0
        self.served: list[Served] = []
        self.failures: list[Failure] = []
        self.codes: dict[str, tuple[str, str]] = {}  # code → (PKCE code_challenge, scope)
        self.granted: dict[str, str] = {}  # refresh token → scope
        self.refresh_tokens: set[str] = set()
        self.access_tokens: dict[str, str] = {}  # token → scope
        self.revoked: list[str] = []  # tokens posted to /revoke
        self.watches: list[dict[str, Any]] = []  # users.watch request bodies
        self._key, self._cert = _signing_key()
        self.lock = threading.RLock()
        self._next_id = 0x18F0000000000000
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    # --- scripting -------------------------------------------------------------------------
    def add(
        self,
        thread_id: str | None,
        sender: str,
        to: str,
        subject: str,
        days_ago: float,
        text: str = "",
        labels: tuple[str, ...] = ("INBOX",),
        extra_headers: tuple[tuple[str, str], ...] = (),
    ) -> FakeMessage:
        """A new message (a new thread when thread_id is None); one history record."""
        with self.lock:
            self._next_id += 0x1111
            message_id = f"{self._next_id:x}"
            self.history_id += 7  # real ids grow by uneven steps
            at = (self.now - timedelta(days=days_ago)).replace(microsecond=0)
            headers = [
                ("From", sender),
                ("To", to),
                ("Subject", subject),
                ("Date", format_datetime(at)),
                ("Message-ID", f"<{message_id}@fake.example>"),
                *extra_headers,
            ]
            m = FakeMessage(
                message_id,
                thread_id or message_id,
                list(labels),
                at,
                headers,
                text,
                self.history_id,
            )
            self.messages[message_id] = m
            return m

    def fail(
        self,
        path: str,
        status: int,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        """The next `times` requests whose path matches the regex `path` get this answer."""
        default = gmail_error(status, "Backend Error", "backendError")
        with self.lock:
            self.failures.append(
                Failure(re.compile(path), status, times, headers or {}, body or default)
            )

    def forget_history(self) -> None:
        """Gmail keeps history for a limited time: older startHistoryIds get a 404."""
        with self.lock:
            self.oldest_history = self.history_id + 1

    def revoke(self) -> None:
        with self.lock:
            self.refresh_tokens.clear()
            self.access_tokens.clear()

    def consent(self, code_challenge: str, scope: str = READONLY) -> str:
        """What Google does when the user clicks Allow: a one-time code bound to the challenge."""
        code = "4/" + secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = (code_challenge, scope)
        return code

    def sign_push(
        self, audience: str, email: str, *, expires_in: int = 3600, issuer: str = GOOGLE_ISSUER
    ) -> str:
        """An OIDC token as Pub/Sub signs a push (aud, email, email_verified, iss, iat, exp)."""
        from google.auth import crypt, jwt

        now = int(time.time())
        claims = {"aud": audience, "email": email, "email_verified": True, "iss": issuer,
                  "sub": "1234567890", "iat": now, "exp": now + expires_in}  # fmt: skip
        signer = crypt.RSASigner.from_string(self._key, key_id=KEY_ID)
        return jwt.encode(signer, claims).decode()

    def api_calls(self) -> list[Served]:
        with self.lock:
            return [s for s in self.served if s.api_method]

    def units(self) -> int:
        return sum(s.units for s in self.api_calls())

    def reset_log(self) -> None:
        with self.lock:
            self.served.clear()

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> str:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll interval makes shutdown() quick between tests.
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- the API ---------------------------------------------------------------------------
    def newest_first(self) -> list[FakeMessage]:
        return sorted(self.messages.values(), key=lambda m: (m.at, m.id), reverse=True)

    def render(self, m: FakeMessage, fmt: str, wanted: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": m.id,
            "threadId": m.thread_id,
            "labelIds": m.labels,
            "snippet": m.text[:100],
            "historyId": str(m.history_id),
            "internalDate": str(int(m.at.timestamp() * 1000)),
            "sizeEstimate": len(m.text) + 500,
        }
        if fmt == "minimal":
            return out
        names = {w.lower() for w in wanted}
        headers = [
            {"name": n, "value": v}
            for n, v in m.headers
            if fmt == "full" or not names or n.lower() in names
        ]
        payload: dict[str, Any] = {"mimeType": "text/plain", "headers": headers}
        if fmt == "full":
            data = base64.urlsafe_b64encode(m.text.encode("utf-8")).decode().rstrip("=")
            payload.update(
                {"partId": "", "filename": "", "body": {"size": len(m.text), "data": data}}
            )
            payload["headers"] = [
                *headers,
                {"name": "Content-Type", "value": "text/plain; charset=utf-8"},
            ]
        out["payload"] = payload
        return out


EXCLUDING = {"-in:drafts": "DRAFT", "-in:chats": "CHAT"}  # the q= terms MAX sends


def _matches(m: FakeMessage, q: str, labels: list[str], now: datetime) -> bool:
    if labels and not set(labels) <= set(m.labels):
        return False
    for term in q.split():
        if term.startswith("newer_than:") and term.endswith("d"):
            if m.at < now - timedelta(days=int(term[11:-1])):
                return False
        elif EXCLUDING.get(term) in m.labels:
            return False
    return True


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeGmail
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        raw = b"" if status == 204 else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def _serve(self, method: str) -> None:
        fake = self.server_fake
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        if self.headers.get("Content-Type", "").startswith("application/json"):
            self.json_body = json.loads(raw or "{}")
            form: dict[str, list[str]] = {}
        else:
            form = parse_qs(raw)
        with fake.lock:
            fake.in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
        time.sleep(fake.delay)
        with fake.lock:
            status, body, headers = self._answer(fake, method, parts.path, query, form)
            fake.served.append(Served(method, parts.path, query, status, form))
            fake.in_flight -= 1
        self._send(status, body, headers)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _answer(
        self,
        fake: FakeGmail,
        method: str,
        path: str,
        q: dict[str, list[str]],
        form: dict[str, list[str]],
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        for f in fake.failures:
            if f.times > 0 and f.path.search(path):
                f.times -= 1
                return f.status, f.body, f.headers
        if path == "/token" and method == "POST":
            return (*_token(fake, form), {})
        if path == "/revoke" and method == "POST":
            token = _one(form, "token")
            fake.revoked.append(token)
            fake.refresh_tokens.discard(token)
            return 200, {}, {}
        if path == "/oauth2/v1/certs":
            return 200, {KEY_ID: fake._cert}, {}
        scope = fake.access_tokens.get(
            self.headers.get("Authorization", "").removeprefix("Bearer ")
        )
        if scope is None:
            return 401, gmail_error(401, "Invalid Credentials", "authError"), {}
        if scope.endswith("gmail.metadata") and ("q" in q or _one(q, "format") in ("full", "raw")):
            message = "Metadata scope does not support 'q' parameter or full/raw format"
            return 403, gmail_error(403, message, "forbidden"), {}
        if path == "/gmail/v1/users/me/watch" and method == "POST":
            fake.watches.append(getattr(self, "json_body", {}))
            expiration = int((time.time() + WATCH_DAYS * 86400) * 1000)
            return 200, {"historyId": str(fake.history_id), "expiration": str(expiration)}, {}
        if path == "/gmail/v1/users/me/stop" and method == "POST":
            return 204, {}, {}
        return (*_gmail(fake, path, q), {})


def _signing_key() -> tuple[str, str]:
    """An RSA key and its self-signed certificate (PEM), as Google publishes its OIDC certs."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-google-oidc")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=2))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return pem_key, cert.public_bytes(serialization.Encoding.PEM).decode()


def _one(q: dict[str, list[str]], key: str, default: str = "") -> str:
    return q.get(key, [default])[0]


def _token(fake: FakeGmail, form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
    grant = _one(form, "grant_type")
    if grant == "authorization_code":
        challenge, scope = fake.codes.pop(_one(form, "code"), (None, READONLY))
        verifier = _one(form, "code_verifier")
        digest = hashlib.sha256(verifier.encode()).digest()
        if challenge is None:
            return 400, {"error": "invalid_grant", "error_description": "Malformed auth code."}
        if base64.urlsafe_b64encode(digest).decode().rstrip("=") != challenge:
            return 400, {"error": "invalid_grant", "error_description": "Missing code verifier."}
        refresh = "1//" + secrets.token_urlsafe(24)
        fake.refresh_tokens.add(refresh)
        fake.granted[refresh] = scope
        return 200, {**_access(fake, scope), "refresh_token": refresh}
    if grant == "refresh_token" and _one(form, "refresh_token") in fake.refresh_tokens:
        return 200, _access(fake, fake.granted.get(_one(form, "refresh_token"), READONLY))
    return 400, {
        "error": "invalid_grant",
        "error_description": "Token has been expired or revoked.",
    }


def _access(fake: FakeGmail, scope: str) -> dict[str, Any]:
    token = "ya29." + secrets.token_urlsafe(24)
    fake.access_tokens[token] = scope
    return {"access_token": token, "expires_in": 3599, "scope": scope, "token_type": "Bearer"}


def _gmail(fake: FakeGmail, path: str, q: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
    base = "/gmail/v1/users/me"
    not_found = (404, gmail_error(404, "Requested entity was not found.", "notFound"))
    if path == f"{base}/profile":
        total = len(fake.messages)
        return 200, {"emailAddress": fake.email, "messagesTotal": total, "threadsTotal": total,
                     "historyId": str(fake.history_id)}  # fmt: skip
    if path == f"{base}/messages":
        found = [
            m
            for m in fake.newest_first()
            if _matches(m, _one(q, "q"), q.get("labelIds", []), fake.now)
        ]
        start, size = int(_one(q, "pageToken", "0")), int(_one(q, "maxResults", "100"))
        page = found[start : start + size]
        body: dict[str, Any] = {"resultSizeEstimate": len(found)}
        if page:
            body["messages"] = [{"id": m.id, "threadId": m.thread_id} for m in page]
        if start + size < len(found):
            body["nextPageToken"] = str(start + size)
        return 200, body
    if path.startswith(f"{base}/messages/"):
        m = fake.messages.get(path.rsplit("/", 1)[1])
        if m is None:
            return not_found
        return 200, fake.render(m, _one(q, "format", "full"), q.get("metadataHeaders", []))
    if path == f"{base}/threads":  # no paging: benchmarks' baseline only
        newest = dict.fromkeys(m.thread_id for m in fake.newest_first())
        return 200, {"threads": [{"id": t} for t in newest], "resultSizeEstimate": len(newest)}
    if path.startswith(f"{base}/threads/"):
        tid = path.rsplit("/", 1)[1]
        msgs = sorted((m for m in fake.messages.values() if m.thread_id == tid), key=lambda m: m.at)
        if not msgs:
            return not_found
        fmt = _one(q, "format", "full")
        rendered = [fake.render(m, fmt, q.get("metadataHeaders", [])) for m in msgs]
        return 200, {"id": tid, "historyId": str(fake.history_id), "messages": rendered}
    if path == f"{base}/history":
        return _history(fake, q)
    return not_found


def _history(fake: FakeGmail, q: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
    start = int(_one(q, "startHistoryId", "0"))
    if start < fake.oldest_history:
        return 404, gmail_error(404, "Requested entity was not found.", "notFound")
    records = []
    for m in sorted(fake.messages.values(), key=lambda m: m.history_id):
        if m.history_id <= start:
            continue
        added: dict[str, Any] = {"id": m.id, "threadId": m.thread_id}
        if fake.history_has_labels:
            added["labelIds"] = m.labels
        record = {"id": str(m.history_id), "messages": [{"id": m.id, "threadId": m.thread_id}]}
        records.append({**record, "messagesAdded": [{"message": added}]})
    body: dict[str, Any] = {"historyId": str(fake.history_id)}
    if records:  # Gmail leaves `history` out when nothing happened
        body["history"] = records
    return 200, body
