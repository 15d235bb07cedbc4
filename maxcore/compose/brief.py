"""What the phone message is written from: the few facts of a thread compose needs, minimised.

Built once from a report and its thread (`brief_of`); writing the message needs nothing else, so
the backend hands the brief out with the report and takes it back to write the message: the
thread never travels, nor is analysed, twice. A brief holds no address and no unmasked mail
text: the subject and the prospect's last words are masked and cut as an LLM may see them
(`prompt.minimise`). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import get_args

from ..core.model import Lang, PhoneChannel, Team, Thread, ThreadReport
from ..core.reading import ThreadReading, read_thread
from .details import Detail, extract_details
from .identity import first_name, signature, surnames
from .language import detect_lang
from .prompt import MAX_REPLY_CHARS, MAX_SUBJECT_CHARS, minimise

PHONE_CHANNELS: tuple[PhoneChannel, ...] = get_args(PhoneChannel)
DEFAULT_CHANNEL: PhoneChannel = "whatsapp"


@dataclass(frozen=True)
class Brief:
    thread_id: str  # also picks the template variant, so a thread keeps its wording
    lang: Lang  # the thread's own language (ours and the prospect's genuine words)
    channel: PhoneChannel  # the advice's phone channel, else WhatsApp
    send_at: datetime | None  # the advice's moment
    first_name: str  # the prospect's, "" when unsure
    phone: str | None  # E.164: the prospect's, the only number a message may carry
    signature: str  # who writes: "Thomas (Acme)"
    subject: str  # minimised
    last_reply: str  # the prospect's last words, minimised; "" when they never wrote
    detail_fr: Detail | None = None  # the one concrete detail, phrased in each language
    detail_en: Detail | None = None

    def detail(self, lang: Lang) -> Detail | None:
        return self.detail_fr if lang == "fr" else self.detail_en


def _sources(reading: ThreadReading, report: ThreadReport) -> tuple[list[str], str]:
    """Texts to find a detail in, most telling first (our last message, their last reply, our
    earlier messages, their earlier replies, the subject) and the prospect's last words."""
    ours = [reading.words(m) for m in reversed(reading.touches(report))]
    theirs = [reading.words(m) for m in reversed(reading.replies(report))]
    texts = [*ours[:1], *theirs[:1], *ours[1:], *theirs[1:], reading.thread.subject]
    return texts, theirs[0] if theirs else ""


def brief_of(report: ThreadReport, thread: Thread, team: Team) -> Brief:
    return brief_from(report, read_thread(thread, team))


def brief_from(report: ThreadReport, reading: ThreadReading) -> Brief:
    """`brief_of` for a thread already read."""
    thread, team = reading.thread, reading.team
    texts, last_reply = _sources(reading, report)
    detail_fr, detail_en = extract_details(texts)
    recommended = report.recommendation.channel if report.recommendation else None
    prospect = report.prospect
    hidden = surnames(prospect.name, prospect.email) if prospect else ()
    return Brief(
        thread_id=thread.thread_id,
        lang=detect_lang("\n".join(t for t in texts if t)),
        channel=recommended if recommended in PHONE_CHANNELS else DEFAULT_CHANNEL,
        send_at=report.recommendation.send_at if report.recommendation else None,
        first_name=first_name(prospect.name, prospect.email) if prospect else "",
        phone=prospect.phone if prospect else None,
        signature=signature(thread, team),
        subject=minimise(thread.subject, MAX_SUBJECT_CHARS, hidden),
        last_reply=minimise(last_reply, MAX_REPLY_CHARS, hidden),
        detail_fr=detail_fr,
        detail_en=detail_en,
    )
