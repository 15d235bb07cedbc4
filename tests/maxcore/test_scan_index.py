"""scan_index: what a message's headers alone say for the count, and whether a thread is at risk,
read from its end, opening an unsure reply only when it decides."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from maxcore.app.scan_index import Side, at_least_unanswered, resolved_sides, side_of
from maxcore.core.grouping import key_of
from maxcore.core.model import Message
from tests.maxcore._threads import ME, PROSPECT, TEAM, msg

CALENDAR_REPLY = "text/calendar; method=reply"
T, N, R, X, U = Side.TOUCH, Side.OURS, Side.REPLY, Side.OTHER, Side.UNSURE


def _headers_only(message: Message, **headers: tuple[str, ...]) -> Message:
    return replace(message, text=None, headers=MappingProxyType(headers))


@pytest.mark.parametrize(
    ("message", "side"),
    [
        (_headers_only(msg(1, ME, 3)), T),
        (replace(_headers_only(msg(1, ME, 3)), to=(ME,)), N),  # to ourselves only: internal
        (_headers_only(msg(2, PROSPECT, 2)), U),  # a reply whose body may be empty or an OOO
        (_headers_only(msg(2, PROSPECT, 2), **{"auto-submitted": ("auto-replied",)}), X),
        (replace(_headers_only(msg(2, PROSPECT, 2)), content_types=(CALENDAR_REPLY,)), R),
        (_headers_only(msg(2, PROSPECT, 2), **{"list-id": ("<x.lists>",)}), Side.BULK),
    ],
)  # fmt: skip
def test_side_of_a_message_read_headers_only(message: Message, side: Side) -> None:
    assert side_of(message, TEAM) is side


def test_bulk_mail_is_unsure_only_when_it_answers_one_of_ours() -> None:
    ours = _headers_only(msg(1, ME, 5))
    answer = replace(_headers_only(msg(2, PROSPECT, 4)), references=(ours.id,))
    other = _headers_only(msg(3, PROSPECT, 3))
    keys = [key_of(m) for m in (ours, answer, other)]
    assert resolved_sides(keys, [T, Side.BULK, Side.BULK]) == [T, U, X]


@pytest.mark.parametrize(
    ("sides", "replies", "at_risk", "opened"),
    [
        ([T, T, T], set(), True, []),  # never answered
        ([T, R, T], set(), False, []),  # a sure reply ends the walk
        ([T, U, T], {1}, False, [1]),  # the unsure reply can decide: it is read
        ([T, U, T], set(), True, [1]),  # ... and was an out-of-office
        ([T, U, T, T], set(), True, []),  # two already: at risk whatever it is
        ([T, U], set(), False, []),  # one touch at most, whatever it is: not read
        ([T, R, U, T], set(), False, []),  # one before it since the sure reply: not read
        ([T, X, N, T], set(), True, []),  # auto-replies and internal notes count nothing
    ],
)
def test_an_unsure_reply_is_read_only_when_it_decides(
    sides: list[Side], replies: set[int], at_risk: bool, opened: list[int]
) -> None:
    asked: list[int] = []

    def is_reply(i: int) -> bool:
        asked.append(i)
        return i in replies

    assert at_least_unanswered(sides, 2, is_reply) is at_risk
    assert asked == opened
