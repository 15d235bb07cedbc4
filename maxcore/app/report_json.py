"""The one JSON shape of a thread report (ARCHITECTURE.md), for the CLI and the backend alike."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..core.model import Suggestion, ThreadReport


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def report_to_dict(report: ThreadReport, suggestion: Suggestion | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "thread_id": report.thread_id,
        "subject": report.subject,
        "unanswered": report.unanswered,
        "level": report.level,
        "last_reply_at": _iso(report.last_reply_at),
        "wait_until": _iso(report.wait_until),
        "opens": report.opens,
        "ignored": [{"message_id": i.message_id, "reason": i.reason} for i in report.ignored],
        "prospect": None
        if report.prospect is None
        else {
            "email": report.prospect.email,
            "name": report.prospect.name,
            "phone": report.prospect.phone,
        },
        "recommendation": None
        if report.recommendation is None
        else {
            "channel": report.recommendation.channel,
            "send_at": _iso(report.recommendation.send_at),
            "reason": report.recommendation.reason,
            "code": report.recommendation.code,
        },
        "complete": report.complete,
    }
    if suggestion is not None:
        out["suggestion"] = suggestion_to_dict(suggestion)
    return out


def suggestion_to_dict(s: Suggestion) -> dict[str, Any]:
    return {
        "channel": s.channel,
        "text": s.text,
        "lang": s.lang,
        "source": s.source,
        "send_at": _iso(s.send_at),
        "link": s.link,
        "sms": None if s.sms is None else {"encoding": s.sms.encoding, "segments": s.sms.segments},
        "qr_svg": s.qr_svg,
    }
