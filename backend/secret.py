"""The backend's own secret (it seals Gmail refresh tokens, keys Flask and the pairing limit's
address hashes): the same in every process.

Rule: MAX_SECRET_KEY, when set, is the secret — the way for a team server, from its secret
manager, so that a copy of the database alone does not unseal the Gmail tokens it holds. Unset,
it is made once and kept in the database (`app_secrets`), which every process reads: the first
INSERT wins and the others read what it wrote. A single-user install made before kept its key in
`$MAX_DATA_DIR/secret_key`: that key is taken over, so the tokens it sealed still open.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from .db import app_secrets

NAME = "secret_key"
LEGACY_FILE = "secret_key"


def shared_secret(engine: Engine, data_dir: Path) -> str:
    query = sa.select(app_secrets.c.value).where(app_secrets.c.name == NAME)
    with engine.connect() as conn:
        found = conn.execute(query).scalar()
    if found is not None:
        return str(found)
    legacy = data_dir / LEGACY_FILE
    key = legacy.read_text(encoding="ascii").strip() if legacy.is_file() else secrets.token_hex(32)
    try:
        with engine.begin() as conn:
            conn.execute(app_secrets.insert().values(name=NAME, value=key))
    except IntegrityError:  # another process started at the same moment and wrote first
        pass
    with engine.connect() as conn:
        return str(conn.execute(query).scalar_one())


def init_app(app: Flask, engine: Engine) -> None:
    if not app.config.get("MAX_SECRET_KEY"):
        app.config["MAX_SECRET_KEY"] = shared_secret(engine, Path(app.config["MAX_DATA_DIR"]))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = app.config["MAX_SECRET_KEY"]
