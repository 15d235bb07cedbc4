"""Links that open the phone's messaging app with the message ready to send (the user presses Send).

WhatsApp click-to-chat (faq.whatsapp.com): `https://wa.me/<international number, digits only>?text=`
with the text percent-encoded as UTF-8; with no number, `https://wa.me/?text=` lets the user pick
the contact. SMS: RFC 5724 `sms:<recipient>?body=<percent-encoded>`; iOS 8+ reads `&body=` instead
(pivot.md). We write `sms:+33612345678?&body=...`: Android parses the RFC query (an empty first
field, then `body`), iOS finds its `&body=`, so one link — and one QR code scanned by a phone whose
system we cannot know — works on both. `&` inside the body can truncate on iOS even when encoded
(flutter#156281), so it is spelled out before encoding. Pure.
"""

from __future__ import annotations

from urllib.parse import quote

# The one character iOS mishandles in an sms: body, and what we write instead.
_BODY_SAFE = str.maketrans({"&": "+"})


def _digits(e164: str | None) -> str:
    return "".join(ch for ch in (e164 or "") if ch.isdigit())


def whatsapp_link(phone: str | None, text: str) -> str:
    """`https://wa.me/33612345678?text=...`, or `https://wa.me/?text=...` without a number."""
    return f"https://wa.me/{_digits(phone)}?text={quote(text, safe='')}"


def sms_link(phone: str | None, text: str) -> str:
    """`sms:+33612345678?&body=...` (RFC 5724 for Android, `&body=` for iOS 8+)."""
    recipient = f"+{_digits(phone)}" if _digits(phone) else ""
    return f"sms:{recipient}?&body={quote(text.translate(_BODY_SAFE), safe='')}"


def link_for(channel: str, phone: str | None, text: str) -> str | None:
    if channel == "whatsapp":
        return whatsapp_link(phone, text)
    if channel == "sms":
        return sms_link(phone, text)
    return None
