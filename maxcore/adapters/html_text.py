"""Turn an HTML mail body into the plain text a reader sees, with the stdlib `html.parser`.

Converts; never decides. <style>, <script>, <head> and <title> content is dropped (never visible);
block tags and <br> become line breaks so quote markers and signatures stay on their own lines.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

INVISIBLE = frozenset({"style", "script", "head", "title"})
BLOCK = frozenset(
    {"p", "div", "br", "tr", "li", "ul", "ol", "table", "blockquote", "hr", "pre", "section"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "article", "header", "footer", "body"}
)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INVISIBLE:
            self.hidden += 1
        elif tag in BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in INVISIBLE:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(_SPACES.sub(" ", data.replace("\n", " ")))


def html_to_text(html: str) -> str:
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
    except Exception:  # html.parser is lenient; keep whatever text was collected before the fault
        pass
    lines = (line.strip() for line in "".join(collector.parts).replace("\xa0", " ").split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
