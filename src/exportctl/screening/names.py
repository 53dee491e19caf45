"""Name normalisation for exact matching: Unicode compatibility forms, case, width and punctuation."""

from __future__ import annotations

import unicodedata

_DROP = {"P", "S"}  # Unicode punctuation and symbol categories


def normalise(name: str) -> str:
    """NFKC (folds full-width forms), casefold, punctuation dropped, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    kept = "".join(" " if unicodedata.category(ch)[0] in _DROP else ch for ch in folded)
    return " ".join(kept.split())
