"""The table of a pack's dated sections: the one declaration that loading, resolution, diff and display walk.

A section is a list or mapping of dated records under one key of one pack file (catch-all rules, licence
coverage, special measures, …). Its row says where it is written, the record type, how each record is named in
fact keys (`coverage/general-bulk#1`) and the fact a record in force states, in English and Japanese. The loader
validates each section's key with its record type, `Regime` takes its change points from every record's periods,
a snapshot keeps the records in force and their facts, and `regime diff` and the pages compare and label those
facts. A pack adds sections of its own (records its law alone has) through its rules module (`plugin.py`).

Country tables and control-list entries are dated too, but have structure of their own (members by country;
entries with clauses and indexes): the snapshot resolves them itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import TypeAdapter

from exportctl.countries import CountryCode
from exportctl.regime import schema as s

R = TypeVar("R", bound=s.Dated)
Keyed = Literal["mapping", "list"]


def _record_id(index: int, record: Any) -> str:
    """A list record's name in fact keys: its `id` (records without one name themselves with `name_of`)."""
    return str(record.id)


@dataclass(frozen=True, eq=False)
class Section(Generic[R]):
    """One dated section: `file`'s `key` holds `model` records, as a mapping by name or as a list."""

    name: str  # fact keys start `name/`; code asks a snapshot for the section by its row
    file: str
    key: str
    model: type[R]
    keyed: Keyed
    fact: Callable[[str, R], s.Text]  # what a record in force states: `en` is printed and compared, `ja` labels it
    name_of: Callable[[int, R], str] = _record_id  # a list record's name
    required: bool = False  # the key must be present in the file
    names: Any = str  # the type of a mapping's keys (e.g. `CountryCode`), validated with the records
    adapter: TypeAdapter[Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        shape: Any = dict[self.names, self.model] if self.keyed == "mapping" else list[self.model]  # type: ignore[name-defined]
        object.__setattr__(self, "adapter", TypeAdapter(shape))

    def named(self, records: Any) -> tuple[tuple[str, R], ...]:
        """The validated records with their names, in the order the file gives them."""
        if self.keyed == "mapping":
            return tuple(records.items())
        return tuple((self.name_of(index, record), record) for index, record in enumerate(records))


def _title(name: str, record: Any) -> s.Text:
    title: s.Text = record.title
    return title


def _embargo(code: str, embargo: s.Embargo) -> s.Text:
    return s.Text(en=f"{code}: {embargo.title.en}", ja=embargo.title.ja)


def _coverage(name: str, coverage: s.Coverage) -> s.Text:
    scope = ", ".join(coverage.rows + coverage.entries + coverage.parts)
    text = f"{coverage.licence} covers {'/'.join(coverage.kinds)} of {scope} to {_reach(coverage.destinations)}"
    if coverage.exclude_entries or coverage.exclude_parts:
        text += f", except {', '.join(coverage.exclude_entries + coverage.exclude_parts)}"
    return s.Text(en=text, ja=text)  # no Japanese title of its own: the English statement labels it


def _reach(destinations: list[str] | s.Destinations) -> str:
    if isinstance(destinations, list):
        return f"groups {', '.join(destinations)}"
    named = [
        ("groups", destinations.groups),
        ("tables", destinations.tables),
        ("outside groups", destinations.outside_groups),
        ("outside tables", destinations.outside_tables),
    ]
    return "; ".join(f"{label} {', '.join(ids)}" for label, ids in named if ids) or "every destination"


def _measure(name: str, measure: s.Measure) -> s.Text:
    text = f"{measure.title.en}: only {', '.join(measure.allowed_licences)} to {', '.join(measure.destinations)}"
    return s.Text(en=text, ja=measure.title.ja)


def _list_policy(name: str, policy: s.ListPolicy) -> s.Text:
    return s.Text(en=f"{name}: {policy.title.en} ({policy.effect})", ja=policy.title.ja)


EMBARGOES: Section[s.Embargo] = Section(
    "embargo", "destinations.yaml", "embargoes", s.Embargo, "mapping", _embargo, names=CountryCode
)
CATCH_ALL: Section[s.CatchAllRule] = Section(
    "catch-all", "catch_all.yaml", "rules", s.CatchAllRule, "list", _title, required=True
)
COVERAGE: Section[s.Coverage] = Section(
    "coverage", "licences.yaml", "coverage", s.Coverage, "list", _coverage, lambda i, c: f"{c.licence}#{i}", True
)
MEASURES: Section[s.Measure] = Section("measure", "licences.yaml", "measures", s.Measure, "list", _measure)
TECHNOLOGY: Section[s.TechnologyRule] = Section(
    "technology", "rules.yaml", "technology", s.TechnologyRule, "list", _title
)
EXEMPTIONS: Section[s.TechnologyExemption] = Section(
    "exemption", "rules.yaml", "technology_exemptions", s.TechnologyExemption, "list", _title
)
LIST_POLICIES: Section[s.ListPolicy] = Section(
    "screening", "screening.yaml", "lists", s.ListPolicy, "mapping", _list_policy, required=True
)

# In the order their facts are listed (after the country tables and the control list's entries, and before the
# sections of the pack's own rules module).
SECTIONS: tuple[Section[Any], ...] = (
    EMBARGOES,
    CATCH_ALL,
    COVERAGE,
    MEASURES,
    TECHNOLOGY,
    EXEMPTIONS,
    LIST_POLICIES,
)
