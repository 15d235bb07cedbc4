"""history_for: human opens and sent pivots of one thread, for one user, oldest first."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from backend.db import DEFAULT_USER_ID, now_utc, opens, suggestions
from backend.history import MAX_OPENS, history_for

OTHER_USER = DEFAULT_USER_ID + 1


def test_only_human_opens_and_sent_pivots_of_this_thread_and_user_count(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    t0 = now_utc() - timedelta(days=3)
    rows = [  # (user, thread, minutes after t0, kind)
        (DEFAULT_USER_ID, "t-1", 30, "human"),
        (DEFAULT_USER_ID, "t-1", 10, "human"),
        (DEFAULT_USER_ID, "t-1", 20, "prefetch"),
        (DEFAULT_USER_ID, "t-1", 40, "self"),
        (DEFAULT_USER_ID, "t-1", 50, "scanner"),
        (DEFAULT_USER_ID, "t-2", 60, "human"),
        (OTHER_USER, "t-1", 70, "human"),
    ]
    with engine.begin() as conn:
        for user, thread, minutes, kind in rows:
            conn.execute(
                opens.insert().values(
                    user_id=user,
                    pixel_token="p" * 22,
                    thread_id=thread,
                    at=t0 + timedelta(minutes=minutes),
                    kind=kind,
                    agent="google_proxy",
                )
            )
        for i, sent in enumerate([t0 + timedelta(days=1), None]):
            conn.execute(
                suggestions.insert().values(
                    id=f"s{i}",
                    user_id=DEFAULT_USER_ID,
                    thread_id="t-1",
                    channel="whatsapp",
                    lang="fr",
                    source="template",
                    text="Bonjour",
                    created_at=t0,
                    sent_at=sent,
                )
            )
    history = history_for(engine, DEFAULT_USER_ID, "t-1")
    assert history.opens == (t0 + timedelta(minutes=10), t0 + timedelta(minutes=30))
    assert history.pivots_sent == (t0 + timedelta(days=1),)
    assert history_for(engine, OTHER_USER, "t-2").opens == ()


def test_history_carries_at_most_the_latest_opens_however_many_are_stored(app: Flask) -> None:
    # A database made before opens were bounded kept a row per fetch: 22,000 of them slowed
    # every analysis (4 ms -> 141 ms). History now carries the latest MAX_OPENS at most.
    engine = app.extensions["max_engine"]
    t0 = now_utc() - timedelta(days=10)
    rows = [
        {"user_id": DEFAULT_USER_ID, "pixel_token": "p" * 22, "thread_id": "t-1",
         "at": t0 + timedelta(minutes=i), "kind": "human", "agent": "client"}
        for i in range(MAX_OPENS + 300)
    ]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(opens.insert(), rows)
    history = history_for(engine, DEFAULT_USER_ID, "t-1")
    assert len(history.opens) == MAX_OPENS
    assert history.opens == tuple(r["at"] for r in rows[-MAX_OPENS:])
