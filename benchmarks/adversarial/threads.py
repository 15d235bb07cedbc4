"""The threads the attacks aim at, written here (fictional people), dated from the real clock so
that the opens the replay forges fall inside the silence they would count for.

`page_request` is a thread as the extension reads it (POST /api/v1/threads/analyze); `mbox` is
the same thread as mail for the CLI. `advice` is what an attack must not change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

ME = "claire.martin@optiplan.fr"
PROSPECT = "marc.lefevre@batiplus.fr"
SIGNATURE = "Marc Lefèvre\nDirecteur des achats, Batiplus\nPortable : 06 12 34 56 78"
WORDS = "Merci pour le devis, je le présente au juridique jeudi."
# (days ago, from us?, text); watch = our two emails since their reply, trap = three.
_OURS = [
    (10, "Bonjour Marc,\nOù en est la validation juridique du devis ?\nClaire"),
    (6, "Bonjour Marc,\nVoulez-vous que je simplifie le contrat pour le juridique ?\nClaire"),
    (3, "Bonjour Marc,\nUne version courte du contrat vous aiderait-elle ?\nClaire"),
]


def _messages(level: str, words: str, now: datetime) -> list[tuple[datetime, bool, str]]:
    first = (
        now - timedelta(days=20),
        True,
        "Bonjour Marc,\nVoici le devis pour 12 licences.\nClaire",
    )
    reply = (now - timedelta(days=18), False, f"{words}\n\n{SIGNATURE}")
    ours = _OURS[: 2 if level == "watch" else 3]
    return [first, reply, *((now - timedelta(days=d), True, t) for d, t in ours)]


def page_request(
    thread_id: str, level: str = "watch", words: str = WORDS, now: datetime | None = None
) -> dict[str, Any]:
    at = now or datetime.now(UTC)
    messages = [
        {
            "id": f"m{i}",
            "date": date.isoformat(),
            "from": {"email": ME, "name": "Claire Martin"}
            if ours
            else {"email": PROSPECT, "name": "Marc Lefèvre"},
            "to": [{"email": PROSPECT if ours else ME}],
            "text": text,
        }
        for i, (date, ours, text) in enumerate(_messages(level, words, at))
    ]
    return {
        "me": [ME],
        "team_domains": ["optiplan.fr"],
        "now": at.isoformat(),
        "thread": {"thread_id": thread_id, "subject": "Devis 12 licences", "messages": messages},
    }


def mbox(path: Path, level: str = "trap", words: str = WORDS) -> Path:
    """The same thread as an mbox, for `maxcore suggest`."""
    now = datetime.now(UTC)
    chunks = []
    previous: list[str] = []
    for i, (date, ours, text) in enumerate(_messages(level, words, now)):
        msg = EmailMessage()
        msg["From"] = f"Claire Martin <{ME}>" if ours else f"Marc Lefèvre <{PROSPECT}>"
        msg["To"] = PROSPECT if ours else ME
        msg["Subject"] = ("Re: " if i else "") + "Devis 12 licences"
        msg["Date"] = format_datetime(date)
        msg["Message-ID"] = f"<adv{i}@{'optiplan.fr' if ours else 'batiplus.fr'}>"
        if previous:
            msg["In-Reply-To"] = previous[-1]
            msg["References"] = " ".join(previous)
        previous.append(msg["Message-ID"])
        msg.set_content(text)
        sender = ME if ours else PROSPECT
        stamp = date.strftime("%a %b %d %H:%M:%S %Y")
        body = msg.as_bytes().replace(b"\nFrom ", b"\n>From ")
        chunks.append(b"From " + sender.encode() + b" " + stamp.encode() + b"\n" + body + b"\n")
    path.write_bytes(b"".join(chunks))
    return path


def advice(analysis: dict[str, Any]) -> tuple[Any, ...]:
    """What the user is told to do: the channel, the reason, the banner, whether a phone message
    is offered."""
    report = analysis["threads"][0]
    rec = report.get("recommendation") or {}
    display = report.get("display") or {}
    return (
        rec.get("channel"),
        rec.get("code"),
        display.get("banner"),
        display.get("offer_message"),
    )


def opens_of(analysis: dict[str, Any]) -> int:
    return int(analysis["threads"][0]["opens"])
