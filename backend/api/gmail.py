"""The Gmail area: connect through OAuth, sync (by hand, or pushed by Gmail), the at-risk
pipeline, a thread read through the API.

Rule: a view parses the request, calls backend.gmail (connection, oauth, push, store, sync) or
maxcore, and serialises; Gmail's failures become JSON errors here, once (`_gmail_errors`). Two
routes take no Bearer token: the OAuth callback (the browser arrives from Google, the one-time
state names the user) and the Pub/Sub push (Google's OIDC token is checked instead). Logs carry
statuses and counts, never an address, a subject or a body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, Response, current_app, g, redirect, request

from maxcore.adapters.gmail_json import GMAIL_ID_PATTERN
from maxcore.app import service
from maxcore.app.contract import Pipeline, parse_now
from maxcore.core.errors import MaxcoreError
from maxcore.core.triage import riskiest_first

from .. import user_settings, users
from ..auth import require_token
from ..db import get_engine, now_utc
from ..errors import ApiError
from ..gmail import oauth, push, store, sync
from ..gmail.client import GmailReconnect, GmailUnavailable
from ..gmail.connection import RECONNECT, GmailSettings, sync_user
from ..locks import LockTimeout
from .gmail_openapi import OPENAPI_PATHS
from .shapes import GmailConnected, GmailConsent, GmailDisconnected, GmailStatus, Synced
from .wire import respond

__all__ = ["OPENAPI_PATHS", "bp"]

bp = Blueprint("gmail", __name__, url_prefix="/api/v1")

THREAD_ID = re.compile(GMAIL_ID_PATTERN)


def _settings() -> GmailSettings:
    return GmailSettings(current_app.config)


@contextmanager
def _gmail_errors(user_id: int | None = None) -> Iterator[None]:
    try:
        yield
    except GmailReconnect:
        if user_id is not None:
            store.mark_reconnect(get_engine(), user_id)
        raise ApiError(409, "gmail_reconnect", RECONNECT, "gmail") from None
    except GmailUnavailable as err:
        current_app.logger.warning("gmail unavailable after retries (status %s)", err.status)
        raise ApiError(503, "gmail_unavailable", "Gmail did not answer; try again later.") from None
    except LockTimeout:
        raise ApiError(503, "gmail_busy", "A sync of this mailbox is still running.") from None


@bp.get("/gmail/connect")
@require_token
def connect() -> Any:
    url = oauth.start(_settings().oauth(), get_engine(), g.user_id, now_utc())
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
    settings, engine = _settings(), get_engine()
    cfg = settings.oauth()
    user_id, credentials = oauth.finish(cfg, engine, args["state"], args["code"], now_utc())
    client = settings.client(credentials)
    with _gmail_errors(user_id):
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
    try:  # the Gmail account must be the user's own (backend.users)
        with engine.begin() as conn:
            users.bind(conn, user_id, account.email, field="gmail")
    except ApiError:
        oauth.revoke(cfg, account.refresh_token or "")  # not kept, not left granted
        raise
    store.save_account(engine, settings.secret_key, account, now_utc())
    watching = settings.push()
    if watching is not None:
        with _gmail_errors(user_id):
            push.watch(client, engine, user_id, watching)
    return respond(GmailConnected(connected=True, email=account.email))


@bp.get("/gmail/status")
@require_token
def status() -> Response:
    account = store.load_account(get_engine(), _settings().secret_key, g.user_id)
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
            watch_expires_at=account.watch_expires_at,
        )
    )


@bp.delete("/gmail")
@require_token
def disconnect() -> Response:
    """Forget the account and ask Google to end the grant (RFC 7009), so it no longer shows on
    the user's Google account page as MAX's."""
    settings, engine = _settings(), get_engine()
    account = store.load_account(engine, settings.secret_key, g.user_id)
    revoked = False
    if (
        account is not None
        and account.refresh_token
        and settings.config.get("MAX_GOOGLE_CLIENT_FILE")
    ):
        revoked = oauth.revoke(settings.oauth(), account.refresh_token)
    deleted = store.delete_account(engine, g.user_id)
    return respond(GmailDisconnected(connected=False, deleted=deleted, revoked=revoked))


def _synced(result: sync.SyncResult) -> Synced:
    current_app.logger.info("gmail %s sync: %d units", result.mode, result.units)
    return Synced(
        mode=result.mode,
        units=result.units,
        calls=result.calls,
        threads=result.threads,
        history_id=result.history_id,
    )


@bp.post("/gmail/sync")
@require_token
def run_sync() -> Response:
    with _gmail_errors(g.user_id):
        result = sync_user(get_engine(), _settings(), g.user_id)
    return respond(_synced(result))


@bp.post("/gmail/push")
def pushed() -> Response:
    """Cloud Pub/Sub's push (an OIDC-authenticated subscription): the mailbox changed."""
    settings, engine = _settings(), get_engine()
    cfg = settings.push()
    if cfg is None:
        raise ApiError(404, "push_not_configured", "MAX is not set up for Gmail push.", None)
    push.verify(request.headers.get("Authorization", ""), cfg)
    email = push.mailbox_of(request.get_json(silent=True))
    # A mailbox MAX no longer knows is acknowledged all the same: Pub/Sub would retry forever.
    for user_id in store.users_with_gmail(engine, email):
        with _gmail_errors(user_id):
            sync_user(engine, settings, user_id)
    return Response(status=204)


@bp.get("/pipeline")
@require_token
def pipeline() -> Response:
    """The threads the Gmail sync stored and those the extension read, at risk, riskiest first;
    with Gmail not connected, only the latter (last_sync_at null)."""
    engine = get_engine()
    account = store.load_account(engine, _settings().secret_key, g.user_id)
    reports = store.load_reports(engine, g.user_id, at_risk=True)
    at_risk = tuple(riskiest_first(reports))
    last_sync_at = account.last_sync_at if account is not None else None
    return respond(Pipeline(threads=at_risk, last_sync_at=last_sync_at))


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
    settings, engine = _settings(), get_engine()
    account = settings.account(engine, g.user_id)
    prefs = user_settings.load(engine, g.user_id)
    with _gmail_errors(g.user_id):
        found = sync.analyze_threads(
            settings.account_client(account), engine, account, prefs, [thread_id], now
        )
    if not found:
        raise ApiError(404, "not_found", "No such thread in this Gmail.", "thread_id")
    thread, report, timeline = found[0]
    store.upsert_threads(engine, g.user_id, [(report, timeline)], now)
    team = prefs.team([account.email])
    return respond(service.analysis(report, thread, team))
