"""The fixture Gmail data are what fixtures/derive_gmail_data.py derives from the saved gmail.js
data, and every fixture page names its source in fixtures/README.md."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
spec = importlib.util.spec_from_file_location("derive", FIXTURES / "derive_gmail_data.py")
assert spec and spec.loader
derive = importlib.util.module_from_spec(spec)
spec.loader.exec_module(derive)

pytestmark = pytest.mark.skipif(not derive.SAVED.is_dir(), reason="shared data absent")


@pytest.mark.parametrize("name", sorted(derive.derived()))
def test_committed_gmail_data_is_the_derived_one(name: str) -> None:
    committed = (FIXTURES / name).read_text(encoding="utf-8")
    assert committed == derive.dump(derive.derived()[name]), "run derive_gmail_data.py"


def test_the_derived_data_keeps_the_saved_shape() -> None:
    """Same positions and wrappers as the saved templates: only values differ."""
    saved = json.loads((derive.SAVED / "testdata-parser-fd-embedded.json").read_text("utf-8"))
    mine = derive.embedded("en")
    template, thread = saved[1][0][1], mine[1][0][1]
    assert len(thread) == len(template)
    assert all(len(m) == len(template[4][0]) for m in thread[4])
    assert [type(v).__name__ for v in thread[4][0]] == [
        "NoneType" if i == 11 else type(v).__name__ for i, v in enumerate(template[4][0])
    ]
    xhr_saved = json.loads((derive.SAVED / "testdata-parser-fd-request.json").read_text("utf-8"))
    xhr = derive.xhr("en")
    assert set(xhr) == set(xhr_saved)
    assert set(xhr["2"][0]["3"][0]["2"]) == set(xhr_saved["2"][1]["3"][0]["2"])


def test_every_fixture_file_is_in_the_readme() -> None:
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w.-]+\.(?:html|json|js|py))`", readme))
    files = {p.name for p in FIXTURES.iterdir() if p.suffix in {".html", ".json", ".js", ".py"}}
    assert files - named == set()
