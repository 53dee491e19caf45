"""The typed schema of a regime pack's YAML files.

Every record that states a rule carries `periods`: half-open effective intervals, each citing a source id
from the pack's registry. Unknown keys are errors, so a typo in a pack fails loudly at load time instead
of silently dropping a rule. The pack format is documented in docs/pack-format.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from exportctl.countries import CountryCode, RegionCode

SLUG = r"^[a-z0-9][a-z0-9-]*$"
CAS_NUMBER = re.compile(r"^\d{2,7}-\d{2}-\d$")

Kind = Literal["goods", "technology"]
Purpose = Literal["design", "manufacture", "use"]
# What a catch-all end-use requirement asks about: a WMD, a conventional-weapons (military) or a repression (EU
# Art. 5: internal repression or serious violations of human rights) end use.
Weapon = Literal["wmd", "conventional", "repression"]
Requirement = Literal["informed", "end-use", "end-user"]
Residency = Literal["non-resident", "resident", "resident-specified-category"]
Operator = Literal[">", ">=", "<", "<=", "==", "!=", "in", "not-in"]
Scalar = bool | int | float | str


@dataclass(frozen=True)
class Ref:
    """Marks a field that names another part of the pack; the loader checks every such name exists.

    `kind` is what it names: source, entry, goods-entry, row, entry-or-row, licence, parameter, group, table."""

    kind: str


SourceId = Annotated[str, Ref("source")]
EntryId = Annotated[str, Ref("entry")]
GoodsEntryId = Annotated[str, Ref("goods-entry")]
RowId = Annotated[str, Ref("row")]
EntryOrRowId = Annotated[str, Ref("entry-or-row")]
LicenceId = Annotated[str, Ref("licence")]
ParameterId = Annotated[str, Ref("parameter")]
GroupId = Annotated[str, Ref("group")]
TableId = Annotated[str, Ref("table")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(Strict):
    en: str = Field(min_length=1)
    ja: str = Field(min_length=1)


class Period(Strict):
    start: date | None = Field(default=None, alias="from")
    end: date | None = Field(default=None, alias="to")
    source: SourceId
    ended_by: SourceId | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValueError(f"'from' {self.start} must be before 'to' {self.end}")
        return self


class Dated(Strict):
    """Base of every rule record: in force during its periods (non-overlapping)."""

    periods: list[Period] = Field(min_length=1)


class Source(Strict):
    instrument: str
    title: str | None = None
    article: str | None = None
    promulgated: date | None = None
    in_force: date | None = None
    url: str
    verified: bool
    note: str | None = None


class IdGrammar(Strict):
    """How the pack writes one kind of id: a regular expression (for entries, capturing the row as `(?P<row>…)`)
    and examples for the error messages."""

    pattern: str
    examples: list[str] = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return pattern

    def matches(self, value: str) -> re.Match[str] | None:
        return re.fullmatch(self.pattern, value)

    def such_as(self) -> str:
        quoted = [f"'{example}'" for example in self.examples]
        return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


class EntryIds(Strict):
    """The pack's grammar of control-list ids: goods and technology entries (each naming its row), and rows."""

    goods: IdGrammar
    technology: IdGrammar
    rows: IdGrammar

    @model_validator(mode="after")
    def _entries_name_their_row(self) -> EntryIds:
        for kind in ("goods", "technology"):
            if "(?P<row>" not in getattr(self, kind).pattern:
                raise ValueError(f"the {kind} pattern must capture the entry's row as (?P<row>...)")
        return self


class Terms(Strict):
    """The pack's own words for what its reasons name, so that they cite the law in its terms."""

    home: str = Field(description="the name of the pack's territory (`home`)")
    not_listed: str = Field(description="how the law says goods are in no row but the catch-all row")
    informed: str = Field(description="the authority has informed the exporter (a catch-all requirement met)")
    not_informed: str = Field(description="no such notice (the informed requirement not met)")
    end_user_list: str = Field(description="the list the catch-all end-user requirement looks the end user up in")
    row: str = Field(default="row", description="what the law calls a row of its control list (`row`, `Category`)")


class PackMeta(Strict):
    format: int = Field(description="The pack format the files are written in (the loader upgrades an older one)")
    id: str
    title: Text
    coverage_from: date
    description: str | None = None
    home: list[CountryCode] = Field(
        min_length=1, description="The regime's territory: technology provided there is decided by residency"
    )
    home_transfers: bool = Field(
        default=False,
        description="Moves between the states of the territory (EU member states) are transfers the pack decides;"
        " without it, goods to a destination at home are no export",
    )
    reexports: bool = Field(
        default=False,
        description="The law follows its items abroad (the EAR): a transaction may leave from outside the territory"
        " (`origin`), a re-export the pack's rules decide is subject to the law or not (`subject`)",
    )
    list_verified: list[Verified] = Field(
        default=[],
        description="When the control list's content as a whole was checked against a consolidated text; a date"
        " outside these periods is answered with the list as encoded, and says so",
    )
    uncriteria_entries_may_list: bool = Field(
        default=False,
        description="An entry in force without decision criteria may list any product (its text names none the pack"
        " knows): while one exists, a specification failing every encoded clause is undetermined, never 'not listed'",
    )
    reviewed_products: list[str] = Field(
        default=[],
        description="Products checked against the whole list: no entry without criteria lists them, so failing the"
        " encoded clauses may make them 'not listed' even where `uncriteria_entries_may_list` holds",
    )
    entry_ids: EntryIds
    terms: Terms


class SourcesFile(Strict):
    sources: dict[str, Source]


class Parameter(Strict):
    title: Text
    type: Literal["number", "text", "bool"]
    unit: str | None = None


class ParametersFile(Strict):
    parameters: dict[str, Parameter]


# --- destinations -----------------------------------------------------------------------------------------


class CountryTable(Strict):
    title: Text
    members: dict[CountryCode, list[Period]]


class Embargo(Dated):
    """A destination the law closes: exports there are prohibited, or (`effect: licence-required`, the EAR's part
    746) need a licence whatever the control list says, reviewed under `review_policy`, with only `licences`
    usable."""

    title: Text
    kinds: list[Kind] = ["goods", "technology"]
    effect: Literal["prohibited", "licence-required"] = "prohibited"
    review_policy: str | None = None
    licences: list[LicenceId] = []
    # Only these regions of the country (ISO 3166-2): elsewhere in it the embargo does not apply, and while the
    # transaction does not state its region the answer is indeterminate.
    regions: list[RegionCode] = []


class Group(Strict):
    """A destination group: the countries of its `tables` that no earlier group holds. The one group without
    tables holds every other country."""

    id: str
    title: Text
    tables: list[TableId] = []


class DestinationsFile(Strict):
    tables: dict[Annotated[str, Field(pattern=SLUG)], CountryTable]
    groups: list[Group] = Field(min_length=1)
    group_rule_source: SourceId = Field(description="What derives the groups; cited for the group without tables")

    @field_validator("groups")
    @classmethod
    def _one_group_for_the_rest(cls, groups: list[Group]) -> list[Group]:
        ids = [group.id for group in groups]
        if len(set(ids)) != len(ids):
            raise ValueError(f"group ids must be unique: {', '.join(ids)}")
        if sum(1 for group in groups if not group.tables) != 1:
            raise ValueError("exactly one group has no tables: it holds every country the others do not")
        return groups

    @property
    def rest(self) -> Group:
        """The group of every country no table places in another group."""
        return next(group for group in self.groups if not group.tables)


class Destinations(Strict):
    """The destinations a rule reaches: those in one of `groups` or `tables` (every one when both are empty),
    less those in one of `outside_groups` or `outside_tables`."""

    groups: list[GroupId] = []
    tables: list[TableId] = []
    outside_groups: list[GroupId] = []
    outside_tables: list[TableId] = []


# --- control list -----------------------------------------------------------------------------------------


class Row(Strict):
    id: str
    regime: str
    goods_title: Text
    technology_title: Text
    goods_source: SourceId
    technology_source: SourceId
    destinations: str = Field(
        pattern=SLUG,
        description="The destinations the law's column gives the row, in the pack's words (`all`, a table it"
        " excludes): checked against the law's text; what the engine applies are the catch-all rules' scopes",
    )
    catch_all: bool = Field(
        default=False, description="Goods and technology of this row are controlled only by catch-all requirements"
    )
    sub_items: list[str] = Field(
        default=[], description="The row's live sub-items in the law's text: each must be an entry for 'not listed'"
    )
    origins: list[CountryCode] = Field(
        default=[],
        description="A national list (EU Art. 9): its entries control exports from these states of the territory"
        " only; from elsewhere an item of it is decided by the catch-all",
    )
    required: LegalBasis | None = Field(
        default=None, description="What a licence for the row's entries is required under, when not the pack's"
    )


class Verified(Strict):
    """A period for which a fact was checked against a consolidated text of the law (dated `text`)."""

    start: date = Field(alias="from")
    end: date | None = Field(default=None, alias="to")
    text: str = Field(description="the consolidated text checked, e.g. 'the ministerial ordinance as of 2026-02-14'")

    @model_validator(mode="after")
    def _ordered(self) -> Verified:
        if self.end is not None and self.start >= self.end:
            raise ValueError(f"'from' {self.start} must be before 'to' {self.end}")
        return self


class Criterion(Strict):
    param: ParameterId
    op: Operator
    value: Scalar | list[Scalar]
    note: str | None = None
    verified: list[Verified] = []

    @model_validator(mode="after")
    def _list_only_for_membership(self) -> Criterion:
        if (self.op in ("in", "not-in")) != isinstance(self.value, list):
            raise ValueError(f"operator '{self.op}' needs {'a list' if self.op in ('in', 'not-in') else 'one'} value")
        return self


class Clause(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    products: list[str] = Field(min_length=1)
    criteria: list[Criterion] = []
    control_numbers: list[str] = []
    cas: list[str] = []
    note: str | None = None
    verified: list[Verified] = []
    periods: list[Period] = Field(
        default=[], description="When the clause is narrower in time than its entry (a wording change of the law)"
    )

    @field_validator("cas")
    @classmethod
    def _cas_numbers(cls, numbers: list[str]) -> list[str]:
        for number in numbers:
            if not CAS_NUMBER.match(number):
                raise ValueError(f"'{number}' is not a CAS registry number such as '7664-39-3'")
        return numbers


class HsScope(Strict):
    chapters: list[int] = []
    headings: list[str] = []

    @field_validator("headings")
    @classmethod
    def _digits(cls, headings: list[str]) -> list[str]:
        for heading in headings:
            if not re.fullmatch(r"\d{4}(\.\d{2,4})?", heading):
                raise ValueError(f"'{heading}' is not an HS heading such as '8456' or '8542.31'")
        return headings


class Control(Strict):
    """One reason an entry is controlled for, and where (the EAR: a Reason for Control and its Country Chart column).
    An entry with controls needs a licence only to the destinations of a control that applies to the item: one for
    the whole entry, or for one of `parts` (its sub-paragraphs)."""

    reason: str = Field(description="The reason's code as the law writes it, e.g. NS2, RS1, AT1")
    text: str = Field(description="The control as the list states it")
    destinations: Destinations
    parts: list[str] = Field(default=[], description="The sub-paragraphs it applies to; none: the whole entry")
    review_policy: str | None = None


class Entry(Dated):
    """A sub-item of a control list, goods or technology; its id follows the pack's grammar (`entry_ids`).

    `complete` says the clauses encode every alternative of the sub-item's text, so a product that fails them
    all is not of this sub-item; without it the entry can rule a product in but never out. A technology entry
    names the goods entries whose technology it is and the purposes (design, manufacture, use) it controls;
    no purposes means control does not depend on the purpose.
    """

    id: str
    kind: Kind = "goods"
    row: RowId
    title: Text
    regime: str | None = None
    control_numbers: list[str] = []
    parts: list[str] = Field(
        default=[],
        description="The entry's numbered sub-paragraphs (`3A001.a.1`), each addressable as an item. An entry with"
        " parts lists every live one: a number under it that is not among them (a paragraph 'not used') resolves to"
        " nothing rather than to the entry",
    )
    clauses: list[Clause] = []
    controls: list[Control] = Field(
        default=[],
        description="Where the entry is controlled, reason by reason; none: it is controlled for every destination",
    )
    hs: HsScope | None = None
    technology: bool = True
    goods_entries: list[GoodsEntryId] = []
    purposes: list[Purpose] = []
    complete: bool = False
    note: str | None = None
    verified: list[Verified] = []

    @model_validator(mode="after")
    def _technology_fields(self) -> Entry:
        if self.kind == "goods" and (self.goods_entries or self.purposes):
            raise ValueError(f"entry '{self.id}': goods_entries and purposes belong to technology entries")
        return self


class ControlFile(Strict):
    rows: list[Row] = []
    entries: list[Entry] = []


# --- catch-all, licences, exceptions, technology ----------------------------------------------------------


class CatchAllRule(Dated):
    id: str
    title: Text
    weapon: Weapon
    requirement: Requirement
    entries: list[EntryOrRowId] = Field(min_length=1)
    destinations: Destinations
    eul_concerns: list[str] = []
    clearly_not_applies: bool = False


class LicenceType(Strict):
    title: Text
    source: SourceId
    abbreviation: str | None = Field(default=None, description="A short code for tables, e.g. 'GB'")
    note: str | None = None


# Facts of a transaction that make a licence unusable when true (and a condition of its use when unknown).
UsabilityFact = Literal["informed", "wmd_end_use", "conventional_end_use"]


class Coverage(Dated):
    """What a licence type may cover: lines of `kinds` listed in `rows` or `entries` (or in one of `parts`, the
    numbered sub-paragraphs of an entry), less `exclude_entries` and `exclude_parts`, to `destinations` (groups, or
    groups and tables). A line given only by its entry while the coverage names parts of it is covered on the
    condition that the item is (or is not) of those parts."""

    licence: LicenceId
    kinds: list[Kind] = ["goods", "technology"]
    rows: list[EntryOrRowId] = []
    entries: list[EntryOrRowId] = []
    parts: list[str] = []
    exclude_entries: list[EntryOrRowId] = []
    exclude_parts: list[str] = []
    destinations: list[GroupId] | Destinations
    condition: Text | None = None
    unusable_when: list[UsabilityFact] = Field(
        default=[], description="Transaction facts that make the licence unusable (e.g. the exporter is informed)"
    )
    reasons: list[str] = Field(
        default=[],
        description="The reasons for control it overcomes (an entry with controls): usable only when every reason"
        " requiring the licence is among them; none: any reason",
    )
    max_value_usd: int | None = Field(
        default=None, ge=0, description="The line's value may not exceed this (US dollars; LVS): unknown, a condition"
    )

    @field_validator("destinations")
    @classmethod
    def _some_destination(cls, value: list[str] | Destinations) -> list[str] | Destinations:
        if isinstance(value, list) and not value:
            raise ValueError("name at least one destination group")
        return value


class Target(Strict):
    entry: EntryId
    clause: str | None = None


class Measure(Dated):
    id: str
    title: Text
    destinations: list[CountryCode] = Field(min_length=1)
    targets: list[Target] = Field(min_length=1)
    kinds: list[Kind] = ["goods", "technology"]
    allowed_licences: list[LicenceId] = Field(min_length=1)
    review_days: int | None = None


class LegalBasis(Strict):
    """What a licence is required under (cited by every "licence required" reason), and the list it controls."""

    source: SourceId
    law: str = Field(description="the provision as the reason cites it")
    listed_in: str = Field(description="the name of the list whose entries it controls")


class Required(Strict):
    goods: LegalBasis
    technology: LegalBasis


class NotAssessed(Strict):
    """Licence types the law provides whose conditions the pack does not encode (the EAR's part 740 names 27
    exceptions): a line that needs a licence names them, so the types offered are not read as the only ones."""

    source: SourceId  # where the law lists them
    types: dict[str, LicenceType]


class LicencesFile(Strict):
    types: dict[str, LicenceType]
    required: Required
    not_assessed: NotAssessed | None = None


class TechnologyRule(Dated):
    id: str
    title: Text
    residency: list[Residency] = []
    provided_abroad: bool = False


class ListPolicy(Dated):
    """What a hit on a screening list does to a transaction under this regime."""

    title: Text
    effect: Literal["end-user-list", "prohibited", "review", "licence-required"] = Field(
        description="licence-required: a confirmed hit needs a licence for every line (the EAR's Entity List), usable"
        " only as `licences`, reviewed under the listed entity's own policy"
    )
    licences: list[LicenceId] = []
    # A required list decides whether a named party may be dealt with at all: without it (or with a version
    # older than `max_age_days`), a determination naming a party is indeterminate rather than cleared.
    required: bool = False
    max_age_days: int | None = Field(
        default=None, ge=1, description="Days since the loaded version's publication or loading; None: no limit"
    )


class ScreeningFile(Strict):
    unknown_list_effect: Literal["prohibited", "review"] = "review"
    confirmed_score: float = Field(ge=0, le=1, description="Below this, a hit on a prohibiting list needs review")


class TechnologyExemption(Dated):
    """A case in which a technology transaction needs no licence, claimed by the exporter (`exemptions` of a line)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    condition: Text
