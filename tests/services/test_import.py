"""Import of items, parties, orders and licences from CSV and Excel: all rows or none, errors name row and column."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from exportctl.screening.screener import Screener
from exportctl.services import actors, importing, records
from exportctl.services.actors import Actor
from exportctl.services.errors import PermissionDenied
from exportctl.services.orders import order_by_number
from exportctl.services.tables import InvalidImport
from exportctl.store import db as store
from exportctl.store.models import AuditRecord, Classification, Item, Licence, Order, OrderLine, Party

ADMIN = Actor("admin", "admin")
TABLES = (Item, Classification, Party, Licence, Order, OrderLine, AuditRecord)

ITEMS = [
    ["code", "description", "hs_code", "regime", "reference", "rationale", "valid_from"],
    ["R100", "EUV photoresist", "3707.90", "jp", "7(19)#euv-resist", "EUV resist (3C002)", "2019-01-01"],
    ["HF50", "Hydrogen fluoride 99.999 %", "2811.11", "", "3(1)#hydrogen-fluoride", "HF > 30 wt%", "2019-01-01"],
    ["TRAY", "Plastic wafer tray", "3926.90", "", "hs:3926.90", "Plain plastic article", "2019-01-01"],
    ["SPARE", "Spare part, not yet classified", "", "", "", "", ""],
]
PARTIES = [
    ["code", "name", "country", "roles"],
    ["KR-HANBIT", "Hanbit Semiconductor Materials Co., Ltd.", "kr", "customer; consignee;end-user"],
    ["DE-RHEIN", "Rheinfeld Werkstoffe GmbH", "DE", "customer"],
    ["AE-DELTA", "Delta Engineering Concern FZE", "AE", "end-user"],
]
LICENCES = [
    ["regime", "type", "number", "holder", "destinations", "consignees", "end_users", "entries", "items",
     "quantity_limit", "value_limit_jpy", "valid_from", "valid_to"],
    ["jp", "individual", "IND-1", "Example Materials K.K.", "KR", "KR-HANBIT", "", "", "HF50", 500, 7_000_000,
     dt.date(2019, 8, 1), dt.date(2020, 1, 31)],
    ["jp", "general-bulk", "GB-1", "Example Materials K.K.", "", "", "", "3(1);7(19)", "", None, None,
     dt.date(2019, 1, 1), dt.date(2021, 12, 31)],
]  # fmt: skip
ORDERS = [
    ["number", "ship_date", "destination", "consignee", "end_user", "end_use", "wmd_end_use", "conventional_end_use",
     "informed", "clearly_not", "item", "reference", "kind", "quantity", "value_jpy", "residency"],
    ["SO-1", dt.date(2019, 9, 10), "KR", "KR-HANBIT", "KR-HANBIT", "Etching", "no", "0", "", "", "HF50", "", "",
     400, 5_000_000, ""],
    ["SO-1", dt.date(2019, 9, 10), "KR", "KR-HANBIT", "KR-HANBIT", "Etching", "false", "no", "", "", "TRAY", "", "",
     100, 30_000, ""],
    ["SO-2", dt.date(2019, 9, 10), "DE", "DE-RHEIN", "", "Research", "no", "no", "", "", "", "7(19)", "goods",
     10, 2_000_000, ""],
]  # fmt: skip


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A fresh SQLite database per test (engines are cached per URL), with an admin."""
    address = f"sqlite:///{tmp_path / 'import.db'}"
    with store.session(address) as db:
        records.add_user(db, actors.SYSTEM, "admin", "admin")
        records.add_user(db, ADMIN, "alice", "clerk")
    return address


def write_csv(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(["" if v is None else v for v in row] for row in rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def counts(url: str) -> dict[str, int]:
    with store.session(url) as db:
        return {model.__tablename__: int(db.scalar(select(func.count()).select_from(model)) or 0) for model in TABLES}


def run(url: str, kind: str, path: Path, screener: Screener | None = None, actor: Actor = ADMIN) -> dict[str, int]:
    with store.session(url) as db:
        return importing.import_file(db, actor, kind, path, screener)


def refused(url: str, kind: str, path: Path, *expected: str) -> str:
    """Import a bad file: it is refused with a message holding every expected text, and nothing is written."""
    before = counts(url)
    with pytest.raises(InvalidImport) as caught:
        run(url, kind, path)
    message = str(caught.value)
    for text in expected:
        assert text in message
    assert counts(url) == before
    return message


def master_data(url: str, tmp_path: Path, screener: Screener | None = None) -> None:
    run(url, "items", write_csv(tmp_path / "items.csv", ITEMS))
    run(url, "parties", write_csv(tmp_path / "parties.csv", PARTIES), screener)


def test_good_files_in_csv_and_xlsx(url: str, tmp_path: Path, screener: Screener) -> None:
    assert run(url, "items", write_csv(tmp_path / "items.csv", ITEMS)) == {"items": 4, "classifications": 3}
    parties = run(url, "parties", write_xlsx(tmp_path / "parties.xlsx", PARTIES), screener)
    assert parties == {"parties": 3, "screened": 3, "with_hits": 1}  # the End User List's Delta Engineering
    assert run(url, "licences", write_xlsx(tmp_path / "licences.xlsx", LICENCES)) == {"licences": 2}
    result = run(url, "orders", write_xlsx(tmp_path / "orders.xlsx", ORDERS), screener)
    assert result == {"orders": 2, "lines": 3, "released": 2, "blocked": 0}
    with store.session(url) as db:
        korea = order_by_number(db, "SO-1")
        assert [line.item.code for line in korea.lines if line.item] == ["HF50", "TRAY"]
        assert korea.wmd_end_use is False and korea.conventional_end_use is False
        assert korea.lines[0].licence is not None and korea.lines[0].licence.number == "IND-1"  # KR: individual only
        assert order_by_number(db, "SO-2").lines[0].licence.number == "GB-1"  # type: ignore[union-attr]
        party = records.party_by_code(db, "KR-HANBIT")
        assert party.country == "KR" and party.roles == ["customer", "consignee", "end-user"]
        licence = db.scalars(select(Licence).where(Licence.number == "GB-1")).one()
        assert licence.entries == ["3(1)", "7(19)"] and licence.value_limit_jpy is None
        actions = db.scalars(select(AuditRecord.action)).all()
    assert actions.count("item.add") == 4 and actions.count("item.classify") == 3  # each row through the services
    assert actions.count("order.determine") == 2 and actions.count("licence.add") == 2


def test_a_bad_row_at_the_end_writes_nothing(url: str, tmp_path: Path) -> None:
    rows = [*ITEMS, ["BAD", "Bad date", "", "jp", "hs:3926.90", "x", "2019-02-30"]]
    refused(url, "items", write_csv(tmp_path / "items.csv", rows), "items.csv: row 6, column valid_from", "2019-02-30")
    assert counts(url)["items"] == 0


def test_every_bad_row_is_named(url: str, tmp_path: Path) -> None:
    rows = [
        PARTIES[0],
        ["P1", "Good Party", "JP", "customer"],
        ["P2", "", "JP", "customer"],
        ["P3", "Bad Country", "XX", "customer"],
        ["P4", "Bad Role", "US", "customer;buyer"],
    ]
    message = refused(url, "parties", write_xlsx(tmp_path / "parties.xlsx", rows))
    assert message.splitlines() == [
        "parties.xlsx: row 3, column name: required, but empty",
        "parties.xlsx: row 4, column country: 'XX' is not an ISO 3166-1 alpha-2 country code",
        "parties.xlsx: row 5, column roles: 'buyer' is not one of customer, consignee, end-user",
        "parties.xlsx: nothing was imported",
    ]


def test_duplicate_codes_in_the_file_and_in_the_database(url: str, tmp_path: Path) -> None:
    refused(url, "items", write_csv(tmp_path / "twice.csv", [*ITEMS, ITEMS[2]]), "row 6, column code", "row 3")
    run(url, "items", write_csv(tmp_path / "items.csv", ITEMS))
    again = [ITEMS[0], ["NEW", "New item", "", "", "", "", ""], ITEMS[1]]
    refused(url, "items", write_csv(tmp_path / "again.csv", again), "row 3, column code: item 'R100' already exists")


def test_unknown_party_and_item_in_orders(url: str, tmp_path: Path) -> None:
    master_data(url, tmp_path)
    unknown_party = [ORDERS[0], ORDERS[1], [*ORDERS[3][:3], "NOBODY", *ORDERS[3][4:]]]
    refused(url, "orders", write_xlsx(tmp_path / "o.xlsx", unknown_party), "row 3, column consignee: party 'NOBODY'")
    unknown_item = [ORDERS[0], [*ORDERS[1][:10], "NOPE", *ORDERS[1][11:]]]
    refused(url, "orders", write_csv(tmp_path / "o.csv", unknown_item), "row 2, column item: item 'NOPE' does not")
    unclassified = [ORDERS[0], [*ORDERS[1][:10], "SPARE", *ORDERS[1][11:]]]
    refused(url, "orders", write_csv(tmp_path / "o.csv", unclassified), "row 2, column item", "no jp classification")


def test_order_rows_must_agree_on_the_header(url: str, tmp_path: Path) -> None:
    master_data(url, tmp_path)
    rows = [ORDERS[0], ORDERS[1], [*ORDERS[2][:2], "DE", *ORDERS[2][3:]]]
    refused(url, "orders", write_xlsx(tmp_path / "o.xlsx", rows), "row 3, column destination", "differs from row 2")


def test_an_order_takes_at_most_500_lines(url: str, tmp_path: Path) -> None:
    """The engine determines at most 500 lines at once: the 501st row of an order is refused, named."""
    line = ["SO-BIG", "2019-09-10", "DE", "", "", "", "", "", "", "", "", "hs:3926.90", "", 1, 1_000, ""]
    path = write_csv(tmp_path / "big.csv", [ORDERS[0], *[line] * 501])
    refused(url, "orders", path, "big.csv: row 502: order SO-BIG has more than 500 lines")
    assert run(url, "orders", write_csv(tmp_path / "full.csv", [ORDERS[0], *[line] * 500])) == {
        "orders": 1, "lines": 500, "released": 1, "blocked": 0,
    }  # fmt: skip


def test_yes_no_facts_are_read_from_their_columns(url: str, tmp_path: Path) -> None:
    master_data(url, tmp_path)
    rows = [ORDERS[0], [*ORDERS[3][:8], "yes", "1", *ORDERS[3][10:]]]  # informed, clearly not
    run(url, "orders", write_csv(tmp_path / "o.csv", rows))
    with store.session(url) as db:
        order = order_by_number(db, "SO-2")
        assert (order.informed, order.clearly_not, order.wmd_end_use) == (True, True, False)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("ship_date", "10/09/2019", "column ship_date: '10/09/2019' is not a date (YYYY-MM-DD)"),
        ("ship_date", "2018-12-31", "column ship_date: 2018-12-31 is before the jp pack's coverage"),
        ("wmd_end_use", "maybe", "column wmd_end_use: 'maybe' is not true/false"),
        ("quantity", "-3", "column quantity: '-3' is not a number of zero or more"),
        ("value_jpy", "12.5", "column value_jpy: '12.5' is not a whole number"),
        ("kind", "service", "column kind: 'service' is not one of goods, technology"),
        ("reference", "9(99)", "column reference:"),
    ],
)
def test_bad_order_values(url: str, tmp_path: Path, column: str, value: str, expected: str) -> None:
    master_data(url, tmp_path)
    row = dict(zip(ORDERS[0], ORDERS[3], strict=True)) | {column: value}
    rows = [ORDERS[0], ORDERS[1], [row[c] for c in ORDERS[0]]]
    refused(url, "orders", write_csv(tmp_path / "orders.csv", rows), f"orders.csv: row 3, {expected}")


def test_bad_licences(url: str, tmp_path: Path) -> None:
    master_data(url, tmp_path)
    bad_type = [LICENCES[0], LICENCES[1], ["jp", "blanket", *LICENCES[2][2:]]]
    refused(url, "licences", write_xlsx(tmp_path / "l.xlsx", bad_type), "row 3, column type: 'blanket' is not")
    bad_entry = [LICENCES[0], [*LICENCES[2][:7], "3(1);99(1)", *LICENCES[2][8:]]]
    refused(url, "licences", write_xlsx(tmp_path / "l.xlsx", bad_entry), "row 2, column entries: '99(1)'")
    backwards = [LICENCES[0], [*LICENCES[1][:11], dt.date(2020, 2, 1), dt.date(2020, 1, 31)]]
    refused(url, "licences", write_csv(tmp_path / "l.csv", backwards), "row 2, column valid_to")


def test_bad_headers_and_files(url: str, tmp_path: Path) -> None:
    refused(url, "items", write_csv(tmp_path / "a.csv", [["code", "colour"], ["X", "red"]]), "row 1, column colour")
    refused(url, "items", write_csv(tmp_path / "b.csv", [["code"], ["X"]]), "row 1, column description: missing")
    refused(url, "items", write_csv(tmp_path / "c.csv", [ITEMS[0]]), "no rows below the header")
    (tmp_path / "d.xlsx").write_text("not a workbook")
    refused(url, "items", tmp_path / "d.xlsx", "d.xlsx: not an Excel .xlsx workbook")
    refused(url, "items", write_csv(tmp_path / "e.txt", ITEMS), "e.txt: not a .csv or .xlsx file")


def test_a_clerk_cannot_import_licences(url: str, tmp_path: Path) -> None:
    master_data(url, tmp_path)
    before = counts(url)
    with pytest.raises(PermissionDenied):
        run(url, "licences", write_xlsx(tmp_path / "l.xlsx", LICENCES), actor=Actor("alice", "clerk"))
    assert counts(url) == before


def test_orders_under_several_regimes(url: str, tmp_path: Path) -> None:
    # 7(19) to Germany (FEFTA: a licence) and, read as 3C002 under the EAR, US-made (100 %): NS2 is not marked for
    # Germany on the Country Chart — so the EAR requires none.
    header = [*ORDERS[0], "origin", "also_under", "us_content_pct"]
    row = [ORDERS[3][0], dt.date(2026, 8, 3), "DE", "", *ORDERS[3][4:11], "3C002", *ORDERS[3][12:], "JP", "us", 100]
    assert run(url, "orders", write_csv(tmp_path / "o.csv", [header, row]))["orders"] == 1
    with store.session(url) as db:
        order = db.scalars(select(Order)).one()
        assert order.also_under == ["us"] and order.other_determinations["us"]["outcome"] == "no_licence_required"
    bad = [*row[:-2], "us;xx", 100]
    bad[0] = "SO-9"
    refused(url, "orders", write_csv(tmp_path / "bad.csv", [header, bad]), "row 2, column also_under: 'xx'")
    early = [bad[0], dt.date(2019, 9, 10), *row[2:]]
    refused(url, "orders", write_csv(tmp_path / "early.csv", [header, early]), "row 2, column ship_date", "us pack")
