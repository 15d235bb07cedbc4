"""The schema's history as Alembic revisions (backend.schema runs them; see env.py)."""
