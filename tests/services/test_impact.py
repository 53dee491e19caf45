"""`exportctl impact`: the 2019 Korea scenario end to end on the demo data, and what-if overlays.

Expected orders are derived from the demo's definitions (demo.ORDERS, demo.ITEMS, demo.LICENCES) and the
rules — general bulk covers listed rows 2-14 to Group A only; the July 2019 measure already limited three
items to individual licences for KR — never from the tool's own output.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exportctl import demo
from exportctl.cli import app
from exportctl.regime import PackError
from exportctl.regime.files import builtin_pack_dir, read_pack_dir
from exportctl.regime.overlay import deep_merge, overlay_pack_files
from exportctl.regime.sections import MEASURES
from exportctl.services import regimes
from exportctl.services.errors import RecordError
from exportctl.services.impact import impact
from exportctl.store import db

runner = CliRunner()
REFERENCE = {code: reference for code, _description, _hs, reference, _why in demo.ITEMS}
LISTED_GENERAL_BULK_ROWS = {str(n) for n in range(2, 15)}  # general bulk: rows 2-14, Group A only

# KR leaves table 3 (Group A) on 2019-07-01 instead of 2019-08-28: lists replace, mappings merge.
KR_LEAVES_A_EARLY = """\
destinations.yaml:
  tables:
    table-3:
      members:
        "KR":
          - {to: 2019-07-01, source: jp.etco.2004-kr, ended_by: jp.etco.2019-co71}
          - {from: 2023-07-21, source: jp.etco.2023-co232}
"""


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One demo database for the module: impact only reads, so the tests can share it."""
    path = tmp_path_factory.mktemp("impact") / "impact.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXPORTCTL_DATABASE_URL", f"sqlite:///{path}")
        patch.delenv("EXPORTCTL_USER", raising=False)
        result = runner.invoke(app, ["demo", "load"])
        assert result.exit_code == 0, result.stderr or result.stdout
        yield path


def run_impact(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["impact", "--regime", "jp", *args])
    return result.exit_code, result.stdout, result.stderr


def impact_json(*args: str) -> dict[str, Any]:
    code, out, err = run_impact(*args, "--format", "json")
    assert code == 0, err or out
    data: dict[str, Any] = json.loads(out)
    return data


def row_of(reference: str) -> str | None:
    """The control-list row of a classification reference ('5(17)#clause' → '5'); None for hs: (unlisted)."""
    if reference.startswith("hs:"):
        return None
    return reference.split("(", 1)[0]


def kr_measure_targets(day: dt.date) -> set[str]:
    """Item codes the KR three-items measure (individual licences only) catches on `day`, from the pack."""
    measures = [measure for _, measure in regimes.regime("jp").pack.records(MEASURES)]
    caught: set[str] = set()
    for measure in measures:
        if measure.allowed_licences != ["individual"] or "KR" not in measure.destinations:
            continue
        if not any((p.start is None or p.start <= day) and (p.end is None or day < p.end) for p in measure.periods):
            continue
        for code, reference in REFERENCE.items():
            entry, _, clause = reference.partition("#")
            if any(t.entry == entry and t.clause in (None, clause) for t in measure.targets):
                caught.add(code)
    return caught


def general_bulk_losers(day_before: dt.date) -> set[str]:
    """Open KR orders with a line general bulk covered while KR was in Group A (a listed row 2-14 item not
    already limited to individual licences on `day_before`)."""
    limited = kr_measure_targets(day_before)
    return {
        order.number
        for order in demo.ORDERS
        if order.destination == "KR"
        and any(row_of(REFERENCE[code]) in LISTED_GENERAL_BULK_ROWS and code not in limited for code, *_ in order.lines)
    }


def covered_without_general_bulk(order: demo.DemoOrder) -> bool:
    """Every line has a demo licence other than general bulk whose terms cover it on the ship date."""

    def covers(licence: demo.DemoLicence, code: str, quantity: float, value: int) -> bool:
        return (
            licence.type != "general-bulk"
            and (not licence.destinations or order.destination in licence.destinations)
            and (not licence.consignees or order.consignee in licence.consignees)
            and (not licence.items or code in licence.items)
            and licence.valid_from <= order.ship_date <= licence.valid_to
            and (licence.quantity_limit is None or quantity <= licence.quantity_limit)
            and (licence.value_limit_jpy is None or value <= licence.value_limit_jpy)
        )

    return all(
        any(covers(licence, code, quantity, value) for licence in demo.LICENCES)
        for code, quantity, value in order.lines
        if row_of(REFERENCE[code]) is not None
    )


def by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {order["order_id"]: order for order in data["orders"]}


def test_korea_2019_08_28_general_bulk_no_longer_usable(demo_db: Path) -> None:
    data = impact_json("--from", "2019-08-27", "--to", "2019-08-28")
    assert {"changes", "orders", "licences", "forecast"} <= data.keys()
    assert {"order_id", "before", "after", "effect"} <= data["orders"][0].keys()
    changed = {(c["change"], c["key"]) for c in data["changes"]}
    assert ("removed", "table-3/KR") in changed and ("added", "group-b/KR") in changed
    assert all(c["source"]["id"] == "jp.etco.2019-co71" for c in data["changes"])

    orders = by_id(data)
    assert set(orders) == {order.number for order in demo.ORDERS}  # none shipped: all open
    losers = general_bulk_losers(dt.date(2019, 8, 27))
    assert losers == {"SO-2019-0105"}  # the phosphazene seals: the other KR items were already individual-only
    for number, order in orders.items():
        if number in losers:
            assert "general-bulk" in order["no_longer_usable"]
            assert order["effect"] in ("newly blocked", "licence type no longer usable")
        else:
            assert order["no_longer_usable"] == [] and order["effect"] == "unchanged", number
    # No licence other than general bulk covers the seals to Seorae, so the order is newly blocked…
    demo_orders = {order.number: order for order in demo.ORDERS}
    expected_blocked = {n for n in losers if not covered_without_general_bulk(demo_orders[n])}
    assert {n for n, o in orders.items() if o["effect"] == "newly blocked"} == expected_blocked
    # …and needs one individual application per consignee and item, which a 90-day review cannot meet in time.
    expected_applications = {
        (demo_orders[n].consignee, code)
        for n in expected_blocked
        for code, *_ in demo_orders[n].lines
        if row_of(REFERENCE[code]) in LISTED_GENERAL_BULK_ROWS
    }
    forecast = data["forecast"]
    assert {(a["consignee"], a["item"]) for a in forecast["applications"]} == expected_applications
    assert forecast["applications_needed"] == len(expected_applications)
    decision = dt.date(2019, 8, 28) + dt.timedelta(days=90)
    assert forecast["decision_date"] == decision.isoformat()
    slipping = {n for n in expected_blocked if demo_orders[n].ship_date < decision}
    assert {s["order_id"] for s in forecast["slipping"]} == slipping
    # The general bulk licence is no longer usable for those lines.
    general = next(lic for lic in data["licences"] if lic["type"] == "general-bulk")
    assert general["status"] == "licence type no longer usable"
    assert {f"{n}/1" for n in losers} <= set(general["usable_before"]) - set(general["usable_after"])


def test_each_order_shows_its_stored_status_beside_the_compared_dates(demo_db: Path) -> None:
    """The before and after sides are determinations at the two dates; `status_now` is what the order book
    says of the order today (a released order stays released until it is determined again)."""
    stored = dict(sqlite3.connect(demo_db).execute("SELECT number, status FROM orders").fetchall())
    data = impact_json("--from", "2019-08-27", "--to", "2019-08-28")
    assert {o["order_id"]: o["status_now"] for o in data["orders"]} == {n: stored[n] for n in by_id(data)}
    assert {"blocked", "released"} <= set(stored.values())


def test_review_days_changes_what_slips(demo_db: Path) -> None:
    # SO-2019-0105 ships 2019-09-24, 27 days after 2019-08-28: a 20-day review is in time, 30 days is not.
    assert (
        impact_json("--from", "2019-08-27", "--to", "2019-08-28", "--review-days", "20")["forecast"]["slipping"] == []
    )
    slips = impact_json("--from", "2019-08-27", "--to", "2019-08-28", "--review-days", "30")["forecast"]["slipping"]
    assert [(s["order_id"], s["days_late"]) for s in slips] == [("SO-2019-0105", 3)]


def test_overlay_kr_leaves_group_a_early(demo_db: Path, tmp_path: Path) -> None:
    base = impact_json("--from", "2019-06-30", "--to", "2019-07-01")
    assert all(o["effect"] == "unchanged" for o in base["orders"])
    assert "table-3/KR" not in {c["key"] for c in base["changes"]}

    overlay = tmp_path / "kr-early.yaml"
    overlay.write_text(KR_LEAVES_A_EARLY, encoding="utf-8")
    data = impact_json("--from", "2019-06-30", "--to", "2019-07-01", "--overlay", str(overlay))
    assert ("removed", "table-3/KR") in {(c["change"], c["key"]) for c in data["changes"]}
    orders = by_id(data)
    # Before 2019-07-04 no measure limits KR: every KR order with a listed item loses general bulk.
    losers = general_bulk_losers(dt.date(2019, 6, 30))
    assert losers == {order.number for order in demo.ORDERS if order.destination == "KR"}
    assert {n for n, o in orders.items() if "general-bulk" in o["no_longer_usable"]} == losers
    demo_orders = {order.number: order for order in demo.ORDERS}
    blocked = {n for n in losers if not covered_without_general_bulk(demo_orders[n])}
    assert {n for n, o in orders.items() if o["effect"] == "newly blocked"} == blocked
    assert {n for n, o in orders.items() if o["effect"] == "licence type no longer usable"} == losers - blocked
    assert blocked and losers - blocked  # both groups show: the demo's KR licences cover some orders
    assert all(o["effect"] == "unchanged" for n, o in orders.items() if n not in losers)


def test_invalid_overlay_is_refused_naming_the_key(demo_db: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "bad.yaml"
    overlay.write_text("destinations.yaml:\n  tables:\n    table-3:\n      membres: {}\n", encoding="utf-8")
    code, _out, err = run_impact("--from", "2019-06-30", "--to", "2019-07-01", "--overlay", str(overlay))
    assert code == 2
    assert "bad.yaml" in err and "membres" in err

    overlay.write_text("destinatons.yaml:\n  tables: {}\n", encoding="utf-8")
    code, _out, err = run_impact("--from", "2019-06-30", "--to", "2019-07-01", "--overlay", str(overlay))
    assert code == 2 and "destinatons.yaml" in err


def test_report_has_forecast_table_and_chart(demo_db: Path, tmp_path: Path) -> None:
    report = tmp_path / "impact.html"
    code, out, err = run_impact("--from", "2019-08-27", "--to", "2019-08-28", "--report", str(report))
    assert code == 0, err or out
    assert "newly blocked: 1" in out
    html = report.read_text(encoding="utf-8")
    assert "<svg" in html and "SO-2019-0105" in html and "EMK-PZE7" in html and "KR-SEORAE" in html


def test_dates_in_wrong_order_are_refused(demo_db: Path) -> None:
    code, _out, err = run_impact("--from", "2019-08-28", "--to", "2019-08-27")
    assert code == 2 and "--to" in err


def test_deep_merge_merges_mappings_and_replaces_lists() -> None:
    assert deep_merge({"a": {"b": 1, "c": [1, 2]}, "d": 1}, {"a": {"c": [3]}, "e": 2}) == {
        "a": {"b": 1, "c": [3]},
        "d": 1,
        "e": 2,
    }


def test_overlay_errors_name_overlay_file_and_key_path() -> None:
    files = read_pack_dir(builtin_pack_dir("jp"))
    bad = "licences.yaml:\n  measures:\n    - {id: x}\n"
    with pytest.raises(PackError) as raised:
        overlay_pack_files(files, "proposal.yaml", bad)
    assert raised.value.file == "proposal.yaml"
    assert raised.value.path[:2] == ("licences.yaml", "measures")


def test_the_cli_names_its_flags_and_the_service_its_fields(demo_db: Path) -> None:
    """A reversed period is the user's flags in the CLI, and the analysis' own fields in the service."""
    code, _, err = run_impact("--from", "2019-08-28", "--to", "2019-08-27")
    assert code == 2 and "--to 2019-08-27 is before --from 2019-08-28" in err
    code, _, err = run_impact("--from", "2019-08-27", "--to", "2019-08-28", "--review-days", "-1")
    assert code == 2 and "--review-days: must not be negative" in err
    url = f"sqlite:///{demo_db}"
    with db.session(url) as s, pytest.raises(RecordError, match="end: 2019-08-27 is before start 2019-08-28"):
        impact(s, "jp", dt.date(2019, 8, 28), dt.date(2019, 8, 27))
