"""Text folding for rule tables: patterns are written once, in lower case and without accents.

Pure. `fold` keeps line breaks (opt-out rules anchor on whole lines); callers that also want plain
spaces and one apostrophe normalise on top of it (absence.py).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=512)  # the same texts are folded once per rule table and per kind
def fold(text: str) -> str:
    """Lower case without accents, so "Validation Juridique" and "validation juridique" match."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
