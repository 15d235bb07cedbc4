"""Tracking storage: every fetch of a known pixel is stored with its kind; self-views reclassify."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from backend.db import DEFAULT_USER_ID, now_utc, opens, pixels
from backend.open_kinds import SELF_VIEW_WINDOW
from backend.tracking import new_pixel, opens_of_thread, record_open, record_self_view

GMAIL = "Mozilla/5.0 (via ggpht.com GoogleImageProxy)"


def _sent_an_hour_ago(app: Flask, thread_id: str = "t-1") -> str:
    engine = app.extensions["max_engine"]
    token = new_pixel(engine, DEFAULT_USER_ID, thread_id, "<m1@optiplan.fr>")
    with engine.begin() as conn:
        conn.execute(sa.update(pixels).values(created_at=now_utc() - timedelta(hours=1)))
    return token


def test_unknown_or_malformed_tokens_store_nothing(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    for token in ["A" * 22, "../../etc/passwd", "", "x" * 200]:
        assert record_open(engine, token, GMAIL) is False
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(opens)).scalar() == 0


def test_every_fetch_is_kept_with_its_kind(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    token = _sent_an_hour_ago(app)
    for agent in [GMAIL, "Mozilla/5.0", "curl/8.5.0", GMAIL]:
        assert record_open(engine, token, agent)
    kinds = [r.kind for r in opens_of_thread(engine, DEFAULT_USER_ID, "t-1")]
    assert sorted(kinds) == ["human", "human", "prefetch", "scanner"]


def test_a_self_view_discards_the_fetch_before_it_and_after_it(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    token = _sent_an_hour_ago(app)
    record_open(engine, token, GMAIL)  # the sender's own view reached us first
    assert record_self_view(engine, DEFAULT_USER_ID, token) == 1
    record_open(engine, token, GMAIL)  # a second fetch of that same view
    record_open(engine, token, GMAIL, at=now_utc() + SELF_VIEW_WINDOW * 3)  # the prospect, later
    kinds = [r.kind for r in opens_of_thread(engine, DEFAULT_USER_ID, "t-1")]
    assert kinds == ["self", "self", "human"]


def test_a_self_view_of_someone_elses_pixel_is_refused(app: Flask) -> None:
    engine = app.extensions["max_engine"]
    token = _sent_an_hour_ago(app)
    assert record_self_view(engine, DEFAULT_USER_ID + 1, token) is None
