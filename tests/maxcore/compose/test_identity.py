"""Who writes (first name and company) and whom we greet."""

from __future__ import annotations

import pytest

from maxcore.compose.identity import company, first_name, signature
from maxcore.core.model import Address, Message, Team, Thread


@pytest.mark.parametrize(
    ("name", "email", "first"),
    [("Marc Lefèvre", "", "Marc"), ("Lefèvre, Marc", "", "Marc"), ("MARC LEFEVRE", "", "Marc"),
     ("jean-baptiste durand", "", "Jean-Baptiste"), ("", "marc.lefevre@batiplus.fr", "Marc"),
     ("", "contact@batiplus.fr", ""), ("marc@batiplus.fr", "", ""), ("Dr.", "", ""),
     ("", "", "")],
)  # fmt: skip
def test_first_name(name: str, email: str, first: str) -> None:
    assert first_name(name, email) == first


@pytest.mark.parametrize(
    ("domain", "name"),
    [("acme-software.fr", "Acme Software"), ("mail.acme.co.uk", "Acme"),
     ("optiplan.fr", "Optiplan"), ("ibm.com", "IBM"), ("gmail.com", ""), ("orange.fr", ""),
     ("", "")],
)  # fmt: skip
def test_company(domain: str, name: str) -> None:
    assert company(domain) == name


@pytest.mark.parametrize(
    ("sender", "team", "expected"),
    [(Address("thomas.durand@acme-software.fr", "Thomas Durand"),
      Team.of(["thomas.durand@acme-software.fr"]), "Thomas (Acme Software)"),
     (Address("thomas.durand@gmail.com", "Thomas Durand"), Team.of(["thomas.durand@gmail.com"]),
      "Thomas"),
     (Address("julien@acme.fr", "Julien Roux"), Team.of(["claire@acme.fr"], ["acme.fr"]),
      "Julien (Acme)"),
     (Address("someone@else.fr", "Some One"), Team.of(["claire@acme.fr"]), "")],
)  # fmt: skip
def test_signature_names_our_latest_sender(sender: Address, team: Team, expected: str) -> None:
    th = Thread("t", "s", (Message("<1>", sender=sender, to=(Address("p@x.fr"),)),))
    assert signature(th, team) == expected
