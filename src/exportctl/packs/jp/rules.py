"""Japan's rules that are code: the small-value exception (Export Trade Control Order Art. 4(1)(iv), from
2025-10-09 (v)), whose records are the pack's own dated section `small_value` of rules.yaml.

Goods of the listed rows need no licence up to a contract value per sub-item (lower for the goods of Appended
Table 3-3), never to Appended Table 4; outside Group A every WMD concern case must be ruled out, an End User List
end user among them, and an inform notice removes the exception (for Group A too from 2025-10-09).

Versions of the pack stored in an older pack format upgrade through `format_1.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from exportctl.core_types import ExceptionCheck, ScreeningHit, Transaction
from exportctl.packs.jp import format_1
from exportctl.regime import schema as s
from exportctl.regime.plugin import ExceptionResult, ListedLine, NoRules
from exportctl.regime.sections import Section
from exportctl.regime.snapshot import Snapshot
from exportctl.regime.yamltext import PackError

GROUP_A = "A"  # Appended Table 3: the group for which the exception asks least
TABLE_3_2 = "table-3-2"  # UN arms embargo destinations: a conventional-weapons end use loses the exception


class ReducedThreshold(s.Strict):
    """Appended Table 3-3: goods of `rows`/`entries` always take the lower threshold; goods of `designated_rows`/
    `designated_entries` only where a ministerial notice designates them (`designation_source`)."""

    threshold_jpy: int
    rows: list[s.EntryOrRowId] = Field(default_factory=list)
    entries: list[s.EntryOrRowId] = Field(default_factory=list)
    designated_rows: list[s.EntryOrRowId] = Field(default_factory=list)
    designated_entries: list[s.EntryOrRowId] = Field(default_factory=list)
    designation_source: s.SourceId | None = None


class SmallValue(s.Dated):
    id: str
    title: s.Text
    rows: list[s.EntryOrRowId]
    threshold_jpy: int
    reduced: ReducedThreshold
    excluded_destinations: Literal["table-4"]
    end_user_concerns: list[str] = Field(
        default=[], description="End User List concern types that lose the exception outside Group A"
    )
    clearly_not_applies: bool = False
    informed_in_group_a: bool = Field(default=True, description="An inform notice also removes it for Group A")


def _fact(name: str, rule: SmallValue) -> s.Text:
    text = (
        f"{rule.title.en}: rows {', '.join(rule.rows)} up to ¥{rule.threshold_jpy:,}"
        f" (¥{rule.reduced.threshold_jpy:,} for Appended Table 3-3 goods)"
    )
    return s.Text(en=text, ja=rule.title.ja)


SMALL_VALUE: Section[SmallValue] = Section("exception", "rules.yaml", "small_value", SmallValue, "list", _fact)

# holds (None: unknown), the fact missing when unknown, and why it fails in English and Japanese: written only
# for a condition that fails or is unknown (a bulk entry checks the exception on most of its lines).
Condition = tuple[bool | None, str, Callable[[], tuple[str, str]]]
HOLDS: Condition = (True, "", lambda: ("", ""))


@dataclass(frozen=True)
class JapanRules(NoRules):
    sections: tuple[Section[Any], ...] = (SMALL_VALUE,)

    def exceptions(self, snapshot: Snapshot, line: ListedLine) -> Sequence[ExceptionResult]:
        if line.kind != "goods":
            return ()  # the exception is for goods only
        in_force = snapshot.active(SMALL_VALUE)
        return (small_value(snapshot, line, in_force[0].record, in_force[0].source),) if in_force else ()

    def upgrade(self, written_in: int, files: dict[str, Any]) -> dict[str, Any]:
        if written_in != 1:
            raise PackError(
                "pack.yaml", ("format",), None, f"Japan's pack was never written in pack format {written_in}"
            )
        return format_1.upgrade(files)


RULES = JapanRules()


def small_value(snapshot: Snapshot, line: ListedLine, rule: SmallValue, source: str) -> ExceptionResult:
    """Export Trade Control Order art. 4(1)(iv)/(v). The contract value is summed per sub-item."""

    def result(applied: bool, why: str, why_ja: str, missing: tuple[str, ...] = ()) -> ExceptionResult:
        return ExceptionResult(ExceptionCheck(rule.id, applied, why, source, why_ja), missing)

    # It is not applied as soon as one condition fails; it is undecided only when none fails and one is unknown.
    transaction, entry = line.transaction, line.entry
    destination = transaction.destination
    values = line.same_entry_values
    total = None if any(v is None for v in values) else sum(v for v in values if v)
    reduced = entry.row in rule.reduced.rows or entry.id in rule.reduced.entries
    designated = entry.row in rule.reduced.designated_rows or entry.id in rule.reduced.designated_entries
    threshold = rule.reduced.threshold_jpy if reduced else rule.threshold_jpy
    rows, rows_ja = ", ".join(rule.rows), "、".join(rule.rows)

    def basis() -> tuple[str, str]:
        return ("Appended Table 3-3 goods", "別表第3の3の貨物") if reduced else (f"rows {rows}", f"{rows_ja}の項")

    outside_a = line.group != GROUP_A
    embargo_3_2 = snapshot.in_table(TABLE_3_2, destination)
    conditions: list[Condition] = [
        (
            entry.row in rule.rows,
            "",
            lambda: (
                f"row {entry.row} is not among rows {rows}",
                f"{entry.row}の項は{rows_ja}の項に含まれません",
            ),
        ),
        (
            not snapshot.in_table(rule.excluded_destinations, destination),
            "",
            lambda: (f"{destination} is in Appended Table 4", f"{destination}は別表第4に掲げる地域です"),
        ),
        (
            not transaction.informed if outside_a or rule.informed_in_group_a else True,
            "",
            lambda: (
                "METI has informed the exporter (inform notice)",
                "経済産業大臣から輸出者に通知（インフォーム）がありました",
            ),
        ),
        _designation(rule, entry, total) if designated and not reduced else HOLDS,
        (
            None if total is None else total <= threshold,
            "value_jpy",
            lambda: (
                (
                    f"contract value of {entry.id} ¥{total:,} exceeds ¥{threshold:,} ({basis()[0]})",
                    f"{entry.id}の契約金額{total:,}円が{threshold:,}円（{basis()[1]}）を超えます",
                )
                if total is not None
                else (
                    f"the contract value of entry {entry.id} is not stated",
                    f"{entry.id}の契約金額が記載されていません",
                )
            ),
        ),
        (
            True if not outside_a else _negated(transaction.wmd_end_use),
            "wmd_end_use",
            lambda: (
                (
                    "the exporter knows of a WMD-related end use",
                    "輸出者は大量破壊兵器等の開発等に用いられる用途を知っています",
                )
                if transaction.wmd_end_use
                else (
                    "whether the goods may serve WMD is unknown",
                    "大量破壊兵器等の開発等に用いられるおそれの有無が不明です",
                )
            ),
        ),
        (
            True if not embargo_3_2 else _negated(transaction.conventional_end_use),
            "conventional_end_use",
            lambda: (
                (
                    "conventional-weapons end use to an Appended Table 3-2 destination",
                    "別表第3の2に掲げる地域向けで通常兵器の開発等に用いられる用途です",
                )
                if transaction.conventional_end_use
                else (
                    "whether the goods may serve conventional weapons is unknown",
                    "通常兵器の開発等に用いられるおそれの有無が不明です",
                )
            ),
        ),
    ]
    if outside_a and rule.end_user_concerns:
        conditions.append(_end_user_condition(rule, transaction, line.end_user_hits))
    failed = next((texts for holds, _, texts in conditions if holds is False), None)
    if failed is not None:
        return result(False, *failed())
    unknown = [(fact, texts()) for holds, fact, texts in conditions if holds is None]
    if unknown:
        return result(
            False,
            "; ".join(why for _, (why, _) in unknown),
            "；".join(why_ja for _, (_, why_ja) in unknown),
            tuple(fact for fact, _ in unknown),
        )
    return result(
        True,
        f"contract value of {entry.id} ¥{total or 0:,} ≤ ¥{threshold:,} ({basis()[0]})",
        f"{entry.id}の契約金額{total or 0:,}円 ≤ {threshold:,}円（{basis()[1]}）",
    )


def _designation(rule: SmallValue, entry: s.Entry, total: int | None) -> Condition:
    """Goods of a sub-item Appended Table 3-3 lists "as designated by METI notice" take the lower threshold only if
    the notice designates them; the notice's list is not encoded, so between the two thresholds it decides."""
    low, high = rule.reduced.threshold_jpy, rule.threshold_jpy
    if total is None or total <= low:
        return HOLDS
    if total > high:
        return (
            False,
            "",
            lambda: (
                f"contract value of {entry.id} ¥{total:,} exceeds ¥{high:,}",
                f"{entry.id}の契約金額{total:,}円が{high:,}円を超えます",
            ),
        )
    return (
        None,
        "small_value_designation",
        lambda: (
            f"entry {entry.id} is in Appended Table 3-3 where METI's notice designates the goods: if it designates"
            f" these, the limit is ¥{low:,} (exceeded by ¥{total:,}), else ¥{high:,}",
            f"{entry.id}は別表第3の3で経済産業大臣が告示で定める貨物に当たります：告示で定めるものであれば限度額は"
            f"{low:,}円（契約金額{total:,}円で超過）、そうでなければ{high:,}円です",
        ),
    )


def _end_user_condition(rule: SmallValue, transaction: Transaction, hits: Sequence[ScreeningHit] | None) -> Condition:
    """Outside Group A the exception is lost when the goods may serve WMD as the ordinance defines it, which
    includes an end user on the End User List (unless the "clearly not" guideline applies)."""
    if transaction.end_user is None:
        return (
            None,
            "end_user",
            lambda: (
                "the end user is not named, so the End User List case cannot be ruled out",
                "需要者が示されていないため、外国ユーザーリストに掲載された者である場合を否定できません",
            ),
        )
    if hits is None:
        return (
            None,
            "end_user_list",
            lambda: (
                "the End User List is not loaded, so the end user could not be checked",
                "外国ユーザーリストが読み込まれていないため、需要者を確認できません",
            ),
        )
    concerned = [hit for hit in hits if set(hit.concerns) & set(rule.end_user_concerns)]
    if not concerned:
        return HOLDS
    hit = concerned[0]
    if transaction.clearly_not and rule.clearly_not_applies:
        return HOLDS
    return (
        False,
        "",
        lambda: (
            f"the end user is on the End User List as '{hit.name}' ({hit.entity_id}; concerns"
            f" {', '.join(hit.concerns)}): a WMD concern case, so the exception does not apply outside Group A",
            f"需要者が外国ユーザーリストに「{hit.name}」（{hit.entity_id}；懸念区分 {'、'.join(hit.concerns)}）"
            "として掲載されています："
            "大量破壊兵器等の懸念がある場合に当たるため、グループA以外の地域向けには特例を適用できません",
        ),
    )


def _negated(flag: bool | None) -> bool | None:
    return None if flag is None else not flag
