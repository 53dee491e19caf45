"""Canonical JSON text (sorted keys, no spaces, UTF-8 as is) written by orjson, identical to the standard library's.

A bulk import writes a determination's canonical text per order (about 9 KB): the standard library's encoder took
a sixth of a worker's time, orjson a tenth of that. The text must be the standard library's byte for byte — it was
written so before, it is what a determination's key hashes, and equal contents must keep one key — so orjson's
output is taken only where it cannot differ, and anything else is written by the standard library:
- numbers in exponent form and floats under 10⁻⁴ (the standard library writes `1e-05`, orjson `0.00001`), found in
  the output by pattern (a string that looks alike just takes the slower way);
- what orjson refuses (integers beyond 64 bits, keys that are not strings, lone surrogates) and what it would
  write its own way (dataclasses, dates: both refuse them here). Two types the standard library refuses, orjson
  writes: plain `Enum` members (as their values) and UUIDs; `str` and `int` enums are written alike by both.
Infinite and NaN floats are not JSON: orjson writes them as null, the standard library as `NaN`; the inputs refuse
them (`core_types.Quantity`, `Percent`), so a determination never holds one.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# A number in exponent form or under 10⁻⁴, where a value starts (inside a string this takes the slower way).
_MAY_DIFFER = re.compile(rb"(?:^|[:,\[])-?(?:\d+(?:\.\d+)?[eE]|0\.0000)")
_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def canonical_json(value: Any) -> str:
    """`json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`, faster."""
    try:
        written = orjson.dumps(value, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return _standard(value)
    if _MAY_DIFFER.search(written):
        return _standard(value)
    return written.decode()


def _standard(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
