"""The parse step: where an adapter's errors point in the body."""

from __future__ import annotations

import pytest

from backend.api.bodies import rooted


@pytest.mark.parametrize(
    ("adapter_field", "body_field"),
    [
        ("$", "thread"),
        (None, "thread"),
        ("messages[3].payload.headers", "thread.messages[3].payload.headers"),
        ("thread.messages[0].from.email", "thread.messages[0].from.email"),
        ("thread", "thread"),
    ],
)
def test_adapter_errors_are_rooted_in_the_body(adapter_field: str | None, body_field: str) -> None:
    assert rooted(adapter_field) == body_field
