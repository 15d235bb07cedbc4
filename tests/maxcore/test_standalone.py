"""The library stands alone: `pip install maxcore` brings no web framework, no Google and no OpenAI
package, and its CLI reads a mailbox and writes the message without them.

A real install into a fresh virtual environment (pip builds the wheel from this checkout; the
dependencies come from the package index, as a user's would).
"""

from __future__ import annotations

import json
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ME = ("--me", "claire.martin@optiplan.fr", "--team-domain", "optiplan.fr")
BACKEND_ONLY = ("flask", "werkzeug", "waitress", "sqlalchemy", "googleapiclient", "openai")


@pytest.fixture(scope="module")
def library_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("standalone") / "venv"
    venv.EnvBuilder(with_pip=True).create(where)
    pip = subprocess.run(
        [str(where / "bin" / "python"), "-m", "pip", "install", "-q", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if pip.returncode != 0 and "Could not find a version" in pip.stderr:
        pytest.skip("no package index reachable")
    assert pip.returncode == 0, pip.stderr[-2000:]
    return where


def test_installing_the_library_brings_no_backend_package(library_venv: Path) -> None:
    probe = "import importlib.util, json, sys; print(json.dumps({m: importlib.util.find_spec(m) "
    probe += f"is not None for m in {list(BACKEND_ONLY)!r}}}))"
    out = subprocess.run(
        [str(library_venv / "bin" / "python"), "-c", probe], capture_output=True, text=True
    )
    assert json.loads(out.stdout) == dict.fromkeys(BACKEND_ONLY, False)


def test_its_cli_checks_a_mailbox_and_writes_the_message(library_venv: Path) -> None:
    cli = str(library_venv / "bin" / "maxcore")
    mbox = str(ROOT / "samples" / "demo.mbox")
    check = subprocess.run([cli, "check", mbox, *ME, "--json"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    levels = {t["level"] for t in json.loads(check.stdout)["threads"]}
    assert "trap" in levels
    suggest = subprocess.run(
        [cli, "suggest", mbox, *ME, "--json"], capture_output=True, text=True, cwd="/"
    )
    assert suggest.returncode == 0, suggest.stderr
    suggestions = json.loads(suggest.stdout)["suggestions"]
    assert suggestions and all(s["text"].strip() for s in suggestions)
    assert {s["source"] for s in suggestions} == {"template"}


def test_asking_for_an_llm_without_the_extra_is_one_clear_line(library_venv: Path) -> None:
    cli = str(library_venv / "bin" / "maxcore")
    env = {"PATH": "/usr/bin:/bin", "MAX_LLM_MODEL": "any"}
    out = subprocess.run(
        [cli, "suggest", str(ROOT / "samples" / "demo.mbox"), *ME],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "maxcore: MAX_LLM_* is set but the LLM extra is not installed: pip install 'maxcore[llm]'"
    ]
