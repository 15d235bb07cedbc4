"""sealing: Fernet with a key derived by HKDF-SHA256 from the server's secret."""

from __future__ import annotations

import pytest

from backend.gmail.sealing import fernet_for, seal, unseal


@pytest.mark.parametrize("plain", ["1//0abc", "é" * 300, ""])
def test_sealed_text_round_trips_and_hides_the_plain_text(plain: str) -> None:
    sealed = seal("secret", plain)
    assert unseal("secret", sealed) == plain
    assert plain == "" or plain.encode() not in sealed


def test_a_different_secret_cannot_unseal() -> None:
    assert unseal("other", seal("secret", "1//0abc")) is None


def test_the_key_is_derived_not_the_secret_itself() -> None:
    # Two sealings differ (random IV), and the derived key is stable for one secret.
    assert seal("secret", "x") != seal("secret", "x")
    assert fernet_for("secret").decrypt(seal("secret", "x")) == b"x"
    with pytest.raises(ValueError):
        fernet_for("")
