"""Runs the extension's node unit tests (tests/extension/*.test.mjs) from pytest.

`node --test tests/extension/` must exit 0. The npm dev dependencies (jsdom) are installed with
`npm ci` from the committed package-lock.json only when they are missing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_node_unit_tests_pass() -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed for the extension's unit tests")
    if not (ROOT / "node_modules" / "jsdom").is_dir():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True, capture_output=True
        )
    result = subprocess.run(
        [node, "--test", "tests/extension/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    failures = [line for line in result.stdout.splitlines() if line.startswith("not ok")]
    assert result.returncode == 0, "\n".join(failures) or result.stderr[-2000:]
    assert "# pass" in result.stdout
