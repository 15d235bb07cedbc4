"""The values MAX reasons about: messages, threads, reports.

Frozen dataclasses only; no parsing and no decisions live here. Adapters build `Message` and
`Thread` values from mail files, Gmail API JSON or the extension's page reading; the core turns a
`Thread` into a `ThreadReport`. The words are ARCHITECTURE.md's glossary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

# The closed vocabularies of the contract (app/contract.py generates the JSON Schema and the
# extension's contract.js from these; a meta-test checks every side names the same values).
Level = Literal["ok", "watch", "trap"]
# Riskiest first: how every list of threads (CLI scan, Gmail pipeline) is ordered.
LEVEL_ORDER: dict[str, int] = {"trap": 0, "watch": 1, "ok": 2}
Channel = Literal["email", "whatsapp", "sms", "wait", "none"]
PhoneChannel = Literal["whatsapp", "sms"]
Lang = Literal["fr", "en"]
# The rule that spoke (policy.REASONS has one sentence per code).
Code = Literal[
    "no_prospect",
    "opted_out",
    "answered",
    "pivot_sent",
    "cap",
    "away",
    "too_soon",
    "email_ok",
    "email_watch",
    "trap",
    "opened",
    "bounced",
]
# What is added to the advice: no phone number known (wa.me lets the user pick the contact);
# some messages were not seen, so the count may be low.
Note = Literal["no_phone", "incomplete"]
# Which banner a reply in this thread shows: the third follow-up, or the softer "they opened".
BannerKind = Literal["trap", "watch"]
# What the sidebar says of an announced absence: still away, or back since the date.
Absence = Literal["away", "back"]
# The level to show: a partial reading (folded messages not read) that would say "ok" is
# "unknown", never a reassuring ok; watch and trap stay (there are at least that many).
ShownLevel = Literal["ok", "watch", "trap", "unknown"]
IgnoredReason = Literal["auto_reply", "bounce", "read_receipt", "bulk", "internal", "draft"]


class Kind(StrEnum):
    """What a message is, from MAX's point of view (mail-signals.md, "Decision order")."""

    OUTBOUND = "outbound"  # me or a teammate, reaching someone outside the team: one of our touches
    INTERNAL = "internal"  # only teammates: not a touch
    DRAFT = "draft"
    REPLY = "reply"  # a genuine reply written by a person (calendar answers included)
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    READ_RECEIPT = "read_receipt"
    BULK = "bulk"


# The kinds listed in a report's `ignored` (ARCHITECTURE.md: `ignored[].reason`).
IGNORED_KINDS = frozenset(
    {Kind.AUTO_REPLY, Kind.BOUNCE, Kind.READ_RECEIPT, Kind.BULK, Kind.INTERNAL, Kind.DRAFT}
)

_EMPTY: Mapping[str, tuple[str, ...]] = MappingProxyType({})


@dataclass(frozen=True)
class Address:
    email: str  # lower-cased addr-spec, "" when the header had none
    name: str = ""

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2]


@dataclass(frozen=True)
class Message:
    """One message as an adapter read it. Nothing here is a verdict.

    `headers` maps lower-cased header names to their decoded values (all occurrences, in order).
    `content_types` lists every MIME part's full Content-Type value, lower-cased, top level first,
    so that rules like "any part message/delivery-status" need no MIME tree.
    `text` is the visible plain text of the body (text/plain preferred, else HTML made text), with
    quotes still in; `None` means the body was not read (a headers-only pass).
    """

    id: str  # Message-ID with its angle brackets, or Gmail's message id
    subject: str = ""
    sender: Address = Address("")
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    date: datetime | None = None  # aware; the sender's own UTC offset kept when the source had one
    headers: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY)
    content_types: tuple[str, ...] = ()
    text: str | None = None
    labels: frozenset[str] = frozenset()  # Gmail labels: SENT, DRAFT, INBOX...
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    thread_id: str | None = None  # Gmail's threadId when the source had one

    def header(self, name: str) -> str | None:
        """The first value of a header, or None."""
        values = self.headers.get(name.lower())
        return values[0] if values else None

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc


@dataclass(frozen=True)
class Thread:
    """Messages of one conversation, oldest first (undated ones keep their reading order)."""

    thread_id: str
    subject: str
    messages: tuple[Message, ...]
    complete: bool = True  # False when the source could not see every message (folded in Gmail)


@dataclass(frozen=True)
class Team:
    """Who "we" are: the salesperson's addresses and their company's own domains."""

    me: frozenset[str]  # lower-cased addresses
    domains: frozenset[str] = frozenset()  # lower-cased; never a public webmail domain

    @classmethod
    def of(cls, me: list[str] | tuple[str, ...], domains: list[str] | tuple[str, ...] = ()) -> Team:
        return cls(
            me=frozenset(a.strip().lower() for a in me if a.strip()),
            domains=frozenset(d.strip().lower().lstrip("@") for d in domains if d.strip()),
        )


@dataclass(frozen=True)
class Verdict:
    """What one message is, and the rule that said so (e.g. "H6 Auto-Submitted: auto-replied")."""

    message_id: str
    kind: Kind
    rule: str


@dataclass(frozen=True)
class Prospect:
    email: str
    name: str = ""
    phone: str | None = None  # E.164; a mobile where one is known; never the team's own


@dataclass(frozen=True)
class Facts:
    """The values the advice's sentence is made of, so a UI can say it in its own language."""

    unanswered: int | None = None
    opens: int | None = None
    channel: PhoneChannel | None = None  # the channel to switch to
    count: int | None = None  # touches in the window (the cap)
    days: int | None = None  # the window's length
    cap: int | None = None
    until: date | None = None  # the announced return date
    grace: int | None = None  # working days to catch up after it
    when: date | None = None  # the day a pivot becomes possible, or the pivot already sent


@dataclass(frozen=True)
class Slot:
    """One respectful window of one contact day, in the prospect's zone (the tzinfo of
    timing.best_slot's answer): `opens` its first allowed moment (never before the `now` or
    `not_before` it was computed from), `best` the moment to send (what best_slot answers),
    `closes` its last allowed moment (the window's close minus timing.LAST_CALL, never before
    `best`). A reminder that fires late checks `opens <= moment <= closes` before notifying."""

    opens: datetime
    best: datetime
    closes: datetime


@dataclass(frozen=True)
class Recommendation:
    channel: Channel
    send_at: datetime | None
    reason: str  # the English sentence, for the CLI and logs
    # Which rule spoke, so a UI can say it in its own language, from `facts` and `notes`.
    code: Code
    facts: Facts = Facts()
    notes: tuple[Note, ...] = ()
    # The next respectful windows, on later and later days, the first one's best == send_at, so
    # the extension can check a late reminder and snooze to a later day without asking again.
    # Filled only for the pivot itself (a phone channel with send_at set): not for email, wait
    # or none, which keeps the analysis of a big mailbox as fast as it was.
    slots: tuple[Slot, ...] = ()


@dataclass(frozen=True)
class Display:
    """What the extension shows, decided here so that it only draws."""

    banner: BannerKind | None = None  # in a reply to this thread
    hold_send: bool = False  # hold the first Send of a reply once, to show the banner
    offer_message: bool = False  # the phone message is the advice: write it
    absence: Absence | None = None  # of the announced return date (wait_until)
    level: ShownLevel | None = None  # the level to show (ShownLevel); None before display_for


@dataclass(frozen=True)
class Ignored:
    message_id: str
    reason: IgnoredReason


@dataclass(frozen=True)
class ThreadReport:
    thread_id: str
    subject: str
    unanswered: int
    level: Level
    last_reply_at: datetime | None
    wait_until: date | None
    opens: int
    ignored: tuple[Ignored, ...]
    prospect: Prospect | None
    recommendation: Recommendation | None = None
    complete: bool = True
    last_touch_at: datetime | None = None  # our latest outbound, for timing and ordering
    display: Display = Display()


@dataclass(frozen=True)
class SmsInfo:
    encoding: Literal["GSM-7", "UCS-2"]
    segments: int


@dataclass(frozen=True)
class Suggestion:
    """The message to send instead of one more email (ARCHITECTURE.md, "The suggestion")."""

    channel: PhoneChannel
    text: str
    lang: Lang
    source: Literal["template", "llm"]
    send_at: datetime | None
    link: str | None  # https://wa.me/... or sms:...
    sms: SmsInfo | None
    qr_svg: str | None  # an SVG document encoding `link`


@dataclass(frozen=True)
class History:
    """What happened outside the mail itself, as the backend stored it (empty for the CLI)."""

    # Tracking-pixel opens, the sender's own views and proxy prefetches already removed.
    opens: tuple[datetime, ...] = ()
    pivots_sent: tuple[datetime, ...] = ()  # phone messages the user sent for this thread
