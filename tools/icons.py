"""Draws the extension's icons (icons/icon-{16,32,48,128}.png) from icons/max.svg.

Rule: no dependency and no network. It reads the small part of SVG the icon uses — `rect` (with
`rx`), `polygon` and `circle`, filled with `#rrggbb` — and refuses anything else rather than draw
it wrong; each pixel is the average of 8x8 samples (anti-aliasing), and the PNG (RFC 2083: IHDR,
one zlib IDAT of unfiltered RGBA rows, IEND) is the same bytes on every run, so a test can check
the committed icons are this file's output. `python -m tools.icons` writes them.
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "icons" / "max.svg"
SIZES = (16, 32, 48, 128)
SAMPLES = 8  # per pixel side
SVG_NS = "{http://www.w3.org/2000/svg}"

Shape = tuple[Callable[[float, float], bool], tuple[int, int, int]]


def _color(value: str) -> tuple[int, int, int]:
    if len(value) != 7 or not value.startswith("#"):
        raise ValueError(f"fill must be #rrggbb, not {value!r}")
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def _rect(a: dict[str, str]) -> Callable[[float, float], bool]:
    x, y, w, h = (float(a[k]) for k in ("x", "y", "width", "height"))
    r = float(a.get("rx", 0))

    def inside(px: float, py: float) -> bool:
        if not (x <= px <= x + w and y <= py <= y + h):
            return False
        # Distance to the nearest corner's centre, only where a corner is rounded off.
        cx = min(max(px, x + r), x + w - r)
        cy = min(max(py, y + r), y + h - r)
        return (px - cx) ** 2 + (py - cy) ** 2 <= r * r

    return inside


def _polygon(a: dict[str, str]) -> Callable[[float, float], bool]:
    points = [tuple(float(n) for n in p.split(",")) for p in a["points"].split()]

    def inside(px: float, py: float) -> bool:  # even-odd rule, SVG's default for polygons here
        hit = False
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
            if (y1 > py) != (y2 > py) and px < x1 + (py - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
        return hit

    return inside


def _circle(a: dict[str, str]) -> Callable[[float, float], bool]:
    cx, cy, r = float(a["cx"]), float(a["cy"]), float(a["r"])
    return lambda px, py: (px - cx) ** 2 + (py - cy) ** 2 <= r * r


SHAPES = {"rect": _rect, "polygon": _polygon, "circle": _circle}


def read_svg(text: str) -> tuple[float, list[Shape]]:
    """The viewBox's side and the shapes, bottom first."""
    root = ElementTree.fromstring(text)
    x0, y0, width, height = (float(n) for n in root.attrib["viewBox"].split())
    if (x0, y0) != (0, 0) or width != height:
        raise ValueError("the icon's viewBox must be a square starting at 0 0")
    shapes: list[Shape] = []
    for node in root:
        tag = node.tag.removeprefix(SVG_NS)
        if tag not in SHAPES:
            raise ValueError(f"tools/icons.py draws rect, polygon and circle only, not {tag}")
        shapes.append((SHAPES[tag](node.attrib), _color(node.attrib["fill"])))
    return width, shapes


def render(side: float, shapes: list[Shape], size: int) -> bytes:
    """RGBA rows, each pixel the average of SAMPLES² samples (colour weighted by coverage)."""
    scale = side / size
    out = bytearray()
    for row in range(size):
        for col in range(size):
            r = g = b = covered = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    px = (col + (sx + 0.5) / SAMPLES) * scale
                    py = (row + (sy + 0.5) / SAMPLES) * scale
                    hit = next((c for inside, c in reversed(shapes) if inside(px, py)), None)
                    if hit:
                        r, g, b, covered = r + hit[0], g + hit[1], b + hit[2], covered + 1
            if covered:
                out += bytes((r // covered, g // covered, b // covered))
                out.append(round(255 * covered / SAMPLES**2))
            else:
                out += b"\0\0\0\0"
    return bytes(out)


def png(rgba: bytes, size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\0" + rgba[y * size * 4 : (y + 1) * size * 4] for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def icons(svg_text: str | None = None) -> dict[str, bytes]:
    """icon-<size>.png → its bytes."""
    side, shapes = read_svg(svg_text if svg_text is not None else SOURCE.read_text("utf-8"))
    return {f"icon-{n}.png": png(render(side, shapes, n), n) for n in SIZES}


def main() -> int:
    for name, data in icons().items():
        (SOURCE.parent / name).write_bytes(data)
        print(f"wrote icons/{name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
