"""Request bodies → model values: the one parse step every endpoint goes through.

Rule: a body that is not a JSON object is a 400 naming "body"; a wrong or missing field is a 400
naming that field, with its path inside the body ("me[1]", "thread.messages[0].from.email"). The
thread itself is read by maxcore's adapters (Gmail API JSON or the extension's page reading);
their MaxcoreError fields are re-rooted under "thread.".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import request

from maxcore.adapters.gmail_json import thread_from_gmail
from maxcore.adapters.page_json import thread_from_page
from maxcore.compose.language import LANGS
from maxcore.compose.message import PHONE_CHANNELS as CHANNELS
from maxcore.core.errors import MaxcoreError
from maxcore.core.model import Team, Thread
from maxcore.core.settings import Settings, settings_from

from ..errors import ApiError


def bad(field: str, message: str) -> ApiError:
    return ApiError(400, "bad_request", message, field)


def json_body() -> dict[str, Any]:
    raw = request.get_data(cache=True)  # past MAX_CONTENT_LENGTH werkzeug raises 413 here
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested past the stack
        raise bad("body", "The request body must be JSON.") from None
    if not isinstance(body, dict):
        raise bad("body", "The request body must be a JSON object.")
    return body


def required_str(body: dict[str, Any], key: str, max_len: int = 300) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise bad(key, f"{key} must be a non-empty string.")
    if len(value) > max_len:
        raise bad(key, f"{key} is longer than {max_len} characters.")
    return value.strip()


def optional_str(body: dict[str, Any], key: str, choices: tuple[str, ...]) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if value not in choices:
        raise bad(key, f"{key} must be one of {', '.join(choices)}.")
    return str(value)


def _str_list(body: dict[str, Any], key: str, *, required: bool) -> list[str]:
    value = body.get(key, None if required else [])
    if not isinstance(value, list) or (required and not value):
        raise bad(key, f"{key} must be a {'non-empty ' if required else ''}list of strings.")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise bad(f"{key}[{i}]", f"{key}[{i}] must be a non-empty string.")
    return value


def parse_team(body: dict[str, Any]) -> Team:
    me = _str_list(body, "me", required=True)
    for i, address in enumerate(me):
        if "@" not in address:
            raise bad(f"me[{i}]", f"me[{i}] must be an email address.")
    return Team.of(me, _str_list(body, "team_domains", required=False))


def parse_now(body: dict[str, Any]) -> datetime:
    value = body.get("now")
    if value is None:
        return datetime.now(UTC)
    if not isinstance(value, str):
        raise bad("now", "now must be an ISO 8601 date-time string.")
    try:
        now = datetime.fromisoformat(value)
    except ValueError:
        raise bad(
            "now", "now must be an ISO 8601 date-time, e.g. 2026-11-27T10:00:00+01:00."
        ) from None
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def parse_settings(body: dict[str, Any]) -> Settings:
    value = body.get("settings")
    if value is not None and not isinstance(value, dict):
        raise bad("settings", "settings must be an object.")
    try:
        return settings_from(value)
    except MaxcoreError as err:
        raise bad(f"settings.{err.field}" if err.field else "settings", err.message) from None


def is_gmail_thread(obj: dict[str, Any]) -> bool:
    """A Gmail API users.threads.get response: its messages carry a MIME `payload`."""
    messages = obj.get("messages")
    return (
        isinstance(messages, list)
        and bool(messages)
        and isinstance(messages[0], dict)
        and ("payload" in messages[0] or "raw" in messages[0])
    )


def parse_thread(body: dict[str, Any], now: datetime) -> Thread:
    obj = body.get("thread")
    if not isinstance(obj, dict):
        raise bad("thread", "thread must be an object (a Gmail API thread or a page reading).")
    try:
        if is_gmail_thread(obj):
            return thread_from_gmail(obj)
        return thread_from_page(obj, now=now)
    except MaxcoreError as err:
        raise ApiError(400, err.code, err.message, _rooted(err.field)) from None


def _rooted(field: str | None) -> str:
    """An adapter's path ("$", "messages[0].from.email") as a path in the body ("thread...")."""
    path = (field or "").removeprefix("$").lstrip(".")
    if path.startswith("thread.") or path == "thread":
        return path
    return f"thread.{path}" if path else "thread"


@dataclass(frozen=True)
class ThreadRequest:
    """The body of analyze and suggestions, as model values."""

    team: Team
    now: datetime
    settings: Settings
    thread: Thread
    lang: str | None = None
    channel: str | None = None


def parse_thread_request(body: dict[str, Any]) -> ThreadRequest:
    team = parse_team(body)
    now = parse_now(body)
    settings = parse_settings(body)
    lang = optional_str(body, "lang", LANGS)
    channel = optional_str(body, "channel", CHANNELS)
    return ThreadRequest(team, now, settings, parse_thread(body, now), lang, channel)
