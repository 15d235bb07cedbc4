"""The mailbox the Gmail tests use, written here (no public corpus holds a Gmail API mailbox).

One salesperson, prospects at made-up `.example` companies, dates relative to now so the 30-day
window always holds the same threads.
"""

from __future__ import annotations

from typing import Any

from tests.servers.fake_gmail import FakeGmail

ME = "claire.martin@logisoft.example"
MARC = "Marc Lefèvre <marc.lefevre@batiplus.example>"
SOPHIE = "Sophie Bernard <s.bernard@agrinova.example>"
LUC = "Luc Petit <luc@transalp.example>"
SIGNATURE = "Marc Lefèvre\nDirecteur travaux, Batiplus\nMobile : 06 12 34 56 78"

# (thread, from, to, subject, days ago, labels, text): the mailbox, oldest first per thread.
MAILBOX: tuple[tuple[str, str, str, str, float, tuple[str, ...], str], ...] = (
    (
        "trap",
        MARC,
        ME,
        "Module planification",
        25,
        ("INBOX",),
        "Envoyez-moi une offre.\n\n" + SIGNATURE,
    ),
    ("trap", ME, MARC, "Re: Module planification", 20, ("SENT",), "Voici notre proposition."),
    ("trap", ME, MARC, "Re: Module planification", 13, ("SENT",), "Avez-vous pu la lire ?"),
    (
        "trap",
        ME,
        MARC,
        "Re: Module planification",
        6,
        ("SENT",),
        "Je me permets de revenir vers vous.",
    ),
    ("watch", ME, SOPHIE, "Démo Agrinova", 18, ("SENT",), "Une démo mardi ?"),
    ("watch", SOPHIE, ME, "Re: Démo Agrinova", 16, ("INBOX",), "Plutôt la semaine prochaine."),
    ("watch", ME, SOPHIE, "Re: Démo Agrinova", 9, ("SENT",), "Jeudi 10h vous irait ?"),
    ("watch", ME, SOPHIE, "Re: Démo Agrinova", 3, ("SENT",), "Je vous propose jeudi ou vendredi."),
    ("replied", ME, LUC, "Tarifs Transalp", 10, ("SENT",), "Nos tarifs en pièce jointe."),
    ("replied", LUC, ME, "Re: Tarifs Transalp", 2, ("INBOX",), "Merci, je regarde."),
    ("one", ME, LUC, "Contrat cadre", 5, ("SENT",), "Le contrat cadre, pour relecture."),
    ("old", ME, SOPHIE, "Ancienne offre", 45, ("SENT",), "Offre de l'an passé."),
    ("old", ME, SOPHIE, "Re: Ancienne offre", 40, ("SENT",), "Relance."),
    ("old", ME, SOPHIE, "Re: Ancienne offre", 35, ("SENT",), "Relance encore."),
    ("draft", ME, MARC, "Brouillon", 1, ("DRAFT",), "Pas encore envoyé."),
    (
        "news",
        "news@salons.example",
        ME,
        "Salon Batimat",
        1,
        ("INBOX", "CATEGORY_PROMOTIONS"),
        "Venez !",
    ),
)
# What the 30-day scan must conclude (trailing run of our own messages, level).
EXPECTED = {"trap": (3, "trap"), "watch": (2, "watch"), "replied": (0, "ok"), "one": (1, "ok"),
            "news": (0, "ok")}  # fmt: skip


def fill(fake: FakeGmail, mailbox: tuple[tuple[Any, ...], ...] = MAILBOX) -> dict[str, str]:
    """Put the mailbox in the fake; returns thread name → Gmail thread id."""
    ids: dict[str, str] = {}
    for name, sender, to, subject, days, labels, text in mailbox:
        m = fake.add(ids.get(name), sender, to, subject, days, text, labels)
        ids.setdefault(name, m.thread_id)
    return ids
