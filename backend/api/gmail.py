"""The Gmail area: connect through OAuth, sync, the at-risk pipeline, a thread read by the API.

Rule: a view parses the request, calls backend.gmail (oauth, client, sync, store) or maxcore, and
serialises; Gmail's failures become JSON errors here, once (`_gmail_errors`). The callback is the
only route without a Bearer token: the browser arrives from Google, the one-time state names the
user. Logs carry statuses and counts, never an address, a subject or a body.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, Response, current_app, g, redirect, request
from google.oauth2.credentials import Credentials

from maxcore.adapters.gmail_json import GMAIL_ID_PATTERN
from maxcore.app import service
from maxcore.app.contract import Pipeline, parse_now
from maxcore.core.errors import MaxcoreError
from maxcore.core.model import Team
from maxcore.core.triage import riskiest_first

from .. import user_settings
from ..auth import require_token
from ..db import get_engine, now_utc
from ..errors import ApiError
from ..gmail import oauth, store, sync
from ..gmail.client import (
    SCOPES,
    GmailClient,
    GmailReconnect,
    GmailUnavailable,
    RetryPolicy,
)
from .gmail_openapi import OPENAPI_PATHS
from .shapes import GmailConnected, GmailConsent, GmailDisconnected, GmailStatus, Synced
from .wire import respond

__all__ = ["OPENAPI_PATHS", "bp"]

bp = Blueprint("gmail", __name__, url_prefix="/api/v1")

THREAD_ID = re.compile(GMAIL_ID_PATTERN)
# One sync at a time per user (google-openai.md, "Worker, per user serialized"): a second caller
# waits, then finds the fresh historyId and pays one history.list. Per process: the backend runs
# as one waitress process.
_SYNC_LOCKS: dict[int, threading.Lock] = {}
_SYNC_LOCKS_GUARD = threading.Lock()
RECONNECT = "Reconnect Gmail: Google no longer accepts MAX's access (revoked or expired)."


def _config() -> oauth.OAuthConfig:
    cfg = current_app.config
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
    )


def _client(credentials: Credentials) -> GmailClient:
    cfg = current_app.config
    return GmailClient(
        credentials,
        api_base=cfg.get("MAX_GMAIL_API_BASE"),
        policy=cfg.get("MAX_GMAIL_RETRY") or RetryPolicy(),
        sleep=cfg.get("MAX_GMAIL_SLEEP") or time.sleep,
    )


@contextmanager
def _gmail_errors() -> Iterator[None]:
    try:
        yield
    except GmailReconnect:
        if "user_id" in g:
            store.mark_reconnect(get_engine(), g.user_id)
        raise ApiError(409, "gmail_reconnect", RECONNECT, "gmail") from None
    except GmailUnavailable as err:
        current_app.logger.warning("gmail unavailable after retries (status %s)", err.status)
        raise ApiError(503, "gmail_unavailable", "Gmail did not answer; try again later.") from None


def _account() -> store.Account:
    account = store.load_account(get_engine(), current_app.config["MAX_SECRET_KEY"], g.user_id)
    if account is None:
        raise ApiError(409, "gmail_not_connected", "Connect Gmail first.", "gmail")
    if not account.refresh_token:  # MAX_SECRET_KEY changed since the token was sealed
        raise ApiError(409, "gmail_reconnect", RECONNECT, "gmail")
    return account


def _account_client(account: store.Account) -> GmailClient:
    cfg = _config()
    return _client(oauth.credentials_for(cfg, account.refresh_token or "", list(account.scopes)))


@bp.get("/gmail/connect")
@require_token
def connect() -> Any:
    url = oauth.start(_config(), get_engine(), g.user_id, now_utc())
    if request.args.get("redirect") in ("1", "true"):
        return redirect(url)
    return respond(GmailConsent(auth_url=url))


@bp.get("/gmail/callback")
def callback() -> Response:
    args = request.args
    if args.get("error"):  # RFC 6749 §4.1.2.1: the user said no, or Google refused
        raise ApiError(400, "gmail_denied", "Google did not grant access to Gmail.", "error")
    for name in ("state", "code"):
        if not args.get(name):
            raise ApiError(400, "bad_request", f"{name} is missing from the callback.", name)
    cfg = _config()
    user_id, credentials = oauth.finish(cfg, get_engine(), args["state"], args["code"], now_utc())
    client = _client(credentials)
    with _gmail_errors():
        profile = client.execute(client.service.users().getProfile(userId="me"))
    account = store.Account(
        user_id=user_id,
        email=str(profile["emailAddress"]).lower(),
        refresh_token=credentials.refresh_token,
        history_id=str(profile["historyId"]),
        scopes=tuple(credentials.granted_scopes or credentials.scopes or cfg.scopes),
        last_sync_at=None,
        last_sync_units=None,
    )
    store.save_account(get_engine(), current_app.config["MAX_SECRET_KEY"], account, now_utc())
    return respond(GmailConnected(connected=True, email=account.email))


@bp.get("/gmail/status")
@require_token
def status() -> Response:
    account = store.load_account(get_engine(), current_app.config["MAX_SECRET_KEY"], g.user_id)
    if account is None:
        return respond(GmailStatus(connected=False))
    return respond(
        GmailStatus(
            connected=True,
            email=account.email,
            scopes=account.scopes,
            reconnect=account.needs_reconnect or not account.refresh_token,
            history_id=account.history_id,
            last_sync_at=account.last_sync_at,
            last_sync_units=account.last_sync_units,
        )
    )


@bp.delete("/gmail")
@require_token
def disconnect() -> Response:
    # The grant itself stays on the user's Google account page until they remove it there.
    deleted = store.delete_account(get_engine(), g.user_id)
    return respond(GmailDisconnected(connected=False, deleted=deleted))


def _sync_lock(user_id: int) -> threading.Lock:
    with _SYNC_LOCKS_GUARD:
        return _SYNC_LOCKS.setdefault(user_id, threading.Lock())


@bp.post("/gmail/sync")
@require_token
def run_sync() -> Response:
    engine = get_engine()
    prefs = user_settings.load(engine, g.user_id)
    with _sync_lock(g.user_id), _gmail_errors():
        account = _account()  # read inside the lock: the previous sync may have moved it
        result = sync.sync(_account_client(account), engine, account, prefs)
    current_app.logger.info("gmail %s sync: %d units", result.mode, result.units)
    return respond(
        Synced(
            mode=result.mode,
            units=result.units,
            calls=result.calls,
            threads=result.threads,
            history_id=result.history_id,
        )
    )


@bp.get("/pipeline")
@require_token
def pipeline() -> Response:
    account = _account()
    reports = store.load_reports(get_engine(), g.user_id, at_risk=True)
    at_risk = tuple(riskiest_first(reports))
    return respond(Pipeline(threads=at_risk, last_sync_at=account.last_sync_at))


@bp.get("/threads/<thread_id>")
@require_token
def thread(thread_id: str) -> Response:
    if not THREAD_ID.fullmatch(thread_id):
        raise ApiError(
            400, "bad_request", "thread_id must be a Gmail thread id (hex).", "thread_id"
        )
    try:
        now = parse_now(request.args.get("now"))
    except MaxcoreError as err:
        raise ApiError(400, err.code, err.message, err.field) from None
    engine = get_engine()
    account = _account()
    prefs = user_settings.load(engine, g.user_id)
    with _gmail_errors():
        found = sync.analyze_threads(
            _account_client(account), engine, account, prefs, [thread_id], now
        )
    if not found:
        raise ApiError(404, "not_found", "No such thread in this Gmail.", "thread_id")
    thread, report = found[0]
    store.upsert_threads(engine, g.user_id, [report], now)
    team = Team.of([account.email], prefs.team_domains)
    return respond(service.analysis(report, thread, team))
