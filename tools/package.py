"""Builds the zip a Chrome Web Store upload takes: dist/max-extension-<version>.zip.

Rule: it holds what Chrome loads and nothing else — manifest.json, _locales/, extension/ and the
icons' PNGs — never the tests, the backend, the icon's SVG source or a dotfile. Entries are sorted
and dated 1980-01-01, so the same tree always gives the same bytes. `make package` runs it.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("_locales", "extension")  # every file below them, dotfiles aside
ICONS = "icons/*.png"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def package_files(root: Path = ROOT) -> list[str]:
    """The package's entries, as paths relative to the repository root, sorted."""
    names = {"manifest.json"}
    for folder in FOLDERS:
        for path in (root / folder).rglob("*"):
            rel = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                names.add(rel.as_posix())
    names.update(p.relative_to(root).as_posix() for p in root.glob(ICONS))
    return sorted(names)


def build(root: Path = ROOT, out_dir: Path | None = None) -> Path:
    version = json.loads((root / "manifest.json").read_text("utf-8"))["version"]
    out = (out_dir or root / "dist") / f"max-extension-{version}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in package_files(root):
            entry = zipfile.ZipInfo(name, FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, (root / name).read_bytes())
    return out


def main() -> int:
    out = build()
    with zipfile.ZipFile(out) as archive:
        count = len(archive.namelist())
    print(f"wrote {out.relative_to(ROOT)} ({count} files, {out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
