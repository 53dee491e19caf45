"""Batch rows (issue 14): an input row read into the transaction it describes, cell by cell, with errors naming the
file, row and column; an empty cell or an absent column is an unknown fact, never "no"; and one output row per line
and regime, whose `licence_required` is empty (unknown) for an indeterminate line."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.screening.screener import Screener
from exportctl.services.batch.output import Assembly, parquet_bytes, write_part
from exportctl.services.batch.rows import (
    DETERMINE_OPTIONAL,
    DETERMINE_REQUIRED,
    check_columns,
    determine_rows,
    screen_rows,
    transaction_of,
)
from exportctl.services.batch.sources import BatchInput
from exportctl.services.batch.work import Job, WorkerMismatch, run_partition, versions_here
from exportctl.services.tables import InvalidImport, Row


def row(number: int = 2, **values: str) -> Row:
    cells = {"order_id": "SO-1", "line": "1", "date": "2019-09-01", "to": "KR", "item": "1C350"} | values
    return Row("orders.csv", number, cells)


def test_every_column_reaches_the_transaction() -> None:
    given = row(
        value_jpy="1,000,000",
        quantity="12.5",
        technology="no",
        end_user="Acme Trading",
        end_user_country="kr",
        end_use="etching",
        wmd_end_use="false",
        conventional_end_use="yes",
        informed="0",
        clearly_not="1",
        value_eur="7000",
        value_usd="8000",
        us_content_pct="30",
        repression_end_use="false",
        consignee="Acme Korea",
        **{"from": "JP"},
    )
    transaction = transaction_of(given, "jp")
    line = transaction.lines[0]
    assert (transaction.regime, transaction.date.isoformat(), transaction.destination) == ("jp", "2019-09-01", "KR")
    assert (transaction.origin, transaction.end_user, transaction.end_user_country) == ("JP", "Acme Trading", "KR")
    assert (transaction.consignee, transaction.end_use) == ("Acme Korea", "etching")
    assert (transaction.wmd_end_use, transaction.conventional_end_use, transaction.repression_end_use) == (
        False,
        True,
        False,
    )
    assert (transaction.informed, transaction.clearly_not) == (False, True)
    assert (line.kind, line.item, line.quantity, line.value_jpy) == ("goods", "1C350", 12.5, 1_000_000)
    assert (line.value_eur, line.value_usd, line.us_content_pct) == (7000, 8000, 30)


def test_empty_cells_are_unknown_facts_not_no() -> None:
    transaction = transaction_of(row(wmd_end_use="", conventional_end_use=""), "jp")
    assert transaction.wmd_end_use is None and transaction.conventional_end_use is None
    assert transaction.end_user is None and transaction.lines[0].value_jpy is None


def test_technology_row() -> None:
    assert transaction_of(row(technology="true"), "jp").lines[0].kind == "technology"


@pytest.mark.parametrize(
    ("cells", "named"),
    [
        ({"wmd_end_use": "maybe"}, "orders.csv: row 7, column wmd_end_use: 'maybe' is not true/false"),
        ({"date": "01/09/2019"}, "orders.csv: row 7, column date: '01/09/2019' is not a date"),
        ({"value_jpy": "-5"}, "orders.csv: row 7, column value_jpy: '-5' is not a whole number of zero or more"),
        ({"to": "Narnia"}, "orders.csv: row 7, column to:"),
        ({"item": ""}, "orders.csv: row 7, column item: required, but empty"),
        ({"us_content_pct": "130"}, "orders.csv: row 7, column us_content_pct:"),
        ({"to": "UA", "to_region": "FR-75"}, "orders.csv: row 7, column to_region: 'FR-75' is not an ISO 3166-2"),
    ],
)
def test_a_bad_cell_is_named_by_file_row_and_column(cells: dict[str, str], named: str) -> None:
    with pytest.raises(InvalidImport) as refused:
        transaction_of(row(7, **cells), "jp")
    assert str(refused.value).startswith(named) or named in str(refused.value)


def test_unknown_and_missing_columns_are_refused_by_name() -> None:
    with pytest.raises(InvalidImport, match=r"orders\.csv: row 1: unknown column\(s\) wmd_enduse"):
        check_columns("orders.csv", [*DETERMINE_REQUIRED, "wmd_enduse"], DETERMINE_REQUIRED, DETERMINE_OPTIONAL)
    with pytest.raises(InvalidImport, match=r"missing column\(s\) date, item"):
        check_columns("orders.csv", ["order_id", "line", "to"], DETERMINE_REQUIRED, DETERMINE_OPTIONAL)
    check_columns("orders.csv", list(DETERMINE_REQUIRED), DETERMINE_REQUIRED, DETERMINE_OPTIONAL)  # optional absent


def test_one_output_row_per_line_and_regime(screener: Screener) -> None:
    # 1C350 (a chemical-weapon precursor, Export Trade Control Order Appended Table 1 row 3(1)) to Korea: a licence.
    found = determine_rows([row(wmd_end_use="false", conventional_end_use="false")], ["jp", "us"], screener)
    assert [(r["order_id"], r["line"], r["regime"]) for r in found] == [("SO-1", "1", "jp"), ("SO-1", "1", "us")]
    japan, us = found
    assert (japan["outcome"], japan["licence_required"]) == ("licence_required", True)
    assert json.loads(japan["entries"]) == ["3(1)"]
    # The US pack's coverage starts in 2022: that line is unknown under the EAR, not "no licence required".
    assert (us["outcome"], us["licence_required"]) == ("indeterminate", None)
    assert "2022-01-01" in json.loads(us["reasons"])[0]


def test_an_item_a_regime_cannot_identify_is_indeterminate_under_it(screener: Screener) -> None:
    (us,) = determine_rows([row(date="2024-01-10", item="5(17)")], ["us"], screener)
    assert (us["outcome"], us["licence_required"], json.loads(us["missing"])) == ("indeterminate", None, ["item"])
    assert "row 2" in json.loads(us["reasons"])[0]


def test_unknown_end_use_is_indeterminate_never_no(screener: Screener) -> None:
    # An unlisted chemical (HS 2811.11, hydrogen fluoride's heading) to Group B: the catch-all asks the end use.
    (japan,) = determine_rows([row(item="hs:2811.11")], ["jp"], screener)
    assert japan["outcome"] == "indeterminate" and japan["licence_required"] is None
    assert "wmd_end_use" in json.loads(japan["missing"])


def test_screening_rows(screener: Screener) -> None:
    parties = [
        Row("parties.csv", 2, {"id": "P1", "name": "Korea Mining Development Trading Corporation", "country": "KP"}),
        Row("parties.csv", 3, {"id": "P2", "name": "Sakura Precision Optics K.K.", "country": "JP"}),
    ]
    found = screen_rows(parties, screener, None, 0.82, 10)
    assert {r["id"] for r in found} == {"P1"}
    assert {"us-sdn", "un"} <= {r["list"] for r in found}
    with pytest.raises(InvalidImport, match=r"parties\.csv: row 2, column country"):
        screen_rows([Row("parties.csv", 2, {"name": "X", "country": "Atlantis"})], screener, None, 0.82, 10)


def test_csv_output_writes_unknown_as_an_empty_cell(tmp_path: Path, screener: Screener) -> None:
    found = determine_rows([row(item="hs:2811.11"), row(3)], ["jp"], screener)
    write_part(tmp_path, 0, parquet_bytes("determine", found[:1]))
    write_part(tmp_path, 1, parquet_bytes("determine", found[1:]))
    target = tmp_path / "out.csv"
    with Assembly(tmp_path, "determine", target) as assembly:
        assert assembly.finish(2) == 2
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",")[:5] == ["order_id", "line", "regime", "outcome", "licence_required"]
    assert lines[1].split(",")[3:5] == ["indeterminate", ""]
    assert lines[-1].split(",")[3:5] == ["licence_required", "true"]


def test_the_output_is_assembled_in_partition_order_as_parts_finish(tmp_path: Path, screener: Screener) -> None:
    """Parts finish out of order: each is appended once every part before it is in; the output appears only when
    finished, and a run that fails leaves neither an output nor a temporary file."""
    found = determine_rows([row(item="hs:2811.11"), row(3), row(4, to="US")], ["jp"], screener)
    for number in range(3):
        write_part(tmp_path, number, parquet_bytes("determine", found[number : number + 1]))
    target = tmp_path / "out.parquet"
    with Assembly(tmp_path, "determine", target) as assembly:
        assembly.add_ready({1})
        assert assembly.next == 0  # part 1 waits for part 0
        assembly.add_ready({0, 1})
        assert (assembly.next, assembly.rows) == (2, 2)
        assert not target.exists()
        assert assembly.finish(3) == 3
    assert pq.read_table(target).column("line").to_pylist() == ["1", "1", "1"]
    assert pq.read_table(target).column("outcome").to_pylist() == [r["outcome"] for r in found]
    failed = tmp_path / "failed.parquet"
    with pytest.raises(RuntimeError), Assembly(tmp_path, "determine", failed) as assembly:
        assembly.add_ready({0, 1, 2})
        raise RuntimeError("a worker failed")
    assert not failed.exists()
    assert not list(tmp_path.glob("*.tmp"))


def test_input_files_are_read_in_partitions_with_row_numbers(tmp_path: Path) -> None:
    source = tmp_path / "orders.csv"
    source.write_text("order_id,line,date,to,item\n" + "".join(f"O{i},1,2019-09-01,KR,1C350\n\n" for i in range(5)))
    partitions = list(BatchInput.of(str(source)).partitions(2))
    assert [len(p.rows) for p in partitions] == [2, 2, 1]
    assert [r.number for p in partitions for r in p.rows] == [2, 4, 6, 8, 10]  # blank lines keep their numbers
    with pytest.raises(InvalidImport, match=r"not a \.csv or \.parquet file"):
        BatchInput.of(str(tmp_path / "orders.xlsx"))
    with pytest.raises(InvalidImport, match="no such file"):
        BatchInput.of(str(tmp_path / "absent.csv"))
    with pytest.raises(InvalidImport, match=r"give exactly one of \?table=NAME or \?query="):
        BatchInput.of("postgresql://u@localhost/db")
    with pytest.raises(InvalidImport, match="is not a table name"):
        BatchInput.of("postgresql://u@localhost/db?table=orders;DROP TABLE x")


_CELLS = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\u00e9')), max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    records=st.lists(st.one_of(st.lists(_CELLS, min_size=1, max_size=4), st.just([])), max_size=25),
    size=st.integers(min_value=1, max_value=6),
    ending=st.sampled_from(["\n", "\r\n"]),
)
def test_csv_partitions_hold_whole_records_with_their_line_numbers(
    tmp_path_factory: pytest.TempPathFactory, records: list[list[str]], size: int, ending: str
) -> None:
    """A CSV partition travels as lines and is parsed into rows on the worker: cut only between records (a quoted
    cell may hold line breaks and commas), its rows are the rows the csv module reads from the whole file, each
    numbered by its last line, blank ones skipped and not counted."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator=ending)
    writer.writerow(["a", "b", "c", "d"])
    writer.writerows(records)
    source = tmp_path_factory.mktemp("csv") / "rows.csv"
    source.write_text(text.getvalue(), encoding="utf-8", newline="")
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        expected = [
            (reader.line_num, cells)
            for values in reader
            if (cells := [v.strip() for v in values] + [""] * (4 - len(values))) != [""] * 4
        ]
    partitions = list(BatchInput.of(str(source)).partitions(size))
    got = [(r.number, list(r.values.values())) for p in partitions for r in p.rows]
    assert got == expected
    assert [len(p) for p in partitions] == [len(p.rows) for p in partitions]
    assert all(len(p) == size for p in partitions[:-1])


def test_a_csv_row_with_more_values_than_columns_is_refused_naming_it_before_work(tmp_path: Path) -> None:
    source = tmp_path / "orders.csv"
    source.write_text('order_id,line,date,to,item\nA,1,2019-09-01,KR,1C350\n"B\nB",1,2019-09-01,KR,1C350,extra\n')
    with pytest.raises(InvalidImport, match=r"orders\.csv: row 4: more values than the header has columns"):
        list(BatchInput.of(str(source)).partitions(10))
    source.write_text("order_id,line,date,to,item\nA,1,2019-09-01,KR,1C350, ,\n")  # empty extra cells: no value
    (partition,) = BatchInput.of(str(source)).partitions(10)
    assert partition.rows[0].values["item"] == "1C350"


@pytest.mark.parametrize("lists", ["none configured", "no screener"])
def test_an_end_user_is_never_cleared_without_the_lists(lists: str) -> None:
    """Fail closed: with no list loaded, a line naming an end user is undecided, whatever else holds."""
    unlisted = row(item="hs:0901.11", to="US", date="2024-05-01", end_user="Acme Trading", wmd_end_use="false")
    screener = Screener([]) if lists == "none configured" else None
    (japan,) = determine_rows([unlisted], ["jp"], screener)
    assert (japan["outcome"], japan["licence_required"]) == ("indeterminate", None)
    assert "screening" in json.loads(japan["missing"])


def test_a_repeated_column_is_refused_before_any_work(tmp_path: Path) -> None:
    """Two `wmd_end_use` columns: one would hide the other's answer."""
    source = tmp_path / "orders.csv"
    source.write_text("order_id,line,date,to,item,wmd_end_use,wmd_end_use\nA,1,2019-09-01,KR,1C350,true,false\n")
    with pytest.raises(InvalidImport, match=r"orders\.csv: row 1, column wmd_end_use: appears twice"):
        BatchInput.of(str(source)).columns()


def test_a_worker_with_other_lists_or_packs_refuses_the_work(tmp_path: Path) -> None:
    """A worker of a shared cluster with an older list would clear a party listed since: it must not answer."""
    source = tmp_path / "orders.csv"
    source.write_text("order_id,line,date,to,item\nA,1,2019-09-01,KR,1C350\n")
    (partition,) = BatchInput.of(str(source)).partitions(10)
    job = versions_here(Job("determine", regimes=("jp",)))
    assert json.loads(json.dumps(job.describe()))["list_versions"]  # the client's lists travel with the job
    assert pq.read_table(io.BytesIO(run_partition(job, partition))).num_rows == 1
    older = replace(job, list_versions=tuple((list_id, "0" * 64) for list_id, _ in job.list_versions))
    with pytest.raises(WorkerMismatch, match="are not the client's"):
        run_partition(older, partition)
    with pytest.raises(WorkerMismatch):
        run_partition(replace(job, pack_versions=(("jp", "jp-000000000000"),)), partition)
