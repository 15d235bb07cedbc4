"""A user's settings, kept by the backend: the one source every path decides with.

Rule: what a user may change is maxcore's (core.settings.TUNABLE, with its bounds) plus their
company's own domains; analyze, the Gmail sync, the pipeline and a thread read through the API all
load them here, so one thread cannot get two levels. Stored as the contract's SettingsValues JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from maxcore.app.contract import SettingsChange, SettingsValues, encode
from maxcore.core.model import Team
from maxcore.core.settings import DEFAULTS, Settings, settings_from, tunable_values

from .db import connected, now_utc, user_settings, users
from .users import account_of


@dataclass(frozen=True)
class UserSettings:
    settings: Settings = DEFAULTS
    team_domains: tuple[str, ...] = ()
    account: str | None = None  # the user's own Gmail address, when bound (backend.users)

    def team(self, me: tuple[str, ...] | list[str]) -> Team:
        """Who "we" are for this user: the addresses the request names, their own account and
        their company's domains."""
        return Team.of([*me, *([self.account] if self.account else [])], self.team_domains)


# One query for both (analyze reads them on every request): the user's address, their values.
_LOAD = (
    sa.select(users.c.email, user_settings.c.settings)
    .select_from(users.outerjoin(user_settings, user_settings.c.user_id == users.c.id))
    .where(users.c.id == sa.bindparam("uid"))
)


def load(bind: Engine | Connection, user_id: int) -> UserSettings:
    """The user's settings; `bind` may be a connection the caller already holds."""
    with connected(bind) as conn:
        row = conn.execute(_LOAD, {"uid": user_id}).first()
    account = None if row is None or row.email is None else str(row.email)
    if row is None or row.settings is None:
        return UserSettings(account=account)
    return replace(
        _from_values(msgspec.json.decode(row.settings, type=SettingsValues)), account=account
    )


def values_of(prefs: UserSettings) -> SettingsValues:
    return SettingsValues(**tunable_values(prefs.settings), team_domains=prefs.team_domains)


def save(engine: Engine, user_id: int, change: SettingsChange) -> UserSettings:
    """Apply the given values over the stored ones; MaxcoreError naming a wrong field."""
    current = msgspec.structs.asdict(values_of(load(engine, user_id)))
    asked = {k: v for k, v in msgspec.structs.asdict(change).items() if v is not None}
    merged = {**current, **asked}
    prefs = replace(_from_values(SettingsValues(**merged)), account=account_of(engine, user_id))
    stored = encode(values_of(prefs)).decode()
    row = {"user_id": user_id, "settings": stored, "updated_at": now_utc()}
    with engine.begin() as conn:
        conn.execute(user_settings.delete().where(user_settings.c.user_id == user_id))
        conn.execute(user_settings.insert().values(**row))
    return prefs


def _from_values(values: SettingsValues) -> UserSettings:
    fields = msgspec.structs.asdict(values)
    domains = tuple(d.lower().lstrip("@") for d in fields.pop("team_domains"))
    return UserSettings(settings_from(fields), domains)
