"""Screening the transaction's parties, and what each hit means under the regime's list policies.

Hits on a list whose policy is `end-user-list` go to the catch-all end-user requirement. A confirmed hit on a
prohibiting list (e.g. an asset-freeze list) prohibits the transaction; one on a list whose hit requires a licence
(the EAR's Entity List) requires it for every line; a weaker hit there, or any hit on a list
whose policy is review (e.g. another country's lists), blocks it until an officer reviews the hit.
A party is cleared only against the lists the regime requires: while one is not loaded, or is older than
its maximum age, the parties are unscreened (`unscreened`) and nothing can be cleared.
"""

from __future__ import annotations

from dataclasses import dataclass

from exportctl.core_types import PartyScreener, Reason, ScreeningHit, Transaction
from exportctl.determine import wording
from exportctl.regime.sections import LIST_POLICIES
from exportctl.regime.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class Requirement:
    """A licence a party's listing requires for every line (the EAR's Entity List): only `licences` may be used,
    reviewed under the listed entity's policy."""

    reason: Reason
    licences: tuple[str, ...]
    review_policy: str


@dataclass(frozen=True, slots=True)
class PartyFindings:
    end_user_hits: tuple[ScreeningHit, ...] = ()
    consignee_hits: tuple[ScreeningHit, ...] = ()
    eul_hits: tuple[ScreeningHit, ...] | None = None  # None: the end user could not be checked
    prohibitions: tuple[Reason, ...] = ()
    requirements: tuple[Requirement, ...] = ()  # confirmed hits on lists whose hit requires a licence
    reviews: tuple[Reason, ...] = ()
    blocked_by: tuple[str, ...] = ()
    reasons: tuple[Reason, ...] = ()
    unscreened: tuple[Reason, ...] = ()  # required lists not loaded or too old: the parties are not cleared


ROLES_JA = {"end user": "需要者", "consignee": "荷受人"}


def _describe(role: str, party: str, hit: ScreeningHit) -> str:
    return (
        f"{role} '{party}' matches {hit.list_id} {hit.entity_id} '{hit.name}' via '{hit.matched_name}'"
        f" (score {hit.score}; {', '.join(hit.countries) or 'no country'}"
        f"{'; concerns ' + ', '.join(hit.concerns) if hit.concerns else ''}; list version {hit.list_version})"
    )


def _describe_ja(role: str, party: str, hit: ScreeningHit) -> str:
    return (
        f"{ROLES_JA[role]}'{party}'は{hit.list_id} {hit.entity_id} '{hit.name}'に'{hit.matched_name}'で一致しました"
        f"（スコア {hit.score}；{wording.joined(hit.countries) or '国・地域なし'}"
        f"{'；懸念区分 ' + wording.joined(hit.concerns) if hit.concerns else ''}；リストの版 {hit.list_version}）"
    )


HOW_TO_LOAD = "set EXPORTCTL_LISTS_DIR to the folder of official list files, or `exportctl lists load FILE --list ID`"
HOW_TO_LOAD_JA = (
    "EXPORTCTL_LISTS_DIR に公式リストのファイルのフォルダを設定するか、`exportctl lists load FILE --list ID` を"
    "実行してください"
)


@dataclass(frozen=True, slots=True)
class ListGap:
    """A list the regime requires that the screener cannot vouch for: not loaded, or older than allowed."""

    list_id: str
    title: str
    why: str
    source: str | None
    title_ja: str = ""
    why_ja: str = ""


def list_gaps(snapshot: Snapshot, screener: PartyScreener | None) -> tuple[ListGap, ...]:
    """The lists required on the snapshot's date that are not loaded, or older than their maximum age."""
    gaps: list[ListGap] = []
    for list_id, active in snapshot.named(LIST_POLICIES).items():
        policy = active.record
        if not policy.required:
            continue
        if screener is None or not screener.has_list(list_id):
            why, why_ja = "is not loaded", "が読み込まれていません"
        else:
            age, limit = screener.list_age_days(list_id), screener.max_list_age_days(policy.max_age_days)
            if age is None or limit is None or age <= limit:
                continue
            why, why_ja = f"is {age} days old (at most {limit} days)", f"は{age}日前のものです（上限{limit}日）"
        gaps.append(ListGap(list_id, policy.title.en, why, active.source, wording.ja(policy.title) or "", why_ja))
    return tuple(gaps)


def unscreened_lists(snapshot: Snapshot, screener: PartyScreener | None) -> tuple[Reason, ...]:
    """One reason per required list the parties could not be screened against, citing the list's policy."""
    return tuple(
        Reason(
            f"screening:unscreened:{gap.list_id}",
            f"required screening list {gap.list_id} ({gap.title}) {gap.why}: parties cannot be cleared; {HOW_TO_LOAD}",
            gap.source,
            f"必須のスクリーニングリスト{gap.list_id}{f'（{gap.title_ja}）' if gap.title_ja else ''}{gap.why_ja}："
            f"取引先を確認できません。{HOW_TO_LOAD_JA}",
        )
        for gap in list_gaps(snapshot, screener)
    )


def screen_parties(snapshot: Snapshot, transaction: Transaction, screener: PartyScreener | None) -> PartyFindings:
    named = bool(transaction.consignee or transaction.end_user)
    unscreened = unscreened_lists(snapshot, screener) if named else ()
    if screener is None:
        return PartyFindings(unscreened=unscreened)
    parties = {
        "end user": (transaction.end_user, transaction.end_user_country or transaction.destination),
        "consignee": (transaction.consignee, transaction.destination),
    }
    hits = {role: screener.screen_party(name, country) if name else () for role, (name, country) in parties.items()}
    prohibitions: list[Reason] = []
    requirements: list[Requirement] = []
    reviews: list[Reason] = []
    blocked: list[str] = []
    reasons: list[Reason] = []
    eul: list[ScreeningHit] = []
    policies, settings = snapshot.named(LIST_POLICIES), snapshot.pack.screening
    for role, role_hits in hits.items():
        party = parties[role][0] or ""
        for hit in role_hits:
            policy = policies.get(hit.list_id)
            effect = policy.record.effect if policy else settings.unknown_list_effect
            source = policy.source if policy else None
            text, text_ja = _describe(role, party, hit), _describe_ja(role, party, hit)
            rule = f"screening:{hit.list_id}"
            if effect == "end-user-list":
                if role == "end user":
                    eul.append(hit)
                reasons.append(Reason("screening:end-user-list", text, source, text_ja))
            elif effect == "prohibited" and hit.score >= settings.confirmed_score:
                prohibitions.append(Reason(rule, f"{text}: prohibited", source, f"{text_ja}：禁止"))
            elif effect == "licence-required" and policy is not None and hit.score >= settings.confirmed_score:
                listed = hit.licence_requirement or "a licence"
                # What the listing requires is the list's own text (data), quoted as it is.
                listed_ja = f"（{hit.licence_requirement}）" if hit.licence_requirement else ""
                requirement = Reason(
                    rule, f"{text}: licence required — {listed}", source, f"{text_ja}：許可が必要です{listed_ja}"
                )
                requirements.append(Requirement(requirement, tuple(policy.record.licences), hit.review_policy))
            else:
                why = "review list" if effect == "review" else "below the confirmed score"
                why_ja = "審査対象のリスト" if effect == "review" else "確定スコア未満"
                reviews.append(
                    Reason(
                        rule, f"{text}: blocked pending review ({why})", source, f"{text_ja}：審査まで保留（{why_ja}）"
                    )
                )
                blocked.append(f"{role}: {hit.list_id} {hit.entity_id}")
    can_check_eul = transaction.end_user is not None and any(
        active.record.effect == "end-user-list" and screener.has_list(name) for name, active in policies.items()
    )
    return PartyFindings(
        end_user_hits=hits["end user"],
        consignee_hits=hits["consignee"],
        eul_hits=tuple(eul) if can_check_eul else None,
        prohibitions=tuple(prohibitions),
        requirements=tuple(requirements),
        reviews=tuple(reviews),
        blocked_by=tuple(blocked),
        reasons=tuple(reasons),
        unscreened=unscreened,
    )
