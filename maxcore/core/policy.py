"""Which channel now, and why: email still fine, a pivot to WhatsApp/SMS, wait, or nothing.

Pure; decides and never reads or writes. The rules are tried in the order of `recommend` — the
ones that forbid any message first (opt-out, the prospect answered, one pivot per silence, the
touch cap), then the ones that delay (out-of-office, too soon), then the channel. Thresholds are
`Settings`; opt-out wording is a table (FR + EN). Every reason is one sentence a salesperson
understands. Facts: pivot.md (peers' rules, the state machine, the law) and the seed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .model import (
    BannerKind,
    Channel,
    Code,
    Display,
    Facts,
    History,
    Note,
    PhoneChannel,
    Recommendation,
    Slot,
    Team,
    Thread,
    ThreadReport,
)
from .phones import is_mobile
from .reading import ThreadReading, read_thread
from .settings import Settings
from .text import fold
from .timing import after_business_days, best_slot, prospect_zone, upcoming_slots, user_zone

# What a prospect writes to object (GDPR art. 21(3): an objection to direct marketing is
# absolute). Matched on their own new text, folded (lower case, no accents).
OPT_OUT_PHRASES = (
    # French
    r"^\s*stop\s*[.!]*\s*$",
    r"ne me contactez plus",
    r"ne m'ecrivez plus",
    r"ne plus (me |nous )?(contacter|solliciter|relancer)",
    r"ne plus etre (contacte|sollicite|relance)",
    r"ne plus recevoir",
    r"desinscri",
    r"desabonn",
    r"pas interesse",
    r"plus interesse",
    r"(retirez|supprimez|rayez)[- ]moi",
    r"ne pas donner suite",
    # English
    r"unsubscribe",
    r"opt[ -]?out",
    r"not interested",
    r"no longer interested",
    r"remove me",
    r"take me off",
    r"stop (contacting|emailing|sending|writing)",
    r"(do not|don't) (contact|email)",
)
OPT_OUT = re.compile("|".join(OPT_OUT_PHRASES), re.MULTILINE)
# "STOP" in capitals anywhere is the SMS habit (pivot.md: operators honour STOP replies).
OPT_OUT_CAPS = re.compile(r"(?<![A-Za-z])STOP(?![A-Za-z])")

# Machine-readable names of the recipient a DSN gave up on (RFC 3464 §2.3.2; Exim, Postfix).
_FAILED_HEADERS = ("x-failed-recipients", "final-recipient", "original-recipient")

# One English sentence per rule (model.Code), filled from the recommendation's `facts`; a UI
# says the same in its own language from the code, the facts and the notes.
REASONS: dict[Code, str] = {
    "no_prospect": "No one outside your team is in this thread: there is nobody to follow up.",
    "opted_out": "They asked not to be contacted any more: no message, on any channel.",
    "answered": "They answered last: your reply is the next step, not a follow-up.",
    "pivot_sent": "You already sent them a phone message on {when} since their last answer: wait "
    "for their answer (you can still write by hand).",
    "cap": "You already contacted them {count} times in {days} days (at most {cap}): let them come "
    "back to you.",
    "away": "They are away until {until}: wait until they are back and have had {grace} "
    "working days to catch up.",
    "too_soon": "Your last message is recent: give them until {when} before switching to "
    "{channel}.",
    "email_ok": "{unanswered} email(s) without an answer: one more email is still fine.",
    "email_watch": "{unanswered} emails without an answer: the next one would be a second "
    "follow-up; still fine by email if it is short and new.",
    "trap": "{unanswered} emails without an answer: a third follow-up by email tends to end the "
    "conversation (reply rates fall 20 to 30%). Switch to one short {channel} message.",
    "opened": "They opened your emails {opens} times without answering: the interest is there, "
    "the inbox is saturated. Switch to one short {channel} message.",
    "bounced": "Your email to them bounced: reach them by {channel} instead.",
}
NOTES: dict[Note, str] = {
    "no_phone": "No phone number is known: the WhatsApp link lets you pick the contact.",
    "incomplete": "Some messages of this thread were folded and not read: open them all for a "
    "surer count.",
}
CHANNEL_NAMES = {"whatsapp": "WhatsApp", "sms": "SMS"}


def has_opted_out(thread: Thread, team: Team, report: ThreadReport) -> bool:
    """True when one of their genuine replies (quotes stripped) objects to being contacted."""
    return _has_opted_out(read_thread(thread, team), report)


def _has_opted_out(reading: ThreadReading, report: ThreadReport) -> bool:
    for message in reading.replies(report):
        text = reading.words(message)
        if OPT_OUT.search(fold(text)) or OPT_OUT_CAPS.search(text):
            return True
    return False


def has_bounced(thread: Thread, report: ThreadReport) -> bool:
    """A bounce names the prospect's address (or names no address at all) — RFC 3464."""
    if report.prospect is None:
        return False
    bounce_ids = {i.message_id for i in report.ignored if i.reason == "bounce"}
    for message in thread.messages:
        if message.id not in bounce_ids:
            continue
        named = " ".join(v for h in _FAILED_HEADERS for v in message.headers.get(h, ()))
        named += " " + (message.text or "")
        if report.prospect.email in named.lower() or "@" not in named:
            return True
    return False


def pivot_channel(phone: str | None) -> PhoneChannel:
    """WhatsApp for a mobile or no number at all (wa.me without a number lets the user pick the
    contact); SMS for a known number that is not a mobile, the one channel it may still reach."""
    if phone is None or is_mobile(phone):
        return "whatsapp"
    return "sms"


def _touches_in_window(
    reading: ThreadReading, report: ThreadReport, now: datetime, days: int, history: History
) -> list[datetime]:
    """The dates of our solicitations in the window: what the cap counts (pivot.md, D.223-9's
    "4 per 30 days" used by analogy). A solicitation is a touch while the ball is in their court:
    since their last genuine reply, less the first email after it, which answers them; phone
    messages sent since that reply count too. Touches they answered since are history."""
    since = now - timedelta(days=days)
    after_reply = [p for p in history.pivots_sent if _after(p, report.last_reply_at)]
    dates = _solicitations(reading, report)
    return [d for d in [*dates, *after_reply] if since <= d <= now]


def _solicitations(reading: ThreadReading, report: ThreadReport) -> list[datetime]:
    """When we touched them since their last genuine reply, less the email that answered it
    (the first one after it: the only answer every source shows, In-Reply-To or not)."""
    ours = {m.id for m in reading.touches(report)}
    theirs = {m.id for m in reading.replies(report)}
    touches: list[datetime | None] = []
    answered = False
    for message in reading.thread.messages:
        if message.id in theirs:
            touches, answered = [], True
        elif message.id in ours:
            touches.append(message.date)
    return [d for d in touches[1 if answered else 0 :] if d is not None]


def _after(moment: datetime, reply: datetime | None) -> bool:
    return reply is None or moment > reply


def _last_touch(reading: ThreadReading, report: ThreadReport, history: History) -> datetime | None:
    dates = [m.date for m in reading.touches(report) if m.date is not None]
    dates += list(history.pivots_sent)
    return max(dates) if dates else None


def _stop(
    report: ThreadReport,
    reading: ThreadReading,
    now: datetime,
    settings: Settings,
    history: History,
) -> tuple[Code, Facts] | None:
    """The rule (code, facts) that forbids any message now, on any channel; None when one may."""
    if report.prospect is None:
        return "no_prospect", Facts()
    if _has_opted_out(reading, report):
        return "opted_out", Facts()
    if report.unanswered == 0:
        return "answered", Facts()
    since_reply = [
        p for p in history.pivots_sent if report.last_reply_at is None or p > report.last_reply_at
    ]
    if since_reply:
        return "pivot_sent", Facts(when=max(since_reply).date())
    touches = _touches_in_window(reading, report, now, settings.touch_window_days, history)
    if len(touches) >= settings.max_touches:
        cap = Facts(count=len(touches), days=settings.touch_window_days, cap=settings.max_touches)
        return "cap", cap
    return None


def is_opened_enough(report: ThreadReport, settings: Settings) -> bool:
    """The seed's signal: at `watch`, opened at least `pivot_opens` times without an answer."""
    return report.level == "watch" and report.opens >= settings.pivot_opens


def _pivot_code(report: ThreadReport, settings: Settings, bounced: bool) -> Code | None:
    """Why a pivot is due (trap, opened at watch, bounce), or None when email is still fine."""
    if bounced:
        return "bounced"
    if report.level == "trap":
        return "trap"
    if is_opened_enough(report, settings):
        return "opened"
    return None


def recommend(
    report: ThreadReport,
    thread: Thread,
    team: Team,
    now: datetime,
    settings: Settings,
    history: History,
) -> Recommendation:
    """The channel, the moment and the reason for this thread's next touch (see the docstring)."""
    return recommend_from(report, read_thread(thread, team), now, settings, history)


def recommend_from(
    report: ThreadReport,
    reading: ThreadReading,
    now: datetime,
    settings: Settings,
    history: History,
) -> Recommendation:
    """`recommend` for a thread already read."""
    thread, team = reading.thread, reading.team
    mine = user_zone(thread, team)
    notes: tuple[Note, ...] = () if report.complete else ("incomplete",)

    def slot(not_before: datetime | None) -> datetime:
        return best_slot(
            thread, team, report, now, settings, history, not_before=not_before, default_tz=mine
        )

    def said(
        channel: Channel,
        send_at: datetime | None,
        code: Code,
        facts: Facts,
        slots: tuple[Slot, ...] = (),
    ) -> Recommendation:
        reason = sentence(code, facts, notes)
        return Recommendation(channel, send_at, reason, code, facts, notes, slots)

    stop = _stop(report, reading, now, settings, history)
    if stop is not None:
        return said("none", None, *stop)
    if report.wait_until is not None:
        zone = prospect_zone(thread, team, report, mine)
        back = after_business_days(
            report.wait_until, settings.ooo_grace_business_days, zone, settings
        )
        if back > now:
            away = Facts(until=report.wait_until, grace=settings.ooo_grace_business_days)
            return said("wait", slot(back), "away", away)
    last = _last_touch(reading, report, history)
    ready = last + timedelta(days=settings.min_days_since_touch) if last else None
    channel = pivot_channel(report.prospect.phone if report.prospect else None)
    pivot = _pivot_code(report, settings, has_bounced(thread, report))
    if pivot is None:
        code: Code = "email_watch" if report.level == "watch" else "email_ok"
        return said("email", slot(ready), code, Facts(unanswered=report.unanswered))
    if ready is not None and now < ready:
        send_at = slot(ready)
        return said("wait", send_at, "too_soon", Facts(when=send_at.date(), channel=channel))
    if report.prospect is not None and report.prospect.phone is None:
        notes = ("no_phone", *notes)
    facts = Facts(unanswered=report.unanswered, opens=report.opens, channel=channel)
    # Only the pivot carries its next windows: the extension's reminder for it must never fire
    # outside one, and "snooze until tomorrow" needs the next (slots[0].best is slot(None)).
    slots = upcoming_slots(thread, team, report, now, settings, history, default_tz=mine)
    return said(channel, slots[0].best, pivot, facts, slots)


def display_for(report: ThreadReport, settings: Settings, now: datetime) -> Display:
    """What the extension shows for this report: the banner in a reply (at `trap`, or the softer
    one at `watch` once they opened enough), whether Send is held once, whether the phone
    message is offered (only when the advice is a phone channel: never against "let them come
    back to you"), whether an announced absence is still on or over (the report keeps the
    return date after it has passed), and the level to show: "unknown" for a partial reading
    that would say ok (MAX could not read every message, so it cannot say one more is fine)."""
    rec = report.recommendation
    banner: BannerKind | None = None
    if report.level == "trap":
        banner = "trap"
    elif is_opened_enough(report, settings):
        banner = "watch"
    return Display(
        banner=banner,
        hold_send=report.level == "trap",
        offer_message=report.level != "ok" and rec is not None and rec.channel in CHANNEL_NAMES,
        absence=None
        if report.wait_until is None
        else "away"
        if report.wait_until >= now.date()
        else "back",
        level="unknown" if not report.complete and report.level == "ok" else report.level,
    )


def sentence(code: Code, facts: Facts, notes: tuple[Note, ...] = ()) -> str:
    """The advice in English, from the same code and facts a UI translates."""
    values = {k: v for k, v in vars(facts).items() if v is not None}
    values = {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
    if facts.channel is not None:
        values["channel"] = CHANNEL_NAMES[facts.channel]
    return " ".join([REASONS[code].format(**values), *(NOTES[n] for n in notes)])
