"""Did the pivot work (issue 13): what the outcome figures are read from.

- suggestions.answered_at, answered_by: when the prospect answered a pivot marked sent, and how
  it is known ("email": a later reading of the thread; "phone": the salesperson said so);
- thread_state.timeline: the thread's touches and genuine replies (times and sides only, no
  address nor text), from which GET /api/v1/stats finds the third emails and their answers; rows
  made before have none until the thread is read again.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.add_column(sa.Column("answered_at", UtcDateTime))
        batch.add_column(sa.Column("answered_by", sa.String(8)))
    with op.batch_alter_table("thread_state") as batch:
        batch.add_column(sa.Column("timeline", sa.Text))


def downgrade() -> None:
    raise NotImplementedError("MAX's migrations go forward only")
