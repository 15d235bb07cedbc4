"""Who wrote what in a thread, as the messages' own new text (quotes and history stripped).

Shared by policy (opt-outs, bounces, touches) and compose (language, detail). A message is ours
when counting says so (me, a teammate, Gmail's SENT label); the prospect's genuine replies are
the outside messages the report did not set aside (auto-replies, bounces, receipts, bulk:
`report.ignored`). Pure.
"""

from __future__ import annotations

from .counting import is_ours
from .model import Message, Team, Thread, ThreadReport
from .quotes import split_signature, strip_quotes

__all__ = ["new_text", "our_touches", "their_replies"]


def _ignored_ids(report: ThreadReport) -> frozenset[str]:
    return frozenset(i.message_id for i in report.ignored)


def our_touches(thread: Thread, team: Team, report: ThreadReport) -> list[Message]:
    """Our outbound messages (internal notes and drafts sit in `ignored`: not touches)."""
    ignored = _ignored_ids(report)
    return [m for m in thread.messages if is_ours(m, team) and m.id not in ignored]


def their_replies(thread: Thread, team: Team, report: ThreadReport) -> list[Message]:
    """The genuine replies: outside senders, minus what the report set aside."""
    ignored = _ignored_ids(report)
    return [m for m in thread.messages if not is_ours(m, team) and m.id not in ignored]


def new_text(message: Message) -> str:
    """What the sender just wrote, without quotes nor signature ("" when the body was not read):
    a job title such as "Legal counsel" or "Demo manager" is no detail of the deal."""
    return split_signature(strip_quotes(message.text))[0] if message.text else ""
