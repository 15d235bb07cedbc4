"""The OpenAPI description of the Gmail area's paths (backend.api.openapi assembles it)."""

from __future__ import annotations

from typing import Any

from maxcore.adapters.gmail_json import GMAIL_ID_PATTERN
from maxcore.app.contract import Analysis, Pipeline

from .openapi import operation, path_param
from .shapes import GmailConnected, GmailConsent, GmailDisconnected, GmailStatus, Synced

_GMAIL = (400, 401, 409, 503)  # 409: not connected or grant revoked; 503: Gmail down/unset

OPENAPI_PATHS: dict[str, Any] = {
    "/api/v1/gmail/connect": {
        "get": operation(
            "Start the Google consent (OAuth web flow, PKCE); `?redirect=1` for a 302 to Google",
            GmailConsent,
            errors=(401, 503),
        )
    },
    "/api/v1/gmail/callback": {
        "get": operation(
            "Google's redirect target: checks `state`, exchanges `code`, stores the refresh "
            "token encrypted",
            GmailConnected,
            public=True,
            errors=(400, 503),
        )
    },
    "/api/v1/gmail/status": {
        "get": operation(
            "Whether Gmail is connected, its scopes, the last sync and its quota cost",
            GmailStatus,
            errors=(401,),
        )
    },
    "/api/v1/gmail": {
        "delete": operation(
            "Disconnect Gmail: revoke the grant at Google, forget the refresh token and the "
            "thread reports",
            GmailDisconnected,
            errors=(401,),
        )
    },
    "/api/v1/gmail/sync": {
        "post": operation(
            "Sync now: a cold scan the first time, history.list afterwards; answers the quota "
            "units spent",
            Synced,
            errors=_GMAIL,
        )
    },
    "/api/v1/gmail/push": {
        "post": operation(
            "Cloud Pub/Sub's push (OIDC-authenticated subscription): Gmail says the mailbox "
            "changed; MAX runs its incremental sync. 204 when done",
            public=True,
            ok_status="204",
            errors=(400, 401, 403, 404, 503),
        )
    },
    "/api/v1/pipeline": {
        "get": operation(
            "maxcore's reports of the threads at watch or trap, riskiest first: those the "
            "Gmail sync read and those the extension sent to analyze (the only ones when Gmail "
            "is not connected)",
            Pipeline,
            errors=(401,),
        )  # fmt: skip
    },
    "/api/v1/threads/{thread_id}": {
        "get": operation(
            "The report of a Gmail thread read through the API (threads.get, 40 units), with "
            "the user's settings",
            Analysis,
            errors=(*_GMAIL, 404),
            parameters=[
                path_param("thread_id", GMAIL_ID_PATTERN),
                {"name": "now", "in": "query", "schema": {"type": "string", "format": "date-time"}},
            ],
        )
    },
}
