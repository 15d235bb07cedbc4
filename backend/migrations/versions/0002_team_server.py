"""One contract, users and a team server: what changed after the baseline.

- users.email: the Gmail address a user is (backend.users), unique;
- pair_tries: pairing tries per client address (backend.pairing);
- pixel_stats: pixel fetches counted per kind, one row per pixel (backend.tracking);
- user_settings: a user's thresholds and team domains (backend.user_settings);
- gmail_accounts.watch_expires_at: Gmail push's watch (backend.gmail.push);
- thread_state: maxcore's own report of each thread instead of an estimate; the old rows were
  estimates that the next sync rebuilds, so the table is made anew;
- locks: named locks across processes (backend.locks);
- app_secrets: the secret every process shares when MAX_SECRET_KEY is not set (backend.secret).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db import UtcDateTime
from backend.open_kinds import DISCOUNTED_KINDS

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(320)))
        batch.create_unique_constraint("uq_users_email", ["email"])
    op.create_table(
        "pair_tries",
        sa.Column("client", sa.String(64), primary_key=True),
        sa.Column("window_start", UtcDateTime, nullable=False),
        sa.Column("tries", sa.Integer, nullable=False),
    )
    op.create_table(
        "pixel_stats",
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False, index=True),
        sa.Column("thread_id", sa.String(200), nullable=False, index=True),
        sa.Column("fetches", sa.Integer, nullable=False),
        *(sa.Column(kind, sa.Integer, nullable=False) for kind in DISCOUNTED_KINDS),
    )
    op.create_table(
        "user_settings",
        sa.Column("user_id", sa.Integer, primary_key=True),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    with op.batch_alter_table("gmail_accounts") as batch:
        batch.add_column(sa.Column("watch_expires_at", UtcDateTime))
    op.drop_table("thread_state")
    op.create_table(
        "thread_state",
        sa.Column("user_id", sa.Integer, primary_key=True),
        sa.Column("thread_id", sa.String(16), primary_key=True),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("analyzed_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "locks",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("holder", sa.String(100), nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("MAX's migrations go forward only")
