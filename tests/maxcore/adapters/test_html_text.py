"""html_to_text: what a reader sees of an HTML body."""

from __future__ import annotations

import pytest

from maxcore.adapters.html_text import html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Bonjour</p><p>Merci</p>", "Bonjour\n\nMerci"),
        ("Ligne 1<br>Ligne 2<br/>Ligne 3", "Ligne 1\nLigne 2\nLigne 3"),
        ("<style>.a{color:red}</style><script>alert(1)</script>Visible", "Visible"),
        ("<head><title>T</title></head><body><div>Corps</div></body>", "Corps"),
        ("<div>caf&eacute;&nbsp;cr&egrave;me &amp; co</div>", "café crème & co"),
        ("<div>  many\n   spaces   here </div>", "many spaces here"),
        ("<ul><li>un</li><li>deux</li></ul>", "un\n\ndeux"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ("", ""),
    ],
)
def test_html_becomes_visible_text_with_block_line_breaks(html: str, text: str) -> None:
    assert html_to_text(html) == text
