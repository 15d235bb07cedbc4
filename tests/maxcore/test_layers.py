"""Dependencies point inward: the core decides and never does I/O; adapters read and never decide.

A mechanical check of STYLE.md's layout (what import-linter's `forbidden` contract would say), on
the source text, so a core module that starts reading files or calling a server fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "maxcore"
# The edge: these may do I/O. Everything else in maxcore is the core.
EDGE = {"adapters", "cli.py", "cli_view.py", "scan.py", "__main__.py"}
FORBIDDEN_IN_CORE = (
    "maxcore.adapters",
    "backend",
    "flask",
    "sqlite3",
    "sqlalchemy",
    "socket",
    "http",
    "urllib.request",
    "requests",
    "httpx",
    "openai",
    "googleapiclient",
    "google",
    "subprocess",
    "mailbox",
    "gzip",
)


def _core_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] not in EDGE]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against maxcore's package path
                parts = ("maxcore", *path.relative_to(PACKAGE).parts[:-1])
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
    return names


def test_core_modules_import_no_adapter_and_no_io_library() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name
            for name in _imports(path)
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_CORE)
        )
        for path in _core_modules()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_core_modules_never_open_files() -> None:
    for path in _core_modules():
        tree = ast.parse(path.read_text())
        calls = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "open"
        ]
        assert not calls, f"{path.name} opens a file: I/O belongs in an adapter"


def test_the_check_sees_the_core() -> None:
    names = {p.name for p in _core_modules()}
    assert {"model.py", "service.py", "settings.py"} <= names
