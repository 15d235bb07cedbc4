"""Config: the environment, then the caller, then embedded defaults (the secret: test_secret.py)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from backend.config import DEFAULT_PUBLIC_URL, ENV_KEYS, MAX_BODY_BYTES, Config
from maxcore.core.errors import MaxcoreError


def test_defaults_need_no_keys(tmp_path: Path) -> None:
    values = Config.resolve({"MAX_DATA_DIR": str(tmp_path / "d")})
    assert values["MAX_DATABASE_URL"] == f"sqlite:///{tmp_path / 'd' / 'max.sqlite3'}"
    assert values["MAX_PUBLIC_URL"] == DEFAULT_PUBLIC_URL
    assert values["MAX_CONTENT_LENGTH"] == MAX_BODY_BYTES
    assert not values.get("MAX_SECRET_KEY")  # made by backend.secret, one for every process


@pytest.mark.parametrize(
    ("env", "key", "expected"),
    [
        (
            {"MAX_DATABASE_URL": "sqlite:////tmp/other.db"},
            "MAX_DATABASE_URL",
            "sqlite:////tmp/other.db",
        ),
        (
            {"MAX_PUBLIC_URL": "https://max.example.test/"},
            "MAX_PUBLIC_URL",
            "https://max.example.test",
        ),
        ({"MAX_SECRET_KEY": "from-env"}, "SECRET_KEY", "from-env"),
        ({"MAX_LLM_MODEL": "llama3"}, "MAX_LLM_MODEL", "llama3"),
        ({"MAX_API_TOKEN": ""}, "MAX_API_TOKEN", None),  # an empty variable means unset
    ],
)
def test_the_environment_wins_over_defaults(
    tmp_path: Path, env: dict[str, str], key: str, expected: str | None
) -> None:
    values = Config.resolve({**Config.from_env({**env, "MAX_DATA_DIR": str(tmp_path)})})
    assert values[key] == expected


def test_the_data_directory_is_the_users_alone(tmp_path: Path) -> None:
    made = tmp_path / "new" / "data"
    Config.resolve({"MAX_DATA_DIR": str(made)})
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)  # whatever the umask made of it
    Config.resolve({"MAX_DATA_DIR": str(loose)})
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700


@pytest.mark.parametrize(("raw", "expected"), [(None, 5), ("", 5), ("12", 12), ("0", None),
                                               ("-3", None), ("many", None)])  # fmt: skip
def test_pair_tries_per_minute(tmp_path: Path, raw: str | None, expected: int | None) -> None:
    values = {"MAX_DATA_DIR": str(tmp_path), "MAX_PAIR_TRIES_PER_MINUTE": raw}
    if expected is None:
        with pytest.raises(MaxcoreError) as err:
            Config.resolve(values)
        assert err.value.field == "MAX_PAIR_TRIES_PER_MINUTE"
    else:
        assert Config.resolve(values)["MAX_PAIR_TRIES_PER_MINUTE"] == expected


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `MAX_")]
    missing = [key for key in ENV_KEYS if not any(f"`{key}`" in row for row in rows)]
    assert missing == []
