"""service: the backend's one-reading answer is the report and brief the two steps give."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from maxcore.adapters.source import read_threads
from maxcore.app import contract, service
from maxcore.core.model import Team

DEMO = Path(__file__).resolve().parents[2] / "samples" / "demo.mbox"
TEAM = Team.of(["claire.martin@optiplan.fr"], ["optiplan.fr"])
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_analyze_for_reply_is_the_analysis_of_the_report() -> None:
    threads = read_threads(DEMO).threads
    briefs = 0
    for thread in threads:
        expected = service.analysis(service.analyze(thread, TEAM, NOW), thread, TEAM)
        assert service.analyze_for_reply(thread, TEAM, NOW) == expected
        briefs += expected.brief is not None
    assert briefs > 0  # some threads offer the phone message: the brief is compared too


SLOT_FIELDS = ("opens", "best", "closes")  # in this order on the wire
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def test_the_answer_carries_the_pivots_windows_as_iso_times_with_their_offset() -> None:
    pivots = 0
    for thread in read_threads(DEMO).threads:
        answer = json.loads(contract.encode(service.analyze_for_reply(thread, TEAM, NOW)))
        rec = answer["threads"][0]["recommendation"]
        if rec["channel"] not in ("whatsapp", "sms"):
            assert rec["slots"] == []
            continue
        pivots += 1
        assert len(rec["slots"]) == 3 and rec["slots"][0]["best"] == rec["send_at"]
        for slot in rec["slots"]:
            assert tuple(slot) == SLOT_FIELDS
            assert all(ISO_WITH_OFFSET.match(slot[k]) for k in slot), slot
            opens, best, closes = (datetime.fromisoformat(slot[k]) for k in SLOT_FIELDS)
            assert NOW <= opens <= best <= closes
    assert pivots > 0  # some demo threads pivot: their slots were checked
