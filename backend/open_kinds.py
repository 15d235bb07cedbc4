"""What a pixel fetch was: a person reading, a proxy prefetching, a scanner, or the sender.

Rule: every fetch is classified and stored with its `kind`, none is hidden; only `human` opens
feed a report's `opens` (ARCHITECTURE.md: "the user's own views and proxy prefetches excluded").
Pure: the caller passes what it knows; rules are data (gmail-page.md, "Open tracking").
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

OpenKind = Literal["human", "prefetch", "scanner", "self"]

# Security scanners fetch (and click) seconds after delivery; a human reading that fast is rare.
PREFETCH_WINDOW = timedelta(seconds=20)
# The extension reports the sender's own view; a fetch this close to it is that view.
SELF_VIEW_WINDOW = timedelta(minutes=2)

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
    """(kind, agent) of one pixel fetch."""
    agent, kind = agent_of(user_agent)
    if kind != "human":
        return kind, agent
    if at - sent_at < PREFETCH_WINDOW:
        return "prefetch", agent
    if near_self_view:
        return "self", agent
    return "human", agent
