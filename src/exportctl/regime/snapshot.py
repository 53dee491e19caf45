"""A pack resolved at a date: immutable, with dictionary lookups for the engine's hot path.

Snapshots are built once per segment between change points (see `Regime.at`), so every date inside a
segment gets the very same object. `facts` flattens everything in force into keyed, cited statements, each with
its text in English and Japanese; `regime show` prints them and `regime diff` compares two of them. The dated
sections are resolved by walking the table of sections (`sections.py`): `active(SECTION)` gives the records of a
section in force, `named(SECTION)` the same by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from exportctl.intervals import Interval
from exportctl.regime import schema as s
from exportctl.regime.loader import Pack
from exportctl.regime.sections import EMBARGOES, MEASURES, R, Section

T = TypeVar("T")
MEMO_SIZE = 100_000  # answers kept per snapshot


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
    """A statement in force, keyed `section/name`: `title.en` is its text (printed and compared), `title.ja` its
    Japanese label; `source` put it in force and `ended_by` (if any) ends it."""

    key: str
    title: s.Text
    source: str
    ended_by: str | None = None

    @property
    def text(self) -> str:
        return self.title.en


@dataclass(frozen=True, slots=True)
class Placement:
    group: s.Group
    source: str  # the table membership or rule that places the country in `group`


@dataclass(frozen=True, slots=True)
class ClauseRef:
    entry: str
    clause: str | None


@dataclass(frozen=True)
class Snapshot:
    pack: Pack
    valid: Interval
    tables: Mapping[str, Mapping[str, s.Period]]
    entries: Mapping[str, Active[s.Entry]]
    control_numbers: Mapping[str, tuple[ClauseRef, ...]]
    exact_numbers: frozenset[str]  # the numbers of entries listing their parts: what is under them resolves exactly
    cas_numbers: Mapping[str, tuple[ClauseRef, ...]]
    clauses_by_product: Mapping[str, tuple[tuple[s.Entry, s.Clause], ...]]  # with the broader products' clauses
    narrower_products: Mapping[str, tuple[str, ...]]  # `laser` → `cw-laser`, `pulsed-laser`, …
    technology_of: Mapping[str, tuple[s.Entry, ...]]  # goods entry id → technology entries in force
    unencoded: tuple[str, ...]  # sub-items the rows declare that have no entry: "not listed" cannot be concluded
    clauses_out_of_force: frozenset[str]  # `entry#clause` of entries in force whose clause is not, on this date
    in_force: Mapping[str, tuple[Active[Any], ...]]  # section name → its records in force, in file order
    by_name: Mapping[str, Mapping[str, Active[Any]]]  # section name → its records in force by name
    facts: Mapping[str, Fact]
    # Answers computed from this snapshot alone (an item's classification), reused: an order book names the same
    # items again and again. Bounded: cleared when full, so a stream of distinct items cannot grow it for ever.
    _memo: dict[Hashable, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def memoised(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per `key` on this snapshot; `key` must determine the answer given the snapshot (an
        exception is not remembered)."""
        try:
            return self._memo[key]  # type: ignore[return-value]  # stored by this method for this key
        except KeyError:
            pass
        value = compute()
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = value
        return value

    def active(self, section: Section[R]) -> tuple[Active[R], ...]:
        return self.in_force[section.name]  # records of `section.model`: the snapshot was built by this table

    def named(self, section: Section[R]) -> Mapping[str, Active[R]]:
        return self.by_name[section.name]

    @property
    def regime(self) -> str:
        return self.pack.meta.id

    @property
    def pack_version(self) -> str:
        return self.pack.version

    @property
    def sources(self) -> Mapping[str, s.Source]:
        return self.pack.sources

    @property
    def known_entries(self) -> Mapping[str, s.Entry]:
        """Every entry of the pack, in force on this date or not (to tell "not in force" from "unknown")."""
        return self.pack.entries

    @property
    def embargoes(self) -> Mapping[str, Active[s.Embargo]]:
        return self.named(EMBARGOES)

    @property
    def measures(self) -> tuple[Active[s.Measure], ...]:
        return self.active(MEASURES)

    def in_table(self, table: str, country: str) -> bool:
        return country in self.tables[table]

    def placement(self, country: str) -> Placement:
        """The country's destination group on this date (the first of the pack's groups one of whose tables lists
        it, else the group without tables) and what puts it there: its membership of that table, or the rule that
        derives the groups."""
        for group in self.pack.destinations.groups:
            for table in group.tables:
                period = self.tables[table].get(country)
                if period is not None:
                    return Placement(group, period.source)
        return Placement(self.pack.destinations.rest, self.pack.destinations.group_rule_source)

    def group(self, country: str) -> str:
        return self.placement(country).group.id

    def group_members(self) -> dict[str, list[str]]:
        """The members of each group its tables define, by group id; the group without tables is every other."""
        members: dict[str, list[str]] = {}
        for group in sorted(self.pack.destinations.groups, key=lambda group: group.id):
            if group.tables:
                listed = {code for table in group.tables for code in self.tables[table]}
                members[group.id] = sorted(code for code in listed if self.group(code) == group.id)
        return members

    def reaches(self, destinations: s.Destinations, country: str, group: str) -> bool:
        """Whether a rule for `destinations` applies to `country` (in `group` on this date)."""
        if group in destinations.outside_groups:
            return False
        for table in destinations.outside_tables:
            if country in self.tables[table]:
                return False
        if group in destinations.groups or not (destinations.groups or destinations.tables):
            return True
        return any(country in self.tables[table] for table in destinations.tables)


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

    def add_fact(key: str, title: s.Text, period: s.Period) -> None:
        facts[key] = Fact(key, title, period.source, period.ended_by)

    tables: dict[str, Mapping[str, s.Period]] = {}
    for table_id, table in pack.destinations.tables.items():
        members: dict[str, s.Period] = {}
        for code, periods in table.members.items():
            period = _active(periods, day)
            if period is not None:
                members[code] = period
                title = s.Text(en=f"{code} is in {table.title.en}", ja=f"{code}：{table.title.ja}")
                add_fact(f"{table_id}/{code}", title, period)
        tables[table_id] = _freeze(members)

    entries: dict[str, Active[s.Entry]] = {}
    control_numbers: dict[str, list[ClauseRef]] = {}
    exact: set[str] = set()
    cas_numbers: dict[str, list[ClauseRef]] = {}
    by_product: dict[str, list[tuple[s.Entry, s.Clause]]] = {}
    technology_of: dict[str, list[s.Entry]] = {}
    out_of_force: set[str] = set()
    for entry_id, entry in pack.entries.items():
        period = _active(entry.periods, day)
        if period is None:
            continue
        entries[entry_id] = Active(entry, period)
        title = s.Text(en=f"Entry {entry_id} ({entry.title.en}) is controlled", ja=f"{entry_id} {entry.title.ja}")
        add_fact(f"entry/{entry_id}", title, period)
        for number in entry.control_numbers:
            control_numbers.setdefault(number.upper(), []).append(ClauseRef(entry_id, None))
        for number in entry.parts:
            control_numbers.setdefault(number.upper(), []).append(ClauseRef(entry_id, None))
            exact.add(number.upper())
        if entry.parts:
            exact.update(number.upper() for number in entry.control_numbers)
        for clause in entry.clauses:
            if clause.periods:
                clause_period = _active(clause.periods, day)
                if clause_period is None:
                    out_of_force.add(f"{entry_id}#{clause.id}")
                    continue  # the law's wording did not (yet, or any more) include this alternative
                name = f"{entry_id}#{clause.id}"
                title = s.Text(en=f"{entry_id}: {clause.title.en}", ja=f"{name} {clause.title.ja}")
                add_fact(f"clause/{name}", title, clause_period)
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

    in_force: dict[str, tuple[Active[Any], ...]] = {}
    by_name: dict[str, Mapping[str, Active[Any]]] = {}
    for section in pack.sections:
        active: dict[str, Active[Any]] = {}  # names are unique among records in force (the loader checks)
        for name, record in pack.records(section):
            period = _active(record.periods, day)
            if period is not None:
                active[name] = Active(record, period)
                add_fact(f"{section.name}/{name}", section.fact(name, record), period)
        in_force[section.name] = tuple(active.values())
        by_name[section.name] = _freeze(active)

    clauses_of, narrower_of = _kinds(by_product)
    return Snapshot(
        pack=pack,
        valid=valid,
        tables=_freeze(tables),
        entries=_freeze(entries),
        control_numbers=_freeze({k: tuple(v) for k, v in control_numbers.items()}),
        exact_numbers=frozenset(exact),
        cas_numbers=_freeze({k: tuple(v) for k, v in cas_numbers.items()}),
        clauses_by_product=_freeze(clauses_of),
        narrower_products=_freeze(narrower_of),
        technology_of=_freeze({k: tuple(v) for k, v in technology_of.items()}),
        clauses_out_of_force=frozenset(out_of_force),
        unencoded=tuple(sub for row in pack.rows.values() for sub in row.sub_items if sub not in pack.entries),
        in_force=_freeze(in_force),
        by_name=_freeze(by_name),
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
