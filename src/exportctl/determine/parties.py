"""Screening the transaction's parties, and what each hit means under the regime's list policies.

End User List hits go to the catch-all end-user requirement. A confirmed hit on a prohibiting list
(e.g. Japan's asset-freeze list) prohibits the transaction; a weaker hit there, or any hit on a list whose
policy is review (e.g. US lists for a Japanese exporter), blocks it until an officer reviews the hit.
"""

from __future__ import annotations

from dataclasses import dataclass

from exportctl.model import PartyScreener, Reason, ScreeningHit, Transaction
from exportctl.regime.snapshot import Snapshot

END_USER_LIST = "jp-eul"


@dataclass(frozen=True, slots=True)
class PartyFindings:
    end_user_hits: tuple[ScreeningHit, ...] = ()
    consignee_hits: tuple[ScreeningHit, ...] = ()
    eul_hits: tuple[ScreeningHit, ...] | None = None  # None: the end user could not be checked
    prohibitions: tuple[Reason, ...] = ()
    reviews: tuple[Reason, ...] = ()
    blocked_by: tuple[str, ...] = ()
    reasons: tuple[Reason, ...] = ()


def _describe(role: str, party: str, hit: ScreeningHit) -> str:
    return (
        f"{role} '{party}' matches {hit.list_id} {hit.entity_id} '{hit.name}' via '{hit.matched_name}'"
        f" (score {hit.score}; {', '.join(hit.countries) or 'no country'}"
        f"{'; concerns ' + ', '.join(hit.concerns) if hit.concerns else ''}; list version {hit.list_version})"
    )


def screen_parties(snapshot: Snapshot, transaction: Transaction, screener: PartyScreener | None) -> PartyFindings:
    if screener is None:
        return PartyFindings()
    parties = {
        "end user": (transaction.end_user, transaction.end_user_country or transaction.destination),
        "consignee": (transaction.consignee, transaction.destination),
    }
    hits = {role: screener.screen_party(name, country) if name else () for role, (name, country) in parties.items()}
    prohibitions: list[Reason] = []
    reviews: list[Reason] = []
    blocked: list[str] = []
    reasons: list[Reason] = []
    eul: list[ScreeningHit] = []
    for role, role_hits in hits.items():
        party = parties[role][0] or ""
        for hit in role_hits:
            policy = snapshot.list_policies.get(hit.list_id)
            effect = policy.record.effect if policy else snapshot.unknown_list_effect
            source = policy.source if policy else None
            text = _describe(role, party, hit)
            if effect == "end-user-list":
                if role == "end user":
                    eul.append(hit)
                reasons.append(Reason("screening:end-user-list", text, source))
            elif effect == "prohibited" and hit.score >= snapshot.confirmed_score:
                prohibitions.append(Reason(f"screening:{hit.list_id}", f"{text}: prohibited", source))
            else:
                why = "below the confirmed score" if effect == "prohibited" else "review list"
                reviews.append(Reason(f"screening:{hit.list_id}", f"{text}: blocked pending review ({why})", source))
                blocked.append(f"{role}: {hit.list_id} {hit.entity_id}")
    can_check_eul = transaction.end_user is not None and screener.has_list(END_USER_LIST)
    return PartyFindings(
        end_user_hits=hits["end user"],
        consignee_hits=hits["consignee"],
        eul_hits=tuple(eul) if can_check_eul else None,
        prohibitions=tuple(prohibitions),
        reviews=tuple(reviews),
        blocked_by=tuple(blocked),
        reasons=tuple(reasons),
    )
