"""Text folding shared by import, matching and search: case- and accent-insensitive keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-fold, strip accents, collapse white space: 'Peñas ' and 'penas' fold alike."""
    if text.isascii():  # nothing to decompose or strip: the same key, without the loop
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()
