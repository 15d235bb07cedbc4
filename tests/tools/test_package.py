"""tools/package.py: the Chrome Web Store zip holds exactly manifest.json, _locales/, extension/ and
the icons' PNGs — no tests, no backend — and the manifest inside names only files it holds (the
e2e test loads the unzipped package in Chromium)."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from tools import package

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = package.build(out_dir=tmp_path_factory.mktemp("dist"))
    assert out.name == "max-extension-0.1.0.zip"
    return zipfile.ZipFile(out)


def tracked(*folders: str) -> set[str]:
    """The files git tracks under folders: what a release is made of."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--", *folders],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return set(out.stdout.split())


def test_the_zip_holds_exactly_what_chrome_loads(built: zipfile.ZipFile) -> None:
    names = set(built.namelist())
    icons = {f"icons/icon-{n}.png" for n in (16, 32, 48, 128)}
    expected = {"manifest.json"} | tracked("_locales", "extension") | icons
    assert names == expected
    assert not [n for n in names if n.startswith(("tests/", "backend/", "maxcore/", "tools/"))]
    assert "icons/max.svg" not in names


def test_every_file_the_manifest_inside_names_is_inside(built: zipfile.ZipFile) -> None:
    manifest = json.loads(built.read("manifest.json"))
    names = set(built.namelist())
    named = [
        manifest["background"]["service_worker"],
        manifest["options_ui"]["page"],
        *manifest["icons"].values(),
        *manifest["action"]["default_icon"].values(),
        *(f for c in manifest["content_scripts"] for f in c.get("js", []) + c.get("css", [])),
        f"_locales/{manifest['default_locale']}/messages.json",
    ]
    assert [f for f in named if f not in names] == []
    messages = json.loads(built.read("_locales/en/messages.json"))
    for key in ("extName", "extDescription"):
        assert f"__MSG_{key}__" in json.dumps(manifest) and key in messages


def test_the_same_tree_gives_the_same_bytes(tmp_path: Path, built: zipfile.ZipFile) -> None:
    again = package.build(out_dir=tmp_path)
    assert again.read_bytes() == Path(str(built.filename)).read_bytes()
