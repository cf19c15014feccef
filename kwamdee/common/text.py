"""Words of Thai (and English) text, for search: Thai is written without spaces between words.

Uses pythainlp's dictionary-based `newmm` tokenizer ("ช่วยคนแก่" → ช่วย / คนแก่). Importing
pythainlp is quick (~0.05 s) but its first tokenization loads a dictionary (~0.5 s), so it is
imported only when text is first split, never at start-up. Nothing is downloaded: `newmm` and its
dictionary ship inside the package, and read-only mode stops it creating ~/pythainlp-data."""

import os
import re
from functools import lru_cache

_SPACES = re.compile(r"\s+")


def text_normalize(text: str) -> str:
    """Lowercase, trimmed, with runs of spaces made one: how search words are compared."""
    return _SPACES.sub(" ", text).strip().lower()


@lru_cache(maxsize=4096)
def text_words(text: str) -> tuple[str, ...]:
    """The words of `text`, normalized (`text_normalize`), spaces and punctuation dropped."""
    normalized = text_normalize(text)
    if not normalized:
        return ()
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    from pythainlp.tokenize import word_tokenize  # lazy: see the module's note

    tokens = word_tokenize(normalized, engine="newmm", keep_whitespace=False)
    return tuple(t for t in (token.strip() for token in tokens) if t and any(c.isalnum() for c in t))
