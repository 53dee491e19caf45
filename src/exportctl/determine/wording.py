"""The engine's Japanese words: what its Japanese reason texts (`Reason.text_ja`) say besides the pack's own texts.

The engine writes each reason twice, in English and in Japanese, from the same values: the pack's bilingual
texts (`s.Text`: titles, conditions) give their `ja`, and the sentences around them are the engine's own, written
here or beside the English sentence. Nothing is translated from English. A pack's words that have no Japanese
(its `terms`, the law a licence is required under) are left out of the Japanese sentence, which cites the same
source. A pack text whose `ja` merely repeats its `en` (the US and EU packs' entry titles) has no Japanese: a
sentence that only names it leaves it out, and a reason that is that text has no Japanese text (None). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from exportctl.core_types import LineKind, Outcome
from exportctl.regime import schema as s
from exportctl.regime.sections import LIST_POLICIES
from exportctl.regime.snapshot import Snapshot

OUTCOMES: dict[Outcome, str] = {
    Outcome.NO_LICENCE_REQUIRED: "許可不要",
    Outcome.LICENCE_REQUIRED: "許可必要",
    Outcome.PROHIBITED: "禁止",
    Outcome.INDETERMINATE: "判定不能",
}
KINDS: dict[LineKind, str] = {"goods": "貨物", "technology": "技術"}
PURPOSES: dict[str, str] = {"design": "設計", "manufacture": "製造", "use": "使用"}
RESIDENCIES: dict[str, str] = {
    "non-resident": "非居住者",
    "resident": "居住者",
    "resident-specified-category": "特定類型に該当する居住者",
}
WEAPONS: dict[str, str] = {
    "wmd": "大量破壊兵器",
    "conventional": "通常兵器",
    "repression": "国内抑圧又は重大な人権侵害",
}
OPERATORS: dict[str, str] = {"in": "∈", "not-in": "∉", "==": "=", "!=": "≠", ">=": "≥", "<=": "≤"}
INDETERMINATE = "許可の要否を決める事実が不足しています"
UNSCREENED = "取引先が必要なすべてのリストと照合されていません"
NO_TECHNOLOGY_ABROAD = "この日付に外国で提供される技術を規制する規定はありません"
LICENCE_REQUIRED = "許可が必要です"


def ja(text: s.Text | None) -> str | None:
    """The Japanese of a pack text, or None where the pack has none (its `ja` repeats its `en`)."""
    if text is None or text.ja == text.en:
        return None
    return text.ja


def joined(values: Iterable[str]) -> str:
    return "、".join(values)


def purposes(values: Iterable[str]) -> str:
    return "・".join(PURPOSES.get(value, value) for value in values)


def home(snapshot: Snapshot) -> str:
    """The pack's territory: one state (`国内`), or several (`域内`)."""
    return "国内" if len(snapshot.pack.meta.home) == 1 else "域内"


def row_title(snapshot: Snapshot, kind: LineKind, row_id: str) -> str:
    """A row of the control list by its Japanese title and id (its id alone where the title has no Japanese)."""
    row = snapshot.pack.rows.get(row_id)
    title = None if row is None else ja(row.technology_title if kind == "technology" else row.goods_title)
    return f"{title}（{row_id}）" if title is not None else f"区分{row_id}"


def listing(snapshot: Snapshot, kind: LineKind, entry: s.Entry, clause: str | None, numbers: Sequence[str]) -> str:
    """Where a line's entry is listed: the entry (its clause), its Japanese title where the pack has one, its
    international numbers, and its row."""
    about = [title] if (title := ja(entry.title)) is not None else []
    shown = [number for number in numbers if number != entry.id]
    about += [joined(shown)] if shown else [] if numbers else ["国際番号なし"]
    described = "；".join(about)
    named = f"{entry.id}{f'#{clause}' if clause else ''}{f'（{described}）' if about else ''}"
    return f"{named}の{KINDS[kind]}は規制リストの{row_title(snapshot, kind, entry.row)}に掲げられています"


def parameter(snapshot: Snapshot, param: str) -> str:
    """A parameter by its Japanese title, its id beside it (the id is what the specification names)."""
    found = snapshot.pack.parameters.get(param)
    title = None if found is None else ja(found.title)
    return f"{title}（{param}）" if title is not None else param


def end_user_list(snapshot: Snapshot) -> str:
    """The list the catch-all end-user requirement looks up, by its policy's Japanese title."""
    for active in snapshot.active(LIST_POLICIES):
        title = ja(active.record.title)
        if active.record.effect == "end-user-list" and title is not None:
            return title
    return "需要者リスト"


def verified_periods(periods: Iterable[s.Verified]) -> str:
    return "；".join(f"{v.start}–{v.end or ''}" for v in periods) or "なし"
