"""The pack against the official text of the Export Trade Control Order (e-Gov XML, 2026-02-14)."""

from __future__ import annotations

import pytest

from exportctl.lawtext.egov import LawTextError, OrderText, kanji_number, parse_order
from exportctl.regime import Regime
from tests.conftest import ORDER_XML, day

CONSOLIDATED = day("2026-02-14")


@pytest.fixture(scope="module")
def order() -> OrderText:
    return parse_order(ORDER_XML.read_bytes())


def test_kanji_numbers() -> None:
    assert kanji_number("一六") == 16
    assert kanji_number("一〇") == 10
    assert kanji_number("十四") == 14
    assert kanji_number("十") == 10
    assert kanji_number("二十一") == 21


def test_rows_of_the_pack_are_the_rows_of_the_law(jp: Regime, order: OrderText) -> None:
    assert set(jp.pack.rows) == set(order.rows)


def test_destination_columns(jp: Regime, order: OrderText) -> None:
    for row_id, law_row in order.rows.items():
        expected = "outside-table-3" if "別表第三に掲げる地域を除く" in law_row.destinations else "all"
        assert jp.pack.rows[row_id].destinations == expected, row_id


def test_country_tables_match_the_law_today(jp: Regime, order: OrderText) -> None:
    snapshot = jp.at(CONSOLIDATED)
    for table_id, members in order.country_tables.items():
        assert set(snapshot.tables[table_id]) == members, table_id


def test_entries_in_force_today_are_sub_items_of_the_law(jp: Regime, order: OrderText) -> None:
    """Every entry is a sub-item of its row in the Order, except in rows the Order does not subdivide."""
    snapshot = jp.at(CONSOLIDATED)
    for entry_id, active in snapshot.entries.items():
        row = order.rows[active.record.row]
        if row.sub_items:
            assert entry_id in row.sub_items, f"{entry_id} is not a sub-item of row {row.id} in the Order"


def test_japanese_titles_of_the_2019_items(jp: Regime, order: OrderText) -> None:
    assert order.rows["5"].sub_items["5(17)"] == jp.pack.entries["5(17)"].title.ja
    assert order.rows["7"].sub_items["7(19)"] == jp.pack.entries["7(19)"].title.ja
    assert order.rows["3"].sub_items["3(1)"].startswith(jp.pack.entries["3(1)"].title.ja)


def test_malformed_xml() -> None:
    with pytest.raises(LawTextError, match="not well-formed"):
        parse_order(b"<Law><unclosed></Law>")
    with pytest.raises(LawTextError, match="別表第一"):
        parse_order(b"<Law></Law>")
