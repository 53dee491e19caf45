"""The engine's reasons in Japanese (issue 16): every reason carries its Japanese text (`Reason.text_ja`), written from
the pack's own Japanese texts and the engine's Japanese sentences — never translated from the English text.

The expected texts below are the pack's Japanese (read from its YAML files, as the regulation's data) placed in the
sentences the requirement asks for; the US pack has no Japanese titles for its entries, so its reasons name the
entry by its number and leave its English title out.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml

from exportctl import determination_json
from exportctl.core_types import Determination, Reason
from exportctl.determine import wording
from exportctl.regime import Regime
from exportctl.regime import schema as s
from exportctl.regime.files import builtin_pack_dir
from tests.conftest import run


@cache
def pack_yaml(regime_id: str, name: str) -> Any:
    return yaml.safe_load((builtin_pack_dir(regime_id) / name).read_text(encoding="utf-8"))


def by_id(records: list[dict[str, Any]], record_id: str) -> dict[str, Any]:
    return next(record for record in records if record["id"] == record_id)


def reasons(determination: Determination) -> list[Reason]:
    return [*determination.reasons, *(r for line in determination.lines for r in line.reasons)]


def japanese(determination: Determination, rule: str) -> list[str | None]:
    return [r.text_ja for r in reasons(determination) if r.rule == rule]


def test_destination_group_and_licence_required(jp: Regime) -> None:
    resist = run(jp, date="2019-09-01", destination="KR", lines=[{"item": "3C002", "value_jpy": 5_000_000}])
    group_b = by_id(pack_yaml("jp", "destinations.yaml")["groups"], "B")["title"]["ja"]
    assert japanese(resist, "destination-group") == [f"KRは2019-09-01時点で{group_b}に属します"]
    assert japanese(resist, "licence-required") == ["許可が必要です"]
    measure = by_id(pack_yaml("jp", "licences.yaml")["measures"], "kr-2019-three-items")["title"]["ja"]
    assert japanese(resist, "measure:kr-2019-three-items") == [f"{measure}（2019-07-04から施行）"]


def test_a_parameter_comparison_names_the_parameter_by_its_japanese_title(jp: Regime) -> None:
    hf = {"product": "hydrogen-fluoride", "params": {"hf_concentration_wt_pct": 55}}
    determination = run(jp, date="2024-06-01", destination="CN", lines=[{"spec": hf}])
    title = pack_yaml("jp", "parameters/core.yaml")["parameters"]["hf_concentration_wt_pct"]["title"]["ja"]
    # Export Trade Control Order, Appended Table 1 row 3(1): hydrogen fluoride above 30 wt%.
    assert japanese(determination, "parameter") == [f"{title}（hf_concentration_wt_pct） = 55 > 30：満たします"]
    entry = by_id(pack_yaml("jp", "control/row-03.yaml")["entries"], "3(1)")["title"]["ja"]
    row = by_id(pack_yaml("jp", "control/rows.yaml")["rows"], "3")["goods_title"]["ja"]
    [listed] = japanese(determination, "list-control")
    assert listed == (
        f"3(1)#hydrogen-fluoride（{entry}；1C350.24）の貨物は規制リストの{row}（3）に掲げられています"
        "（すべての仕向地について規制されています）"
    )


def test_a_claimed_exemption_gives_its_title_and_condition(jp: Regime) -> None:
    line = {"kind": "technology", "item": "3E001", "tech_purpose": "design", "exemptions": ["publicly-available"]}
    determination = run(jp, date="2024-06-01", destination="CN", lines=[line])
    exemption = by_id(pack_yaml("jp", "rules.yaml")["technology_exemptions"], "publicly-available")
    expected = f"{exemption['title']['ja']}：{exemption['condition']['ja']}"
    assert japanese(determination, "exemption:publicly-available") == [expected]


def test_technology_provided_abroad(jp: Regime) -> None:
    line = {"kind": "technology", "item": "3(1)", "tech_purpose": "manufacture"}
    determination = run(jp, date="2024-06-01", destination="KR", lines=[line])
    rule = by_id(pack_yaml("jp", "rules.yaml")["technology"], "technology-non-resident")["title"]["ja"]
    assert japanese(determination, "technology:technology-non-resident") == [
        f"{rule}：技術は外国であるKRで提供され、受領者の居住性にかかわらず規制されます"
    ]


def test_technology_at_home_without_the_residency_names_what_is_missing(jp: Regime) -> None:
    line = {"kind": "technology", "item": "3(1)", "tech_purpose": "manufacture"}
    determination = run(jp, date="2024-06-01", destination="JP", lines=[line])
    assert japanese(determination, "technology:residency") == ["技術は国内で提供され、受領者の居住性が示されていません"]
    assert determination.missing == ("residency",)


def test_catch_all_requirements(jp: Regime) -> None:
    determination = run(jp, date="2024-06-01", destination="CN", lines=[{"item": "hs:8457.10"}])
    rules = pack_yaml("jp", "catch_all.yaml")["rules"]
    end_use = by_id(rules, "wmd-end-use")["title"]["ja"]
    informed = by_id(rules, "wmd-informed")["title"]["ja"]
    assert japanese(determination, "catch-all:wmd-end-use") == [f"{end_use}：用途が申告されていません"]
    assert japanese(determination, "catch-all:wmd-informed") == [f"{informed}：当局からの通知を受けていません"]
    declared = run(
        jp, date="2024-06-01", destination="CN", end_use="weapons", wmd_end_use=True, lines=[{"item": "hs:8457.10"}]
    )
    assert japanese(declared, "catch-all:wmd-end-use") == [f"{end_use}：申告された用途は大量破壊兵器です"]


def test_an_embargo_is_the_packs_japanese_title(jp: Regime) -> None:
    determination = run(jp, date="2019-09-01", destination="KP", lines=[{"item": "hs:8456.11"}])
    embargo = pack_yaml("jp", "destinations.yaml")["embargoes"]["KP"]["title"]["ja"]
    assert japanese(determination, "embargo") == [embargo]


def test_every_reason_of_the_japan_pack_has_japanese_without_english_words(jp: Regime) -> None:
    transactions: list[dict[str, Any]] = [
        {"date": "2019-09-01", "destination": "KR", "lines": [{"item": "3C002", "value_jpy": 5_000_000}]},
        {"date": "2019-06-01", "destination": "CN", "lines": [{"item": "1C009.b"}]},
        {"date": "2024-06-01", "destination": "AE", "end_use": "pumps", "lines": [{"item": "hs:8457.10"}]},
        {"date": "2024-06-01", "destination": "CN", "lines": [{"spec": {"product": "hydrogen-fluoride"}}]},
        {"date": "2024-06-01", "destination": "US", "lines": [{"item": "hs:8457.10"}]},
        {"date": "2024-06-01", "destination": "CN", "lines": [{"kind": "technology", "item": "3E001"}]},
        {
            "date": "2022-05-01",
            "destination": "JP",
            "lines": [{"kind": "technology", "item": "7(19)", "tech_purpose": "use", "residency": "resident"}],
        },
    ]
    code = re.compile(r"\S*[0-9#_/().:§-]\S*")  # ids, numbers, clause ids: kept as they are
    for fields in transactions:
        for reason in reasons(run(jp, **fields)):
            assert reason.text_ja, (fields, reason)
            words = re.findall(r"[A-Za-z]{3,}", code.sub(" ", reason.text_ja))
            assert not [w for w in words if not w.isupper()], (reason.rule, reason.text_ja)


def test_the_us_pack_names_its_entries_without_their_english_titles(us: Regime) -> None:
    determination = run(us, regime="us", date="2026-08-01", destination="CN", lines=[{"item": "1C009"}])
    [listed] = japanese(determination, "list-control")
    assert listed == "1C009の貨物は規制リストの区分1に掲げられています：規制理由 NS2 が仕向地に及びます"
    subject = run(
        us,
        regime="us",
        date="2026-08-01",
        origin="JP",
        destination="CN",
        lines=[{"item": "1C009", "us_content_pct": 20}],
    )
    # 15 CFR § 734.4(c): at or under 25 % controlled US content, a foreign-made item is not subject to the EAR.
    assert japanese(subject, "subject:de-minimis") == [
        "米国原産部分20 %はデミニミス水準25 %（§ 734.4(c)）以下です：この品目はEARの対象ではありません"
    ]


def test_a_pack_text_whose_japanese_repeats_the_english_has_no_japanese() -> None:
    assert wording.ja(s.Text(en="Ammunition as follows.", ja="Ammunition as follows.")) is None
    assert wording.ja(s.Text(en="Arms", ja="武器")) == "武器"


def test_the_japanese_text_is_encoded_when_present_and_decodes(jp: Regime) -> None:
    determination = run(jp, date="2019-09-01", destination="KR", lines=[{"item": "3C002", "value_jpy": 5_000_000}])
    encoded = determination_json.encode(determination)
    assert all("text_ja" in r for r in encoded["reasons"])
    assert determination_json.decode(encoded) == determination
    # A determination stored before the engine wrote Japanese decodes, its reasons without Japanese.
    older = determination_json.comparable(encoded)
    assert not any("text_ja" in r for line in older["lines"] for r in line["reasons"])
    decoded = determination_json.decode(older)
    assert all(r.text_ja is None for r in reasons(decoded))
    assert [r.text for r in reasons(decoded)] == [r.text for r in reasons(determination)]
    # A reason without Japanese writes no key at all.
    assert "text_ja" not in determination_json.encode_reason(Reason("x", "text"), {})


def test_the_small_value_exception_in_japanese(jp: Regime) -> None:
    # Export Trade Control Order art. 4(1)(iv)/(v): rows 5–13 and 15 up to ¥1,000,000 per sub-item, never to the
    # destinations of Appended Table 4 (別表第4).
    civil = {"end_user": "Example GmbH", "wmd_end_use": False, "conventional_end_use": False}
    applied = run(jp, date="2024-06-01", destination="US", lines=[{"item": "5(17)", "value_jpy": 10_000}], **civil)
    assert japanese(applied, "exception:small-value") == [
        "5(17)の契約金額10,000円 ≤ 1,000,000円（5、6、7、8、9、10、11、12、13、15の項）"
    ]
    to_iran = run(jp, date="2024-06-01", destination="IR", lines=[{"item": "5(17)", "value_jpy": 10_000}], **civil)
    assert to_iran.lines[0].exceptions[0].why_ja == "IRは別表第4に掲げる地域です"
    unknown = run(jp, date="2024-06-01", destination="US", lines=[{"item": "5(17)"}], **civil)
    assert unknown.lines[0].exceptions[0].why_ja == "5(17)の契約金額が記載されていません"
