"""Names, codes and free text refuse Unicode's control characters (category Cc), and only those: the regular
expressions that find them are checked against the Unicode database itself, over every code point."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from exportctl.core_types import CONTROL_CHARACTERS, CONTROL_CHARACTERS_BUT_LINES, Code, FreeText, Name

EVERY_CHARACTER = [chr(point) for point in range(sys.maxunicode + 1)]
NAME = TypeAdapter(Name)
CODE = TypeAdapter(Code)
TEXT = TypeAdapter(FreeText)


def test_the_control_characters_are_unicodes_category_cc_exactly() -> None:
    found = {ch for ch in EVERY_CHARACTER if CONTROL_CHARACTERS.fullmatch(ch)}
    assert found == {ch for ch in EVERY_CHARACTER if unicodedata.category(ch) == "Cc"}
    assert len(found) == 65  # C0 (32), DEL, C1 (32)


def test_free_text_allows_tab_and_line_breaks_and_no_other_control_character() -> None:
    found = {ch for ch in EVERY_CHARACTER if CONTROL_CHARACTERS_BUT_LINES.fullmatch(ch)}
    assert found == {ch for ch in EVERY_CHARACTER if unicodedata.category(ch) == "Cc"} - {"\t", "\n", "\r"}


@pytest.mark.parametrize("hidden", ["\x00", "\x1b[2J", "\x7f", "\x85", "\x9b", "\n", "\r"])
def test_a_name_or_code_with_a_control_character_is_refused(hidden: str) -> None:
    for adapter in (NAME, CODE):
        with pytest.raises(ValidationError, match="control characters"):
            adapter.validate_python(f"Acme{hidden}Trading")


def test_what_is_not_a_control_character_is_kept() -> None:
    # Format characters (Cf), line and paragraph separators (Zl, Zp) and non-Latin scripts are not category Cc.
    for value in ("Acme\u200bTrading", "Acme\u2028Trading", "北朝鮮貿易 株式会社", "Ümlaut\u00a0GmbH"):
        assert NAME.validate_python(value) == value
    assert TEXT.validate_python("line one\r\nline two\tend") == "line one\r\nline two\tend"
    with pytest.raises(ValidationError, match="control characters"):
        TEXT.validate_python("line one\x0bline two")


@given(st.text(min_size=1, max_size=40))
def test_a_name_is_refused_exactly_when_blank_or_holding_a_control_character(value: str) -> None:
    refused = not value.strip() or any(unicodedata.category(ch) == "Cc" for ch in value)
    try:
        NAME.validate_python(value)
    except ValidationError:
        assert refused
    else:
        assert not refused
