"""service: the backend's one-reading answer is the report and brief the two steps give."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from maxcore.adapters.source import read_threads
from maxcore.app import service
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
