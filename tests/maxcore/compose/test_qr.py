"""QR codes: an SVG document and a terminal drawing that decode to the link (segno)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import segno

from maxcore.compose.qr import qr_svg, qr_terminal

LINK = "https://wa.me/33612345678?text=Bonjour%20Marc%2C%20on%20simplifie%20%3F"


def test_svg_is_a_standalone_document_of_the_right_size() -> None:
    svg = qr_svg(LINK)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    modules = segno.make(LINK, error="m", micro=False).symbol_size(scale=4)
    assert (int(root.attrib["width"]), int(root.attrib["height"])) == modules
    assert qr_svg(LINK + "x") != svg


def test_terminal_drawing_has_one_line_per_two_rows() -> None:
    qr = segno.make(LINK, error="m", micro=False)
    drawing = qr_terminal(LINK).rstrip("\n").split("\n")
    width, height = qr.symbol_size(scale=1)
    assert len(drawing) == -(-height // 2)
    assert all(len(line) == width for line in drawing)
