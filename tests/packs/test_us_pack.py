"""The US pack (EAR) against the CFR and the Commerce Country Chart as published: the expected cells are read from the
chart and group tables of the eCFR issue of 2026-07-23 (../shared/data/us) in the test, never from the pack."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest
from lxml import etree
from pydantic import ValidationError

from exportctl.core_types import Determination, Outcome, Transaction
from exportctl.determine.engine import determine
from exportctl.regime import Regime
from exportctl.regime.sections import CATCH_ALL
from exportctl.screening.screener import Screener
from exportctl.screening.sources import registry
from tests.conftest import LISTS_DIR, SHARED, day

US = SHARED / "data" / "us"
DAY = "2026-08-01"  # within the verified period (eCFR issue of 2026-07-23)
CIVIL: dict[str, Any] = {"end_use": "civil manufacturing", "wmd_end_use": False, "conventional_end_use": False}
ITEM = [{"item": "EAR99"}]


def check(us: Regime, to: str, item: str, **fields: Any) -> Determination:
    line_facts = ("kind", "value_usd", "us_content_pct", "us_direct_product")
    line = {"item": item, **{k: fields.pop(k) for k in line_facts if k in fields}}
    transaction = Transaction.model_validate(
        {"regime": "us", "date": DAY, "destination": to, "lines": [line], **CIVIL, **fields}
    )
    return determine(us.at(transaction.date), transaction)


@cache
def chart_marks(country: str) -> frozenset[str]:
    """The columns marked for a country in Supp. 1 to part 738, as 'NS2' (the chart writes 'NS 2')."""
    chart = json.loads((US / "ear-country-chart-2026-07-23.json").read_text())
    return frozenset(mark.replace(" ", "") for mark in chart["countries"][country]["marks"])


@cache
def group_members(group: str) -> frozenset[str]:
    groups = json.loads((US / "ear-country-groups-2026-07-23.json").read_text())
    return frozenset(groups["groups"][group])


# --- the Country Chart: a reason for control needs a licence where its column is marked (§ 738.4) ----------------

# ECCNs controlled for one column of the chart on the whole entry (besides AT1, which marks no country of the chart:
# the AT destinations are embargoed, part 746): (ECCN, column).
WHOLE_ENTRY = [("1C009", "NS2"), ("3E001", "NS1"), ("1C350", "CB2"), ("9B008", "NS2"), ("6C002", "NS2")]
COUNTRIES = {"JP": "Japan", "CN": "China", "IN": "India", "DE": "Germany", "BR": "Brazil", "VN": "Vietnam",
             "AE": "United Arab Emirates", "MX": "Mexico", "RS": "Serbia", "ZA": "South Africa"}  # fmt: skip


@pytest.mark.parametrize(("eccn", "column"), WHOLE_ENTRY)
@pytest.mark.parametrize("code", sorted(COUNTRIES))
def test_chart_cells(us: Regime, eccn: str, column: str, code: str) -> None:
    result = check(us, code, eccn, kind="technology" if eccn[1] in "DE" else "goods")
    marked = column in chart_marks(COUNTRIES[code])
    line = result.lines[0]
    if marked:
        assert line.outcome is Outcome.LICENCE_REQUIRED, (eccn, code, line.reasons)
        assert line.reasons_for_control == (column,)
        assert "license" in line.eligible_licences
    else:  # no X: no licence on that reason; the end-use controls (declared civil) need none either
        assert line.outcome is Outcome.NO_LICENCE_REQUIRED, (eccn, code, line.reasons)
        assert any(r.rule == "list-control:not-reached" for r in line.reasons)


def test_a_control_limited_to_paragraphs_needs_the_paragraph(us: Regime) -> None:
    # 3A090: RS applies to 3A090.a worldwide (§ 742.6(a)(6)(iii)(A)) and to 3A090.c only to Macau and D:5.
    assert check(us, "DE", "3A090.a.1").outcome is Outcome.LICENCE_REQUIRED
    assert check(us, "DE", "3A090.c").outcome is Outcome.NO_LICENCE_REQUIRED
    assert "China (PRC)" in group_members("D:5")
    assert check(us, "CN", "3A090.c").outcome is Outcome.LICENCE_REQUIRED
    unnamed = check(us, "DE", "3A090")
    assert unnamed.outcome is Outcome.INDETERMINATE and "paragraph" in unnamed.missing


# --- licence exceptions (part 740): each must overcome every reason, to its Country Groups -----------------------


def test_lvs_within_its_value_to_country_group_b(us: Regime) -> None:
    # 1C009: "LVS: $5000" (CCL); LVS is for Country Group B (§ 740.3); Chile is in B and NS2 is marked for it.
    assert "Chile" in group_members("B") and "NS2" in chart_marks("Chile")
    assert "LVS" in check(us, "CL", "1C009", value_usd=4_000).lines[0].eligible_licences
    assert "LVS" not in check(us, "CL", "1C009", value_usd=6_000).lines[0].eligible_licences
    unknown = check(us, "CL", "1C009").lines[0]
    assert "USD 5,000" in unknown.licence_conditions["LVS"]
    assert "China" not in group_members("B")
    assert "LVS" not in check(us, "CN", "1C009", value_usd=100).lines[0].eligible_licences


def test_gbs_for_national_security_only(us: Regime) -> None:
    # 3C005: "GBS: Yes" and NS2 alone (§ 740.4: national security reasons only, Country Group B).
    assert "GBS" in check(us, "CL", "3C005").lines[0].eligible_licences
    assert "GBS" not in check(us, "CN", "3C005").lines[0].eligible_licences


def test_sta_to_a5_for_ns1(us: Regime) -> None:
    # 3E001 (NS1) to Japan: Japan is in A:5, and STA (c)(1) overcomes NS (§ 740.20); on its conditions.
    assert "Japan" in group_members("A:5")
    line = check(us, "JP", "3E001", kind="technology").lines[0]
    assert line.outcome is Outcome.LICENCE_REQUIRED
    assert "STA" in line.eligible_licences and "740.20(d)" in line.licence_conditions["STA"]


def test_sta_is_not_offered_where_the_ccl_restricts_it(us: Regime) -> None:
    # 3A001's entry: "License Exception STA may not be used to ship any item in 3A001.b.2 or b.3 …". NS 1 applies
    # to 3A001.b.2 and the chart marks NS 1 for Japan (A:5): a licence, and no STA.
    line = check(us, "JP", "3A001.b.2").lines[0]
    assert line.outcome is Outcome.LICENCE_REQUIRED and "NS1" in line.reasons_for_control
    assert "STA" not in line.eligible_licences


def test_enc_for_encryption_items_on_its_conditions(us: Regime) -> None:
    # 5A002: NS 1 (marked for Germany) and EI (§ 742.15, every destination); the CCL: "ENC: Yes for certain EI
    # controlled commodities, see § 740.17". ENC is offered on the condition § 740.17 states; for 5A002 given without
    # its paragraph, RS for 5A002.z may apply, which ENC does not overcome: not offered.
    assert us.pack.entries["5A002"].title.en.startswith("“Information security”")
    line = check(us, "DE", "5A002.a").lines[0]
    assert set(line.reasons_for_control) == {"NS1", "EI"}
    assert "ENC" in line.eligible_licences and "740.17" in line.licence_conditions["ENC"]
    assert "ENC" not in check(us, "DE", "5A002").lines[0].eligible_licences


# --- embargoes (part 746) override the chart: a licence, reviewed under a policy of denial -----------------------


@pytest.mark.parametrize("code", ["CU", "IR", "KP", "SY", "RU", "BY"])
def test_embargoes_require_a_licence_for_any_item(us: Regime, code: str) -> None:
    for item in ("5A991", "EAR99"):
        line = check(us, code, item).lines[0]
        assert line.outcome is Outcome.LICENCE_REQUIRED, (code, item)
        assert (line.review_policy and "denial" in line.review_policy) or code == "SY"
        assert line.eligible_licences[0] == "license"


def test_russia_before_the_2022_rule(us: Regime) -> None:
    # § 746.8 from 2022-02-24: the day before, 5A991 (AT only) to Russia needed no licence on the chart.
    assert check(us, "RU", "5A991", date="2022-02-23").outcome is Outcome.NO_LICENCE_REQUIRED


def test_syria_spp_from_2025_09_02(us: Regime) -> None:
    assert "SPP" in check(us, "SY", "5A991").lines[0].eligible_licences
    assert "SPP" not in check(us, "SY", "5A991", date="2025-09-01").lines[0].eligible_licences


# --- end uses (part 744) reach any item subject to the EAR ---------------------------------------------------------


def test_end_uses(us: Regime) -> None:
    assert check(us, "DE", "EAR99").outcome is Outcome.NO_LICENCE_REQUIRED
    assert check(us, "DE", "EAR99", wmd_end_use=True).outcome is Outcome.LICENCE_REQUIRED
    # § 744.21(a)(1): a military end use in China, for the items of Supp. 2 to part 744 (3A991 is one, EAR99 is not);
    # not in Germany. 3A991 is controlled for AT only: the Country Chart requires no licence to China.
    assert check(us, "CN", "3A991", conventional_end_use=True).outcome is Outcome.LICENCE_REQUIRED
    assert check(us, "VE", "3A991", conventional_end_use=True).outcome is Outcome.LICENCE_REQUIRED
    assert check(us, "CN", "3A991").outcome is Outcome.NO_LICENCE_REQUIRED
    assert check(us, "CN", "EAR99", conventional_end_use=True).outcome is Outcome.NO_LICENCE_REQUIRED
    assert check(us, "DE", "3A991", conventional_end_use=True).outcome is Outcome.NO_LICENCE_REQUIRED
    undeclared = Transaction.model_validate(
        {"regime": "us", "date": DAY, "destination": "CN", "wmd_end_use": False, "lines": [{"item": "3A991"}]}
    )
    line = determine(us.at(undeclared.date), undeclared).lines[0]
    assert line.outcome is Outcome.INDETERMINATE and "conventional_end_use" in line.missing
    bare = Transaction.model_validate({"regime": "us", "date": DAY, "destination": "DE", "lines": [{"item": "EAR99"}]})
    assert determine(us.at(bare.date), bare).outcome is Outcome.INDETERMINATE  # the end use is not declared


# --- the Entity List (Supp. 4 to part 744): a licence for every item, reviewed under the entry's policy ----------


def test_an_entity_list_party_needs_a_licence_with_its_policy(us: Regime) -> None:
    el = registry.read_list("us-el", US / "ecfr-title15-part744-2026-07-23.xml")
    dpl = registry.read_list("us-dpl", registry.default_files(LISTS_DIR)["us-dpl"])
    screener = Screener([el, dpl])
    facts = {"regime": "us", "date": DAY, "destination": "CN", "lines": [{"item": "EAR99"}], **CIVIL}
    entry = next(e for e in el.entities if e.name == "Beijing Institute of Technology" and "CN" in e.countries)
    listed = Transaction.model_validate({**facts, "end_user": entry.name, "end_user_country": "CN"})
    result = determine(us.at(listed.date), listed, screener)
    line = result.lines[0]
    assert result.outcome is Outcome.LICENCE_REQUIRED
    assert line.eligible_licences == ("license",)  # § 744.16(b): no licence exception
    assert line.review_policy == entry.review_policy and "denial" in entry.review_policy.lower()
    # Huawei: its own entry requires a licence, and the weaker hits on its listed affiliates block until reviewed.
    huawei = {**facts, "end_user": "Huawei Technologies Co., Ltd.", "end_user_country": "CN"}
    blocked = determine(us.at(listed.date), Transaction.model_validate(huawei), screener)
    assert blocked.outcome is Outcome.INDETERMINATE and blocked.blocked_by
    assert any(r.rule == "screening:us-el" and "licence required" in r.text for r in blocked.lines[0].reasons)
    other = Transaction.model_validate({**facts, "end_user": "Shenzhen Example Bakery", "end_user_country": "CN"})
    assert determine(us.at(other.date), other, screener).outcome is Outcome.NO_LICENCE_REQUIRED
    unscreened = determine(us.at(other.date), other, Screener([dpl]))
    assert unscreened.outcome is Outcome.INDETERMINATE  # the Entity List is required to clear a party


# --- scope (part 734): de minimis and the foreign-direct-product rules --------------------------------------------


def test_de_minimis(us: Regime) -> None:
    # A Japanese-made 1C009 with US content to China (NS2 marked): subject above 25 % (§ 734.4(c)), not at or under.
    assert check(us, "CN", "1C009", origin="JP", us_content_pct=30).outcome is Outcome.LICENCE_REQUIRED
    assert check(us, "CN", "1C009", origin="JP", us_content_pct=25).outcome is Outcome.NO_LICENCE_REQUIRED
    missing = check(us, "CN", "1C009", origin="JP")
    assert missing.outcome is Outcome.INDETERMINATE and "us_content_pct" in missing.missing
    # Country Group E:1 (Iran): 10 % (§ 734.4(d)).
    assert "Iran" in group_members("E:1")
    assert check(us, "IR", "EAR99", origin="JP", us_content_pct=15).outcome is Outcome.LICENCE_REQUIRED
    assert check(us, "IR", "EAR99", origin="JP", us_content_pct=10).outcome is Outcome.NO_LICENCE_REQUIRED
    # A US-made item abroad is subject whatever its share (§ 734.3(a)(2)).
    assert check(us, "CN", "1C009", origin="JP", us_content_pct=100).outcome is Outcome.LICENCE_REQUIRED


def test_direct_product_rules_need_the_fact(us: Regime) -> None:
    # Russia: the direct-product rule of § 734.9(f) may reach a foreign item under de minimis.
    unknown = check(us, "RU", "EAR99", origin="JP", us_content_pct=5)
    assert unknown.outcome is Outcome.INDETERMINATE and "us_direct_product" in unknown.missing
    assert check(us, "RU", "EAR99", origin="JP", us_content_pct=5, us_direct_product=False).outcome is (
        Outcome.NO_LICENCE_REQUIRED
    )
    assert check(us, "RU", "EAR99", origin="JP", us_content_pct=5, us_direct_product=True).outcome is (
        Outcome.LICENCE_REQUIRED
    )


def test_a_line_needing_a_licence_names_the_exceptions_not_assessed(us: Regime, jp: Regime) -> None:
    # 1C009 to China (NS2 marked for CN): the pack offers the exceptions it assesses and names the rest of part 740.
    line = check(us, "CN", "1C009").lines[0]
    assert line.outcome is Outcome.LICENCE_REQUIRED
    (reason,) = [r for r in line.reasons if r.rule == "licence-types:not-assessed"]
    assert reason.source == "us.ear.part-740"
    assert "APP" in reason.text and "GOV" in reason.text and "LVS" not in reason.text
    assert "APP" not in line.eligible_licences  # named, never offered
    # A line needing no licence, and Japan's pack (which names none), say nothing of it.
    assert not [r for r in check(us, "GB", "EAR99").lines[0].reasons if r.rule == "licence-types:not-assessed"]
    assert jp.pack.licences.not_assessed is None


def test_the_military_end_use_rule_reaches_the_items_of_supplement_2_to_part_744(us: Regime) -> None:
    # § 744.21(a)(1) reaches "any item subject to the EAR listed in supplement no. 2 to this part" for Burma,
    # Cambodia, China, Nicaragua and Venezuela; (a)(2) any item for Belarus and Russia.
    part744 = etree.parse(str(US / "ecfr-title15-part744-2026-07-23.xml"))
    supplement = next(d for d in part744.iter() if d.get("N") == "Supplement No. 2 to Part 744")
    listed = re.findall(r"\(([ivx]+)\)\s+(\d[A-E]\d{3})\b", " ".join(supplement.itertext()))
    rules = dict(us.pack.records(CATCH_ALL))
    assert sorted(rules["military-end-use"].entries) == sorted(eccn for _, eccn in listed)
    assert len(listed) == 47
    assert set(us.pack.destinations.tables["meu-744-21"].members) == {"MM", "KH", "CN", "HK", "NI", "VE"}
    assert set(us.pack.destinations.tables["meu-744-21-any-item"].members) == {"BY", "RU"}
    assert "EAR99" in rules["military-end-use-any-item"].entries


# --- § 746.6: the Crimea region and the so-called DNR and LNR regions of Ukraine --------------------------------


def test_ukraine_needs_its_region_stated(us: Regime, jp: Regime) -> None:
    # § 746.6(a): a licence for any item subject to the EAR (but EAR99 food and medicine) to the Crimea region
    # (UA-43, Sevastopol UA-40) and the so-called DNR and LNR regions (in the Donetsk UA-14 and Luhansk UA-09 oblasts).
    for region in ("UA-43", "UA-40", "UA-14", "UA-09"):
        line = check(us, "UA", "EAR99", destination_region=region).lines[0]
        assert line.outcome is Outcome.LICENCE_REQUIRED, region
        assert line.eligible_licences == ("license",) and "denial" in (line.review_policy or "")
        assert any(r.rule == "embargo" and r.source == "us.ear.746-6" for r in line.reasons)
    # Unknown is not "no": Ukraine without its region is undecided, naming the fact.
    unknown = check(us, "UA", "EAR99")
    assert unknown.outcome is Outcome.INDETERMINATE and unknown.lines[0].missing == ("destination_region",)
    assert any(r.rule == "embargo:region-unknown" for r in unknown.lines[0].reasons)
    # Kyiv: the embargo does not apply, and the determination says why; the chart decides (EAR99: no licence).
    kyiv = check(us, "UA", "EAR99", destination_region="UA-30")
    assert kyiv.outcome is Outcome.NO_LICENCE_REQUIRED
    assert any(r.rule == "embargo:outside-regions" for r in kyiv.reasons)
    # Japan's pack has no regional embargo: a region stated or not changes nothing.
    facts = {"date": "2026-08-01", "destination": "UA", "lines": [{"item": "hs:8471.30"}], **CIVIL}
    plain = determine(jp.at(day("2026-08-01")), Transaction.model_validate(facts))
    stated = determine(jp.at(day("2026-08-01")), Transaction.model_validate({**facts, "destination_region": "UA-43"}))
    assert plain.outcome == stated.outcome and "destination_region" not in plain.missing


def test_a_region_must_be_of_the_destination() -> None:
    with pytest.raises(ValidationError, match="not a region of UA"):
        Transaction.model_validate({"date": DAY, "destination": "UA", "destination_region": "RU-MOW", "lines": ITEM})
    with pytest.raises(ValidationError, match="not an ISO 3166-2 subdivision code"):
        Transaction.model_validate({"date": DAY, "destination": "UA", "destination_region": "UA-99", "lines": ITEM})
    assert (
        Transaction.model_validate(
            {"date": DAY, "destination": "UA", "to_region": "ua-43 ", "lines": ITEM}
        ).destination_region
        == "UA-43"
    )
