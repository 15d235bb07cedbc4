"""What one message is: ours, a genuine reply, or something a machine sent.

Pure: a `Message` and the `Team` in, a `Verdict` out; never raises. The decision order is
mail-signals.md's ("Decision order for each message in a thread") and every rule is a row of a table
below, so `Verdict.rule` names the row that fired. Two choices are MAX's own: a calendar answer is
the prospect acting (a reply), and a teammate's message to the prospect is one of our touches.

Documented choices where the sources leave room:
- an ARF abuse report (RFC 5965) is filed as a bounce: the mail reached a person who refused it,
  and email to that address is over, which is what a bounce means to the policy;
- a DSN whose only action is `delayed` (RFC 3464 §2.3.3) is not a bounce yet: it is an auto_reply;
- a reply with nothing new once quotes are stripped ("Envoyé de mon iPhone" over a quote) is not
  a person answering: it is filed as auto_reply with the rule "7 empty after quotes";
- a body that was not read (headers-only pass, `text is None`) cannot be weighed: it counts as a
  genuine reply, and `counting.messages_needing_text` asks for the bodies where this matters.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .autoreply import auto_reply_phrase
from .model import Kind, Message, Team, Verdict
from .quotes import split_signature, strip_quotes

# Domains anyone can have an address at: a shared domain never makes two people teammates.
PUBLIC_WEBMAIL = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "outlook.fr", "hotmail.com", "hotmail.fr",
        "live.com", "live.fr", "msn.com", "yahoo.com", "yahoo.fr", "ymail.com", "icloud.com",
        "me.com", "mac.com", "aol.com", "aol.fr", "orange.fr", "wanadoo.fr", "free.fr",
        "laposte.net", "sfr.fr", "neuf.fr", "bbox.fr", "numericable.fr", "gmx.fr", "gmx.de",
        "gmx.com", "gmx.net", "web.de", "protonmail.com", "proton.me", "pm.me", "zoho.com",
        "yandex.com", "yandex.ru", "mail.com", "tutanota.com", "skynet.be", "bluewin.ch",
    }
)  # fmt: skip


def _has_part(msg: Message, *prefixes: str) -> bool:
    return any(ct.startswith(p) for ct in msg.content_types for p in prefixes)


def _report_type(msg: Message, value: str) -> bool:
    pattern = re.compile(rf"multipart/report\b.*report-type\s*=\s*\"?{value}\b")
    return any(pattern.search(ct) for ct in msg.content_types)


def _header_is(name: str, pattern: str) -> Callable[[Message], bool]:
    regex = re.compile(pattern, re.IGNORECASE)
    return lambda m: any(regex.search(v) for v in m.headers.get(name, ()))


def _has_header(*names: str) -> Callable[[Message], bool]:
    return lambda m: any(n in m.headers for n in names)


_FEEDBACK_LOOP_SENDERS = frozenset({"staff@hotmail.com", "complaints@email-abuse.amazonses.com"})
_FEEDBACK_LOOP_SUBJECT = re.compile(r"^\s*complaint about message from ", re.I)


def _is_old_feedback_loop(msg: Message) -> bool:
    top = msg.content_types[0] if msg.content_types else ""
    return (
        top.startswith("multipart/mixed")
        and msg.sender.email in _FEEDBACK_LOOP_SENDERS
        and bool(_FEEDBACK_LOOP_SUBJECT.match(msg.subject))
    )


# Step 3, H1–H5: reports and calendar answers, told apart by their MIME structure alone.
REPORT_RULES: tuple[tuple[str, Kind, Callable[[Message], bool]], ...] = (
    # RFC 3464 / RFC 6522 DSN, RFC 6533 for the internationalised variant.
    ("H1 DSN delivery-status", Kind.BOUNCE,
     lambda m: _report_type(m, "delivery-status")
     or _has_part(m, "message/delivery-status", "message/global-delivery-status")),
    # RFC 8098 MDN. A Disposition-Notification-To header on a human reply is a request, not this.
    ("H2 MDN disposition-notification", Kind.READ_RECEIPT,
     lambda m: _report_type(m, "disposition-notification")
     or _has_part(m, "message/disposition-notification")),
    ("H3 ARF feedback-report", Kind.BOUNCE,
     lambda m: _report_type(m, "feedback-report") or _has_part(m, "message/feedback-report")),
    # The feedback loops that predate RFC 5965 send no report-type: Hotmail's JMRP (and Amazon
    # SES complaints) come as multipart/mixed from a fixed address, subject "complaint about
    # message from <IP>" (sisimai, Sisimai::ARF.is_arf). Headers alone: a headers-only pass
    # sees it too.
    ("H3 ARF without report-type", Kind.BOUNCE, lambda m: _is_old_feedback_loop(m)),
    ("H4 X-Failed-Recipients", Kind.BOUNCE, _has_header("x-failed-recipients")),
    # RFC 5546 iTIP: METHOD:REPLY is an attendee answering an invitation, i.e. the prospect acting.
    ("H5 calendar REPLY", Kind.REPLY,
     lambda m: any(ct.startswith("text/calendar") and re.search(r"method\s*=\s*\"?reply\b", ct)
                   for ct in m.content_types)),
)  # fmt: skip

# Step 4, H6–H9: a machine answered. Which kind (auto_reply or bounce) comes from H10 below.
MACHINE_RULES: tuple[tuple[str, Callable[[Message], bool]], ...] = (
    # RFC 3834 §5: any value but "no" means the message was not written by a person.
    ("H6 Auto-Submitted", _header_is("auto-submitted", r"^\s*(?!no\b)[a-z]")),
    ("H7 X-Autoreply", _has_header(
        "x-autoreply", "x-autorespond", "x-autoresponder", "x-autoreply-from", "x-mail-autoreply",
        "x-autogenerated", "x-amazon-auto-reply")),
    ("H7 X-FC-MachineGenerated", _header_is("x-fc-machinegenerated", r"^\s*true")),
    ("H7 X-POST-MessageClass", _header_is("x-post-messageclass", r"autoresponder")),
    ("H7 Delivered-To Autoresponder", _header_is("delivered-to", r"^\s*autoresponder")),
    ("H8 Precedence auto_reply", lambda m: any(
        re.match(r"\s*auto_reply", v, re.I)
        for v in m.headers.get("precedence", ()) + m.headers.get("x-precedence", ()))),
    # MS-OXCMAIL: X-Auto-Response-Suppress alone is set on ordinary Outlook mail; only with the
    # inbox-rules markers does it mean an Exchange out-of-office or rule reply.
    ("H9 Exchange rules reply", lambda m: "x-auto-response-suppress" in m.headers and (
        "x-ms-exchange-inbox-rules-loop" in m.headers
        or _header_is("x-ms-exchange-generated-message-source", "mailbox rules agent")(m))),
)  # fmt: skip

# H10: the sender is a mail system, not a person.
_DAEMON_LOCAL = re.compile(r"^(mailer-daemon|postmaster|post_master|mail-daemon)$", re.I)
_DAEMON_NAME = re.compile(
    r"mail delivery (system|subsystem)|mail administrator|mailer.daemon", re.I
)


def _is_daemon(msg: Message) -> bool:
    local = msg.sender.email.partition("@")[0]
    return bool(_DAEMON_LOCAL.match(local) or _DAEMON_NAME.search(msg.sender.name))


def _has_null_return_path(msg: Message) -> bool:
    return any(v.strip() == "<>" for v in msg.headers.get("return-path", ()))


# Step 5: subject prefixes, anchored at the start; `\s*:` so a French no-break space still matches.
SUBJECT_RULES: tuple[tuple[str, Kind, str], ...] = (
    ("subject:en:auto-reply", Kind.AUTO_REPLY,
     r"automatic reply\s*:|auto\s*:|auto[- ]?reply|auto[- ]?response|out of (the )?office"
     r"|away from (the )?office|\[auto[- ]reply\]|\[auto generated\]"),
    ("subject:fr:Réponse automatique", Kind.AUTO_REPLY, r"réponse automatique"),
    # Exchange/Zimbra feature names and subjects French users type themselves (not defaults).
    ("subject:fr:absence", Kind.AUTO_REPLY,
     r"absent du bureau|absence du bureau|message d'absence|absence\s*:|absente?\s*:"),
    # Discourse's auto-reply subject list (lib/email/receiver.rb), then Outlook's localised
    # "Automatic reply:" and its feature names (Microsoft KB 290846, each language's edition:
    # "Abwesenheit", "Respuestas automáticas", "Risposte automatiche", "Automatische
    # antwoorden", "Respostas automáticas (Fora do escritório)", "Odpowiedzi automatyczne",
    # "Poza biurem"); Lotus Notes' Italian "Risposta Non al computer". Accents optional: some
    # gateways strip them.
    ("subject:de:auto-reply", Kind.AUTO_REPLY,
     r"automatische antwort|abwesenheitsnotiz|abwesend\s*:"),
    ("subject:es:auto-reply", Kind.AUTO_REPLY,
     r"respuesta autom[aá]tica|fuera de la oficina"),
    ("subject:it:auto-reply", Kind.AUTO_REPLY,
     r"risposta automatica|risposta non al computer|fuori sede"),
    ("subject:nl:auto-reply", Kind.AUTO_REPLY,
     r"automatisch antwoord|afwezigheidsbericht|afwezig\s*:"),
    ("subject:pt:auto-reply", Kind.AUTO_REPLY,
     r"resposta autom[aá]tica|fora do escrit[oó]rio|aus[eê]ncia tempor[aá]ria"),
    ("subject:pl:auto-reply", Kind.AUTO_REPLY,
     r"automatyczna odpowied[zź]|odpowied[zź] automatyczna|poza biurem"),
    ("subject:nordic:auto-reply", Kind.AUTO_REPLY, r"autosvar|automatisk svar|frånvaro"),
    ("subject:en:bounce", Kind.BOUNCE,
     r"undeliverable\b|undelivered mail|delivery status notification(?!\s*\(delay)"
     r"|returned mail|mail delivery failed|failure notice|delivery failure"
     r"|message not delivered|undeliverable mail|mail could not be delivered"
     r"|delivery has failed|non-delivery"),
    ("subject:fr:Non remis", Kind.BOUNCE,
     r"non remis\s*:|message non remis|échec de la remise|non distribuable"
     r"|notification d'état de remise"),
    ("subject:de:Unzustellbar", Kind.BOUNCE, r"unzustellbar\s*:|nicht zustellbar"),
    ("subject:en:read receipt", Kind.READ_RECEIPT, r"read\s*:|not read\s*:|return receipt"),
    ("subject:fr:Lu", Kind.READ_RECEIPT, r"lu\s*:|non lu\s*:"),
    ("subject:other:read receipt", Kind.READ_RECEIPT, r"(gelesen|letto|leído|gelezen)\s*:"),
    ("subject:en:delivered", Kind.AUTO_REPLY, r"delivered\s*:"),
    ("subject:fr:Remis", Kind.AUTO_REPLY, r"remis\s*:"),
    ("subject:en:calendar", Kind.REPLY,
     r"(accepted|declined|tentative|tentatively accepted)\s*:|updated invitation"),
    ("subject:fr:Accepté", Kind.REPLY,
     r"(accepté|refusé|provisoire|accepté provisoirement|invitation acceptée"
     r"|invitation refusée)\s*:|invitation mise à jour"),
    ("subject:de:Zugesagt", Kind.REPLY, r"(zugesagt|abgelehnt|mit vorbehalt)\s*:"),
)  # fmt: skip
# All rows in one regex, tried in order: no row's pattern can start on a blank, so the first
# alternative that matches after the leading blanks is the first row that matches on its own.
_SUBJECTS = re.compile(
    r"^\s*(?:" + "|".join(f"(?P<r{i}>{p})" for i, (_, _, p) in enumerate(SUBJECT_RULES)) + ")",
    re.I,
)
# A delay warning is a DSN, but not (yet) a bounce (RFC 3464 §2.3.3 "delayed").
_DELAY = re.compile(
    r"delivery status notification \(delay\)|could not send message for past|delayed mail"
    r"|delivery delayed|^\s*action\s*:\s*delayed\b",
    re.I | re.M,
)
_FAILED_ACTION = re.compile(r"^\s*action\s*:\s*failed\b", re.I | re.M)

# Step 6, H11: list and bulk-sender markers (weak in a reply context, see `classify`).
_BULK_HEADERS = (
    "list-id", "list-post", "list-unsubscribe", "x-mailing-list", "mailing-list",
    "x-mailman-version", "x-beenthere", "feedback-id",
)  # fmt: skip
_BULK_PRECEDENCE = re.compile(r"^\s*(bulk|list|junk)\b", re.I)
_RESPONDER_PRECEDENCE = re.compile(r"^\s*(bulk|junk)\b", re.I)
_LIST_HEADERS = ("list-id", "list-post", "mailing-list", "x-mailing-list", "x-mailman-version")
_NOREPLY_LOCAL = re.compile(r"^(no-?reply|do-?not-?reply|donotreply|notifications?)([+.-]|$)", re.I)

# Step 7: an auto-reply's own words (autoreply.py), weak: only for a short new text.
SHORT_TEXT_CHARS = 800  # an out-of-office says little; a long new text is a person writing


def classify(message: Message, team: Team, my_ids: frozenset[str] = frozenset()) -> Verdict:
    """The verdict on one message, by mail-signals.md's decision order."""
    kind, rule = _ours(message, team) or _machine(message) or _content(message, my_ids)
    return Verdict(message.id, kind, rule)


def is_ours(message: Message, team: Team) -> bool:
    """Sent by me or a teammate (what `classify` decides in its steps 1–2), or a draft."""
    return (
        "SENT" in message.labels
        or "DRAFT" in message.labels
        or message.sender.email in team.me
        or is_teammate_domain(message.sender.domain, team)
    )


def is_teammate_domain(domain: str, team: Team) -> bool:
    return domain in team.domains and domain not in PUBLIC_WEBMAIL


def is_outside(email: str, team: Team) -> bool:
    """True for an address that is neither mine nor a teammate's."""
    email = email.lower()
    return email not in team.me and not is_teammate_domain(email.rpartition("@")[2], team)


def _ours(msg: Message, team: Team) -> tuple[Kind, str] | None:
    """Steps 1–2: mine (or a draft), or a teammate's."""
    if "DRAFT" in msg.labels:
        return Kind.DRAFT, "1 DRAFT label"
    if "SENT" in msg.labels or msg.sender.email in team.me:
        who = "1 mine"
    elif is_teammate_domain(msg.sender.domain, team):
        who = "2 teammate"
    else:
        return None
    # A message whose recipients the source did not show is taken as reaching the prospect.
    reaches_out = not msg.recipients or any(is_outside(a.email, team) for a in msg.recipients)
    return (Kind.OUTBOUND, who) if reaches_out else (Kind.INTERNAL, f"{who}, team only")


def _machine(msg: Message) -> tuple[Kind, str] | None:
    """Steps 3–5: reports, machine headers, subject prefixes."""
    for rule, kind, test in REPORT_RULES:
        if test(msg):
            if kind is Kind.BOUNCE and rule.startswith("H1") and _is_delay(msg):
                return Kind.AUTO_REPLY, "H1 DSN delayed, not a bounce"
            return kind, rule
    subject = _subject_rule(msg)
    bounce_subject = subject is not None and subject[0] is Kind.BOUNCE
    for rule, test in MACHINE_RULES:
        if test(msg):
            if _is_daemon(msg):
                return Kind.BOUNCE, f"{rule} + H10 mail system"
            if bounce_subject:
                return Kind.BOUNCE, f"{rule} + bounce subject"
            return Kind.AUTO_REPLY, rule
    if _is_daemon(msg):
        if _is_delay(msg):
            return Kind.AUTO_REPLY, "H10 mail system, delayed"
        return Kind.BOUNCE, "H10 mailer-daemon"
    if _has_null_return_path(msg) and bounce_subject:
        return Kind.BOUNCE, "H10 Return-Path <> + bounce subject"
    return subject


def _subject_rule(msg: Message) -> tuple[Kind, str] | None:
    found = _SUBJECTS.match(msg.subject)
    if found is None:
        return None
    row = next(i for i in range(len(SUBJECT_RULES)) if found.group(f"r{i}") is not None)
    rule, kind, _ = SUBJECT_RULES[row]
    return kind, rule


def _is_delay(msg: Message) -> bool:
    text = f"{msg.subject}\n{msg.text or ''}"
    return bool(_DELAY.search(text)) and not _FAILED_ACTION.search(text)


def _is_bulk(msg: Message) -> str | None:
    for name in _BULK_HEADERS:
        if name in msg.headers:
            return f"H11 {name}"
    precedence = msg.headers.get("precedence", ()) + msg.headers.get("x-precedence", ())
    if any(_BULK_PRECEDENCE.match(v) for v in precedence):
        return "H11 Precedence"
    if _NOREPLY_LOCAL.match(msg.sender.email.partition("@")[0]):
        return "H11 no-reply sender"
    return None


def _precedence_hint(msg: Message) -> bool:
    """`Precedence: bulk/junk` on a message that no list sent: what responders stamp on their
    answers (RFC 3834 §3.1.8), a hint for the body phrases, no verdict alone."""
    if any(name in msg.headers for name in _LIST_HEADERS):
        return False
    precedence = msg.headers.get("precedence", ()) + msg.headers.get("x-precedence", ())
    return any(_RESPONDER_PRECEDENCE.match(v) for v in precedence)


def _has_attachment(msg: Message) -> bool:
    """A document attached; an image only when there is no text at all (a photo of a signed
    page), since an Outlook reply that says nothing new still embeds its signature's logo."""
    textual = ("text/", "multipart/", "message/")
    if not (msg.text or "").strip():
        return any(not ct.startswith(textual) for ct in msg.content_types)
    return any(not ct.startswith((*textual, "image/")) for ct in msg.content_types)


def _content(msg: Message, my_ids: frozenset[str]) -> tuple[Kind, str]:
    """Steps 6–8: bulk unless it answers us with new text; then the reply's own words."""
    bulk = _is_bulk(msg)
    if bulk and not my_ids & {msg.in_reply_to, *msg.references}:
        return Kind.BULK, bulk
    new_text = strip_quotes(msg.text) if msg.text is not None else None
    if bulk and not new_text:
        return Kind.BULK, bulk
    if new_text is None:
        return Kind.REPLY, "8 genuine (body not read)"
    if not new_text:
        if _has_attachment(msg):  # a signed quote sent back with no words is an answer
            return Kind.REPLY, "8 genuine reply (attachment, no text)"
        return Kind.AUTO_REPLY, "7 empty after quotes"
    body = split_signature(new_text)[0] or new_text
    if len(body) <= SHORT_TEXT_CHARS:
        phrase = auto_reply_phrase(body, precedence_hint=_precedence_hint(msg))
        if phrase is not None:
            return Kind.AUTO_REPLY, f"7 {phrase}"
    return Kind.REPLY, "8 genuine reply" if not bulk else f"8 genuine reply despite {bulk}"
