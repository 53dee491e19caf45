"""Restricted-party screening (core: pure). List file readers live in `screening.sources`.

`compare(name1, name2, kind="company"|"person")` → `.score` in [0, 1], `.match` at the default threshold,
`.explanation` (aligned tokens, unmatched tokens, legal forms, adjustments).
"""

from exportctl.screening.score import DEFAULT_THRESHOLD, compare

__all__ = ["DEFAULT_THRESHOLD", "compare"]
