"""Every threshold MAX decides with, in one place, as data.

Nothing else in maxcore writes these numbers as literals: callers pass a `Settings` (the defaults
below unless the user configured otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time
from typing import Any

from .errors import MaxcoreError


@dataclass(frozen=True)
class Settings:
    # Levels (ARCHITECTURE.md): `watch` when the next email would be a second follow-up,
    # `trap` when it would be the third.
    watch_at: int = 2
    trap_at: int = 3
    # Pivot already at `watch` when the prospect opened at least this often (the seed's signal).
    pivot_opens: int = 2
    # Respectful contact (pivot.md, "Legal"): local weekday windows, at most N touches in D days.
    contact_windows: tuple[tuple[time, time], ...] = field(
        default=((time(10, 0), time(13, 0)), (time(14, 0), time(20, 0)))
    )
    contact_weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday is 0
    max_touches: int = 4
    touch_window_days: int = 30
    # Too soon after our last touch to pivot (days), and the pause after an out-of-office return.
    min_days_since_touch: int = 2
    ooo_grace_business_days: int = 2
    # Timing evidence: below this many past answers/opens, use the default slot.
    min_timing_evidence: int = 3
    # Threading by subject alone (no References) only within this many days (Gmail uses a week).
    subject_thread_days: int = 7


# What a user may change, and within which bounds: past them the API answers 400 naming the
# field. The bounds keep every computation short (a window of 10^7 days would tie a worker).
TUNABLE: dict[str, tuple[int, int]] = {
    "watch_at": (1, 10),
    "trap_at": (1, 20),
    "pivot_opens": (1, 50),
    "max_touches": (1, 20),
    "touch_window_days": (1, 365),
    "min_days_since_touch": (0, 30),
    "ooo_grace_business_days": (0, 20),
    "min_timing_evidence": (1, 100),
    "subject_thread_days": (1, 60),
}
DEFAULTS = Settings()


def settings_from(values: dict[str, Any] | None) -> Settings:
    """Settings with the given overrides; a clear error naming the field when one is wrong."""
    for key, value in (values or {}).items():
        if key not in TUNABLE:
            raise MaxcoreError("bad_setting", f"unknown setting {key!r}", field=key)
        low, high = TUNABLE[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise MaxcoreError(
                "bad_setting", f"{key} must be a whole number from {low} to {high}", field=key
            )
    settings = replace(DEFAULTS, **(values or {}))
    if not settings.watch_at <= settings.trap_at:
        raise MaxcoreError("bad_setting", "watch_at must be from 1 to trap_at", field="watch_at")
    return settings


def tunable_values(settings: Settings) -> dict[str, int]:
    """The values a user may change, as `settings_from` takes them."""
    return {key: getattr(settings, key) for key in TUNABLE}
