"""Catch-all controls (goods of the catch-all row): does any requirement in force make a licence necessary?

Each rule is checked on its own; the result is "met" (licence required), "not met", or "unknown" with
the facts that are missing. A line with an unknown requirement and none met is indeterminate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from exportctl.core_types import Reason, ScreeningHit, Transaction
from exportctl.determine import wording
from exportctl.regime import schema as s
from exportctl.regime.sections import CATCH_ALL
from exportctl.regime.snapshot import Snapshot

# The transaction's fact each end-use requirement reads, and how the reasons name it.
END_USES: dict[str, tuple[str, str]] = {
    "wmd": ("wmd_end_use", "WMD"),
    "conventional": ("conventional_end_use", "conventional weapons"),
    "repression": ("repression_end_use", "internal repression or serious violations of human rights"),
}


@dataclass(frozen=True, slots=True)
class CatchAllResult:
    met: tuple[Reason, ...] = ()
    not_met: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = ()
    unknown: tuple[Reason, ...] = field(default=())


@dataclass
class _Tally:
    met: list[Reason] = field(default_factory=list)
    not_met: list[Reason] = field(default_factory=list)
    unknown: list[Reason] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def add(self, bucket: list[Reason], rule: s.CatchAllRule, source: str, text: tuple[str, str], *needs: str) -> None:
        """`text`: what decided the requirement, in English and Japanese."""
        english, japanese = text
        title = wording.ja(rule.title)
        bucket.append(
            Reason(
                f"catch-all:{rule.id}", f"{rule.title.en}: {english}", source, f"{title}：{japanese}" if title else None
            )
        )
        self.missing.extend(needs)


def _names(snapshot: Snapshot, rule: s.CatchAllRule, entry_id: str | None) -> bool:
    """Whether the rule's `entries` name the entry, or its row (the EAR's end-use controls reach every category)."""
    if entry_id in rule.entries:
        return True
    active = snapshot.entries.get(entry_id or "")
    return active is not None and active.record.row in rule.entries


def evaluate(
    snapshot: Snapshot,
    transaction: Transaction,
    entry_ids: Sequence[str | None],
    group: str,
    end_user_hits: Sequence[ScreeningHit] | None,
) -> CatchAllResult:
    """`entry_ids` holds the catch-all row's entry of the line, or None when its HS code (so the entry) is unknown."""
    tally = _Tally()
    destination = transaction.destination
    terms = snapshot.pack.meta.terms
    for active in snapshot.active(CATCH_ALL):
        rule, source = active.record, active.source
        if not snapshot.reaches(rule.destinations, destination, group):
            continue
        if None not in entry_ids and not any(_names(snapshot, rule, entry_id) for entry_id in entry_ids):
            continue
        if rule.requirement == "informed":
            if transaction.informed:
                tally.add(tally.met, rule, source, (terms.informed, "当局から通知を受けています"))
            else:
                tally.add(tally.not_met, rule, source, (terms.not_informed, "当局からの通知を受けていません"))
        elif rule.requirement == "end-use":
            flag, named = END_USES[rule.weapon]
            named_ja = wording.WEAPONS[rule.weapon]
            declared = getattr(transaction, flag)
            if declared is None:
                tally.add(
                    tally.unknown, rule, source, ("the end use has not been declared", "用途が申告されていません"), flag
                )
            elif declared:
                tally.add(tally.met, rule, source, (f"declared end use is {named}", f"申告された用途は{named_ja}です"))
            else:
                tally.add(
                    tally.not_met,
                    rule,
                    source,
                    (f"declared end use is not {named}", f"申告された用途は{named_ja}ではありません"),
                )
        else:
            eul = (terms.end_user_list, wording.end_user_list(snapshot))
            _end_user(tally, rule, source, transaction, end_user_hits, eul)
    if None in entry_ids and (tally.met or tally.unknown):
        tally.missing.append("hs_code")
    return CatchAllResult(
        tuple(tally.met), tuple(tally.not_met), tuple(dict.fromkeys(tally.missing)), tuple(tally.unknown)
    )


def _end_user(
    tally: _Tally,
    rule: s.CatchAllRule,
    source: str,
    transaction: Transaction,
    hits: Sequence[ScreeningHit] | None,
    end_user_list: tuple[str, str],
) -> None:
    """`end_user_list`: the list's name in English and Japanese."""
    eul, eul_ja = end_user_list
    if transaction.end_user is None:
        tally.add(tally.unknown, rule, source, ("the end user is not named", "需要者が示されていません"), "end_user")
        return
    if hits is None:
        text = (f"the {eul} is not loaded", f"{eul_ja}が読み込まれていません")
        tally.add(tally.unknown, rule, source, text, "end_user_list")
        return
    concerned = [hit for hit in hits if set(hit.concerns) & set(rule.eul_concerns)]
    if not concerned:
        listed = f" (listed only for {', '.join(hits[0].concerns)})" if hits else ""
        listed_ja = f"（{wording.joined(hits[0].concerns)}についてのみ掲載）" if hits else ""
        wanted = ", ".join(rule.eul_concerns)
        tally.add(
            tally.not_met,
            rule,
            source,
            (
                f"'{transaction.end_user}' is not on the {eul} for {wanted}{listed}",
                f"'{transaction.end_user}'は{wording.joined(rule.eul_concerns)}について{eul_ja}に掲載されていません"
                f"{listed_ja}",
            ),
        )
        return
    hit = concerned[0]
    concerns = ", ".join(hit.concerns)
    if transaction.clearly_not and rule.clearly_not_applies:
        text = (
            f"end user listed as '{hit.name}' ({concerns}), but the 'clearly not' guideline was applied",
            f"需要者は'{hit.name}'（{wording.joined(hit.concerns)}）として掲載されていますが、"
            "「明らかガイドライン」が適用されました",
        )
        tally.add(tally.not_met, rule, source, text)
    else:
        tally.add(
            tally.met,
            rule,
            source,
            (
                f"end user is listed as '{hit.name}' ({hit.entity_id}; concerns {concerns})",
                f"需要者は'{hit.name}'（{hit.entity_id}；懸念区分 {wording.joined(hit.concerns)}）として"
                "掲載されています",
            ),
        )
