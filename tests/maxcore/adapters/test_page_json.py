"""thread_from_page: the page reading, validated strictly, every error naming its field."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from maxcore.adapters.page_json import MAX_MESSAGES, MAX_TEXT, thread_from_page
from maxcore.core.errors import MaxcoreError

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=timezone(timedelta(hours=1)))
# Written here: the shape the content script posts (ARCHITECTURE.md, extension ↔ backend).
PAGE: dict[str, Any] = {
    "thread_id": "18f2a0c0d1e2f301",
    "subject": "Proposition - module planification",
    "complete": True,
    "messages": [
        {
            "id": "msg-f:1783000000000000001",
            "from": {"email": "Claire.Martin@acme-saas.fr", "name": "Claire Martin"},
            "to": [{"email": "marc.lefevre@batiplus.fr", "name": "Marc Lefèvre"}],
            "cc": [],
            "date": "lun. 3 nov. 2026, 10:12",
            "text": "Bonjour Marc, voici la proposition.",
            "labels": ["SENT"],
        },
        {
            "id": "msg-f:1783000000000000002",
            "from": {"email": "marc.lefevre@batiplus.fr", "name": "Marc Lefèvre"},
            "to": [{"email": "claire.martin@acme-saas.fr", "name": ""}],
            "date": "10:12",
            "text": "Merci, on regarde.",
        },
    ],
}


def page(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(PAGE)
    data.update(changes)
    return data


def test_a_page_reading_becomes_a_thread() -> None:
    thread = thread_from_page(PAGE, now=NOW)
    assert (thread.thread_id, thread.subject, thread.complete) == (
        "18f2a0c0d1e2f301",
        "Proposition - module planification",
        True,
    )
    first, second = thread.messages
    assert first.sender.email == "claire.martin@acme-saas.fr"  # lower-cased
    assert first.labels == frozenset({"SENT"})
    assert first.date == datetime(2026, 11, 3, 10, 12, tzinfo=NOW.tzinfo)
    assert second.date == datetime(2026, 11, 27, 10, 12, tzinfo=NOW.tzinfo)
    assert second.cc == () and second.labels == frozenset()
    assert {m.thread_id for m in thread.messages} == {"18f2a0c0d1e2f301"}


def test_messages_are_sorted_by_date_and_folded_threads_stay_incomplete() -> None:
    data = page(complete=False, messages=list(reversed(PAGE["messages"])))
    thread = thread_from_page(data, now=NOW)
    assert [m.id for m in thread.messages] == [m["id"] for m in PAGE["messages"]]
    assert thread.complete is False


def test_text_is_cut_to_the_limit() -> None:
    data = page()
    data["messages"][1]["text"] = "x" * (MAX_TEXT + 500)
    assert len(thread_from_page(data, now=NOW).messages[1].text or "") == MAX_TEXT


def _set(path: list[str | int], value: object) -> Any:
    data = page()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["thread_id"], KeyError, "thread.thread_id"),
        (["thread_id"], 42, "thread.thread_id"),
        (["thread_id"], "  ", "thread.thread_id"),
        (["subject"], ["x"], "thread.subject"),
        (["complete"], "yes", "thread.complete"),
        (["messages"], KeyError, "thread.messages"),
        (["messages"], {}, "thread.messages"),
        (["messages"], [], "thread.messages"),
        (["messages"], [{}] * (MAX_MESSAGES + 1), "thread.messages"),
        (["messages", 1], "msg", "thread.messages[1]"),
        (["messages", 1, "id"], KeyError, "thread.messages[1].id"),
        (["messages", 1, "from"], KeyError, "thread.messages[1].from"),
        (["messages", 1, "from"], "marc@batiplus.fr", "thread.messages[1].from"),
        (["messages", 1, "from", "email"], KeyError, "thread.messages[1].from.email"),
        (["messages", 1, "from", "email"], "not an address", "thread.messages[1].from.email"),
        (["messages", 1, "from", "name"], 3, "thread.messages[1].from.name"),
        (["messages", 0, "to"], {"email": "a@b.fr"}, "thread.messages[0].to"),
        (["messages", 0, "to", 0, "email"], None, "thread.messages[0].to[0].email"),
        (
            ["messages", 0, "cc"],
            [{"email": "a@b.fr"}, {"name": "x"}],
            "thread.messages[0].cc[1].email",
        ),
        (["messages", 1, "date"], KeyError, "thread.messages[1].date"),
        (["messages", 1, "date"], 1700000000, "thread.messages[1].date"),
        (["messages", 1, "date"], "hier", "thread.messages[1].date"),
        (["messages", 1, "text"], 12, "thread.messages[1].text"),
        (["messages", 0, "labels"], "SENT", "thread.messages[0].labels"),
        (["messages", 0, "labels"], ["SENT", None], "thread.messages[0].labels[1]"),
    ],
)
def test_every_bad_input_names_its_field(path: list[str | int], value: object, field: str) -> None:
    with pytest.raises(MaxcoreError) as err:
        thread_from_page(_set(path, value), now=NOW)
    assert (err.value.code, err.value.field) == ("bad_thread", field)
    assert field in err.value.message


@pytest.mark.parametrize("obj", [None, [], "thread", 3])
def test_not_an_object_is_refused(obj: object) -> None:
    with pytest.raises(MaxcoreError) as err:
        thread_from_page(obj, now=NOW)
    assert (err.value.code, err.value.field) == ("bad_thread", "thread")
