"""The US pack's licences.yaml, written by tools/us_pack/exceptions.py from the CCL's licence-exception flags (eCFR
issue of 2026-07-23). Expected values are read from the CCL JSON in the test; the last test checks that the file in
the repository is what the tool writes now."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO, SHARED

US = SHARED / "data" / "us"
TOOL = REPO / "tools" / "us_pack" / "exceptions.py"
PACK = REPO / "src" / "exportctl" / "packs" / "us"
CCL = {e["eccn"]: e for e in json.loads((US / "ear-ccl-2026-07-23.json").read_text(encoding="utf-8"))["entries"]}
LICENCES: dict[str, Any] = yaml.safe_load((PACK / "licences.yaml").read_text(encoding="utf-8"))


def coverage_of(licence: str, eccn: str | None = None) -> list[dict[str, Any]]:
    return [
        c for c in LICENCES["coverage"] if c["licence"] == licence and (eccn is None or eccn in c.get("entries", []))
    ]


def test_lvs_carries_the_dollar_limit_the_ccl_states() -> None:
    assert CCL["1C009"]["licenceExceptionFlags"]["LVS"] == "$5000"
    (lvs,) = coverage_of("LVS", "1C009")
    assert lvs["max_value_usd"] == 5000 and lvs["destinations"] == {"tables": ["cg-b"]}
    # "N/A for MT, NP": LVS never overcomes those reasons (3A001's flag).
    assert CCL["3A001"]["licenceExceptionFlags"]["LVS"].startswith("N/A for MT, NP")
    assert coverage_of("LVS", "3A001") == []  # the rest of that flag is not read whole: not offered


def test_gbs_only_where_the_ccl_says_yes_and_for_national_security() -> None:
    assert CCL["3C005"]["licenceExceptionFlags"]["GBS"] == "Yes"
    (gbs,) = coverage_of("GBS", "3C005")
    assert set(gbs["reasons"]) == {"NS1", "NS2"}  # § 740.4: national security reasons only
    assert CCL["1C009"]["licenceExceptionFlags"]["GBS"] == "N/A" and coverage_of("GBS", "1C009") == []


def test_sta_leaves_out_every_eccn_whose_entry_restricts_it() -> None:
    restricted = {
        eccn for eccn, e in CCL.items() if "may not be used" in (e["licenceExceptionFlags"] or {}).get("STA", "")
    }
    assert "3A001" in restricted
    for sta in coverage_of("STA"):
        assert restricted <= set(sta["exclude_entries"])


def test_the_file_is_what_the_tool_writes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(TOOL), "--shared", str(US), "--pack", str(tmp_path)], check=True, capture_output=True
    )
    assert (tmp_path / "licences.yaml").read_text(encoding="utf-8") == (PACK / "licences.yaml").read_text(
        encoding="utf-8"
    )


def test_every_exception_part_740_names_is_offered_or_named_as_not_assessed() -> None:
    # The shared catalogue of part 740 (eCFR of 2026-07-23): 27 sections, § 740.8 naming two exceptions (NAC, ACA).
    sections = json.loads((US / "ear-license-exceptions.json").read_text(encoding="utf-8"))["exceptions"]
    by_symbol = {symbol: section["sectionNumber"] for section in sections for symbol in section["symbols"]}
    offered = set(LICENCES["types"]) - {"license"}
    not_assessed = LICENCES["not_assessed"]["types"]
    assert offered | set(not_assessed) == set(by_symbol)
    assert not offered & set(not_assessed)
    assert {"APP", "GOV", "TSU", "BAG", "AVS", "NAC", "ACA"} <= set(not_assessed)
    for symbol, licence_type in {**not_assessed, **{s: LICENCES["types"][s] for s in offered}}.items():
        assert licence_type["source"] == "us.ear." + by_symbol[symbol].replace(".", "-"), symbol
    assert not_assessed["NAC"]["title"]["en"] == "Licence exception NAC (Notified Advanced Computing)"
    assert not_assessed["ACA"]["title"]["en"] == "Licence exception ACA (Advanced Computing Authorized)"
