"""The backend's secret is one for every process: MAX_SECRET_KEY, else made once in the database;
a single-user install's older key file is taken over, so the tokens it sealed still open."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from backend import create_app


def _secret(data_dir: str, config: dict[str, str] | None = None) -> str:
    app = create_app({"MAX_DATA_DIR": data_dir, **(config or {})})
    key = str(app.config["MAX_SECRET_KEY"])
    assert app.config["SECRET_KEY"] == key
    app.extensions["max_engine"].dispose()
    return key


def test_the_secret_is_made_once_and_kept_in_the_database(tmp_path: Path) -> None:
    first, second = _secret(str(tmp_path)), _secret(str(tmp_path))
    assert first == second and len(first) == 64 and int(first, 16) >= 0
    assert not (tmp_path / "secret_key").exists(), "nothing beside the database"


def test_an_older_key_file_is_taken_over(tmp_path: Path, database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the key file belongs to a single-user SQLite install")
    (tmp_path / "secret_key").write_text("ab" * 32, encoding="ascii")
    assert _secret(str(tmp_path)) == "ab" * 32


def test_the_environment_wins(tmp_path: Path) -> None:
    assert _secret(str(tmp_path), {"MAX_SECRET_KEY": "from-the-secret-manager"}) == (
        "from-the-secret-manager"
    )


def _start(data_dir: str, out: object) -> None:
    out.put(_secret(data_dir))  # type: ignore[attr-defined]


def test_processes_starting_together_share_one_secret_and_one_schema(tmp_path: Path) -> None:
    """Four processes start at once on one empty database (the MAX_DATABASE_URL of this run:
    a SQLite file, or a fresh PostgreSQL database): all start, and they agree on the secret."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    starters = [context.Process(target=_start, args=(str(tmp_path), out)) for _ in range(4)]
    for p in starters:
        p.start()
    for p in starters:
        p.join(120)
    assert [p.exitcode for p in starters] == [0, 0, 0, 0]
    keys = {out.get(timeout=5) for _ in starters}
    assert len(keys) == 1
