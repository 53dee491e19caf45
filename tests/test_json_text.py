"""`json_text.canonical_json` writes exactly what the standard library writes with sorted keys, no spaces and UTF-8
as is (determinations' keys hash that text): checked on arbitrary JSON data and on the numbers and strings where
orjson's own output differs."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.json_text import canonical_json


def standard(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


FINITE = st.floats(allow_nan=False, allow_infinity=False)
SCALARS = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | FINITE | st.text()
JSON_DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=400)
@given(JSON_DATA)
def test_arbitrary_json_data_is_written_as_the_standard_library_writes_it(value: Any) -> None:
    assert canonical_json(value) == standard(value)


@given(FINITE)
def test_every_float_is_written_as_python_writes_it(number: float) -> None:
    assert canonical_json({"x": number}) == '{"x":' + repr(number) + "}"


TINY = st.floats(min_value=5e-324, max_value=1e-4, exclude_max=True)  # where orjson writes its own way


@given(st.lists(TINY | TINY.map(lambda number: -number) | FINITE, min_size=1, max_size=4), st.text(max_size=20))
def test_floats_under_a_ten_thousandth_among_others_are_written_as_python_writes_them(
    numbers: list[float], text: str
) -> None:
    assert canonical_json({"numbers": numbers, "text": text}) == standard({"numbers": numbers, "text": text})


class Outcome(StrEnum):
    PROHIBITED = "prohibited"


@pytest.mark.parametrize(
    "value",
    [
        [1e-05, 1.5e-07, 0.0001, 0.00012, 1e16, 1e22, 5e-324, 1.7976931348623157e308, -0.0, 10.00001],
        {"name": "Model 1e5 and 0.00001 mm", "z": 1, "é": 2, "\uffff": 3, "\U0001f600": 4},  # the fallback's pattern
        1e-05,
        [0.00001, -1e-07, 2.5e16],
        {"s": "ratio:1e5,[0.00001", "version": "jp-d6e4450af3c6"},
        {"re-export": "e-mail 3e-5", "x": [7e-05, 1e-300]},
        "e-",
        "1e-5",
        {"text": '\x00\x1f\x7f\x85\u2028 "quoted" back\\slash'},
        {3: "integer keys", 1: "sorted as integers"},
        {"lone": "\ud800"},
        {"big": 2**64, "small": -(2**63) - 1},
        {"outcome": Outcome.PROHIBITED, "tuple": (1, "two"), "nested": [{"b": 1, "a": [None, True]}]},
    ],
)
def test_where_orjson_differs_the_standard_librarys_text_is_written(value: Any) -> None:
    assert canonical_json(value) == standard(value)


@dataclass
class Point:
    x: int


@pytest.mark.parametrize("value", [{"at": dt.date(2019, 7, 4)}, {"p": Point(1)}, {"s": {1, 2}}])
def test_what_the_standard_library_refuses_is_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        standard(value)
    with pytest.raises(TypeError):
        canonical_json(value)
