"""The lines mail clients write around a quote: attribution lines, header blocks, device footers.

Pure tables and line tests, no stripping (that is `quotes`). Each table names the clients or
libraries whose formats it lists: Discourse's email_reply_trimmer (`embedded_email_matcher.rb`,
`email_header_matcher.rb`, `signature_matcher.rb`), crisp-oss/email-reply-parser
(`lib/regex.ts`), Thunderbird's localised "Original Message" strings, and the Gmail/Outlook
formats seen in ../shared/data/mail/email_reply_trimmer_corpus.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words that open an "On <date>, <name> wrote:" line, by language (en, fr, de, es, it, nl, pt,
# da/no/sv, pl).
OPENERS = r"On|Le|Am|El|Il|Op|Em|Den|W dniu|Dnia"
# The verb that closes it: en, fr, de, es, it, nl, pt, da/no/sv, pl, fi, ru, uk, vi, cs, hu,
# tr (Gmail's translations; email_reply_trimmer's per-language markers).
WROTE = (
    r"wrote|a écrit|schrieb|escribió|ha scritto|scritto|schreef|het volgende geschreven|escreveu"
    r"|skrev|napisał\(a\)|napisała|napisał|pisze|kirjoitti|написал\(а\)|написала|написал|пише"
    r"|đã viết|napsal\(a\)|napsal|írta|yazdı"
)

# The verbs as plain lower-case stems: a substring test (in C) before the regexes.
WROTE_STEMS = tuple(sorted({re.sub(r"\\\(.\\\)", "", w) for w in WROTE.split("|")}))

ATTRIBUTION_START = re.compile(rf"^({OPENERS})\s.*", re.IGNORECASE)
ATTRIBUTION_END = re.compile(rf"({WROTE})\s*:\s*$", re.IGNORECASE)
# The same verbs, at the very end: what `ends_attribution` searches, in the last few characters.
_WROTE_AT_END = re.compile(rf"(?:{WROTE})$", re.IGNORECASE)
_WROTE_CHARS = max(len(verb) for verb in WROTE.split("|"))  # pattern text: at least the match
# The same, loosely (Zoho's "---- On ... wrote ----", "wrote :" with text after the verb).
LOOSE_START = re.compile(rf"^[-\s]*({OPENERS})\s|<[^<>\s]+@[^<>\s]+>", re.IGNORECASE)
LOOSE_END = re.compile(
    rf"({WROTE})\b[^\n]*:[-\s]*$|({WROTE})\s*-+\s*$", re.IGNORECASE
)  # fmt: skip
# "<date> <name> <address>:" with no verb (Gmail ru "пн, 3 февр. 2026 г. в 10:12, X <x@y>:",
# mail.ru "30.09.2017, 18.30, "X" <x@y>:"): email_reply_trimmer's DATE_SOMEONE_EMAIL_REGEX,
# with the closing colon required (a signature line may end with an address).
DATE_ADDRESS = re.compile(r"\b(19|20)\d\d\b.{0,80}<[^<>\s@]+@[^<>\s]+\.[^<>\s]+>\s*:\s*$")
# Zoho writes "---- <name> wrote ----" too, with no date.
DASHED_WROTE = re.compile(rf"^\s*-{{2,}}\s*\S.{{0,100}}?\s({WROTE})\s*-{{2,}}\s*$", re.IGNORECASE)
# Gmail's older attribution: "2016-10-24 15:36 GMT+02:00 Foo bar <foo@bar>:".
GMAIL_DATE_LINE = re.compile(r"^\s*\d{4}-\d{2}-\d{2} \d{1,2}:\d{2} GMT[+-]\d{2}:\d{2}\b")
# An answer glued to the attribution on one line: "Sounds good On Wed, …" or "ok--- On Wed, …".
GLUED_OPENER = re.compile(rf"(?:(?<=\S)\s+|-{{2,}}\s*)(?=(?:{OPENERS})\s)")
HAS_DATE = re.compile(r"\d")
HAS_TIME_OR_ADDRESS = re.compile(r"\d:\d\d|@")

# "-----Original Message-----" and its translations (Thunderbird's localised
# mailnews.reply_header_originalmessage; Outlook's da/no/sv/nl/pt/pl/fi/cs/ru), bold or not.
_ORIGINAL = (
    r"Original Message|Message d'origine|Ursprüngliche Nachricht|Messaggio originale"
    r"|Mensaje original|Forwarded message|Message transféré|Oprindelig meddelelse"
    r"|Oprindelig besked|Opprinnelig melding|Ursprungligt meddelande|Oorspronkelijk bericht"
    r"|Mensagem original|Oryginalna wiadomość|Alkuperäinen viesti|Původní zpráva"
    r"|Исходное сообщение|Reply Message"
)
ORIGINAL_MESSAGE = re.compile(rf"^[\s>*]*-{{2,}}\s*({_ORIGINAL})\s*-{{2,}}[\s*]*$", re.IGNORECASE)

# Outlook-style quote headers, per language (email_header_matcher.rb's markers, plus da/no
# "Fra/Sendt/Til/Emne", sv "Från/Skickat/Till/Ämne", nl, pt, pl, fi). Bold as `*From:*` or
# `**From:**` when an HTML part was made text.
_HEADER_NAMES = (
    r"From|Sent|To|Cc|Subject|Date|De|Envoyé|À|A|Objet|Von|Gesendet|An|Betreff|Da|Inviato"
    r"|Oggetto|Per|Risposta|Data|Enviado|Enviada em|Para|Asunto|Fecha|Assunto|Fra|Sendt|Til"
    r"|Emne|Från|Skickat|Till|Ämne|Van|Verzonden|Aan|Onderwerp|Datum|Od|Wysłano|Do|Temat"
    r"|Lähettäjä|Lähetetty|Vastaanottaja|Aihe|Expéditeur|Destinataire"
)
HEADER_LINE = re.compile(rf"^\s*\**({_HEADER_NAMES})\s*\**\s*:", re.IGNORECASE)
FROM_LINE = re.compile(
    r"^\s*\**(From|De|Von|Da|Fra|Från|Van|Od|Lähettäjä|Expéditeur)\s*\**\s*:", re.IGNORECASE
)

# Device footers ("Sent from my iPhone"): the phone or app talking, not the sender. A footer is
# the marker, a few words naming a device or app (links dropped), and at most an apology for
# typos; "Sent from my desk, it is much easier…" is a sentence and stays (github/
# email_reply_parser, test_do_not_parse_out_send_from_in_regular_sentence). Markers from
# email_reply_trimmer's signature_matcher.rb and crisp's signatureRegex, per language.
DEVICE_MARKERS = (
    r"sent (from|via|with|by)|get outlook for|envoyé (de|depuis|à partir de)"
    r"|from my (?=i\w+|android|phone|mobile|cell|tablet|samsung|galaxy|blackberry|pixel)"
    r"|télécharger outlook pour|gesendet von|von meinem|diese nachricht wurde von|sendt fra"
    r"|skickat från|från min|verzonden (vanaf|met)|verstuurd vanaf|enviado (desde|do|a partir do"
    r"|de mi)|inviato da|wysłane z|отправлено с|從我的"
)
_DEVICE_LINE = re.compile(
    rf"^\s*[(<]*\s*(?:\w+ from mobile|(?:{DEVICE_MARKERS})\b(?P<rest>.*))$", re.IGNORECASE
)
_LINKS = re.compile(r"\[([^\]]+)\]\([^)]*\)|<?https?://\S+>?")
_APOLOGY = re.compile(
    r"[\s,.;:–-]+(please )?(excuse|pardon|forgive|sorry|désolé|excusez)\b.*$", re.IGNORECASE
)
_CLOSING_WORD = re.compile(r"\s*(gesendet|傳送|envoyé)\.?\s*$", re.IGNORECASE)
DEVICE_WORDS = 6  # "my Samsung Galaxy s5 Octacore device", "Yahoo Mail on Android"


def is_device_footer(line: str) -> bool:
    """True for "Sent from my iPhone", "Envoyé de mon iPad", "Von meinem iPhone gesendet"…"""
    found = _DEVICE_LINE.match(_LINKS.sub(lambda m: m.group(1) or "", line))
    if found is None:
        return False
    rest = found.group("rest") or ""
    rest = _CLOSING_WORD.sub("", _APOLOGY.sub("", rest)).strip(" \t.)>")
    return "," not in rest and ". " not in rest and len(rest.split()) <= DEVICE_WORDS


def ends_attribution(text: str) -> bool:
    """`ATTRIBUTION_END.search(text)`, at the cost of a short search: a "wrote" verb, blanks,
    ":" and blanks end the text. (The regex tries its 25 verbs at every position of the line.)"""
    text = text.rstrip()
    if not text.endswith(":"):
        return False
    return _WROTE_AT_END.search(text[:-1].rstrip()[-_WROTE_CHARS:]) is not None


ATTRIBUTION_CHARS = 320  # the longest attribution in the corpora is ~200 characters
_END_CHARS = 160  # a "wrote" verb sits this close to the attribution's end


@lru_cache(maxsize=1024)  # quote stripping asks about the same line from several of its cuts
def is_attribution(text: str) -> bool:
    """A (possibly rejoined) line that introduces a quote: a "wrote" verb or an address and a
    colon at its end, and a date, an address or an opener in it."""
    text = text.strip()
    if len(text) > ATTRIBUTION_CHARS or not text.endswith((":", "-")):
        return bool(GMAIL_DATE_LINE.match(text))
    end = text[-_END_CHARS:]
    if DASHED_WROTE.match(text) or GMAIL_DATE_LINE.match(text):
        return True
    if end.rstrip(" :").endswith(">") and DATE_ADDRESS.search(end):
        return True
    lowered = end.lower()
    if not any(stem in lowered for stem in WROTE_STEMS) or not LOOSE_END.search(end):
        return False
    return bool(LOOSE_START.search(text) or (HAS_DATE.search(text) and "@" in text))
