"""Alembic's environment for MAX: the connection comes from backend.schema.migrate, which holds
the lock that makes several processes starting at once run the migrations one at a time."""

from __future__ import annotations

from alembic import context

from backend.db import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters a table by copying it: Alembic's batch mode
)
with context.begin_transaction():
    context.run_migrations()
