"""Configuration from the environment (microblog's `Config`), with embedded defaults.

Rule: `make run` must start with no keys at all. Every setting has a default here; the only secret
the backend needs of its own is MAX_SECRET_KEY, else generated once and kept in the database for
every process (backend.secret), never in the repository.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs

from maxcore.adapters.llm import ENV_KEYS as LLM_ENV_KEYS
from maxcore.core.errors import MaxcoreError

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8765"
MAX_BODY_BYTES = 2 * 1024 * 1024  # a Gmail thread with long quotes fits; a mailbox does not

# Settings read from the environment as they are (None when unset).
ENV_KEYS = (
    "MAX_DATABASE_URL",
    "MAX_DATA_DIR",
    "MAX_API_TOKEN",
    "MAX_SECRET_KEY",
    *LLM_ENV_KEYS,
    "MAX_GOOGLE_CLIENT_FILE",
    "MAX_GMAIL_SCOPE",  # readonly (default) or metadata: see backend/gmail/oauth.py
    "MAX_GOOGLE_REDIRECT_URI",
    "MAX_GOOGLE_AUTH_URI",  # these three point the real Google libraries elsewhere (tests, proxies)
    "MAX_GOOGLE_TOKEN_URI",
    "MAX_GMAIL_API_BASE",
    "MAX_GOOGLE_REVOKE_URI",
    "MAX_PUBSUB_TOPIC",  # Gmail push: projects/<p>/topics/<t>; unset, `max-backend poll` polls
    "MAX_PUSH_AUDIENCE",  # the push subscription's OIDC audience
    "MAX_PUSH_SERVICE_ACCOUNT",  # the service account the push subscription signs as
    "MAX_GOOGLE_CERTS_URL",  # Google's OIDC signing certificates (tests point it elsewhere)
    "MAX_PUBLIC_URL",
    "MAX_ALLOWED_HOSTS",  # more host names to answer for (backend/request_guard.py)
    "MAX_EXTENSION_ORIGINS",  # the extension origins the API accepts; default any
    "MAX_PAIR_TRIES_PER_MINUTE",  # pairing tries per client address (backend/pairing.py)
    "MAX_LOCAL_PAIRING",  # on (default) or off: pairing without a code (backend/local_pairing.py)
    "MAX_PROXY_HOPS",  # reverse proxies in front whose X-Forwarded-For/-Proto MAX believes; 0
)


class Config:
    """The backend's settings: the environment first, then the caller's overrides, then defaults."""

    @staticmethod
    def from_env(env: Mapping[str, str] | None = None) -> dict[str, Any]:
        source = os.environ if env is None else env
        return {key: source.get(key) or None for key in ENV_KEYS}

    @staticmethod
    def resolve(values: Mapping[str, Any]) -> dict[str, Any]:
        """Fill every unset value with its default; creates the data directory."""
        out = dict(values)
        data_dir = Path(out.get("MAX_DATA_DIR") or platformdirs.user_data_dir("max"))
        _private_dir(data_dir)
        out["MAX_DATA_DIR"] = str(data_dir)
        if not out.get("MAX_DATABASE_URL"):
            out["MAX_DATABASE_URL"] = f"sqlite:///{data_dir / 'max.sqlite3'}"
        # Unset, it follows the address the server listens on (backend.__main__.serve).
        out["MAX_PUBLIC_URL_IS_DEFAULT"] = not out.get("MAX_PUBLIC_URL")
        out["MAX_PUBLIC_URL"] = (out.get("MAX_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")
        out["MAX_PAIR_TRIES_PER_MINUTE"] = _whole(out, "MAX_PAIR_TRIES_PER_MINUTE", 5, least=1)
        out["MAX_PROXY_HOPS"] = _whole(out, "MAX_PROXY_HOPS", 0, least=0)
        if out.get("MAX_SECRET_KEY"):  # else backend.secret makes it, one for every process
            out.setdefault("SECRET_KEY", out["MAX_SECRET_KEY"])
        out.setdefault("MAX_CONTENT_LENGTH", MAX_BODY_BYTES)
        return out


def _private_dir(path: Path) -> None:
    """The data directory, made 0700 (or made so): nobody else reads the mail data or the key."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o700)


def _whole(values: Mapping[str, Any], key: str, default: int, *, least: int) -> int:
    raw = values.get(key)
    if raw is None or raw == "":
        return default
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = least - 1
    if number < least:
        raise MaxcoreError(
            "bad_config", f"{key} must be a whole number, {least} or more", field=key
        )
    return number
