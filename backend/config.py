"""Configuration from the environment (microblog's `Config`), with embedded defaults.

Rule: `make run` must start with no keys at all. Every setting has a default here; the only secret
the backend needs of its own (Flask's SECRET_KEY) is generated once and kept in the data directory,
never in the repository.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs

from maxcore.adapters.llm import ENV_KEYS as LLM_ENV_KEYS

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
    "MAX_PUBLIC_URL",
    "MAX_LOCAL_PAIRING",  # on (default) or off: pairing without a code (backend/local_pairing.py)
    "MAX_EXTENSION_ID",  # when set, only this extension pairs in one click
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
        data_dir.mkdir(parents=True, exist_ok=True)
        out["MAX_DATA_DIR"] = str(data_dir)
        if not out.get("MAX_DATABASE_URL"):
            out["MAX_DATABASE_URL"] = f"sqlite:///{data_dir / 'max.sqlite3'}"
        if not out.get("MAX_SECRET_KEY"):
            out["MAX_SECRET_KEY"] = _persisted_secret(data_dir / "secret_key")
        out["MAX_PUBLIC_URL"] = (out.get("MAX_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")
        out.setdefault("SECRET_KEY", out["MAX_SECRET_KEY"])
        out.setdefault("MAX_CONTENT_LENGTH", MAX_BODY_BYTES)
        return out


def _persisted_secret(path: Path) -> str:
    """A random key made on first start and read back afterwards (mode 0600: the user's only)."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key)
        return key
