"""Names in a phone message: who writes (first name and company) and whom we greet.

The first message on a new channel says who is writing (WhatsApp's own rule: "explain who you
are"; pivot.md, "Legal"): the salesperson's first name and company, derived from their sender name
and domain. Public webmail domains name no company. Pure.
"""

from __future__ import annotations

import re

from ..core.model import Address, Team, Thread
from ..core.signals import PUBLIC_WEBMAIL, is_ours

# Second-level labels that are part of a public suffix ("acme.co.uk", "acme.com.au").
_SUFFIX_LABELS = frozenset({"co", "com", "org", "net", "gouv", "gov", "ac", "asso"})
_MAX_NAME_CHARS = 20


def first_name(name: str, email: str = "") -> str:
    """Marc from "Marc Lefèvre", "Lefèvre, Marc", "MARC LEFEVRE", marc.lefevre@...; "" if unsure."""
    name = name.strip().strip("\"'")
    if "@" in name:
        name = ""
    if "," in name:
        name = name.partition(",")[2].strip()
    token = name.split()[0] if name.split() else ""
    if not token and email:
        local = email.partition("@")[0]
        parts = re.split(r"[._\-+]", local)
        token = parts[0] if len(parts) > 1 and parts[0].isalpha() and len(parts[0]) > 1 else ""
    if not token or not token.replace("-", "").isalpha() or len(token) > _MAX_NAME_CHARS:
        return ""
    return (
        "-".join(p.capitalize() for p in token.split("-"))
        if token.isupper() or token.islower()
        else token
    )


def surnames(name: str, email: str = "") -> tuple[str, ...]:
    """Every part of a person's name but the first name, from their display name and their
    address's local part ("Marc Lefèvre", marc.lefevre@... -> Lefèvre, lefevre): what an LLM must
    not be told (compose.prompt masks them)."""
    first = first_name(name, email).lower()
    display = name.strip().strip("\"'")
    parts = [] if "@" in display else re.split(r"[\s,]+", display)
    parts += re.split(r"[._\-+]", email.partition("@")[0]) if email else []
    return tuple(dict.fromkeys(p for p in parts if p.isalpha() and p.lower() != first))


def company(domain: str) -> str:
    """ "Acme Software" from acme-software.fr or mail.acme-software.co.uk; "" for webmail."""
    domain = domain.lower().strip(".")
    if not domain or domain in PUBLIC_WEBMAIL:
        return ""
    labels = domain.split(".")[:-1]
    if len(labels) > 1 and labels[-1] in _SUFFIX_LABELS:
        labels = labels[:-1]
    if not labels:
        return ""
    words = [w for w in re.split(r"[-_]", labels[-1]) if w]
    name = " ".join(w.upper() if len(w) <= 3 and len(words) == 1 else w.capitalize() for w in words)
    return name if len(name) <= _MAX_NAME_CHARS else ""


def my_address(thread: Thread, team: Team) -> Address | None:
    """The sender of our latest message in the thread (mine first, else a teammate's)."""
    ours = [m.sender for m in thread.messages if m.sender.email in team.me]
    ours = ours or [m.sender for m in thread.messages if is_ours(m, team)]
    return ours[-1] if ours else None


def signature(thread: Thread, team: Team) -> str:
    """ "Thomas (Acme)", "Thomas", "Acme" or "" — who is writing, as the message's second line."""
    me = my_address(thread, team)
    if me is None:
        return ""
    first, org = first_name(me.name, me.email), company(me.domain)
    if first and org:
        return f"{first} ({org})"
    return first or org
