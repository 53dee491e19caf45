"""The EAR's rules that are code: whether an item is subject to the EAR at all (15 CFR part 734).

An export from the United States is subject (§ 734.3(a)(1)). A re-export from abroad (`origin` outside the United
States) is subject when the item is US-made (US content 100 %, § 734.3(a)(2)), when its controlled US content
exceeds the de minimis level — 25 %, or 10 % to a destination in Country Group E:1 or E:2 (§ 734.4(c), (d)) — or
when a foreign-direct-product rule reaches it (§ 734.9). The pack decides de minimis from the line's US content and
answers the direct-product rules only as far as the facts go: where one may reach the item (Russia and Belarus,
§ 734.9(f); advanced computing items to Country Groups D:1, D:4, D:5, § 734.9(h); a party on the Entity List with
a footnote, § 734.9(e)) and the line does not say whether the item is such a direct product, it is undetermined.
The 600 series and 9x515 items have no de minimis level here (§ 734.4(a)(6): none for Country Group D:5; the pack
applies none anywhere, fail closed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from exportctl.core_types import Line, Reason, ScreeningHit, Transaction
from exportctl.regime import schema as s
from exportctl.regime.plugin import NoRules, SubjectResult
from exportctl.regime.snapshot import Snapshot

DE_MINIMIS = 25.0
DE_MINIMIS_EMBARGOED = 10.0
EMBARGOED_GROUPS = ("cg-e1", "cg-e2")
NO_DE_MINIMIS = re.compile(r"^\d[A-E]6\d\d$|^9[A-E]515$")
FDP_COUNTRIES = frozenset({"RU", "BY"})
ADVANCED_COMPUTING = frozenset({"3A090", "4A090", "3E001", "3D001", "4E001", "4D001", "5A992", "5D992"})
ADVANCED_COMPUTING_GROUPS = ("cg-d1", "cg-d4", "cg-d5", "country-mo")
SOURCE_SUBJECT, SOURCE_DE_MINIMIS, SOURCE_FDP = "us.ear.734-3", "us.ear.734-4", "us.ear.734-9"


def _in(snapshot: Snapshot, country: str, tables: Sequence[str]) -> bool:
    return any(country in snapshot.tables[table] for table in tables)


def _direct_product_reach(
    snapshot: Snapshot, destination: str, entries: Sequence[s.Entry], hits: Sequence[ScreeningHit] | None
) -> tuple[str, str] | None:
    """Which foreign-direct-product rule may reach the item (in English and Japanese), or None."""
    if destination in FDP_COUNTRIES:
        return "the Russia/Belarus direct-product rule (§ 734.9(f))", "ロシア・ベラルーシ直接製品規則（§ 734.9(f)）"
    if any(e.id in ADVANCED_COMPUTING for e in entries) and _in(snapshot, destination, ADVANCED_COMPUTING_GROUPS):
        return (
            "the advanced-computing direct-product rule (§ 734.9(h))",
            "先端コンピューティング直接製品規則（§ 734.9(h)）",
        )
    if any(c.startswith("footnote") for hit in hits or () for c in hit.concerns):
        return (
            "the Entity List direct-product rule (§ 734.9(e)), the end user's entry having a footnote",
            "需要者のエンティティリスト掲載に脚注があるため、エンティティリスト直接製品規則（§ 734.9(e)）",
        )
    return None


@dataclass(frozen=True)
class UsRules(NoRules):
    def subject(
        self,
        snapshot: Snapshot,
        transaction: Transaction,
        line: Line,
        entries: Sequence[s.Entry],
        end_user_hits: Sequence[ScreeningHit] | None,
    ) -> SubjectResult | None:
        origin, destination = transaction.origin, transaction.destination
        if origin is None or origin in snapshot.pack.meta.home:
            return None  # an export from the United States (§ 734.3(a)(1))
        share = line.us_content_pct
        if share is None:
            text = (
                f"a re-export from {origin}: an item made abroad is subject to the EAR when its controlled US content"
                " exceeds the de minimis level (§ 734.4) or it is US-made (§ 734.3(a)(2)); its US content is not given"
            )
            ja = (
                f"{origin}からの再輸出：外国製品は、規制対象の米国原産部分がデミニミス水準（§ 734.4）を超えるか、米国製"
                "（§ 734.3(a)(2)）であればEARの対象となります。米国原産部分の割合が示されていません"
            )
            reason = Reason("subject:us-content", text, SOURCE_DE_MINIMIS, ja)
            return SubjectResult(None, reason, ("us_content_pct",))
        if share >= 100:
            text = f"a US-made item re-exported from {origin} is subject to the EAR (§ 734.3(a)(2))"
            ja = f"{origin}から再輸出される米国製品はEARの対象です（§ 734.3(a)(2)）"
            return SubjectResult(True, Reason("subject:us-origin", text, SOURCE_SUBJECT, ja))
        if any(NO_DE_MINIMIS.match(e.id) for e in entries):
            text = (
                f"{', '.join(e.id for e in entries)}: no de minimis level applies (§ 734.4(a)(6)); subject to the EAR"
            )
            ja = f"{'、'.join(e.id for e in entries)}：デミニミス水準は適用されません（§ 734.4(a)(6)）。EARの対象です"
            return SubjectResult(True, Reason("subject:no-de-minimis", text, SOURCE_DE_MINIMIS, ja))
        embargoed = _in(snapshot, destination, EMBARGOED_GROUPS)
        level = DE_MINIMIS_EMBARGOED if embargoed else DE_MINIMIS
        paragraph = "§ 734.4(d)" if embargoed else "§ 734.4(c)"
        if share > level:
            text = (
                f"US content {share:g} % exceeds the de minimis level of {level:g} % ({paragraph}): subject to the EAR"
            )
            ja = f"米国原産部分{share:g} %はデミニミス水準{level:g} %（{paragraph}）を超えます：EARの対象です"
            return SubjectResult(True, Reason("subject:de-minimis", text, SOURCE_DE_MINIMIS, ja))
        within = f"US content {share:g} % is at or under the de minimis level of {level:g} % ({paragraph})"
        within_ja = f"米国原産部分{share:g} %はデミニミス水準{level:g} %（{paragraph}）以下です"
        reach = _direct_product_reach(snapshot, destination, entries, end_user_hits)
        if reach is not None:
            rule, rule_ja = reach
            if line.us_direct_product is None:
                text = f"{within}, but {rule} may make it subject: whether it is such a direct product is not given"
                ja = (
                    f"{within_ja}が、{rule_ja}により対象となる可能性があります：そのような直接製品かどうかが"
                    "示されていません"
                )
                reason = Reason("subject:direct-product", text, SOURCE_FDP, ja)
                return SubjectResult(None, reason, ("us_direct_product",))
            if line.us_direct_product:
                text = f"{within}, but as a direct product {rule} makes it subject to the EAR"
                ja = f"{within_ja}が、直接製品であるため{rule_ja}によりEARの対象となります"
                return SubjectResult(True, Reason("subject:direct-product", text, SOURCE_FDP, ja))
        text = f"{within}: the item is not subject to the EAR"
        ja = f"{within_ja}：この品目はEARの対象ではありません"
        return SubjectResult(False, Reason("subject:de-minimis", text, SOURCE_DE_MINIMIS, ja))


RULES = UsRules()
