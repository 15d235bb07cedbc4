"""Seal secrets at rest: the Gmail refresh token is stored encrypted, never in the clear.

Rule: one Fernet key (AES-128-CBC + HMAC-SHA256, cryptography's Fernet spec) derived from the
backend's MAX_SECRET_KEY with HKDF-SHA256 (RFC 5869) and a purpose label, so the same secret key
can serve other purposes without ever reusing this derived key.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# RFC 5869 §3.2: `info` binds the derived key to its one use.
PURPOSE = b"max/gmail/refresh-token/v1"


def fernet_for(secret_key: str) -> Fernet:
    if not secret_key:
        raise ValueError("MAX_SECRET_KEY is empty")
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(raw))


def seal(secret_key: str, plain: str) -> bytes:
    return fernet_for(secret_key).encrypt(plain.encode("utf-8"))


def unseal(secret_key: str, sealed: bytes) -> str | None:
    """The plain text, or None when the secret key changed (the user must reconnect Gmail)."""
    try:
        return fernet_for(secret_key).decrypt(sealed).decode("utf-8")
    except InvalidToken:
        return None
