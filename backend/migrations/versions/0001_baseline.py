"""The schema as it stood before migrations (every database made until then is this one).

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _user_id() -> sa.Column[int]:
    return sa.Column("user_id", sa.Integer, nullable=False, index=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        _user_id(),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "pairing_codes",
        sa.Column("id", sa.Integer, primary_key=True),
        _user_id(),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("wrong_tries", sa.Integer, nullable=False),
        sa.Column("used_at", UtcDateTime),
    )
    op.create_table(
        "suggestions",
        sa.Column("id", sa.String(32), primary_key=True),
        _user_id(),
        sa.Column("thread_id", sa.String(200), nullable=False, index=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("sent_at", UtcDateTime),
    )
    op.create_table(
        "pixels",
        sa.Column("token", sa.String(64), primary_key=True),
        _user_id(),
        sa.Column("thread_id", sa.String(200), nullable=False, index=True),
        sa.Column("message_ref", sa.String(300)),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "opens",
        sa.Column("id", sa.Integer, primary_key=True),
        _user_id(),
        sa.Column("pixel_token", sa.String(64), nullable=False, index=True),
        sa.Column("thread_id", sa.String(200), nullable=False, index=True),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("agent", sa.String(24), nullable=False),
    )
    op.create_table(
        "self_views",
        sa.Column("id", sa.Integer, primary_key=True),
        _user_id(),
        sa.Column("pixel_token", sa.String(64), nullable=False, index=True),
        sa.Column("at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "oauth_states",
        sa.Column("state", sa.String(128), primary_key=True),
        sa.Column("code_verifier", sa.String(128), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False, index=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "gmail_accounts",
        sa.Column("user_id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("refresh_token", sa.LargeBinary, nullable=False),
        sa.Column("history_id", sa.String(32)),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("connected_at", UtcDateTime, nullable=False),
        sa.Column("last_sync_at", UtcDateTime),
        sa.Column("last_sync_units", sa.Integer),
        sa.Column("needs_reconnect", sa.Boolean, nullable=False),
    )
    op.create_table(
        "thread_state",
        sa.Column("user_id", sa.Integer, primary_key=True),
        sa.Column("thread_id", sa.String(64), primary_key=True),
        sa.Column("last_msg_id", sa.String(64), nullable=False),
        sa.Column("last_is_sent", sa.Boolean, nullable=False),
        sa.Column("last_at", UtcDateTime),
        sa.Column("unanswered", sa.Integer, nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("thread_state", "gmail_accounts", "oauth_states", "self_views", "opens",
                  "pixels", "suggestions", "pairing_codes", "api_tokens", "users"):  # fmt: skip
        op.drop_table(table)
