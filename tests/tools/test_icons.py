"""tools/icons.py: the committed icons are what it draws from icons/max.svg, at the sizes Chrome
asks for, and it refuses SVG it would draw wrong."""

from __future__ import annotations

import struct
import zlib

import pytest

from tools import icons


def test_the_committed_icons_are_drawn_from_the_svg() -> None:
    drawn = icons.icons()
    assert sorted(drawn) == ["icon-128.png", "icon-16.png", "icon-32.png", "icon-48.png"]
    for name, data in drawn.items():
        assert (icons.SOURCE.parent / name).read_bytes() == data, f"run `make icons` ({name})"


@pytest.mark.parametrize("size", icons.SIZES)
def test_each_icon_is_an_rgba_png_of_its_size(size: int) -> None:
    data = (icons.SOURCE.parent / f"icon-{size}.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    length, kind = struct.unpack(">I4s", data[8:16])
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (kind, length, width, height, depth, colour) == (b"IHDR", 13, size, size, 8, 6)


def test_the_drawing_is_the_shapes_and_transparent_around_them() -> None:
    side, shapes = icons.read_svg(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">'
        '<rect x="0" y="0" width="2" height="4" fill="#ff0000"/></svg>'
    )
    rgba = icons.render(side, shapes, 4)
    pixel = lambda x, y: tuple(rgba[(y * 4 + x) * 4 : (y * 4 + x) * 4 + 4])  # noqa: E731
    assert pixel(0, 0) == (255, 0, 0, 255)
    assert pixel(3, 3) == (0, 0, 0, 0)
    png = icons.png(rgba, 4)
    idat = png.index(b"IDAT")
    rows = zlib.decompress(png[idat + 4 : idat + 4 + struct.unpack(">I", png[idat - 4 : idat])[0]])
    assert rows[0] == 0 and rows[1:5] == bytes((255, 0, 0, 255))


@pytest.mark.parametrize(
    "svg",
    [
        '<svg viewBox="0 0 4 4"><path d="M0 0h4v4z" fill="#000000"/></svg>',
        '<svg viewBox="0 0 4 4"><rect x="0" y="0" width="4" height="4" fill="red"/></svg>',
        '<svg viewBox="0 0 4 8"><rect x="0" y="0" width="4" height="4" fill="#000000"/></svg>',
    ],
)
def test_svg_it_cannot_draw_is_refused(svg: str) -> None:
    with pytest.raises(ValueError):
        icons.read_svg(svg)
