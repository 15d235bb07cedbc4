"""What a pixel fetch was: a person reading, a proxy prefetching, a scanner, the sender, or the
same reader again; and so whether it counts as an open.

Rule: every fetch is classified and accounted for with its `kind`, none is hidden (counted opens
one by one, the others as counts per kind); only `human` opens feed a report's `opens`
(ARCHITECTURE.md: "the user's own views and proxy prefetches excluded"). A pixel is one sent
email, held by every one of its recipients, so an open is counted once per pixel and window:
the first, then at most one an hour, at most MAX_OPENS_PER_PIXEL in all — a reader coming back,
a forward or a flood of requests cannot make one email look read ten times. Pure: the caller
passes what it knows; rules are data (gmail-page.md, "Open tracking").
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

OpenKind = Literal["human", "prefetch", "scanner", "self", "repeat", "capped"]
# The kinds that never count, each with its own counter per pixel (db.pixel_stats).
DISCOUNTED_KINDS: tuple[OpenKind, ...] = ("prefetch", "scanner", "self", "repeat", "capped")

# Security scanners fetch (and click) seconds after delivery, and Gmail shows the sender their
# message (images through its proxy) as it leaves: a human reading that fast is rare.
PREFETCH_WINDOW = timedelta(seconds=60)
# The extension reports the sender's own view; a fetch this close to it is that view.
SELF_VIEW_WINDOW = timedelta(minutes=2)
# One open per pixel per window: the first fetch, then at most one an hour.
OPEN_WINDOW = timedelta(hours=1)
MAX_OPENS_PER_PIXEL = 5

# (substring of the lower-cased User-Agent, agent, kind), first match wins.
AGENT_RULES: tuple[tuple[str, str, OpenKind], ...] = (
    # Gmail loads images through its proxy only when someone opens the message (no prefetch on
    # receipt); the sender's own view goes the same way, hence self-views.
    ("googleimageproxy", "google_proxy", "human"),
    ("yahoomailproxy", "yahoo_proxy", "human"),
    # Mail security gateways and link/image scanners.
    ("barracuda", "scanner", "scanner"),
    ("mimecast", "scanner", "scanner"),
    ("proofpoint", "scanner", "scanner"),
    ("symantec", "scanner", "scanner"),
    ("trendmicro", "scanner", "scanner"),
    ("fortinet", "scanner", "scanner"),
    ("safelinks", "scanner", "scanner"),
    ("bingpreview", "scanner", "scanner"),
    ("headlesschrome", "scanner", "scanner"),
    ("python-", "scanner", "scanner"),
    ("curl/", "scanner", "scanner"),
    ("wget/", "scanner", "scanner"),
    ("go-http-client", "scanner", "scanner"),
    ("okhttp", "scanner", "scanner"),
    ("java/", "scanner", "scanner"),
    ("bot", "scanner", "scanner"),
    ("spider", "scanner", "scanner"),
    ("crawler", "scanner", "scanner"),
)

# Apple Mail Privacy Protection downloads every remote image in the background through Apple's
# relays, announcing itself only as "Mozilla/5.0": such a fetch says nothing about reading.
APPLE_PRIVACY_AGENTS = frozenset({"mozilla/5.0"})


def agent_of(user_agent: str) -> tuple[str, OpenKind]:
    ua = user_agent.strip().lower()
    if not ua:
        return "unknown", "scanner"  # every mail client and proxy sends one
    if ua in APPLE_PRIVACY_AGENTS:
        return "apple_mail", "prefetch"
    for needle, agent, kind in AGENT_RULES:
        if needle in ua:
            return agent, kind
    return "client", "human"


def classify_open(
    user_agent: str, sent_at: datetime, at: datetime, near_self_view: bool
) -> tuple[OpenKind, str]:
    """(kind, agent) of one pixel fetch, on its own: `human` when it could be a person."""
    agent, kind = agent_of(user_agent)
    if kind != "human":
        return kind, agent
    if at - sent_at < PREFETCH_WINDOW:
        return "prefetch", agent
    if near_self_view:
        return "self", agent
    return "human", agent


def counted_kind(kind: OpenKind, at: datetime, counted: int, last: datetime | None) -> OpenKind:
    """A `human` fetch's kind given the pixel's counted opens so far (how many, the latest):
    `repeat` inside the window of the last one, `capped` past the cap, else `human`."""
    if kind != "human":
        return kind
    if last is not None and at - last < OPEN_WINDOW:
        return "repeat"
    if counted >= MAX_OPENS_PER_PIXEL:
        return "capped"
    return "human"
