"""Gmail push: `users.watch` on a user's mailbox, and the Pub/Sub push that says it changed.

Rule (Gmail API "Push notifications"; google-openai.md, "Sync design"): the mailbox is watched
(labels INBOX and SENT) on the configured Cloud Pub/Sub topic and the watch renewed once less than
a day of its 7-day life is left; a push is believed only with a Google-signed OIDC token (the push
subscription's "authentication": google-auth checks signature and expiry against Google's certs)
whose audience is ours, whose issuer is Google and whose email is the configured service account;
its data names the mailbox (`emailAddress`) and a `historyId`, after which the user's sync runs as
usual (history.list from the stored id: the pushed id only says something changed). Without a
topic nothing is watched, and `max-backend poll` keeps the pipeline fresh instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from google.auth import exceptions as google_exceptions
from google.auth import jwt
from sqlalchemy.engine import Engine

from ..errors import ApiError
from . import store
from .client import GmailClient

GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"  # {kid: PEM certificate}
GOOGLE_ISSUERS = ("https://accounts.google.com", "accounts.google.com")
RENEW_BEFORE = timedelta(days=1)  # renew daily; Gmail's hard limit is 7 days (gotcha 6)
CERTS_TTL = 3600.0


@dataclass(frozen=True)
class PushConfig:
    topic: str  # projects/<project>/topics/<topic>
    audience: str  # the push subscription's OIDC audience (usually the push endpoint URL)
    service_account: str  # the email the push subscription signs as
    certs_url: str = GOOGLE_CERTS_URL


def config_from(config: Mapping[str, Any]) -> PushConfig | None:
    """The push settings, or None when no topic is set (then MAX polls)."""
    topic = config.get("MAX_PUBSUB_TOPIC")
    if not topic:
        return None
    missing = [k for k in ("MAX_PUSH_AUDIENCE", "MAX_PUSH_SERVICE_ACCOUNT") if not config.get(k)]
    if missing:
        raise ApiError(503, "push_not_configured", f"{missing[0]} is required with a topic.",
                       missing[0])  # fmt: skip
    return PushConfig(
        topic=str(topic),
        audience=str(config["MAX_PUSH_AUDIENCE"]),
        service_account=str(config["MAX_PUSH_SERVICE_ACCOUNT"]).lower(),
        certs_url=str(config.get("MAX_GOOGLE_CERTS_URL") or GOOGLE_CERTS_URL),
    )


def needs_renewal(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is None or expires_at - now < RENEW_BEFORE


def watch(client: GmailClient, engine: Engine, user_id: int, cfg: PushConfig) -> datetime:
    """Watch the mailbox (100 quota units) and store when the watch ends."""
    body = {"topicName": cfg.topic, "labelIds": ["INBOX", "SENT"], "labelFilterBehavior": "include"}
    answer = client.execute(client.service.users().watch(userId="me", body=body))
    expires_at = datetime.fromtimestamp(int(answer["expiration"]) / 1000, UTC)
    store.record_watch(engine, user_id, expires_at)
    return expires_at


class _Certs:
    """Google's signing certificates, fetched at most once an hour (they rotate daily)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_url: dict[str, tuple[float, dict[str, str]]] = {}

    def get(self, url: str) -> dict[str, str]:
        with self._lock:
            cached = self._by_url.get(url)
            if cached and time.monotonic() - cached[0] < CERTS_TTL:
                return cached[1]
        try:
            answer = requests.get(url, timeout=10)
            answer.raise_for_status()
            certs: dict[str, str] = answer.json()
        except (requests.RequestException, ValueError):
            raise ApiError(503, "google_certs_unavailable", "Google's certificates did not "
                           "answer; the push will be retried.") from None  # fmt: skip
        with self._lock:
            self._by_url[url] = (time.monotonic(), certs)
        return certs


CERTS = _Certs()


def verify(authorization: str, cfg: PushConfig) -> dict[str, Any]:
    """The claims of the push's OIDC token; ApiError 401 (not Google's, expired, not for us) or
    403 (signed by another service account)."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "missing_token", "A push needs Google's OIDC token.", "Authorization")
    try:
        claims: dict[str, Any] = jwt.decode(
            token.strip(), certs=CERTS.get(cfg.certs_url), audience=cfg.audience
        )
    except (ValueError, google_exceptions.GoogleAuthError):
        raise ApiError(401, "bad_token", "The push's token is not valid for MAX.",
                       "Authorization") from None  # fmt: skip
    if claims.get("iss") not in GOOGLE_ISSUERS:
        raise ApiError(401, "bad_token", "The push's token was not issued by Google.",
                       "Authorization")  # fmt: skip
    if claims.get("email", "").lower() != cfg.service_account or not claims.get("email_verified"):
        raise ApiError(403, "wrong_sender", "The push was signed by another account.",
                       "Authorization")  # fmt: skip
    return claims


def mailbox_of(body: object) -> str:
    """The mailbox a push is about: Pub/Sub's `message.data`, base64 JSON from Gmail
    (`{"emailAddress", "historyId"}`); ApiError 400 naming the field otherwise."""
    message = body.get("message") if isinstance(body, dict) else None
    data = message.get("data") if isinstance(message, dict) else None
    if not isinstance(data, str):
        raise ApiError(400, "bad_request", "message.data is missing.", "message.data")
    try:
        decoded = json.loads(base64.b64decode(data, validate=True))
    except (binascii.Error, ValueError):
        raise ApiError(400, "bad_request", "message.data is not base64 JSON.",
                       "message.data") from None  # fmt: skip
    email = decoded.get("emailAddress") if isinstance(decoded, dict) else None
    if not isinstance(email, str) or "@" not in email:
        raise ApiError(400, "bad_request", "message.data has no emailAddress.",
                       "message.data.emailAddress")  # fmt: skip
    return email.lower()
