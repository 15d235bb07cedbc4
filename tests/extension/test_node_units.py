"""Runs the extension's node unit tests (tests/extension/*.test.mjs) from pytest.

`node --test tests/extension/` must exit 0. The background's tests talk to the real backend: it is
started here on loopback (waitress, a temporary SQLite file) and its URL, an API token and a live
pairing code go to node in the environment. The npm dev dependencies (jsdom) are installed with
`npm ci` from the committed package-lock.json only when they are missing.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from backend import create_app
from backend.pairing import format_code, new_pairing_code
from tests.servers.backend_server import running_backend

ROOT = Path(__file__).resolve().parents[2]


def test_node_unit_tests_pass(tmp_path: Path) -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed for the extension's unit tests")
    if not (ROOT / "node_modules" / "jsdom").is_dir():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True, capture_output=True
        )
    token = secrets.token_urlsafe(24)
    app = create_app({"MAX_DATA_DIR": str(tmp_path / "data"), "MAX_API_TOKEN": token})
    code = format_code(new_pairing_code(app.extensions["max_engine"]))
    with running_backend(app) as url:
        env = {
            **os.environ,
            "MAX_TEST_BACKEND": url,
            "MAX_TEST_TOKEN": token,
            "MAX_TEST_PAIRING_CODE": code,
        }
        result = subprocess.run(
            [node, "--test", "tests/extension/"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
    app.extensions["max_engine"].dispose()
    failures = [line for line in result.stdout.splitlines() if line.startswith("not ok")]
    assert result.returncode == 0, "\n".join(failures) or result.stderr[-2000:]
    assert "# pass" in result.stdout
