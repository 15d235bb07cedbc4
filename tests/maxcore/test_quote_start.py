"""quote_start: the line where quotequail.unwrap cuts a reply, found the cheap way, is quotequail's
own answer on every real text; and `ends_attribution` is the regex it stands for."""

from __future__ import annotations

import pytest
import quotequail

from maxcore.adapters.mail import parse_message
from maxcore.core.attribution import ATTRIBUTION_END, ends_attribution
from maxcore.core.errors import MaxcoreError
from maxcore.core.quote_start import text_top, unwrap_start
from tests.maxcore._corpus import raw_messages, reply_texts


def _texts() -> list[str]:
    texts = list(reply_texts())
    for raw in raw_messages()[::3]:  # a third: the suite stays quick
        try:
            text = parse_message(raw).text
        except MaxcoreError:
            continue
        if text:
            texts.append(text)
    return texts


def _quotequail_top(text: str) -> str | None:
    unwrapped = quotequail.unwrap(text)
    return None if unwrapped is None else str(unwrapped.get("text_top", ""))


def test_text_top_is_quotequails_on_every_real_text() -> None:
    texts = _texts()
    assert len(texts) > 1000
    found = 0
    for text in texts:
        expected = _quotequail_top(text)
        assert text_top(text) == expected, text[:200]
        found += expected is not None
    assert found > 500  # most real texts do quote something: the cut is really tested


@pytest.mark.parametrize(
    ("lines", "start"),
    [
        (["Merci.", "", "Le 3 févr. 2026, Jean <j@x.fr> a écrit :", "> Bonjour"], 2),
        (["Ok", "On Mon, Feb 3, 2026 at 10:12 AM, Jean", "<j@x.fr> wrote:", "> hi"], 1),
        (["Thanks, noted.", "", "> one", "", "> two", "> three"], 2),  # 3 quoted lines
        (["Thanks, noted.", "> one", "> two"], None),  # only 2: no quote for quotequail
        (["Yes.", "From: a", "Sent: b", "", "hello"], 1),  # 2 quoted headers
        (["Yes.", "From: a", "", "hello"], None),
        (["Just new text, no quote at all."], None),
    ],
)
def test_unwrap_start_on_each_kind_of_cut(lines: list[str], start: int | None) -> None:
    assert unwrap_start(lines) == start
    expected = _quotequail_top("\n".join(lines))
    assert (expected is None) == (start is None)


def test_ends_attribution_is_the_attribution_end_regex_on_every_real_line() -> None:
    lines = {line for text in _texts() for line in text.split("\n")}
    lines |= {"Jean a écrit :  ", "Jean a écrit\u00a0:", "X wrote::", "wrote", "X WROTE :\n"}
    hits = 0
    for line in lines:
        expected = ATTRIBUTION_END.search(line) is not None
        assert ends_attribution(line) == expected, line
        hits += expected
    assert hits > 100
