"""Checks that a piece of decoded JSON has the type a reader expects, naming where it does not.

One place for the JSON readers (Gmail API JSON, the extension's page reading): each error is a
`MaxcoreError` whose `field` is the JSON path ("thread.messages[2].from"), so the CLI and the
backend's 400 both say exactly what was wrong. A string comes back as text UTF-8 can encode: JSON's
`\ud800` escape carries a lone surrogate (Gmail cuts snippets inside emoji), which no writer
downstream (stdout, SQLite, an HTTP body) accepts; it becomes U+FFFD.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import MaxcoreError
from .charsets import without_surrogates


def as_dict(value: object, path: str, code: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MaxcoreError(code, f"{path} must be an object", field=path)
    return value


def as_list(value: object, path: str, code: str) -> list[Any]:
    if not isinstance(value, list):
        raise MaxcoreError(code, f"{path} must be a list", field=path)
    return value


def as_str(value: object, path: str, code: str) -> str:
    if not isinstance(value, str):
        raise MaxcoreError(code, f"{path} must be a string", field=path)
    return without_surrogates(value)
