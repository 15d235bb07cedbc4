"""The contract is written once: the generated files are fresh, and every vocabulary has the same
values on every side (model, policy, the schema, the extension's contract.js).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

import msgspec
import pytest

from maxcore.adapters.source import read_threads
from maxcore.app import contract, service
from maxcore.core import policy
from maxcore.core.errors import MaxcoreError
from maxcore.core.model import IGNORED_KINDS, Code, IgnoredReason, Note, Team, ThreadReport
from maxcore.core.settings import DEFAULTS, TUNABLE, settings_from

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "samples" / "demo.mbox"
TEAM = Team.of(["claire.martin@optiplan.fr"], ["optiplan.fr"])
NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)


@pytest.mark.parametrize("path", sorted(contract.generated_files()), ids=lambda p: p.name)
def test_the_generated_files_are_fresh(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == contract.generated_files()[path], (
        f"{path.name} is stale: run `python -m maxcore.app.contract`"
    )


def _js_constants() -> dict[str, object]:
    text = contract.JS_FILE.read_text(encoding="utf-8")
    return {m[1]: json.loads(m[2]) for m in re.finditer(r"^ {4}(\w+): (.+),$", text, re.M)}


def test_every_vocabulary_is_the_same_in_the_extension() -> None:
    js = _js_constants()
    for name, values in contract.VOCABULARIES.items():
        assert js[name] == list(values), name
    assert js["REASON_FACTS"] == contract.reason_facts()


def test_every_code_has_its_sentence_and_every_note_its_words() -> None:
    assert set(policy.REASONS) == set(get_args(Code))
    assert set(policy.NOTES) == set(get_args(Note))
    assert {k.value for k in IGNORED_KINDS} == set(get_args(IgnoredReason))


def test_the_schema_lists_every_value_of_every_vocabulary() -> None:
    defs = contract.json_schema()["$defs"]
    props = defs["Recommendation"]["properties"]
    assert set(props["code"]["enum"]) == set(get_args(Code))
    assert set(props["notes"]["items"]["enum"]) == set(get_args(Note))
    assert set(defs["ThreadReport"]["properties"]["level"]["enum"]) == set(
        contract.VOCABULARIES["LEVELS"]
    )
    assert set(defs["Ignored"]["properties"]["reason"]["enum"]) == set(get_args(IgnoredReason))
    assert defs["ThreadReport"]["properties"]["last_reply_at"]["anyOf"][0]["format"] == "date-time"


def test_a_report_survives_the_wire_unchanged() -> None:
    reports = [service.analyze(t, TEAM, NOW) for t in read_threads(DEMO).threads]
    assert {r.level for r in reports} >= {"trap", "ok"}
    for report in reports:
        again = msgspec.json.decode(contract.encode(report), type=ThreadReport)
        assert again == report


def test_every_default_is_within_its_bounds_and_the_bounds_are_enforced() -> None:
    for key, (low, high) in TUNABLE.items():
        assert low <= getattr(DEFAULTS, key) <= high, key
        for wrong in (low - 1, high + 1):
            with pytest.raises(MaxcoreError) as err:
                settings_from({key: wrong})
            assert err.value.field == key


@pytest.mark.parametrize(
    ("text", "field"),
    [("next tuesday", "now"), ("9999-01-01T00:00:00", "now"), ("1969-12-31", "--now")],
)
def test_now_is_read_one_way_and_a_wrong_one_names_its_field(text: str, field: str) -> None:
    with pytest.raises(MaxcoreError) as err:
        contract.parse_now(text, field=field)
    assert err.value.field == field


def test_now_without_an_offset_is_utc() -> None:
    assert contract.parse_now("2026-11-27T10:00:00") == datetime(2026, 11, 27, 10, tzinfo=UTC)


# The extension only draws: no threshold and no level rule in its display code.
DISPLAY_CODE = (
    "content/banner.js",
    "content/sidebar.js",
    "content/chip.js",
    "content/phone-message.js",
    "content/main.js",
)
POLICY_WORDS = re.compile(r"watch_at|trap_at|pivot_opens|\.level\s*[!=]==|opens\s*>=")


@pytest.mark.parametrize("name", DISPLAY_CODE)
def test_the_extension_decides_nothing(name: str) -> None:
    text = (ROOT / "extension" / name).read_text(encoding="utf-8")
    assert POLICY_WORDS.findall(text) == []
