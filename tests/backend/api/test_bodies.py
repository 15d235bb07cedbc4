"""The parse step: which adapter reads a thread, and where its errors point in the body."""

from __future__ import annotations

from typing import Any

import pytest

from backend.api.bodies import _rooted, is_gmail_thread


@pytest.mark.parametrize(
    ("thread", "gmail"),
    [
        ({"id": "18f", "messages": [{"id": "a", "threadId": "18f", "payload": {}}]}, True),
        ({"messages": [{"id": "a", "raw": "RnJvbTo="}]}, True),
        ({"thread_id": "18f", "messages": [{"id": "a", "from": {"email": "x@y.fr"}}]}, False),
        ({"thread_id": "18f", "messages": []}, False),
        ({"thread_id": "18f"}, False),
    ],
)
def test_is_gmail_thread(thread: dict[str, Any], gmail: bool) -> None:
    assert is_gmail_thread(thread) is gmail


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
    assert _rooted(adapter_field) == body_field
