"""QR codes of a message link: scanned by the phone, they open the message ready to send.

Drawing is `segno`'s (ISO/IEC 18004); error correction M, which segno raises by itself when the
link fits anyway. Pure: the SVG is built in memory.
"""

from __future__ import annotations

import io

import segno


def qr_svg(link: str) -> str:
    """A standalone SVG document (with its namespace, no XML declaration) encoding `link`."""
    buffer = io.BytesIO()
    segno.make(link, error="m", micro=False).save(
        buffer, kind="svg", scale=4, xmldecl=False, title="MAX", dark="#000"
    )
    return buffer.getvalue().decode("utf-8")


def qr_terminal(link: str) -> str:
    """The same code drawn with block characters, for the CLI (two rows per character line)."""
    out = io.StringIO()
    segno.make(link, error="m", micro=False).terminal(out=out, compact=True)
    return out.getvalue()
