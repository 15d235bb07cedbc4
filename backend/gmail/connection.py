"""A user's Gmail connection outside any one request: its settings, its client, its sync.

Rule: one place turns the app's configuration into the Google pieces (OAuth client, API endpoint,
retry policy, push), so a view, the Pub/Sub push and the poller (`max-backend poll`) build the
same client and run the same sync; a user's sync runs under that user's lock in the database
(backend.locks), so two processes never sync one mailbox at once, and renews the mailbox's watch
when it is due (backend.gmail.push).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from google.oauth2.credentials import Credentials
from sqlalchemy.engine import Engine

from .. import user_settings
from ..db import now_utc
from ..errors import ApiError
from ..locks import held, sync_lock_name
from . import oauth, push, store, sync
from .client import SCOPES, GmailClient, RetryPolicy

RECONNECT = "Reconnect Gmail: Google no longer accepts MAX's access (revoked or expired)."


@dataclass(frozen=True)
class GmailSettings:
    config: Mapping[str, Any]

    @property
    def secret_key(self) -> str:
        return str(self.config["MAX_SECRET_KEY"])

    def oauth(self) -> oauth.OAuthConfig:
        cfg = self.config
        client_file = cfg.get("MAX_GOOGLE_CLIENT_FILE")
        if not client_file:
            raise ApiError(
                503, "gmail_not_configured", "No Google OAuth client file is configured.",
                "MAX_GOOGLE_CLIENT_FILE",
            )  # fmt: skip
        scope = cfg.get("MAX_GMAIL_SCOPE") or oauth.DEFAULT_SCOPE
        if scope not in SCOPES:
            raise ApiError(503, "gmail_not_configured", "MAX_GMAIL_SCOPE: readonly or metadata.",
                           "MAX_GMAIL_SCOPE")  # fmt: skip
        redirect_uri = cfg.get("MAX_GOOGLE_REDIRECT_URI") or (
            f"{cfg['MAX_PUBLIC_URL']}/api/v1/gmail/callback"
        )
        return oauth.OAuthConfig(
            client_file=str(client_file),
            redirect_uri=redirect_uri,
            scope=scope,
            token_uri=cfg.get("MAX_GOOGLE_TOKEN_URI"),
            auth_uri=cfg.get("MAX_GOOGLE_AUTH_URI"),
            revoke_uri=cfg.get("MAX_GOOGLE_REVOKE_URI") or oauth.REVOKE_URI,
        )

    def push(self) -> push.PushConfig | None:
        return push.config_from(self.config)

    def client(self, credentials: Credentials) -> GmailClient:
        sleep: Callable[[float], None] = self.config.get("MAX_GMAIL_SLEEP") or time.sleep
        return GmailClient(
            credentials,
            api_base=self.config.get("MAX_GMAIL_API_BASE"),
            policy=self.config.get("MAX_GMAIL_RETRY") or RetryPolicy(),
            sleep=sleep,
        )

    def account(self, engine: Engine, user_id: int) -> store.Account:
        account = store.load_account(engine, self.secret_key, user_id)
        if account is None:
            raise ApiError(409, "gmail_not_connected", "Connect Gmail first.", "gmail")
        if not account.refresh_token:  # MAX_SECRET_KEY changed since the token was sealed
            raise ApiError(409, "gmail_reconnect", RECONNECT, "gmail")
        return account

    def account_client(self, account: store.Account) -> GmailClient:
        refresh = account.refresh_token or ""
        return self.client(oauth.credentials_for(self.oauth(), refresh, list(account.scopes)))


def sync_user(engine: Engine, settings: GmailSettings, user_id: int) -> sync.SyncResult:
    """The user's sync (cold the first time, history afterwards), one at a time per user across
    processes; the mailbox's watch renewed when push is configured and it is due."""
    with held(engine, sync_lock_name(user_id)):
        account = settings.account(engine, user_id)  # inside the lock: the last sync moved it
        client = settings.account_client(account)
        result = sync.sync(client, engine, account, user_settings.load(engine, user_id))
        cfg = settings.push()
        if cfg is not None and push.needs_renewal(account.watch_expires_at, now_utc()):
            push.watch(client, engine, account.user_id, cfg)
    return result
