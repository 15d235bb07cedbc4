"""Every pixel fetch gets a kind; only a person reading counts as `human`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.open_kinds import PREFETCH_WINDOW, agent_of, classify_open

SENT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
LATER = SENT + timedelta(hours=3)

GMAIL = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
OUTLOOK = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)"
THUNDERBIRD = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0"


@pytest.mark.parametrize(
    ("user_agent", "at", "near_self_view", "kind", "agent"),
    [
        (GMAIL, LATER, False, "human", "google_proxy"),
        (OUTLOOK, LATER, False, "human", "client"),
        (THUNDERBIRD, LATER, False, "human", "client"),
        (
            "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html",
            LATER,
            False,
            "human",
            "yahoo_proxy",
        ),
        ("Mozilla/5.0", LATER, False, "prefetch", "apple_mail"),  # Mail Privacy Protection
        (GMAIL, SENT + PREFETCH_WINDOW / 2, False, "prefetch", "google_proxy"),  # too soon to read
        (OUTLOOK, SENT + PREFETCH_WINDOW, False, "human", "client"),
        ("Mozilla/5.0 (compatible; Barracuda Sentinel)", LATER, False, "scanner", "scanner"),
        ("Mimecast-URL-Protect/1.0", LATER, False, "scanner", "scanner"),
        ("python-requests/2.32.3", LATER, False, "scanner", "scanner"),
        ("curl/8.5.0", LATER, False, "scanner", "scanner"),
        ("", LATER, False, "scanner", "unknown"),
        (GMAIL, LATER, True, "self", "google_proxy"),  # the sender looking at their own email
        ("curl/8.5.0", LATER, True, "scanner", "scanner"),  # a scanner stays a scanner
    ],
)
def test_classify_open(
    user_agent: str, at: datetime, near_self_view: bool, kind: str, agent: str
) -> None:
    assert classify_open(user_agent, SENT, at, near_self_view) == (kind, agent)


def test_the_match_ignores_case_and_spaces() -> None:
    assert agent_of("  googleimageproxy ") == agent_of(GMAIL) == ("google_proxy", "human")
