"""The Gmail OAuth web flow: consent URL out, code in, a refresh token kept sealed.

Rule: google-auth-oauthlib's `Flow` with state and the PKCE code_verifier (RFC 7636) stored
server-side, used once, for a few minutes (gotcha 9); offline access so Google issues a refresh
token; the least scope that works. Scopes, as the trade-off they are (google-openai.md, "OAuth"):

- `gmail.readonly` (default): `q=` searches (the cheap 30-day cold scan) and `format=full` bodies,
  which the report needs for out-of-office return dates and the prospect's phone number.
- `gmail.metadata`: headers and labels only, no `q=`, no bodies: the scan lists by label and the
  report is built from headers (no phone, no return date). Less data held, a poorer report.

Both are restricted scopes: MAX is meant to run on the user's own OAuth client.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow
from oauthlib.oauth2.rfc6749.errors import OAuth2Error
from sqlalchemy.engine import Engine

from backend.errors import ApiError

from . import store
from .client import SCOPES

DEFAULT_SCOPE = "readonly"
# RFC 7009 token revocation at Google (developers.google.com/identity/protocols/oauth2/web-server
# "Revoking a token"): revoking the refresh token ends the whole grant.
REVOKE_URI = "https://oauth2.googleapis.com/revoke"
STATE_MAX_AGE = timedelta(minutes=10)


@dataclass(frozen=True)
class OAuthConfig:
    client_file: str
    redirect_uri: str
    scope: str = DEFAULT_SCOPE  # a key of SCOPES
    token_uri: str | None = None  # overrides the client file's (tests, proxies)
    auth_uri: str | None = None
    revoke_uri: str = REVOKE_URI

    @property
    def scopes(self) -> list[str]:
        return [SCOPES[self.scope]]


def _client_info(cfg: OAuthConfig) -> dict[str, Any]:
    try:
        data = json.loads(Path(cfg.client_file).read_text(encoding="utf-8"))
        info: dict[str, Any] = data.get("web") or data["installed"]
    except (OSError, ValueError, KeyError, AttributeError) as err:
        raise ApiError(
            503,
            "gmail_not_configured",
            "The Google OAuth client file is missing or unreadable.",
            "MAX_GOOGLE_CLIENT_FILE",
        ) from err
    return info


def _flow(cfg: OAuthConfig, **kwargs: Any) -> Flow:
    _client_info(cfg)  # a clear error before the library's own
    flow = Flow.from_client_secrets_file(
        cfg.client_file, scopes=cfg.scopes, redirect_uri=cfg.redirect_uri, **kwargs
    )
    if cfg.token_uri:
        flow.client_config["token_uri"] = cfg.token_uri
    if cfg.auth_uri:
        flow.client_config["auth_uri"] = cfg.auth_uri
    return flow


def start(cfg: OAuthConfig, engine: Engine, user_id: int, now: datetime) -> str:
    """The Google consent URL for this user; its state and PKCE verifier are stored here."""
    flow = _flow(cfg)
    url, state = flow.authorization_url(
        access_type="offline",  # a refresh token, for the background sync
        prompt="consent",  # Google issues a refresh token again on reconnect only with consent
        include_granted_scopes="true",
    )
    store.put_state(engine, state, str(flow.code_verifier), user_id, now)
    return str(url)


def finish(
    cfg: OAuthConfig, engine: Engine, state: str, code: str, now: datetime
) -> tuple[int, Credentials]:
    """Exchange the code for tokens, checking the state we issued; (user_id, credentials)."""
    verifier, user_id = store.take_state(engine, state, now, STATE_MAX_AGE)
    if not verifier:
        raise ApiError(400, "bad_state", "Unknown or expired OAuth state: connect again.", "state")
    flow = _flow(cfg, state=state, code_verifier=verifier)
    try:
        flow.fetch_token(code=code)
    except Warning as changed:
        # RFC 6749 §3.3: the server may grant other scopes than asked (Google adds earlier grants
        # with include_granted_scopes, and lets the user untick Gmail). oauthlib raises; we keep
        # its parsed token and check the scope ourselves below.
        flow.oauth2session.token = getattr(changed, "token", None) or {}
    except OAuth2Error as err:
        raise ApiError(
            400, "gmail_oauth_failed", f"Google refused the code ({err.error}).", "code"
        ) from err
    except requests.RequestException as err:
        raise ApiError(502, "gmail_unavailable", "Google's token endpoint did not answer.") from err
    credentials: Credentials = flow.credentials
    if cfg.scopes[0] not in set(credentials.granted_scopes or cfg.scopes):
        raise ApiError(
            400, "gmail_scope_missing", "Google did not grant Gmail access: connect again and "
            "leave the Gmail box ticked.", "scope",
        )  # fmt: skip
    if not credentials.refresh_token:
        raise ApiError(
            400, "gmail_no_refresh_token", "Google gave no refresh token: connect again.", "code"
        )
    return user_id, credentials


def credentials_for(cfg: OAuthConfig, refresh_token: str, scopes: list[str]) -> Credentials:
    """Credentials that fetch their own access token from the refresh token on first use."""
    info = _client_info(cfg)
    return Credentials(  # type: ignore[no-untyped-call]
        token=None,
        refresh_token=refresh_token,
        token_uri=cfg.token_uri or info.get("token_uri"),
        client_id=info.get("client_id"),
        client_secret=info.get("client_secret"),
        scopes=scopes,
    )


def revoke(cfg: OAuthConfig, refresh_token: str) -> bool:
    """Ask Google to end the grant (the user disconnected); False when it could not be told, so
    the caller says the grant may still be listed on the user's Google account page."""
    try:
        answer = requests.post(
            cfg.revoke_uri,
            data={"token": refresh_token},
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=10,
        )
    except requests.RequestException:
        return False
    # 400 invalid_token: already revoked or expired, which is what the user wants.
    return answer.status_code in (200, 400)
