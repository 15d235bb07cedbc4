"""What an automatic answer says in its own words: absence notices, acknowledgements, and the
challenge-response notices of spam filters.

Pure: a reply's new text in, the name of the phrase family that makes it a machine's, or None.
These are weak signals (mail-signals.md, "Body phrases": only when no header fired and the new
text is short; multi_mail calls body regexes alone "unwise"), so the rules are:

- an absence phrase weighs 2 when only an absence notice says it ("during my absence"), 1 when a
  person may well write it ("à mon retour", "back on Monday"); a notice needs a total of 2;
- an acknowledgement ("Thank you for your email, I will endeavour to reply…") is what people
  write too, so it counts (1, once) only beside the hint a responder's header gives:
  `Precedence: bulk/junk`, which RFC 3834 §3.1.8 notes responders and vacation programs use;
- a challenge-response notice (the sender is asked to prove they are a person before the mail is
  delivered) is a machine's in one phrase.

Patterns are written folded (`text.fold`: lower case, no accents; "ł" and "ß" stay), one row per
language and idea, each citing where its wording comes from. They are compiled once; each row
names keys (plain substrings every match holds), and its regex runs only when one is present.
"""

from __future__ import annotations

import re

from .text import fold

ABSENCE_THRESHOLD = 2
PRECEDENCE_HINT = 1

# (language, keys, pattern, weight); keys are substrings every match holds. Sources: FR/EN
# from mail-signals.md "Body phrases"; the other languages from the wording of Outlook's own
# feature in each language (Microsoft KB 290846, "How to use the Out of Office Assistant",
# de/es/it/nl/pt/pl editions: "Abwesenheit", "fuera de la oficina", "fuori sede", "afwezig",
# "fora do escritório", "poza biurem") and the sentences such notices are made of (returning,
# urgent matters, no access to mail).
ABSENCE_PHRASES: tuple[tuple[str, tuple[str, ...], str, int], ...] = (
    ("fr", ("automati",),
     r"ceci est une reponse automatique|ce message est genere automatiquement", 2),
    ("fr", ("absent", "hors du bureau"),
     r"je suis (actuellement |presentement )?absente?\b|absente? du bureau"
     r"|hors du bureau", 2),
    ("fr", ("absence",),
     r"pendant (mon|la duree de mon) absence", 2),
    ("fr", ("acces",),
     r"acces (limite|restreint) a (mes|ma) (e-?mails?|courriels?|messagerie|messages)", 2),
    # "je prendrai connaissance de votre message à mon retour": only a notice says it.
    ("fr", ("prendrai connaissance",),
     r"prendrai connaissance de (votre|ton|vos) (message|mail|e-?mail|courriel)", 2),
    ("fr", ("conge", "vacances", "deplacement"),
     r"je suis (actuellement )?en (conges?|vacances|deplacement)|en conges?\b"
     r"|en vacances", 1),
    ("fr", ("de retour", "mon retour"),
     r"de retour (le|a partir du|au bureau)|\ba mon retour\b", 1),
    ("fr", ("urgence",),
     r"en cas d'urgence,? (merci de |veuillez |vous pouvez )?(contacter|joindre)", 1),
    # "reply"/"response" only: "This is an automated message from the Apache Git Service"
    # opens list notifications (apache_ponymail_corpus), which are no answer to anyone.
    ("en", ("this is an auto",),
     r"this is an auto(matic|mated) (reply|response)", 2),
    ("en", ("office", "desk"),
     r"i(?: a|')m (currently )?(out of (the )?office|away from (the |my )?(office|desk))", 2),
    ("en", ("absence",),
     r"during my absence", 2),
    ("en", ("limited access",),
     r"limited access to (my )?e-?mails?", 2),
    ("en", ("my return",),
     r"(reply|respond|get back to you|answer)[^.]{0,40}(up)?on my return", 2),
    ("en", ("be back", "back in the office"),
     r"will be back on|i'?ll be back on|back in the office", 1),
    ("en", ("urgent",),
     r"for urgent (matters|enquiries|inquiries),? please contact", 1),
    ("en", ("away", "leave", "vacation"),
     r"i'?m away|i am away|on (annual )?leave|on vacation", 1),
    ("de", ("automatische",),
     r"dies ist eine automatische (antwort|nachricht|e-?mail)", 2),
    ("de", ("ich bin",),
     r"ich bin (\S+ ){0,4}(nicht im (buro|buero|hause)|abwesend|au(ß|ss)er haus"
     r"|im urlaub)", 2),
    ("de", ("abwesenheit",),
     r"wa(e)?hrend meiner abwesenheit", 2),
    ("de", ("ckkehr", "wieder"),
     r"nach meiner ru(e)?ckkehr|wieder erreichbar|wieder im buro", 1),
    ("de", ("dringend",),
     r"in dringenden fa(e)?llen", 1),
    ("es", ("automatic",),
     r"esta es una respuesta automatica|este es un mensaje automatico", 2),
    ("es", ("estoy", "me encuentro"),
     r"(estoy|me encuentro) (\S+ ){0,3}(fuera de la oficina|de vacaciones|ausente)", 2),
    ("es", ("ausencia",),
     r"durante mi ausencia", 2),
    ("es", ("regreso", "vuelta"),
     r"a mi (regreso|vuelta)|estare de vuelta|de vuelta el", 1),
    ("es", ("urgentes", "urgencia"),
     r"para (asuntos|temas) urgentes|en caso de urgencia", 1),
    ("it", ("automatic",),
     r"questa e una risposta automatica|questo e un messaggio automatico", 2),
    ("it", ("sono ",),
     r"sono (\S+ ){0,3}(fuori (sede|ufficio)|in ferie|assente)", 2),
    ("it", ("assenza",),
     r"durante la mia assenza", 2),
    ("it", ("rientro", "ritorno", "di nuovo in ufficio"),
     r"al mio (rientro|ritorno)|saro di nuovo in ufficio|di ritorno il", 1),
    ("it", ("urgenz", "urgent"),
     r"per (urgenze|questioni urgenti)|in caso di urgenza", 1),
    ("nl", ("automatisch",),
     r"dit is een automatisch (antwoord|bericht|gegenereerd bericht)", 2),
    ("nl", ("ik ben",),
     r"ik ben (\S+ ){0,3}(afwezig|op vakantie|niet op kantoor|niet aanwezig)", 2),
    ("nl", ("afwezigheid",),
     r"tijdens mijn afwezigheid", 2),
    ("nl", ("terugkomst", "weer aanwezig"),
     r"na (mijn )?terugkomst|bij terugkomst|weer aanwezig", 1),
    ("nl", ("dringende",),
     r"voor dringende zaken|in dringende gevallen", 1),
    ("pt", ("automatica",),
     r"esta e uma resposta automatica|esta mensagem e automatica", 2),
    ("pt", ("estou", "encontro-me"),
     r"(estou|encontro-me) (\S+ ){0,3}(fora do escritorio|de ferias|ausente)", 2),
    ("pt", ("ausencia",),
     r"durante (a )?minha ausencia", 2),
    ("pt", ("regress", "retorno", "voltar"),
     r"no meu (regresso|retorno)|quando (eu )?(voltar|regressar)", 1),
    ("pt", ("urgentes", "urgencia"),
     r"para assuntos urgentes|em caso de urgencia", 1),
    ("pl", ("automatyczn",),
     r"to jest (wiadomosc|odpowiedz) automatyczna|wygenerowan[ay] automatycznie", 2),
    ("pl", ("jestem",),
     r"jestem (\S+ ){0,3}(poza biurem|na urlopie|nieobecn[ya])", 2),
    ("pl", ("nieobecnosci",),
     r"(podczas|w czasie) mojej nieobecnosci", 2),
    ("pl", ("powrocie",),
     r"po (moim )?powrocie", 1),
    ("pl", ("pilnych",),
     r"w (pilnych sprawach|sprawach pilnych)", 1),
)  # fmt: skip

# (language, keys, pattern). What helpdesk and vacation responders say on receipt; people say
# it too (weight 1, once, and only with a responder's Precedence header). Sources: Mzax's and
# PHP-Bounce-Handler's autoresponder lists ("Thank you for your email"), and their usual
# translations.
ACKNOWLEDGEMENTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("en", ("thank", "received your"),
     r"thank(s| you) for your (e-?mail|message)|we have received your (e-?mail|message)"),
    ("en", ("endeavo", "as soon as"),
     r"endeavou?r to (reply|respond)"
     r"|(reply|respond|get back to you) as soon as (possible|i can)"),
    ("fr", ("merci", "repondrai", "bien ete recu"),
     r"merci (pour|de) votre (message|e-?mail|courriel)|je vous repondrai (des que possible"
     r"|dans les (meilleurs|plus brefs) delais)|votre (message|demande) a bien ete recue?"),
    ("de", ("dank", "so schnell"),
     r"dank(e)? fur ihre (nachricht|e-?mail|anfrage)"
     r"|so schnell wie moglich (antworten|melden)"),
    ("es", ("gracias", "respondere"),
     r"gracias por su (mensaje|correo|e-?mail)"
     r"|le respondere (lo antes posible|a la mayor brevedad)"),
    ("it", ("grazie", "rispondero"),
     r"grazie per (il suo|la sua|il tuo|la tua) (messaggio|e-?mail)|rispondero (al piu presto"
     r"|appena possibile)"),
    ("nl", ("dank",),
     r"(dank|bedankt) voor (uw|je) (bericht|e-?mail)"),
    ("pt", ("obrigad", "agradeco"),
     r"obrigad[oa] pela sua mensagem|agradeco o seu (contacto|contato|e-?mail)"),
    ("pl", ("dziekuje", "odpowiem"),
     r"dziekuje za (wiadomosc|e-?mail|maila)"
     r"|odpowiem (najszybciej jak to mozliwe|niezw[lł]ocznie)"),
)  # fmt: skip

# (language, keys, pattern). Challenge-response filters hold the mail until the sender proves
# to be a person (SendGrid glossary, "Challenge Response": "the sender is asked to perform an
# action to ensure delivery"; Mailinblack in France, Boxbe, SpamArrest). One phrase is enough.
CHALLENGE_PHRASES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("en", ("you are",),
     r"(confirm|verify|prove) (that )?you are (a )?(human|real person"
     r"|not a (robot|spammer))"),
    ("en", ("verif", "held", "quarantined"),
     r"sender verification|please verify your (e-?mail )?address"
     r"|your (e-?mail|message) (is being|has been|will be) (held|quarantined)"),
    ("fr", ("confirmer que vous",),
     r"confirmer que vous (n'etes pas un robot|etes (bien )?(un etre )?humain"
     r"|etes (bien )?une personne)"),
    ("fr", ("en attente", "authentifier", "valider"),
     r"(votre|ce) message (est|a ete mis) en attente"
     r"|(authentifier|valider) votre (message|adresse|envoi)"),
    ("de", ("bestatigen",),
     r"bestatigen sie,? dass sie (ein mensch|kein (roboter|spammer)) sind"),
    ("es", ("confirme que",),
     r"confirme que (usted )?(es (una persona|humano)|no es un robot)"),
)  # fmt: skip

_Row = tuple[tuple[str, ...], re.Pattern[str], int]
_ABSENCE: tuple[_Row, ...] = tuple((k, re.compile(p), w) for _, k, p, w in ABSENCE_PHRASES)
_ACK: tuple[_Row, ...] = tuple((k, re.compile(p), 1) for _, k, p in ACKNOWLEDGEMENTS)
_CHALLENGE: tuple[_Row, ...] = tuple((k, re.compile(p), 1) for _, k, p in CHALLENGE_PHRASES)


def _hits(rows: tuple[_Row, ...], folded: str) -> list[int]:
    """The weights of the rows whose pattern is in the text; a row's regex runs only when one of
    its keys (plain substrings, tested in C) is there, so a reply that says none costs little."""
    return [
        w for keys, pattern, w in rows if any(k in folded for k in keys) and pattern.search(folded)
    ]


def auto_reply_phrase(text: str, *, precedence_hint: bool = False) -> str | None:
    """ "out-of-office phrase" or "challenge-response" when the words are a machine's, else None."""
    folded = fold(text).replace("’", "'")
    if _hits(_CHALLENGE, folded):
        return "challenge-response"
    score = sum(_hits(_ABSENCE, folded))
    if precedence_hint and (score or _hits(_ACK, folded)):
        score += PRECEDENCE_HINT + (1 if _hits(_ACK, folded) else 0)
    return "out-of-office phrase" if score >= ABSENCE_THRESHOLD else None
