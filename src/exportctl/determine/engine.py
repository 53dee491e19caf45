"""The determination engine: a pure function of (snapshot, transaction, End User List).

Order of questions for each line, mirroring how an officer reasons:
  is the item subject to the law at all (the pack's rules module: the EAR's de minimis) → embargo and listed
  parties (prohibited, or a licence whatever the item) → classification → (technology) is the transfer controlled
  → list control (where the entry's controls reach the destination) or catch-all → the pack's exceptions →
  licence types (those overcoming every reason for control) and special measures.
Every step adds reasons citing the pack source that decided it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

from exportctl.core_types import (
    SEVERITY,
    Citation,
    Determination,
    EntryMatch,
    ExceptionCheck,
    Line,
    LineDetermination,
    Outcome,
    PartyScreener,
    Reason,
    ScreeningHit,
    Transaction,
)
from exportctl.determine import catch_all, licensing, wording
from exportctl.determine.classify import Classification, UnknownItem, classify_item, classify_spec
from exportctl.determine.parties import Requirement, screen_parties
from exportctl.determine.technology import classify_technology, transfer_controlled
from exportctl.regime import schema as s
from exportctl.regime.plugin import ListedLine
from exportctl.regime.sections import COVERAGE, EXEMPTIONS
from exportctl.regime.snapshot import Active, Placement, Snapshot


class InvalidTransaction(ValueError):
    """Input the engine cannot determine at all; `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _line_label(line: Line) -> str:
    if line.item is not None:
        return line.item
    assert line.spec is not None
    return f"spec:{line.spec.product}"


def _classify(snapshot: Snapshot, line: Line, index: int) -> Classification:
    try:
        if line.kind == "technology":
            goods = classify_spec(snapshot, line.spec) if line.spec is not None else None
            return classify_technology(snapshot, line, goods, snapshot.known_entries)
        return snapshot.memoised(_goods_key(line), lambda: _classify_goods(snapshot, line))
    except UnknownItem as exc:
        raise InvalidTransaction(f"lines[{index}].{'item' if line.item else 'spec'}", str(exc)) from exc


def _goods_key(line: Line) -> tuple[object, ...]:
    """What a goods line's classification depends on besides the snapshot. A parameter's type is part of it: `1`,
    `1.0` and `True` are equal keys in Python, yet not the same statement."""
    if line.spec is None:
        return ("goods-item", line.item)
    params = tuple(sorted((name, type(value).__name__, value) for name, value in line.spec.params.items()))
    return ("goods-spec", line.spec.product, line.spec.hs, params)


def _classify_goods(snapshot: Snapshot, line: Line) -> Classification:
    if line.spec is not None:
        return classify_spec(snapshot, line.spec)
    assert line.item is not None
    goods = classify_item(snapshot, line.item)
    technology = [m.entry for m in goods.matches if snapshot.entries[m.entry].record.kind == "technology"]
    if technology:
        raise UnknownItem(f"'{line.item}' names technology ({', '.join(technology)}): make it a technology line")
    return goods


def _national(snapshot: Snapshot, transaction: Transaction, classification: Classification) -> Classification:
    """An item of a national list (a row with `origins`) is listed only for exports from those states; from
    elsewhere it is decided by the catch-all, and without the state of export it cannot be decided."""
    if classification.status != "listed":
        return classification
    rows = snapshot.pack.rows
    national = [m for m in classification.matches if rows[snapshot.entries[m.entry].record.row].origins]
    if not national:
        return classification
    origins = sorted({o for m in national for o in rows[snapshot.entries[m.entry].record.row].origins})
    named = ", ".join(m.entry for m in national)
    named_ja = f"{wording.joined(m.entry for m in national)}は{wording.joined(origins)}の国別リストの品目"
    if transaction.origin is None:
        return Classification(
            "undetermined",
            missing=("origin",),
            note=f"{named} is on the national list of {', '.join(origins)}: it applies to exports from there only",
            note_ja=f"{named_ja}であり、その国からの輸出にのみ適用されます",
        )
    if transaction.origin in origins or len(national) < len(classification.matches):
        return classification
    catch_all = next(
        (entry_id for entry_id, active in snapshot.entries.items() if rows[active.record.row].catch_all), None
    )
    note = f"{named} is on the national list of {', '.join(origins)}, not of {transaction.origin}"
    note_ja = f"{named_ja}であり、{transaction.origin}の国別リストの品目ではありません"
    if catch_all is None:
        return Classification("not-controlled", note=note, note_ja=note_ja)
    decided_by = (EntryMatch(catch_all, None, (), "entry"),)
    return Classification(
        "catch-all",
        decided_by,
        note=f"{note}: the catch-all decides",
        note_ja=f"{note_ja}：キャッチオール規制で判断します",
    )


def _claimed_exemption(snapshot: Snapshot, line: Line, index: int) -> Reason | None:
    """The first technology exemption the exporter claims that is in force (an unknown id is an input error)."""
    if not line.exemptions:
        return None
    known = dict(snapshot.pack.records(EXEMPTIONS))  # on any date: a claim out of force is no input error
    for claimed in line.exemptions:
        if claimed not in known:
            names = ", ".join(known) or "none"
            raise InvalidTransaction(f"lines[{index}].exemptions", f"unknown exemption '{claimed}' (known: {names})")
        active = snapshot.named(EXEMPTIONS).get(claimed)
        if active is not None:
            exemption = active.record
            title, condition = wording.ja(exemption.title), wording.ja(exemption.condition)
            return Reason(
                f"exemption:{exemption.id}",
                f"{exemption.title.en}: {exemption.condition.en}",
                active.source,
                f"{title}：{condition}" if title is not None and condition is not None else None,
            )
    return None


def _verified_on(periods: Sequence[s.Verified], day: dt.date) -> bool:
    return any(v.start <= day and (v.end is None or day < v.end) for v in periods)


def _verification(assessed: Sequence[tuple[s.Entry, s.Clause]], day: dt.date) -> list[Reason]:
    """Criteria applied on a date for which they were not checked against a consolidated text are flagged.

    A criterion is verified for the periods it lists, else for its clause's, else for its entry's."""
    if not assessed:  # an item named by entry or number: no criteria applied
        return []
    unverified: dict[str, list[s.Verified]] = {}
    for entry, clause in assessed:
        inherited = clause.verified or entry.verified
        criteria = [c.verified or inherited for c in clause.criteria] or [inherited]
        if not all(_verified_on(periods, day) for periods in criteria):
            unverified.setdefault(entry.id, list(entry.verified))
    return [
        Reason(
            "unverified-for-date",
            f"the criteria of entry {entry_id} are not verified for {day}: checked against the law's text for "
            + ("; ".join(f"{v.start}–{v.end or ''} ({v.text})" for v in periods) or "no date")
            + "; the answer applies the criteria of those texts to this date",
            text_ja=f"{entry_id}の基準は{day}について法令本文との照合が済んでいません（照合済みの期間："
            f"{wording.verified_periods(periods)}）。それらの本文の基準をこの日付に適用しています",
        )
        for entry_id, periods in unverified.items()
    ]


def _list_verification(snapshot: Snapshot, day: dt.date) -> list[Reason]:
    checked = snapshot.pack.meta.list_verified
    if not checked or _verified_on(checked, day):
        return []
    texts = "; ".join(f"{v.start}–{v.end or ''} ({v.text})" for v in checked)
    return [
        Reason(
            "list-unverified-for-date",
            f"the control list's content is verified for {texts}, not for {day}: the list as encoded is applied",
            text_ja=f"規制リストの内容は{wording.verified_periods(checked)}について照合済みで、{day}については照合"
            "されていません。収録されたリストを適用しています",
        )
    ]


UNSCREENED = Reason(
    "screening:unscreened", "the parties are not screened against every required list", text_ja=wording.UNSCREENED
)


@dataclass(frozen=True, slots=True)
class _Context:
    """What every line of one transaction is determined against."""

    snapshot: Snapshot
    transaction: Transaction
    placement: Placement  # the destination's group, and what puts it there
    group: str  # its id

    hits: Sequence[ScreeningHit] | None
    values_by_entry: Mapping[str, list[int | None]]


class _LineBuilder:
    """Collects one line's findings; `build` turns them into an immutable LineDetermination."""

    def __init__(self, index: int, line: Line, unscreened: bool) -> None:
        self.index = index
        self.line = line
        self.unscreened = unscreened  # parties not screened against every required list: nothing is cleared
        self.entries: tuple[EntryMatch, ...] = ()
        self.reasons: list[Reason] = []
        self.exceptions: list[ExceptionCheck] = []
        self.missing: list[str] = []
        self.licences: tuple[str, ...] = ()
        self.conditions: dict[str, str] = {}
        self.reasons_for_control: list[str] = []
        self.review_policy: str | None = None

    def fork(self) -> _LineBuilder:
        """A copy to determine the line another way (the findings so far shared, none after)."""
        other = _LineBuilder(self.index, self.line, self.unscreened)
        other.entries, other.licences, other.review_policy = self.entries, self.licences, self.review_policy
        other.reasons, other.exceptions, other.missing = [*self.reasons], [*self.exceptions], [*self.missing]
        other.conditions, other.reasons_for_control = dict(self.conditions), [*self.reasons_for_control]
        return other

    def build(self, outcome: Outcome) -> LineDetermination:
        if self.unscreened and outcome is not Outcome.PROHIBITED:  # a prohibition stands
            self.reasons.append(UNSCREENED)
            self.missing.append("screening")
            outcome = Outcome.INDETERMINATE
        return LineDetermination(
            index=self.index,
            kind=self.line.kind,
            item=_line_label(self.line),
            entries=self.entries,
            outcome=outcome,
            eligible_licences=self.licences if outcome is Outcome.LICENCE_REQUIRED else (),
            exceptions=tuple(self.exceptions),
            reasons=tuple(self.reasons),
            missing=tuple(dict.fromkeys(self.missing)),
            licence_conditions=self.conditions if outcome is Outcome.LICENCE_REQUIRED else {},
            reasons_for_control=tuple(dict.fromkeys(self.reasons_for_control)),
            review_policy=self.review_policy if outcome is Outcome.LICENCE_REQUIRED else None,
        )


def _check_territory(snapshot: Snapshot, transaction: Transaction) -> None:
    """An export leaves the regime's territory (`home`) from inside it; goods stay at home only where the pack
    decides moves between its states (`home_transfers`)."""
    meta = snapshot.pack.meta
    if transaction.origin is not None and transaction.origin not in meta.home and not meta.reexports:
        raise InvalidTransaction("origin", f"{transaction.origin} is not in the territory of {meta.terms.home}")
    at_home = transaction.destination in meta.home
    if at_home and not meta.home_transfers and any(line.kind == "goods" for line in transaction.lines):
        raise InvalidTransaction(
            "destination", f"{transaction.destination}: goods lines need a destination outside {meta.terms.home}"
        )


def determine(snapshot: Snapshot, transaction: Transaction, screener: PartyScreener | None = None) -> Determination:
    _check_territory(snapshot, transaction)
    destination = transaction.destination
    placement = snapshot.placement(destination)
    group = placement.group.id
    at_home = destination in snapshot.pack.meta.home and not snapshot.pack.meta.home_transfers
    where = (
        f"{destination}: technology provided in {snapshot.pack.meta.terms.home} (country groups apply to foreign"
        " destinations)"
        if at_home
        else f"{destination} is in {placement.group.title.en} on {transaction.date}"
    )
    group_ja = wording.ja(placement.group.title)
    where_ja: str | None = None  # a group without a Japanese title: the reason stays English
    if at_home:
        where_ja = (
            f"{destination}：{wording.home(snapshot)}での技術の提供（国・地域のグループは外国の仕向地に適用されます）"
        )
    elif group_ja is not None:
        where_ja = f"{destination}は{transaction.date}時点で{group_ja}に属します"
    reasons = [Reason("destination-group", where, placement.source, where_ja)]
    reasons.extend(_list_verification(snapshot, transaction.date))
    parties = screen_parties(snapshot, transaction, screener)
    reasons.extend(parties.reasons)
    reasons.extend(parties.reviews)
    reasons.extend(parties.unscreened)

    embargo, region_unknown = _embargo_of(snapshot, transaction, reasons)
    values_by_entry: dict[str, list[int | None]] = defaultdict(list)
    classified: list[Classification] = []
    for index, line in enumerate(transaction.lines):
        classification = _national(snapshot, transaction, _classify(snapshot, line, index))
        classified.append(classification)
        if classification.status == "listed" and line.kind == "goods":
            for entry_id in dict.fromkeys(match.entry for match in classification.matches):
                values_by_entry[entry_id].append(line.value_jpy)

    context = _Context(snapshot, transaction, placement, group, parties.eul_hits, values_by_entry)
    lines: list[LineDetermination] = []
    # What holds whatever the item, for the lines the embargo reaches and for the others (once per transaction).
    requiring = embargo if embargo is not None and embargo.record.effect == "licence-required" else None
    overriding_if_embargoed = _overriding_requirements(snapshot, requiring, parties.requirements)
    overriding_otherwise = _overriding_requirements(snapshot, None, parties.requirements)
    for index, (line, classification) in enumerate(zip(transaction.lines, classified, strict=True)):
        builder = _LineBuilder(index, line, bool(parties.unscreened))
        builder.entries = classification.matches
        entries = [snapshot.entries[m.entry].record for m in classification.matches if m.entry in snapshot.entries]
        scope = snapshot.pack.rules.subject(snapshot, transaction, line, entries, parties.end_user_hits)
        if scope is not None:
            builder.reasons.append(scope.reason)
            if scope.subject is not True:
                builder.missing.extend(scope.missing)
                lines.append(
                    builder.build(Outcome.NO_LICENCE_REQUIRED if scope.subject is False else Outcome.INDETERMINATE)
                )
                continue
        embargoed = embargo is not None and line.kind in embargo.record.kinds
        prohibited_here = (
            embargoed and not region_unknown and embargo is not None and embargo.record.effect == "prohibited"
        )
        if prohibited_here or parties.prohibitions:
            if embargo is not None and prohibited_here:
                builder.reasons.append(_embargo_reason(embargo))
            builder.reasons.extend(parties.prohibitions)
            lines.append(builder.build(Outcome.PROHIBITED))
            continue
        if embargoed and region_unknown and embargo is not None:
            lines.append(_region_unknown(builder, embargo))
            continue
        overriding = overriding_if_embargoed if embargoed else overriding_otherwise
        if overriding is not None:
            lines.append(_required_whatever_the_item(builder, overriding))
            continue
        lines.append(_determine_line(context, builder, classification))

    outcomes = [line.outcome for line in lines]
    if parties.blocked_by:
        outcomes.append(Outcome.INDETERMINATE)  # blocked pending review: cannot be released either way
    outcome = max(outcomes, key=SEVERITY.__getitem__)
    return Determination(
        regime=snapshot.regime,
        pack_version=snapshot.pack_version,
        date=transaction.date,
        destination=destination,
        destination_group=group,
        outcome=outcome,
        lines=tuple(lines),
        reasons=tuple(reasons),
        end_user_hits=parties.end_user_hits,
        consignee_hits=parties.consignee_hits,
        blocked_by=parties.blocked_by,
        citations=_citations(snapshot, reasons, lines),
    )


def _embargo_of(
    snapshot: Snapshot, transaction: Transaction, reasons: list[Reason]
) -> tuple[Active[s.Embargo] | None, bool]:
    """The embargo on the destination, and whether it is unknown if it applies (an embargo of some regions of the
    country, the transaction not stating its region). A stated region outside them is said in `reasons`."""
    embargo = snapshot.embargoes.get(transaction.destination)
    if embargo is None or not embargo.record.regions:
        return embargo, False
    region = transaction.destination_region
    if region is None:
        return embargo, True
    if region in embargo.record.regions:
        return embargo, False
    regions = ", ".join(embargo.record.regions)
    title = wording.ja(embargo.record.title)
    reasons.append(
        Reason(
            "embargo:outside-regions",
            f"{region} is not one of {regions}: {embargo.record.title.en}",
            embargo.source,
            f"{region}は{wording.joined(embargo.record.regions)}のいずれでもありません：{title}" if title else None,
        )
    )
    return None, False


def _embargo_reason(embargo: Active[s.Embargo]) -> Reason:
    return Reason("embargo", embargo.record.title.en, embargo.source, wording.ja(embargo.record.title))


def _region_unknown(builder: _LineBuilder, embargo: Active[s.Embargo]) -> LineDetermination:
    regions = ", ".join(embargo.record.regions)
    title = wording.ja(embargo.record.title)
    builder.reasons.append(
        Reason(
            "embargo:region-unknown",
            f"{embargo.record.title.en} — the destination's region is not stated (it applies in {regions})",
            embargo.source,
            f"{title} — 仕向地の地域が示されていません（{wording.joined(embargo.record.regions)}に適用されます）"
            if title
            else None,
        )
    )
    builder.missing.append("destination_region")
    return builder.build(Outcome.INDETERMINATE)


@dataclass(frozen=True, slots=True)
class _Overriding:
    """Licence requirements that hold whatever the item is (the EAR: an embargo of part 746, a party on the Entity
    List): the reasons, the licences still usable (every one's), and how applications are reviewed."""

    reasons: tuple[Reason, ...]
    licences: tuple[str, ...]
    review_policy: str | None


def _overriding_requirements(
    snapshot: Snapshot, embargo: Active[s.Embargo] | None, requirements: Sequence[Requirement]
) -> _Overriding | None:
    """What an embargo and listed parties require whatever the item; an embargo's licence is usable only while a
    coverage of it is in force (Syria's SPP from 2025-09-02)."""
    if embargo is None and not requirements:
        return None
    in_force = {active.record.licence for active in snapshot.active(COVERAGE)}
    reasons: list[Reason] = []
    usable: list[tuple[str, ...]] = []
    policies: list[str] = []
    if embargo is not None:  # an embargo requiring a licence (one that prohibits is decided before)
        reasons.append(_embargo_reason(embargo))
        usable.append(tuple(licence for licence in embargo.record.licences if licence in in_force))
        policies += [embargo.record.review_policy] if embargo.record.review_policy else []
    for requirement in requirements:
        reasons.append(requirement.reason)
        usable.append(requirement.licences)
        policies += [requirement.review_policy] if requirement.review_policy else []
    licences = tuple(licence for licence in usable[0] if all(licence in other for other in usable[1:]))
    return _Overriding(tuple(reasons), licences, "; ".join(dict.fromkeys(policies)) or None)


def _required_whatever_the_item(builder: _LineBuilder, overriding: _Overriding) -> LineDetermination:
    builder.reasons.extend(overriding.reasons)
    builder.licences = overriding.licences
    builder.review_policy = overriding.review_policy
    return builder.build(Outcome.LICENCE_REQUIRED)


def _citations(
    snapshot: Snapshot, reasons: Sequence[Reason], lines: Sequence[LineDetermination]
) -> dict[str, Citation]:
    """The sources the determination cites, carried with it: it renders its citations without the pack."""
    cited = [r.source for r in reasons]
    for line in lines:
        cited.extend(r.source for r in line.reasons)
        cited.extend(e.source for e in line.exceptions)
    citations: dict[str, Citation] = {}
    for source_id in cited:
        if source_id is not None and source_id not in citations:
            citations[source_id] = citation_of(snapshot.sources[source_id])
    return citations


@cache
def citation_of(source: s.Source) -> Citation:
    """A source as a determination carries it (sources are frozen: one Citation per source of a loaded pack)."""
    return Citation(source.instrument, source.url, source.verified, source.article, source.promulgated, source.in_force)


def _determine_line(context: _Context, builder: _LineBuilder, classification: Classification) -> LineDetermination:
    line = builder.line
    if classification.note:
        builder.reasons.append(Reason("classification", classification.note, text_ja=classification.note_ja))
    builder.reasons.extend(_verification(classification.assessed, context.transaction.date))
    if classification.status == "undetermined":
        builder.missing.extend(classification.missing)
        return builder.build(Outcome.INDETERMINATE)
    if classification.status == "not-controlled":
        return builder.build(Outcome.NO_LICENCE_REQUIRED)

    if line.kind == "technology":
        controlled, reason = transfer_controlled(context.snapshot, line, context.transaction.destination)
        builder.reasons.append(reason)
        if controlled is None:
            builder.missing.append("residency")
            return builder.build(Outcome.INDETERMINATE)
        if not controlled:
            return builder.build(Outcome.NO_LICENCE_REQUIRED)
        exempt = _claimed_exemption(context.snapshot, line, builder.index)
        if exempt is not None:
            builder.reasons.append(exempt)
            return builder.build(Outcome.NO_LICENCE_REQUIRED)

    if classification.status == "catch-all":
        return _catch_all_line(context, builder, classification)
    if classification.open_matches:
        return _listed_or_open(context, builder, classification)
    return _listed_line(context, builder, classification)


def _listed_or_open(context: _Context, builder: _LineBuilder, classification: Classification) -> LineDetermination:
    """A specification meets some entries and may be of others (parameters missing): it is determined both ways. The
    same outcome stands, with the licence types usable either way; different outcomes leave it undecided (a weaker
    entry met — the EAR's AT-only 4A994 — must not hide a stricter one it may also be, such as 4A090)."""
    also = builder.fork()
    as_met = _listed_line(context, builder, classification)
    widened = replace(classification, matches=(*classification.matches, *classification.open_matches), open_matches=())
    as_also = _listed_line(context, also, widened)
    met = ", ".join(dict.fromkeys(match.entry for match in classification.matches))
    others = ", ".join(dict.fromkeys(match.entry for match in classification.open_matches))
    missing = [
        f"params.{comparison.param}"
        for match in classification.open_matches
        for comparison in match.comparisons
        if comparison.holds is None
    ]
    params_ja = wording.joined(dict.fromkeys(missing))
    if as_met.outcome is as_also.outcome:
        usable = tuple(licence for licence in as_met.eligible_licences if licence in as_also.eligible_licences)
        narrowed = usable != as_met.eligible_licences
        reason = Reason(
            "classification:open",
            f"it may also be of {others} (parameters not given: {', '.join(dict.fromkeys(missing))}); the outcome is"
            " the same either way" + (", with the licence types usable either way" if narrowed else ""),
            text_ja=f"{others}にも該当する可能性があります（示されていないパラメータ：{params_ja}）。いずれの場合も"
            "結論は同じです" + ("（許可の種類は、いずれの場合にも使用できるものに限ります）" if narrowed else ""),
        )
        conditions = {licence: text for licence, text in as_met.licence_conditions.items() if licence in usable}
        return replace(
            as_met, eligible_licences=usable, licence_conditions=conditions, reasons=(*as_met.reasons, reason)
        )
    reason = Reason(
        "classification:open",
        f"as an item of {met}: {as_met.outcome.value}; if it is also of {others}: {as_also.outcome.value} — the"
        " parameters that decide it are missing",
        text_ja=f"{met}の品目としては{wording.OUTCOMES[as_met.outcome]}、{others}にも該当する場合は"
        f"{wording.OUTCOMES[as_also.outcome]} — 判定を決めるパラメータ（{params_ja}）が不足しています",
    )
    return replace(
        as_met,
        outcome=Outcome.INDETERMINATE,
        eligible_licences=(),
        licence_conditions={},
        review_policy=None,
        reasons=(*as_met.reasons, reason),
        missing=tuple(dict.fromkeys((*as_met.missing, *missing))),
    )


def _listed_line(context: _Context, builder: _LineBuilder, classification: Classification) -> LineDetermination:
    snapshot, transaction, group = context.snapshot, context.transaction, context.group
    line = builder.line
    pack_basis = (
        snapshot.pack.licences.required.technology
        if line.kind == "technology"
        else snapshot.pack.licences.required.goods
    )
    basis = pack_basis
    eligible: list[tuple[str, ...]] = []
    outside_the_controls = 0
    for match in classification.matches:
        active = snapshot.entries[match.entry]
        entry = active.record
        basis = snapshot.pack.rows[entry.row].required or pack_basis  # a national list has its own basis
        numbers = ", ".join(match.control_numbers) or "no international number"
        clause = f", clause {match.clause}" if match.clause else ""
        listing = (
            f"{line.kind} of entry {entry.id}{clause} ({entry.title.en}; {numbers}) are listed in"
            f" {snapshot.pack.meta.terms.row} {entry.row} of {basis.listed_in}"
        )
        listing_ja = wording.listing(snapshot, line.kind, entry, match.clause, match.control_numbers)
        for_reasons: tuple[str, ...] = ()
        if entry.controls:
            applying = _controls_reaching(context, builder, entry, match, (listing, listing_ja), active.source)
            if applying is None:
                outside_the_controls += 1
                continue
            for_reasons = applying
        else:
            builder.reasons.append(
                Reason(
                    "list-control",
                    f"{listing}, controlled for every destination",
                    active.source,
                    f"{listing_ja}（すべての仕向地について規制されています）",
                )
            )
        for comparison in match.comparisons:
            builder.reasons.append(
                Reason(
                    "parameter",
                    f"{comparison.param} = {comparison.actual} {comparison.op} {comparison.required}: "
                    f"{'holds' if comparison.holds else 'does not hold'}",
                    active.source,
                    f"{wording.parameter(snapshot, comparison.param)} = {comparison.actual}"
                    f" {wording.OPERATORS.get(comparison.op, comparison.op)} {comparison.required}："
                    f"{'満たします' if comparison.holds else '満たしません'}",
                )
            )
        named = licensing.named_numbers(match)
        listed = ListedLine(
            transaction, line.kind, entry, group, context.values_by_entry[entry.id], context.hits, named
        )
        excepted = False
        for result in snapshot.pack.rules.exceptions(snapshot, listed):
            check = result.check
            builder.exceptions.append(check)
            if check.applied:
                builder.reasons.append(Reason(f"exception:{check.exception}", check.why, check.source, check.why_ja))
                excepted = True
                break
            builder.missing.extend(result.missing)
        if excepted:  # this entry's requirement is lifted; the item's other entries must be lifted too
            continue
        eligibility = licensing.eligible_licences(
            snapshot, transaction, line.kind, entry, match, group, for_reasons, line.value_usd
        )
        builder.reasons.extend(eligibility.reasons)
        builder.conditions.update(eligibility.conditions)
        eligible.append(eligibility.licences)
    if builder.missing:
        builder.reasons.append(
            Reason(
                "indeterminate",
                "the facts that decide whether a licence is needed are missing",
                text_ja=wording.INDETERMINATE,
            )
        )
        return builder.build(Outcome.INDETERMINATE)
    if not eligible and outside_the_controls:
        # No reason for control reaches the destination: what is left are the controls on any item (end uses).
        return _catch_all_line(context, builder, classification)
    if not eligible:  # every entry's requirement lifted by an exception
        return builder.build(Outcome.NO_LICENCE_REQUIRED)
    common = set(eligible[0]).intersection(*eligible[1:])
    builder.licences = tuple(licence for licence in eligible[0] if licence in common)
    # The law is named in English only (the pack's `law`): the Japanese sentence cites it by its source.
    builder.reasons.append(
        Reason("licence-required", f"a licence is required ({basis.law})", basis.source, wording.LICENCE_REQUIRED)
    )
    not_assessed = _not_assessed(snapshot)
    if not_assessed is not None:
        builder.reasons.append(not_assessed)
    return builder.build(Outcome.LICENCE_REQUIRED)


def _not_assessed(snapshot: Snapshot) -> Reason | None:
    """The licence types the pack names without assessing them (see `NotAssessed`), as one reason."""
    listed = snapshot.pack.licences.not_assessed
    if listed is None or not listed.types:
        return None
    types = listed.types.items()
    return snapshot.memoised(
        ("licence-types-not-assessed",),
        lambda: Reason(
            "licence-types:not-assessed",
            "licence types not assessed (their conditions are not encoded: one may still apply — check them before"
            f" relying on those offered): {', '.join(listed.types)}",
            listed.source,
            "評価していない許可の種類（条件が収録されていないため、いずれかが適用される可能性があります。提示された"
            f"許可の種類に頼る前に確認してください）：{wording.joined(wording.ja(t.title) or k for k, t in types)}",
        ),
    )


def _controls_reaching(
    context: _Context,
    builder: _LineBuilder,
    entry: s.Entry,
    match: EntryMatch,
    listing: tuple[str, str],
    source: str | None,
) -> tuple[str, ...] | None:
    """The reasons for control of `entry` requiring a licence to the destination (an entry with controls, the EAR's
    Country Chart), each stated as a reason; None when none does. A control limited to paragraphs of the entry
    that the line does not say it is of leaves the line undecided (`paragraph` missing). `listing`: where the
    entry is listed, in English and Japanese."""
    listed, listed_ja = listing
    destination, group = context.transaction.destination, context.group
    numbers = [n.upper() for n in licensing.named_numbers(match)]
    applying: list[s.Control] = []
    depending: list[s.Control] = []
    snapshot = context.snapshot
    reaching = snapshot.memoised(  # the destination's group is the snapshot's: the key needs the destination only
        ("controls-reaching", entry.id, destination),
        lambda: tuple(c for c in entry.controls if snapshot.reaches(c.destinations, destination, group)),
    )
    for control in reaching:
        parts = [part.upper() for part in control.parts]
        if not parts or any(licensing.under(n, part) for n in numbers for part in parts):
            applying.append(control)
        elif not numbers or any(licensing.under(part, n) for n in numbers for part in parts):
            depending.append(control)  # the line named the entry, or a paragraph above the controlled ones
    for control in applying:
        # The control's text is the list's own, in English only: the Japanese sentence names its reason code.
        builder.reasons.append(
            Reason(
                "list-control",
                f"{listed}: {control.reason} — {control.text}",
                source,
                f"{listed_ja}：規制理由 {control.reason} が仕向地に及びます",
            )
        )
        builder.reasons_for_control.append(control.reason)
        if control.review_policy:
            builder.review_policy = control.review_policy
    limited = "; ".join(f"{c.reason} for {', '.join(c.parts)}" for c in depending)
    limited_ja = "；".join(f"{c.reason}：{wording.joined(c.parts)}" for c in depending)
    if applying:
        if depending:  # a licence is required anyway; an exception must also overcome what may apply
            builder.reasons.append(
                Reason(
                    "list-control:paragraph",
                    f"{listed}: also controlled for some paragraphs ({limited})",
                    source,
                    f"{listed_ja}：一部の項目についても規制されています（{limited_ja}）",
                )
            )
        return tuple(control.reason for control in (*applying, *depending))
    if depending:
        builder.reasons.append(
            Reason(
                "list-control:paragraph",
                f"{listed}: controlled to {destination} only for some paragraphs ({limited}); name its paragraph",
                source,
                f"{listed_ja}：{destination}向けには一部の項目についてのみ規制されています（{limited_ja}）。"
                "該当する項目を示してください",
            )
        )
        builder.missing.append("paragraph")
        return ()
    reasons = ", ".join(dict.fromkeys(control.reason for control in entry.controls))
    builder.reasons.append(
        Reason(
            "list-control:not-reached",
            f"{listed}: none of its reasons for control ({reasons}) reaches {destination}",
            source,
            f"{listed_ja}：いずれの規制理由（{reasons}）も{destination}には及びません",
        )
    )
    return None


def _catch_all_line(context: _Context, builder: _LineBuilder, classification: Classification) -> LineDetermination:
    snapshot, transaction, group = context.snapshot, context.transaction, context.group
    entry_ids: list[str | None] = [match.entry for match in classification.matches] or [None]
    result = catch_all.evaluate(snapshot, transaction, entry_ids, group, context.hits)
    builder.reasons.extend(result.met)
    builder.reasons.extend(result.unknown)
    builder.reasons.extend(result.not_met)
    row16 = _row16_entry(snapshot, classification)
    if result.met and row16 is not None:
        eligibility = licensing.eligible_licences(
            snapshot, transaction, builder.line.kind, row16, classification.matches[0], group
        )
        builder.licences = eligibility.licences
        return builder.build(Outcome.LICENCE_REQUIRED)
    if result.met or result.unknown:
        # A requirement is met but without the HS code it is unknown whether the goods are of the catch-all row.
        builder.missing.extend(result.missing)
        return builder.build(Outcome.INDETERMINATE)
    if not result.not_met:
        group_ja = wording.ja(context.placement.group.title)
        builder.reasons.append(
            Reason(
                "catch-all:out-of-scope",
                f"no catch-all requirement applies to {context.placement.group.title.en} destinations on this date",
                context.placement.source,
                f"この日付に{group_ja}の仕向地に適用されるキャッチオール要件はありません" if group_ja else None,
            )
        )
    return builder.build(Outcome.NO_LICENCE_REQUIRED)


def _row16_entry(snapshot: Snapshot, classification: Classification) -> s.Entry | None:
    if not classification.matches:
        return None
    active = snapshot.entries.get(classification.matches[0].entry)
    return active.record if active is not None else None
