"""The Gmail tests' world: a fake Gmail on loopback, an app wired to it, a connected account.

Written for these tests. The mailbox below is written here too (no public corpus holds a Gmail
API mailbox): one salesperson, prospects at made-up `.example` companies, dates relative to now
so the 30-day window always holds the same threads. Import the fixtures into a test module.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from backend import create_app
from backend.gmail.client import RetryPolicy
from backend.pairing import new_pairing_code
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


@pytest.fixture
def fake() -> Iterator[FakeGmail]:
    server = FakeGmail(email=ME)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sleeps() -> list[float]:
    """Every wait the client asked for; nothing really sleeps."""
    return []


@pytest.fixture
def gmail_app(
    tmp_path: Path, fake: FakeGmail, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # http on loopback (gotcha 10)
    secrets = tmp_path / "client_secret.json"  # a fake OAuth client, never a real secret
    secrets.write_text(
        json.dumps(
            {
                "web": {
                    "client_id": "1234-test.apps.googleusercontent.com",
                    "client_secret": "written-by-the-test",
                    "auth_uri": f"{fake.url}/o/oauth2/auth",
                    "token_uri": f"{fake.url}/token",
                    "redirect_uris": ["http://127.0.0.1:8765/api/v1/gmail/callback"],
                }
            }
        )
    )
    app = create_app(
        {
            "TESTING": True,
            "MAX_DATA_DIR": str(tmp_path / "data"),
            "MAX_GOOGLE_CLIENT_FILE": str(secrets),
            "MAX_GMAIL_API_BASE": fake.url,
            "MAX_GOOGLE_TOKEN_URI": f"{fake.url}/token",
            "MAX_GMAIL_SLEEP": sleeps.append,
            "MAX_GMAIL_RETRY": RetryPolicy(max_attempts=4, max_total_wait=120.0),
        }
    )
    yield app
    app.extensions["max_engine"].dispose()


@pytest.fixture
def web(gmail_app: Flask) -> FlaskClient:
    return gmail_app.test_client()


@pytest.fixture
def auth(gmail_app: Flask, web: FlaskClient) -> dict[str, str]:
    code = new_pairing_code(gmail_app.extensions["max_engine"])
    token = web.post("/api/v1/pair", json={"code": code}).json["token"]  # type: ignore[index]
    return {"Authorization": f"Bearer {token}"}


def consent(fake: FakeGmail, web: FlaskClient, auth: dict[str, str]) -> dict[str, str]:
    """Connect → Google's consent page (the fake's) → the callback query MAX receives."""
    auth_url = web.get("/api/v1/gmail/connect", headers=auth).json["auth_url"]  # type: ignore[index]
    query = {k: v[0] for k, v in parse_qs(urlsplit(auth_url).query).items()}
    return {"state": query["state"], "code": fake.consent(query["code_challenge"])}


@pytest.fixture
def connected(fake: FakeGmail, web: FlaskClient, auth: dict[str, str]) -> dict[str, str]:
    """A mailbox filled and connected; returns thread name → Gmail thread id."""
    ids = fill(fake)
    response = web.get("/api/v1/gmail/callback", query_string=consent(fake, web, auth))
    assert response.status_code == 200, response.json
    fake.reset_log()
    return ids
