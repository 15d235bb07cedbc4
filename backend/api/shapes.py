"""The backend's own answers (pairing, tracking, Gmail, erasure): their one definition.

The shapes maxcore decides (reports, suggestions, briefs, settings, errors, the request bodies)
are in maxcore.app.contract; these are the envelopes only the backend writes. Views encode them
(wire.respond) and the OpenAPI document is generated from them (api.openapi.operation).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from ..open_kinds import OpenKind
from ..suggestions import AnsweredBy


class Health(msgspec.Struct, frozen=True):
    status: Literal["ok"] = "ok"


class Paired(msgspec.Struct, frozen=True):
    token: str  # send it as `Authorization: Bearer`


class MarkedSent(msgspec.Struct, frozen=True):
    id: str
    thread_id: str
    sent_at: datetime


class MarkedAnswered(msgspec.Struct, frozen=True):
    id: str
    thread_id: str
    sent_at: datetime
    answered_at: datetime
    answered_by: AnsweredBy


class Pixel(msgspec.Struct, frozen=True):
    pixel_url: str
    token: str


class SelfViewed(msgspec.Struct, frozen=True):
    token: str
    discarded: int  # fetches reclassified as the sender's own


class OpenEvent(msgspec.Struct, frozen=True):
    at: datetime
    kind: OpenKind
    agent: str


class Opens(msgspec.Struct, frozen=True):
    thread_id: str
    opens: tuple[OpenEvent, ...]  # the stored opens: counted, or explained by a self-view
    human: int  # the ones that count
    fetches: int = 0  # every fetch of the thread's pixels
    discounted: dict[str, int] = {}  # the fetches that did not count, per kind


class Erased(msgspec.Struct, frozen=True):
    deleted: dict[str, int]  # table → rows
    paired: bool = False


class GmailConsent(msgspec.Struct, frozen=True):
    auth_url: str


class GmailConnected(msgspec.Struct, frozen=True):
    connected: bool
    email: str


class GmailDisconnected(msgspec.Struct, frozen=True):
    connected: bool
    deleted: bool
    revoked: bool = False  # Google was told to end the grant (else it stays on their account page)


class GmailStatus(msgspec.Struct, frozen=True):
    connected: bool
    email: str | None = None
    scopes: tuple[str, ...] = ()
    reconnect: bool = False
    history_id: str | None = None
    last_sync_at: datetime | None = None
    last_sync_units: int | None = None
    watch_expires_at: datetime | None = None  # Gmail push: when the mailbox's watch ends


class Synced(msgspec.Struct, frozen=True):
    mode: Literal["cold", "incremental", "resync"]
    units: int  # Gmail quota units this sync spent
    calls: dict[str, int]
    threads: int  # threads whose report this sync wrote
    history_id: str
