"""thread_from_gmail on Gmail API shapes (fixtures written here: tests/fixtures/gmail/README.md)."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from maxcore.adapters.gmail_json import is_gmail_json, thread_from_gmail
from maxcore.core.errors import MaxcoreError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gmail"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def test_full_thread_reads_every_message_in_order() -> None:
    thread = thread_from_gmail(load("thread_full.json"))
    assert thread.thread_id == "18f2a0c0d1e2f301"
    assert thread.subject == "Proposition - module planification"
    assert [sorted(m.labels)[0] for m in thread.messages] == [
        "SENT",
        "CATEGORY_PERSONAL",
        "SENT",
        "CATEGORY_PERSONAL",
    ]
    first, ooo, follow_up, reply = thread.messages
    assert first.id == "<CAJx1a2b3c4d5e6f7g8h9i0j@mail.gmail.com>"  # the Message-ID, not Gmail's id
    assert first.text is not None and first.text.startswith(
        "Bonjour Marc,\n\nSuite à notre échange"
    )
    assert ooo.text == "Je suis absent du bureau jusqu'au 15 décembre inclus.\n"  # iso-8859-1 body
    assert ooo.header("auto-submitted") == "auto-replied"
    assert follow_up.content_types[-1] == 'application/pdf; name="devis-batiplus.pdf"'
    assert reply.text is not None and reply.text.startswith("Merci Claire, on regarde ça lundi.")
    assert "p{margin" not in reply.text  # <style> dropped from the HTML-only body
    assert reply.in_reply_to == follow_up.id
    assert reply.references == (first.id, follow_up.id)
    assert {m.thread_id for m in thread.messages} == {"18f2a0c0d1e2f301"}


def test_date_is_internal_date_in_the_senders_offset() -> None:
    raw = load("thread_full.json")
    reply = thread_from_gmail(raw).messages[-1]
    assert reply.date is not None
    assert int(reply.date.timestamp() * 1000) == int(raw["messages"][3]["internalDate"])
    assert reply.date.utcoffset() == timedelta(hours=-5)  # from "Date: ... -0500"


def test_metadata_thread_has_headers_but_no_text() -> None:
    full = thread_from_gmail(load("thread_full.json"))
    meta = thread_from_gmail(load("thread_metadata.json"))
    assert [m.id for m in meta.messages] == [m.id for m in full.messages]
    assert [m.date for m in meta.messages] == [m.date for m in full.messages]
    assert all(m.text is None for m in meta.messages)
    assert [m.content_types[0] for m in meta.messages] == [
        m.content_types[0] for m in full.messages
    ]


@pytest.mark.parametrize("name", ["message_full.json", "message_raw.json"])
def test_a_single_message_is_a_thread_of_one(name: str) -> None:
    thread = thread_from_gmail(load(name))
    (message,) = thread.messages
    assert thread.thread_id == "18f2a0c0d1e2f301"
    assert message.id == "<SN6PR04MB4032ABCDEF@SN6PR04MB4032.namprd04.prod.outlook.com>"
    assert message.sender.email == "marc.lefevre@batiplus.fr"
    assert (message.text or "").startswith("Merci Claire, on regarde ça lundi.")
    assert thread.subject == "Proposition - module planification"


def test_bare_messages_list_and_missing_message_id_fall_back_to_gmail_id() -> None:
    raw = load("thread_full.json")
    message = raw["messages"][0]
    message["payload"]["headers"] = [
        h for h in message["payload"]["headers"] if h["name"] != "Message-ID"
    ]
    thread = thread_from_gmail({"messages": [message]})
    assert thread.messages[0].id == "18f2a0c0d1e2f301"
    assert thread.thread_id == "18f2a0c0d1e2f301"


def _break(path: list[str | int], value: object) -> dict[str, Any]:
    raw = load("thread_full.json")
    target = raw
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return copy.deepcopy(raw)


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["messages"], "nope", "messages"),
        (["messages"], [], "messages"),
        (["messages", 3], [], "messages[3]"),
        (["messages", 3, "payload"], KeyError, "messages[3].payload"),
        (["messages", 1, "payload", "headers"], {}, "messages[1].payload.headers"),
        (
            ["messages", 1, "payload", "headers", 2, "value"],
            7,
            "messages[1].payload.headers[2].value",
        ),
        (["messages", 1, "payload", "headers"], [], "messages[1].payload.headers"),
        (
            ["messages", 0, "payload", "parts", 1, "body", "data"],
            "@@not base64@@",
            "messages[0].payload.parts[1].body.data",
        ),
        (["messages", 2, "internalDate"], "yesterday", "messages[2].internalDate"),
        (["messages", 2, "labelIds"], ["SENT", 3], "messages[2].labelIds[1]"),
        (["messages", 2, "id"], None, "messages[2].id"),
    ],
)
def test_wrong_shapes_name_the_json_path(path: list[str | int], value: object, field: str) -> None:
    with pytest.raises(MaxcoreError) as err:
        thread_from_gmail(_break(path, value))
    assert (err.value.code, err.value.field) == ("bad_gmail_json", field)


@pytest.mark.parametrize("obj", [[], "thread", 3, None, {"id": "x"}])
def test_not_an_object_with_messages_is_refused(obj: object) -> None:
    with pytest.raises(MaxcoreError) as err:
        thread_from_gmail(obj)
    assert err.value.code == "bad_gmail_json"


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
def test_gmail_json_is_told_from_a_page_reading_by_its_payload(
    thread: dict[str, Any], gmail: bool
) -> None:
    assert is_gmail_json(thread) is gmail
