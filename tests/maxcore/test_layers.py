"""Dependencies point inward, folder by folder: app → adapters → compose → core.

A mechanical check of STYLE.md's layout (what import-linter's `layers` and `forbidden` contracts
would say), on the source text. Each module of maxcore lives in one of four folders, and a folder
may import only the folders below it:

- `core/` decides and never does I/O: it imports nothing of maxcore but itself;
- `compose/` writes the message: core only, and no I/O either;
- `adapters/` read and write formats and servers, never decide: core and compose (the LLM
  adapter implements compose's `MessageWriter`);
- `app/` is the library's face (service, contract, CLI, scan): anything in maxcore.

Nothing in maxcore imports the backend or a web framework: the library stands alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "maxcore"
LAYERS = ("core", "compose", "adapters", "app")  # lowest first
MAY_IMPORT = {
    "core": {"core"},
    "compose": {"core", "compose"},
    "adapters": {"core", "compose", "adapters"},
    "app": set(LAYERS),
}
IO_LIBRARIES = (
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
    "tempfile",
    "shutil",
)
NEVER_IN_MAXCORE = ("backend", "flask", "waitress", "werkzeug")
PURE_LAYERS = ("core", "compose")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _layer(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


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
            if base == "maxcore" or base.endswith(".maxcore"):
                names.update(f"maxcore.{alias.name}" for alias in node.names)
            else:
                names.add(base)
    return names


def _is(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_every_module_lives_in_a_layer() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert loose == [], "put each module in core/, compose/, adapters/ or app/"
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} <= {
        *LAYERS,
        "schema",
    }


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_imports_only_the_layers_below_it(layer: str) -> None:
    offenders = {}
    for path in _modules():
        if _layer(path) != layer:
            continue
        wrong = sorted(
            name
            for name in _imports(path)
            if name.startswith("maxcore.")
            and name.split(".")[1] in LAYERS
            and name.split(".")[1] not in MAY_IMPORT[layer]
        )
        if wrong:
            offenders[str(path.relative_to(PACKAGE))] = wrong
    assert offenders == {}


def test_core_and_compose_do_no_io() -> None:
    offenders = {}
    for path in _modules():
        if _layer(path) not in PURE_LAYERS:
            continue
        wrong = sorted(n for n in _imports(path) if _is(n, IO_LIBRARIES))
        tree = ast.parse(path.read_text())
        if any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "open"
            for n in ast.walk(tree)
        ):
            wrong.append("open()")
        if wrong:
            offenders[str(path.relative_to(PACKAGE))] = wrong
    assert offenders == {}


def test_nothing_in_maxcore_knows_the_backend() -> None:
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(n for n in _imports(p) if _is(n, NEVER_IN_MAXCORE))
        for p in _modules()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_sees_every_layer() -> None:
    seen = {_layer(p) for p in _modules()}
    assert set(LAYERS) <= seen
