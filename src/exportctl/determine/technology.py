"""Technology lines → the pack's technology entries, and whether the transfer is a controlled one.

A technology line names its item as a technology entry (an id of the pack's technology grammar), an international
technology number
(`1E001`), or goods (an entry id, goods number, CAS number or HS code) whose technology is meant; goods resolve
to the technology entries that name them. The ordinance controls some technology only for some purposes
(design, manufacture, use): where control depends on the purpose and it is not stated, the answer is
undetermined with `tech_purpose` missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from exportctl.core_types import EntryMatch, Line, Reason
from exportctl.determine import wording
from exportctl.determine.classify import (
    Classification,
    UnknownItem,
    classify_item,
    resolve_control_number,
    unclassified,
)
from exportctl.regime import schema as s
from exportctl.regime.sections import TECHNOLOGY
from exportctl.regime.snapshot import Active, Snapshot

Candidate = tuple[s.Entry, tuple[str, ...], str]  # technology entry, goods it relates to, how it was found


def classify_technology(
    snapshot: Snapshot, line: Line, goods: Classification | None, known_entries: Mapping[str, s.Entry]
) -> Classification:
    """`goods` is the goods classification of a specification line; an item is resolved here."""
    if goods is None:
        assert line.item is not None
        direct = _direct(snapshot, line.item.strip(), line.tech_purpose, known_entries)
        if direct is not None:
            return direct
        goods = classify_item(snapshot, line.item)
    if goods.status != "listed" or _is_catch_all(snapshot, goods):
        return goods  # catch-all row technology, not listed, or undetermined: as for the goods
    candidates: list[Candidate] = []
    unmapped: list[str] = []
    for match in goods.matches:
        label = f"{match.entry}#{match.clause}" if match.clause else match.entry
        related = snapshot.technology_of.get(match.entry, ())
        if not related:
            unmapped.append(match.entry)
        candidates.extend((entry, (label,), "goods-entry") for entry in related)
    if unmapped and not candidates:
        return unclassified(
            f"no entry of {snapshot.pack.licences.required.technology.listed_in} in force names goods"
            f" {', '.join(unmapped)}; name the technology entry (such as"
            f" {snapshot.pack.meta.entry_ids.technology.such_as()}) or its international number",
            note_ja=f"この日付に施行されている技術の項目で貨物{wording.joined(unmapped)}を掲げるものはありません。"
            f"技術の項目（{wording.joined(snapshot.pack.meta.entry_ids.technology.examples)}など）又はその国際番号を示してください",
        )
    return _by_purpose(_merge(candidates), line.tech_purpose)


def _is_catch_all(snapshot: Snapshot, goods: Classification) -> bool:
    return any(snapshot.pack.rows[snapshot.entries[m.entry].record.row].catch_all for m in goods.matches)


def _direct(
    snapshot: Snapshot, text: str, purpose: str | None, known_entries: Mapping[str, s.Entry]
) -> Classification | None:
    """A technology entry id or an international technology number; None when the item names goods."""
    if snapshot.pack.meta.entry_ids.technology.matches(text):
        active = snapshot.entries.get(text)
        if active is None:
            if text in known_entries:
                return unclassified(
                    f"technology entry {text} is not in force on this date; use the entries then in force",
                    note_ja=f"技術の項目{text}はこの日付に施行されていません。その日に施行されていた項目を用いてください",
                )
            raise UnknownItem(f"'{text}' is not a technology entry of the pack")
        return _by_purpose([(active.record, tuple(active.record.goods_entries), "entry")], purpose)
    matches = [m for m in resolve_control_number(snapshot, text) if _technology(snapshot.entries[m.entry])]
    if not matches:
        return None
    entries = [snapshot.entries[m.entry].record for m in matches]
    return _by_purpose([(e, tuple(e.goods_entries), "control-number") for e in entries], purpose)


def _technology(active: Active[s.Entry]) -> bool:
    return active.record.kind == "technology"


def _merge(candidates: Sequence[Candidate]) -> list[Candidate]:
    merged: dict[str, Candidate] = {}
    for entry, goods, via in candidates:
        if entry.id in merged:
            _, known, how = merged[entry.id]
            merged[entry.id] = (entry, tuple(dict.fromkeys([*known, *goods])), how)
        else:
            merged[entry.id] = (entry, goods, via)
    return list(merged.values())


def _by_purpose(candidates: Sequence[Candidate], purpose: str | None) -> Classification:
    matches: list[EntryMatch] = []
    undecided: list[EntryMatch] = []
    excluded: list[s.Entry] = []
    for entry, goods, via in candidates:
        match = EntryMatch(entry.id, None, tuple(entry.control_numbers), via, goods=goods)  # type: ignore[arg-type]
        if not entry.purposes or purpose in entry.purposes:
            matches.append(match)
        elif purpose is None:
            undecided.append(match)
        else:
            excluded.append(entry)
    if matches:
        return Classification("listed", tuple(matches))
    if undecided:
        controlled = "; ".join(
            f"{m.entry}: {', '.join(e.purposes)}"
            for m, e in zip(undecided, _entries(candidates, undecided), strict=True)
        )
        controlled_ja = "；".join(
            f"{m.entry}：{wording.purposes(e.purposes)}"
            for m, e in zip(undecided, _entries(candidates, undecided), strict=True)
        )
        return Classification(
            "undetermined",
            tuple(undecided),
            missing=("tech_purpose",),
            note=f"control depends on what the technology is for ({controlled}); state design, manufacture or use",
            note_ja=f"規制は技術の用途によります（{controlled_ja}）。設計・製造・使用のいずれかを示してください",
        )
    partial = [entry.id for entry in excluded if not entry.complete]
    purposes = "; ".join(f"{entry.id} controls {', '.join(entry.purposes)} technology" for entry in excluded)
    purposes_ja = "；".join(f"{entry.id}は{wording.purposes(entry.purposes)}の技術を規制します" for entry in excluded)
    if partial:
        return unclassified(
            f"{purposes}; entries {', '.join(partial)} are not completely encoded",
            note_ja=f"{purposes_ja}。項目{wording.joined(partial)}は完全には収録されていません",
        )
    return Classification(
        "not-controlled",
        note=f"{purpose} technology is not listed: {purposes}",
        note_ja=f"{wording.PURPOSES.get(purpose or '', purpose)}の技術は掲げられていません：{purposes_ja}",
    )


def _entries(candidates: Sequence[Candidate], matches: Sequence[EntryMatch]) -> list[s.Entry]:
    by_id = {entry.id: entry for entry, _, _ in candidates}
    return [by_id[m.entry] for m in matches]


def transfer_controlled(snapshot: Snapshot, line: Line, destination: str) -> tuple[bool | None, Reason]:
    """Provision in a foreign state (any recipient) or at home to the residencies the pack's technology rules in force
    name (`residency`). A destination outside the pack's territory (`home`) means provided there."""
    home, at_home = snapshot.pack.meta.terms.home, destination in snapshot.pack.meta.home
    abroad = not at_home or line.provided_abroad
    if at_home and not abroad and snapshot.pack.meta.home_transfers:
        return True, Reason(
            "technology:transfer",
            f"the technology moves to {destination} within {home}: a transfer the regime decides, whatever the"
            " recipient's residency",
            snapshot.pack.licences.required.technology.source,
            f"技術は{wording.home(snapshot)}の{destination}に移転されます：受領者の居住性にかかわらず、規制の対象となる"
            "移転です",
        )
    for active in snapshot.active(TECHNOLOGY):
        rule = active.record
        title = wording.ja(rule.title)
        if abroad and rule.provided_abroad:
            where = "in a foreign state" if at_home else f"in {destination}, a foreign state"
            where_ja = "外国" if at_home else f"外国である{destination}"
            return True, Reason(
                f"technology:{rule.id}",
                f"{rule.title.en}: the technology is provided {where}, controlled whatever the recipient's residency",
                active.source,
                f"{title}：技術は{where_ja}で提供され、受領者の居住性にかかわらず規制されます" if title else None,
            )
        if not abroad and line.residency is not None and line.residency in rule.residency:
            return True, Reason(f"technology:{rule.id}", rule.title.en, active.source, title)
    if abroad:
        return False, Reason(
            "technology:abroad",
            "no rule in force controls technology provided abroad on this date",
            text_ja=wording.NO_TECHNOLOGY_ABROAD,
        )
    here = wording.home(snapshot)
    if line.residency is None:
        return None, Reason(
            "technology:residency",
            f"the technology is provided in {home} and the recipient's residency is not stated",
            text_ja=f"技術は{here}で提供され、受領者の居住性が示されていません",
        )
    return False, Reason(
        "technology:resident",
        f"recipient is a {line.residency} in {home} and the technology is provided in {home}: not a controlled"
        " transfer on this date",
        snapshot.pack.licences.required.technology.source,
        f"受領者は{here}の{wording.RESIDENCIES.get(line.residency, line.residency)}であり、技術は{here}で提供されます："
        "この日付には規制される取引ではありません",
    )
