"""A pack resolved at a date: immutable, with dictionary lookups for the engine's hot path.

Snapshots are built once per segment between change points (see `Regime.at`), so every date inside a
segment gets the very same object. `facts` flattens everything in force into keyed, cited statements;
`regime show` prints them and `regime diff` compares two of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, TypeVar

from exportctl.regime import schema as s
from exportctl.regime.loader import Pack
from exportctl.timeline import Interval

T = TypeVar("T")
D = TypeVar("D", bound=s.Dated)
TABLE_OF_GROUP = {"A": "table-3", "B": "group-b"}


@dataclass(frozen=True, slots=True)
class Active(Generic[T]):
    """A record in force, with the period that makes it so (and therefore its citation)."""

    record: T
    period: s.Period

    @property
    def source(self) -> str:
        return self.period.source


@dataclass(frozen=True, slots=True)
class Fact:
    key: str
    text: str
    source: str
    ended_by: str | None = None


@dataclass(frozen=True, slots=True)
class ClauseRef:
    entry: str
    clause: str | None


@dataclass(frozen=True)
class Snapshot:
    regime: str
    pack_version: str
    valid: Interval
    tables: Mapping[str, Mapping[str, s.Period]]
    embargoes: Mapping[str, Active[s.Embargo]]
    rows: Mapping[str, s.Row]
    entries: Mapping[str, Active[s.Entry]]
    known_entries: Mapping[str, s.Entry]
    control_numbers: Mapping[str, tuple[ClauseRef, ...]]
    cas_numbers: Mapping[str, tuple[ClauseRef, ...]]
    clauses_by_product: Mapping[str, tuple[tuple[s.Entry, s.Clause], ...]]  # with the broader products' clauses
    narrower_products: Mapping[str, tuple[str, ...]]  # `laser` → `cw-laser`, `pulsed-laser`, …
    technology_of: Mapping[str, tuple[s.Entry, ...]]  # goods entry id → technology entries in force
    unencoded: tuple[str, ...]  # sub-items the rows declare that have no entry: "not listed" cannot be concluded
    clauses_out_of_force: frozenset[str]  # `entry#clause` of entries in force whose clause is not, on this date
    catch_all: tuple[Active[s.CatchAllRule], ...]
    coverage: tuple[Active[s.Coverage], ...]
    measures: tuple[Active[s.Measure], ...]
    small_value: Active[s.SmallValue] | None
    technology: tuple[Active[s.TechnologyRule], ...]
    technology_exemptions: Mapping[str, Active[s.TechnologyExemption]]
    known_technology_exemptions: tuple[str, ...]
    list_policies: Mapping[str, Active[s.ListPolicy]]
    unknown_list_effect: str
    confirmed_score: float
    licence_types: Mapping[str, s.LicenceType]
    sources: Mapping[str, s.Source]
    group_rule_source: str
    facts: Mapping[str, Fact]

    def in_table(self, table: str, country: str) -> bool:
        return country in self.tables[table]

    def group(self, country: str) -> str:
        """Country group A–D. A = Appended Table 3; D = Tables 3-2 or 4; B = administrative list; C = rest."""
        if country in self.tables["table-3"]:
            return "A"
        if country in self.tables["table-3-2"] or country in self.tables["table-4"]:
            return "D"
        if country in self.tables["group-b"]:
            return "B"
        return "C"

    def group_source(self, country: str) -> str:
        group = self.group(country)
        if group == "D":
            table = "table-4" if country in self.tables["table-4"] else "table-3-2"
            return self.tables[table][country].source
        if group in TABLE_OF_GROUP:
            return self.tables[TABLE_OF_GROUP[group]][country].source
        return self.group_rule_source


def _active(periods: list[s.Period], day: dt.date) -> s.Period | None:
    for period in periods:
        if Interval(period.start, period.end).contains(day):
            return period
    return None


def _freeze(mapping: dict[str, T]) -> Mapping[str, T]:
    return MappingProxyType(mapping)


def resolve(pack: Pack, day: dt.date, valid: Interval) -> Snapshot:
    """The snapshot of `pack` in force on `day`; `valid` is the segment it stays unchanged over."""
    facts: dict[str, Fact] = {}

    def add_fact(key: str, text: str, period: s.Period) -> None:
        facts[key] = Fact(key, text, period.source, period.ended_by)

    tables: dict[str, Mapping[str, s.Period]] = {}
    for table_id, table in pack.destinations.tables.items():
        members: dict[str, s.Period] = {}
        for code, periods in table.members.items():
            period = _active(periods, day)
            if period is not None:
                members[code] = period
                add_fact(f"{table_id}/{code}", f"{code} is in {table.title.en}", period)
        tables[table_id] = _freeze(members)

    def keyed(records: Mapping[str, D], key: str, describe: Callable[[str, D], str]) -> dict[str, Active[D]]:
        active: dict[str, Active[D]] = {}
        for name, record in records.items():
            period = _active(record.periods, day)
            if period is not None:
                active[name] = Active(record, period)
                add_fact(f"{key}/{name}", describe(name, record), period)
        return active

    embargoes = keyed(pack.destinations.embargoes, "embargo", lambda code, e: f"{code}: {e.title.en}")

    entries: dict[str, Active[s.Entry]] = {}
    control_numbers: dict[str, list[ClauseRef]] = {}
    cas_numbers: dict[str, list[ClauseRef]] = {}
    by_product: dict[str, list[tuple[s.Entry, s.Clause]]] = {}
    technology_of: dict[str, list[s.Entry]] = {}
    out_of_force: set[str] = set()
    for entry_id, entry in pack.entries.items():
        period = _active(entry.periods, day)
        if period is None:
            continue
        entries[entry_id] = Active(entry, period)
        add_fact(f"entry/{entry_id}", f"Entry {entry_id} ({entry.title.en}) is controlled", period)
        for number in entry.control_numbers:
            control_numbers.setdefault(number.upper(), []).append(ClauseRef(entry_id, None))
        for clause in entry.clauses:
            if clause.periods:
                clause_period = _active(clause.periods, day)
                if clause_period is None:
                    out_of_force.add(f"{entry_id}#{clause.id}")
                    continue  # the law's wording did not (yet, or any more) include this alternative
                add_fact(f"clause/{entry_id}#{clause.id}", f"{entry_id}: {clause.title.en}", clause_period)
            for number in clause.control_numbers:
                refs = control_numbers.setdefault(number.upper(), [])
                if ClauseRef(entry_id, None) not in refs:
                    refs.append(ClauseRef(entry_id, clause.id))
            for cas in clause.cas:
                cas_numbers.setdefault(cas, []).append(ClauseRef(entry_id, clause.id))
            if entry.kind == "goods":
                for product in clause.products:
                    by_product.setdefault(product, []).append((entry, clause))
        for goods_id in entry.goods_entries:
            technology_of.setdefault(goods_id, []).append(entry)

    def dated(records: list[T], key: str) -> tuple[Active[T], ...]:
        active: list[Active[T]] = []
        for index, record in enumerate(records):
            period = _active(record.periods, day)  # type: ignore[attr-defined]
            if period is not None:
                active.append(Active(record, period))
                name = getattr(record, "id", None) or f"{getattr(record, 'licence', '')}#{index}"
                add_fact(f"{key}/{name}", _describe(record), period)
        return tuple(active)

    catch_all = dated(list(pack.catch_all), "catch-all")
    coverage = dated(list(pack.licences.coverage), "coverage")
    measures = dated(list(pack.licences.measures), "measure")
    small_values = dated(list(pack.rules.small_value), "exception")
    technology = dated(list(pack.rules.technology), "technology")
    exemptions = {active.record.id: active for active in dated(list(pack.rules.technology_exemptions), "exemption")}
    list_policies = keyed(pack.screening.lists, "screening", lambda name, p: f"{name}: {p.title.en} ({p.effect})")

    clauses_of, narrower_of = _kinds(by_product)
    return Snapshot(
        regime=pack.meta.id,
        pack_version=pack.version,
        valid=valid,
        tables=_freeze(tables),
        embargoes=_freeze(embargoes),
        rows=pack.rows,
        entries=_freeze(entries),
        known_entries=pack.entries,
        control_numbers=_freeze({k: tuple(v) for k, v in control_numbers.items()}),
        cas_numbers=_freeze({k: tuple(v) for k, v in cas_numbers.items()}),
        clauses_by_product=_freeze(clauses_of),
        narrower_products=_freeze(narrower_of),
        technology_of=_freeze({k: tuple(v) for k, v in technology_of.items()}),
        clauses_out_of_force=frozenset(out_of_force),
        unencoded=tuple(sub for row in pack.rows.values() for sub in row.sub_items if sub not in pack.entries),
        catch_all=catch_all,
        coverage=coverage,
        measures=measures,
        small_value=small_values[0] if small_values else None,
        technology=technology,
        technology_exemptions=_freeze(exemptions),
        known_technology_exemptions=tuple(e.id for e in pack.rules.technology_exemptions),
        list_policies=_freeze(list_policies),
        unknown_list_effect=pack.screening.unknown_list_effect,
        confirmed_score=pack.screening.confirmed_score,
        licence_types=pack.licences.types,
        sources=pack.sources,
        group_rule_source=pack.destinations.group_rule_source,
        facts=_freeze(facts),
    )


ClausesOf = dict[str, tuple[tuple[s.Entry, s.Clause], ...]]


def _kinds(by_product: Mapping[str, list[tuple[s.Entry, s.Clause]]]) -> tuple[ClausesOf, dict[str, tuple[str, ...]]]:
    """Each product's clauses with those of the broader products its name implies, and its narrower products.

    Products are slugs where `cw-laser` is a kind of `laser`: a `cw-laser` is assessed against the clauses of
    `laser` too (they apply to every laser), and a `laser` that fails its own clauses may still be a kind of laser
    another entry lists, so it is not "not listed" while a narrower product's clause could hold.
    """
    broader = {p: [p.split("-", i)[-1] for i in range(1, p.count("-") + 1)] for p in by_product}
    narrower: dict[str, list[str]] = {}
    for product, kinds_of in broader.items():
        for kind in kinds_of:
            if kind in by_product:
                narrower.setdefault(kind, []).append(product)
    clauses: ClausesOf = {}
    for product in by_product:
        seen: set[tuple[str, str]] = set()
        found: list[tuple[s.Entry, s.Clause]] = []
        for other in (product, *broader[product]):
            for entry, clause in by_product.get(other, ()):
                if (entry.id, clause.id) not in seen:
                    seen.add((entry.id, clause.id))
                    found.append((entry, clause))
        clauses[product] = tuple(found)
    return clauses, {product: tuple(kinds) for product, kinds in narrower.items()}


def _describe(record: object) -> str:
    if isinstance(record, s.Coverage):
        scope = ", ".join(record.rows + record.entries)
        return f"{record.licence} covers {'/'.join(record.kinds)} of {scope} to groups {', '.join(record.destinations)}"
    if isinstance(record, s.Measure):
        return f"{record.title.en}: only {', '.join(record.allowed_licences)} to {', '.join(record.destinations)}"
    if isinstance(record, s.SmallValue):
        return (
            f"{record.title.en}: rows {', '.join(record.rows)} up to ¥{record.threshold_jpy:,}"
            f" (¥{record.reduced.threshold_jpy:,} for Appended Table 3-3 goods)"
        )
    title = getattr(record, "title", None)
    return title.en if isinstance(title, s.Text) else str(record)
