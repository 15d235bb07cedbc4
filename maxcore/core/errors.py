"""The one error maxcore raises.

Adapters translate foreign exceptions (OSError, JSON errors, MIME defects...) into `MaxcoreError` at
their boundary; core functions take valid model values and do not raise. The CLI turns it into one
stderr line and a non-zero exit; the backend into a 4xx JSON error naming `field`.
"""

from __future__ import annotations


class MaxcoreError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message
