"""The typed schema of a regime pack's YAML files.

Every record that states a rule carries `periods`: half-open effective intervals, each citing a source id
from the pack's registry. Unknown keys are errors, so a typo in a pack fails loudly at load time instead
of silently dropping a rule. The pack format is documented in docs/pack-format.md.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ENTRY_ID = re.compile(r"^(tech:)?\d{1,2}(-2)?(\(\d{1,2}(-\d{1,2})?\))?$")
TECHNOLOGY_PREFIX = "tech:"
ROW_ID = re.compile(r"^\d{1,2}(-2)?$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
CAS_NUMBER = re.compile(r"^\d{2,7}-\d{2}-\d$")

Kind = Literal["goods", "technology"]
Purpose = Literal["design", "manufacture", "use"]
Weapon = Literal["wmd", "conventional"]
Requirement = Literal["informed", "end-use", "end-user"]
Scope = Literal["all", "group-a", "outside-group-a", "table-3-2"]
Group = Literal["A", "B", "C", "D"]
Residency = Literal["non-resident", "resident", "resident-specified-category"]
Operator = Literal[">", ">=", "<", "<=", "==", "!=", "in", "not-in"]
Scalar = bool | int | float | str


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(Strict):
    en: str = Field(min_length=1)
    ja: str = Field(min_length=1)


class Period(Strict):
    start: date | None = Field(default=None, alias="from")
    end: date | None = Field(default=None, alias="to")
    source: str
    ended_by: str | None = None
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


class PackMeta(Strict):
    id: str
    title: Text
    coverage_from: date
    description: str | None = None


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
    members: dict[str, list[Period]]

    @field_validator("members")
    @classmethod
    def _iso_codes(cls, members: dict[str, list[Period]]) -> dict[str, list[Period]]:
        for code in members:
            if not COUNTRY.match(code):
                raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 code")
        return members


class Embargo(Dated):
    title: Text
    kinds: list[Kind] = ["goods", "technology"]


class DestinationsFile(Strict):
    tables: dict[Literal["table-3", "table-3-2", "table-4", "group-b"], CountryTable]
    group_rule_source: str
    embargoes: dict[str, Embargo] = {}


# --- control list -----------------------------------------------------------------------------------------


class Row(Strict):
    id: str
    regime: str
    goods_title: Text
    technology_title: Text
    goods_source: str
    technology_source: str
    destinations: Literal["all", "outside-table-3"]
    sub_items: list[str] = Field(
        default=[], description="The row's live sub-items in the law's text: each must be an entry for 'not listed'"
    )

    @field_validator("id")
    @classmethod
    def _row_id(cls, value: str) -> str:
        if not ROW_ID.match(value):
            raise ValueError(f"'{value}' is not a row id such as '5' or '3-2'")
        return value


class Verified(Strict):
    """A period for which a fact was checked against a consolidated text of the law (dated `text`)."""

    start: date = Field(alias="from")
    end: date | None = Field(default=None, alias="to")
    text: str = Field(
        description="the consolidated text checked, e.g. 'METI Ordinance No. 49 of 1991 as of 2026-02-14'"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Verified:
        if self.end is not None and self.start >= self.end:
            raise ValueError(f"'from' {self.start} must be before 'to' {self.end}")
        return self


class Criterion(Strict):
    param: str
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


class Entry(Dated):
    """A sub-item of a control list: goods (Appended Table 1) or technology (`tech:` ids, FEO Appended Table).

    `complete` says the clauses encode every alternative of the sub-item's text, so a product that fails them
    all is not of this sub-item; without it the entry can rule a product in but never out. A technology entry
    names the goods entries whose technology it is and the purposes (design, manufacture, use) it controls;
    no purposes means control does not depend on the purpose.
    """

    id: str
    kind: Kind = "goods"
    row: str
    title: Text
    regime: str | None = None
    control_numbers: list[str] = []
    clauses: list[Clause] = []
    hs: HsScope | None = None
    technology: bool = True
    goods_entries: list[str] = []
    purposes: list[Purpose] = []
    complete: bool = False
    note: str | None = None
    verified: list[Verified] = []

    @field_validator("id")
    @classmethod
    def _entry_id(cls, value: str) -> str:
        if not ENTRY_ID.match(value):
            raise ValueError(f"'{value}' is not an entry id such as '5(17)', '3-2(1)', '16' or 'tech:2(1)'")
        return value

    @model_validator(mode="after")
    def _kind_matches_id(self) -> Entry:
        if (self.kind == "technology") != self.id.startswith(TECHNOLOGY_PREFIX):
            raise ValueError(f"entry '{self.id}': technology entries, and only they, have ids starting 'tech:'")
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
    entries: list[str] = Field(min_length=1)
    destinations: Scope
    eul_concerns: list[str] = []
    clearly_not_applies: bool = False


class CatchAllFile(Strict):
    rules: list[CatchAllRule]


class LicenceType(Strict):
    title: Text
    source: str
    note: str | None = None


class Coverage(Dated):
    licence: str
    kinds: list[Kind] = ["goods", "technology"]
    rows: list[str] = []
    entries: list[str] = []
    exclude_entries: list[str] = []
    destinations: list[Group] = Field(min_length=1)
    condition: Text | None = None


class Target(Strict):
    entry: str
    clause: str | None = None


class Measure(Dated):
    id: str
    title: Text
    destinations: list[str] = Field(min_length=1)
    targets: list[Target] = Field(min_length=1)
    kinds: list[Kind] = ["goods", "technology"]
    allowed_licences: list[str] = Field(min_length=1)
    review_days: int | None = None


class LicencesFile(Strict):
    types: dict[str, LicenceType]
    coverage: list[Coverage]
    measures: list[Measure] = []


class ReducedThreshold(Strict):
    """Appended Table 3-3: goods of `rows`/`entries` always take the lower threshold; goods of `designated_rows`/
    `designated_entries` only where a ministerial notice designates them (`designation_source`)."""

    threshold_jpy: int
    rows: list[str] = []
    entries: list[str] = []
    designated_rows: list[str] = []
    designated_entries: list[str] = []
    designation_source: str | None = None


class SmallValue(Dated):
    id: str
    title: Text
    rows: list[str]
    threshold_jpy: int
    reduced: ReducedThreshold
    excluded_destinations: Literal["table-4"]
    end_user_concerns: list[str] = Field(
        default=[], description="End User List concern types that lose the exception outside Group A"
    )
    clearly_not_applies: bool = False
    informed_in_group_a: bool = Field(default=True, description="An inform notice also removes it for Group A")


class TechnologyRule(Dated):
    id: str
    title: Text
    residency: list[Residency] = []
    provided_abroad: bool = False


class ListPolicy(Dated):
    """What a hit on a screening list does to a transaction under this regime."""

    title: Text
    effect: Literal["end-user-list", "prohibited", "review"]
    # A required list decides whether a named party may be dealt with at all: without it (or with a version
    # older than `max_age_days`), a determination naming a party is indeterminate rather than cleared.
    required: bool = False
    max_age_days: int | None = Field(
        default=None, ge=1, description="Days since the loaded version's publication or loading; None: no limit"
    )


class ScreeningFile(Strict):
    lists: dict[str, ListPolicy]
    unknown_list_effect: Literal["prohibited", "review"] = "review"
    confirmed_score: float = Field(ge=0, le=1, description="Below this, a hit on a prohibiting list needs review")


class TechnologyExemption(Dated):
    """A case in which a technology transaction needs no licence, claimed by the exporter (`exemptions` of a line)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    condition: Text


class RulesFile(Strict):
    small_value: list[SmallValue] = []
    technology: list[TechnologyRule] = []
    technology_exemptions: list[TechnologyExemption] = []
