"""Text folding for rule tables: patterns are written once, in lower case and without accents.

Pure. `fold` keeps line breaks (opt-out rules anchor on whole lines); callers that also want plain
spaces and one apostrophe normalise on top of it (absence.py).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The Combining Diacritical Marks block (U+0300–U+036F), less its one mark of combining class
# 0 (U+034F, the grapheme joiner): accents French and its neighbours decompose into, removed by
# one regex before the character-by-character test for the rarer others.
_DIACRITICS = re.compile(
    "[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]+"
)


@lru_cache(maxsize=512)  # the same texts are folded once per rule table and per kind
def fold(text: str) -> str:
    """Lower case without accents, so "Validation Juridique" and "validation juridique" match."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if decomposed.isascii():
        return decomposed
    decomposed = _DIACRITICS.sub("", decomposed)
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
