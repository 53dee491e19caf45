"""Golden determinations for the 2019–2023 Korea timeline, written from the sources, not from the engine.

The order (exportctl.korea_timeline.korea_order): EUV resist (7(19)), hydrogen fluoride 99.99% (3(1)),
fluorinated polyimide 12 wt% F (5(17)), fluorinated phosphazene elastomer (5(17), not one of the three items)
and a machining centre (HS 8457.10, row 16), to a Korean semiconductor maker with a declared civil end use.

Expected licence types per date, from shared/domain/japan-regime.md §4–§5:
- Group A: individual, general bulk, special general bulk, specific bulk, specific subsidiary bulk.
- Group B: the same without general bulk (general bulk is Group A only).
- 2019-07-04 … 2023-03-22: the three items only under individual licences (resists also specific bulk
  from 2019-12-20).
- Row 16 never applies to Group A before 2025-10-09, and afterwards only on an inform notice; in Group B a
  civil end use and an unlisted end user mean no licence.
"""

from __future__ import annotations

import datetime as dt

import pytest

from exportctl.determine.engine import determine
from exportctl.korea_timeline import KOREA_TIMELINE_DATES, korea_order
from exportctl.regime import Regime
from exportctl.screening.end_user_list import EndUserList
from tests.conftest import screened

GROUP_A = {"individual", "general-bulk", "special-general-bulk", "specific-bulk", "specific-subsidiary-bulk"}
GROUP_B = GROUP_A - {"general-bulk"}
INDIVIDUAL = {"individual"}
NONE = "no_licence_required"

# date: (KR group, resist, hydrogen fluoride, polyimide, phosphazene, machining centre)
GOLDEN: dict[str, tuple[str, set[str], set[str], set[str], set[str], str]] = {
    "2019-07-03": ("A", GROUP_A, GROUP_A, GROUP_A, GROUP_A, NONE),
    "2019-07-04": ("A", INDIVIDUAL, INDIVIDUAL, INDIVIDUAL, GROUP_A, NONE),
    "2019-08-28": ("B", INDIVIDUAL, INDIVIDUAL, INDIVIDUAL, GROUP_B, NONE),
    "2019-12-20": ("B", {"individual", "specific-bulk"}, INDIVIDUAL, INDIVIDUAL, GROUP_B, NONE),
    "2023-03-23": ("B", GROUP_B, GROUP_B, GROUP_B, GROUP_B, NONE),
    "2023-07-21": ("A", GROUP_A, GROUP_A, GROUP_A, GROUP_A, NONE),
    "2025-10-09": ("A", GROUP_A, GROUP_A, GROUP_A, GROUP_A, NONE),
}


def test_golden_covers_every_timeline_date() -> None:
    assert sorted(GOLDEN) == sorted(d.isoformat() for d, _ in KOREA_TIMELINE_DATES)


@pytest.mark.parametrize("date", sorted(GOLDEN))
def test_korea_timeline(jp: Regime, eul: EndUserList, date: str) -> None:
    group, resist, hf, polyimide, phosphazene, machine = GOLDEN[date]
    order = korea_order(dt.date.fromisoformat(date))
    result = determine(jp.at(order.date), order, screened(eul))
    assert result.destination_group == group
    listed = result.lines[:4]
    assert [line.entries[0].entry for line in listed] == ["7(19)", "3(1)", "5(17)", "5(17)"]
    assert all(line.outcome == "licence_required" for line in listed)
    assert [set(line.eligible_licences) for line in listed] == [resist, hf, polyimide, phosphazene]
    assert result.lines[4].outcome == machine
    assert result.outcome == "licence_required"
    assert result.pack_version == jp.version


def test_measure_reason_cites_the_2019_circular(jp: Regime, eul: EndUserList) -> None:
    order = korea_order(dt.date(2019, 7, 4))
    result = determine(jp.at(order.date), order, screened(eul))
    cited = {reason.source for reason in result.lines[0].reasons}
    assert "jp.meti.2019-07-kr" in cited
    assert jp.pack.sources["jp.meti.2019-07-kr"].in_force == dt.date(2019, 7, 4)


def test_group_b_catch_all_was_checked_for_the_machining_centre(jp: Regime, eul: EndUserList) -> None:
    order = korea_order(dt.date(2019, 8, 28))
    line = determine(jp.at(order.date), order, screened(eul)).lines[4]
    rules = {reason.rule for reason in line.reasons}
    assert {"catch-all:wmd-end-use", "catch-all:wmd-end-user", "catch-all:wmd-informed"} <= rules
