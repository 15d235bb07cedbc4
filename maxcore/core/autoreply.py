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
language and idea, each citing where its wording comes from. They are compiled once, and one
combined pattern is tried first: most replies match none and cost a single search.
"""

from __future__ import annotations

import re

from .text import fold

ABSENCE_THRESHOLD = 2
PRECEDENCE_HINT = 1

# (language, pattern, weight). Sources: FR/EN from mail-signals.md "Body phrases"; the other
# languages from the wording of Outlook's own feature in each language (Microsoft KB 290846,
# "How to use the Out of Office Assistant", de/es/it/nl/pt/pl editions: "Abwesenheit", "fuera
# de la oficina", "fuori sede", "afwezig", "fora do escritório", "poza biurem") and the
# sentences such notices are made of (returning, urgent matters, no access to mail).
ABSENCE_PHRASES: tuple[tuple[str, str, int], ...] = (
    ("fr", r"ceci est une reponse automatique|ce message est genere automatiquement", 2),
    ("fr", r"je suis (actuellement |presentement )?absente?\b|absente? du bureau"
           r"|hors du bureau", 2),
    ("fr", r"pendant (mon|la duree de mon) absence", 2),
    ("fr", r"acces (limite|restreint) a (mes|ma) (e-?mails?|courriels?|messagerie|messages)", 2),
    # "je prendrai connaissance de votre message à mon retour": only a notice says it.
    ("fr", r"prendrai connaissance de (votre|ton|vos) (message|mail|e-?mail|courriel)", 2),
    ("fr", r"je suis (actuellement )?en (conges?|vacances|deplacement)|en conges?\b"
           r"|en vacances", 1),
    ("fr", r"de retour (le|a partir du|au bureau)|\ba mon retour\b", 1),
    ("fr", r"en cas d'urgence,? (merci de |veuillez |vous pouvez )?(contacter|joindre)", 1),
    # "reply"/"response" only: "This is an automated message from the Apache Git Service"
    # opens list notifications (apache_ponymail_corpus), which are no answer to anyone.
    ("en", r"this is an auto(matic|mated) (reply|response)", 2),
    ("en", r"i(?: a|')m (currently )?(out of (the )?office|away from (the |my )?(office|desk))", 2),
    ("en", r"during my absence", 2),
    ("en", r"limited access to (my )?e-?mails?", 2),
    ("en", r"(reply|respond|get back to you|answer)[^.]{0,40}(up)?on my return", 2),
    ("en", r"will be back on|i'?ll be back on|back in the office", 1),
    ("en", r"for urgent (matters|enquiries|inquiries),? please contact", 1),
    ("en", r"i'?m away|i am away|on (annual )?leave|on vacation", 1),
    ("de", r"dies ist eine automatische (antwort|nachricht|e-?mail)", 2),
    ("de", r"ich bin (\S+ ){0,4}(nicht im (buro|buero|hause)|abwesend|au(ß|ss)er haus"
           r"|im urlaub)", 2),
    ("de", r"wa(e)?hrend meiner abwesenheit", 2),
    ("de", r"nach meiner ru(e)?ckkehr|wieder erreichbar|wieder im buro", 1),
    ("de", r"in dringenden fa(e)?llen", 1),
    ("es", r"esta es una respuesta automatica|este es un mensaje automatico", 2),
    ("es", r"(estoy|me encuentro) (\S+ ){0,3}(fuera de la oficina|de vacaciones|ausente)", 2),
    ("es", r"durante mi ausencia", 2),
    ("es", r"a mi (regreso|vuelta)|estare de vuelta|de vuelta el", 1),
    ("es", r"para (asuntos|temas) urgentes|en caso de urgencia", 1),
    ("it", r"questa e una risposta automatica|questo e un messaggio automatico", 2),
    ("it", r"sono (\S+ ){0,3}(fuori (sede|ufficio)|in ferie|assente)", 2),
    ("it", r"durante la mia assenza", 2),
    ("it", r"al mio (rientro|ritorno)|saro di nuovo in ufficio|di ritorno il", 1),
    ("it", r"per (urgenze|questioni urgenti)|in caso di urgenza", 1),
    ("nl", r"dit is een automatisch (antwoord|bericht|gegenereerd bericht)", 2),
    ("nl", r"ik ben (\S+ ){0,3}(afwezig|op vakantie|niet op kantoor|niet aanwezig)", 2),
    ("nl", r"tijdens mijn afwezigheid", 2),
    ("nl", r"na (mijn )?terugkomst|bij terugkomst|weer aanwezig", 1),
    ("nl", r"voor dringende zaken|in dringende gevallen", 1),
    ("pt", r"esta e uma resposta automatica|esta mensagem e automatica", 2),
    ("pt", r"(estou|encontro-me) (\S+ ){0,3}(fora do escritorio|de ferias|ausente)", 2),
    ("pt", r"durante (a )?minha ausencia", 2),
    ("pt", r"no meu (regresso|retorno)|quando (eu )?(voltar|regressar)", 1),
    ("pt", r"para assuntos urgentes|em caso de urgencia", 1),
    ("pl", r"to jest (wiadomosc|odpowiedz) automatyczna|wygenerowan[ay] automatycznie", 2),
    ("pl", r"jestem (\S+ ){0,3}(poza biurem|na urlopie|nieobecn[ya])", 2),
    ("pl", r"(podczas|w czasie) mojej nieobecnosci", 2),
    ("pl", r"po (moim )?powrocie", 1),
    ("pl", r"w (pilnych sprawach|sprawach pilnych)", 1),
)  # fmt: skip

# What helpdesk and vacation responders say on receipt; people say it too (weight 1, once, and
# only with a responder's Precedence header). Sources: Mzax's and PHP-Bounce-Handler's
# autoresponder lists ("Thank you for your email"), and their usual translations.
ACKNOWLEDGEMENTS: tuple[tuple[str, str], ...] = (
    ("en", r"thank(s| you) for your (e-?mail|message)|we have received your (e-?mail|message)"),
    ("en", r"endeavou?r to (reply|respond)"
           r"|(reply|respond|get back to you) as soon as (possible|i can)"),
    ("fr", r"merci (pour|de) votre (message|e-?mail|courriel)|je vous repondrai (des que possible"
           r"|dans les (meilleurs|plus brefs) delais)|votre (message|demande) a bien ete recue?"),
    ("de", r"dank(e)? fur ihre (nachricht|e-?mail|anfrage)"
           r"|so schnell wie moglich (antworten|melden)"),
    ("es", r"gracias por su (mensaje|correo|e-?mail)"
           r"|le respondere (lo antes posible|a la mayor brevedad)"),
    ("it", r"grazie per (il suo|la sua|il tuo|la tua) (messaggio|e-?mail)|rispondero (al piu presto"
           r"|appena possibile)"),
    ("nl", r"(dank|bedankt) voor (uw|je) (bericht|e-?mail)"),
    ("pt", r"obrigad[oa] pela sua mensagem|agradeco o seu (contacto|contato|e-?mail)"),
    ("pl", r"dziekuje za (wiadomosc|e-?mail|maila)"
           r"|odpowiem (najszybciej jak to mozliwe|niezw[lł]ocznie)"),
)  # fmt: skip

# Challenge-response filters hold the mail until the sender proves to be a person (SendGrid
# glossary, "Challenge Response": "the sender is asked to perform an action to ensure
# delivery"; Mailinblack in France, Boxbe, SpamArrest). One phrase is enough.
CHALLENGE_PHRASES: tuple[tuple[str, str], ...] = (
    ("en", r"(confirm|verify|prove) (that )?you are (a )?(human|real person"
           r"|not a (robot|spammer))"),
    ("en", r"sender verification|please verify your (e-?mail )?address"
           r"|your (e-?mail|message) (is being|has been|will be) (held|quarantined)"),
    ("fr", r"confirmer que vous (n'etes pas un robot|etes (bien )?(un etre )?humain"
           r"|etes (bien )?une personne)"),
    ("fr", r"(votre|ce) message (est|a ete mis) en attente"
           r"|(authentifier|valider) votre (message|adresse|envoi)"),
    ("de", r"bestatigen sie,? dass sie (ein mensch|kein (roboter|spammer)) sind"),
    ("es", r"confirme que (usted )?(es (una persona|humano)|no es un robot)"),
)  # fmt: skip

_ABSENCE = tuple((re.compile(p), w) for _, p, w in ABSENCE_PHRASES)
_ACK = re.compile("|".join(f"(?:{p})" for _, p in ACKNOWLEDGEMENTS))
_CHALLENGE = re.compile("|".join(f"(?:{p})" for _, p in CHALLENGE_PHRASES))
_ANY = re.compile(
    "|".join(
        f"(?:{p})" for p in [*(p for _, p, _ in ABSENCE_PHRASES), _ACK.pattern, _CHALLENGE.pattern]
    )
)


def auto_reply_phrase(text: str, *, precedence_hint: bool = False) -> str | None:
    """ "out-of-office phrase" or "challenge-response" when the words are a machine's, else None."""
    folded = fold(text).replace("’", "'")
    if not _ANY.search(folded):
        return None
    if _CHALLENGE.search(folded):
        return "challenge-response"
    score = sum(weight for pattern, weight in _ABSENCE if pattern.search(folded))
    if precedence_hint:
        score += PRECEDENCE_HINT + (1 if _ACK.search(folded) else 0)
    return "out-of-office phrase" if score >= ABSENCE_THRESHOLD else None
