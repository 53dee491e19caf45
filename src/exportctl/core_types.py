"""Value types shared by every layer: what a transaction is, and what a determination says about it.

Inputs are pydantic models (they arrive from flags, files and HTTP and must be validated with errors that
name the field); outputs are frozen dataclasses (built on the hot path, so cheap to construct).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Literal, Protocol

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

from exportctl.countries import CountryCode, RegionCode, not_a_region_of
from exportctl.regime.schema import Purpose, Residency, Scalar
from exportctl.settings import DEFAULT_REGIME

LineKind = Literal["goods", "technology"]
HS_PATTERN = r"^\d{4}(\.?\d{2}){0,3}$"

# Limits on what a transaction may carry, the same on every interface (flags, files, REST, web): longer
# input is an attack, not an export (a 100,000-character end user took the server 5-8 s to screen).
NAME_MAX = 200  # exporter, consignee, end user
CODE_MAX = 64  # item references, product keys, exemption ids
TEXT_MAX = 500  # end use, line description
MAX_JPY = 2**63 - 1  # a 64-bit integer: what the records can store


# Unicode's control characters (category Cc: C0, DEL and C1, fixed by the standard's stability policy), found by
# one regular expression rather than a category lookup per character (a bulk import validates every name).
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, CR and LF allowed


def _one_line(value: str) -> str:
    """Not blank, and no control characters (they hide text in terminals and break PostgreSQL)."""
    if not value.strip():
        raise ValueError("must not be blank")
    if CONTROL_CHARACTERS.search(value):
        raise ValueError("contains control characters")
    return value


def _plain_text(value: str) -> str:
    if CONTROL_CHARACTERS_BUT_LINES.search(value):
        raise ValueError("contains control characters")
    return value


Name = Annotated[str, Field(max_length=NAME_MAX), AfterValidator(_one_line)]
Code = Annotated[str, Field(max_length=CODE_MAX), AfterValidator(_one_line)]
FreeText = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(_plain_text)]
Quantity = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Yen = Annotated[int, Field(ge=0, le=MAX_JPY)]
Amount = Annotated[int, Field(ge=0, le=MAX_JPY)]  # a whole amount of any currency, as the records store it
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class Outcome(StrEnum):
    NO_LICENCE_REQUIRED = "no_licence_required"
    LICENCE_REQUIRED = "licence_required"
    PROHIBITED = "prohibited"
    INDETERMINATE = "indeterminate"


# Overall outcome of several lines: the most severe wins. Indeterminate outranks licence_required
# because a transaction with an undecided line cannot be released even if the other lines are licensed.
SEVERITY = {
    Outcome.NO_LICENCE_REQUIRED: 0,
    Outcome.LICENCE_REQUIRED: 1,
    Outcome.INDETERMINATE: 2,
    Outcome.PROHIBITED: 3,
}


# The end uses a transaction declares, each a yes/no/unknown fact a catch-all requirement may ask.
END_USE_FACTS = ("wmd_end_use", "conventional_end_use", "repression_end_use")


class Specification(BaseModel):
    """An item described by what it is and its parameters, to be classified against the control list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    product: Code
    params: dict[Code, Scalar] = Field(default={}, max_length=100)
    hs: str | None = Field(
        default=None, pattern=HS_PATTERN, description="HS code, used for the catch-all when no entry matches"
    )

    @field_validator("params")
    @classmethod
    def _short_values(cls, params: dict[str, Scalar]) -> dict[str, Scalar]:
        for key, value in params.items():
            if isinstance(value, str) and len(value) > NAME_MAX:
                raise ValueError(f"{key}: at most {NAME_MAX} characters")
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{key}: must be a finite number")
        return params


class Line(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: LineKind = "goods"
    item: Code | None = Field(
        default=None, description="Entry id ('5(17)'), international number ('1C009.b') or 'hs:8456.11'"
    )
    spec: Specification | None = None
    description: FreeText | None = None
    quantity: Quantity | None = None
    value_jpy: Yen | None = None
    value_eur: Amount | None = Field(default=None, description="Contract value in EUR")
    value_usd: Amount | None = Field(default=None, description="Contract value in USD")
    us_content_pct: Percent | None = Field(
        default=None, description="A foreign-made item: the value share of controlled US-origin content (de minimis)"
    )
    us_direct_product: bool | None = Field(
        default=None,
        description="A foreign-made item: whether it is a direct product of US-origin technology or software, or of a"
        " plant or major component that is (EAR § 734.9)",
    )
    residency: Residency | None = Field(
        default=None, description="Technology provided in Japan (destination JP): the recipient's residency"
    )
    provided_abroad: bool = Field(
        default=False, description="Technology: provided in a foreign state (implied by a destination other than JP)"
    )
    tech_purpose: Purpose | None = Field(
        default=None, description="Technology: what the technology is for — design, manufacture or use"
    )
    exemptions: tuple[Code, ...] = Field(
        default=(),
        max_length=20,
        description="Technology: exemptions the exporter claims (ids of the pack's technology exemptions)",
    )

    @model_validator(mode="after")
    def _identified(self) -> Line:
        if (self.item is None) == (self.spec is None):
            raise ValueError("a line needs exactly one of 'item' or 'spec'")
        if self.kind == "goods" and (self.tech_purpose is not None or self.exemptions):
            raise ValueError("tech_purpose and exemptions apply to technology lines only")
        return self


class Transaction(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    regime: str = DEFAULT_REGIME
    date: dt.date
    origin: CountryCode | None = Field(
        default=None,
        validation_alias=AliasChoices("origin", "from"),
        description="Where the export leaves from, in the regime's territory (EU: the member state of export)",
    )
    destination: CountryCode
    destination_region: RegionCode | None = Field(
        default=None,
        validation_alias=AliasChoices("destination_region", "to_region"),
        description="The region of the destination (ISO 3166-2, e.g. UA-43), where a law treats it apart (the"
        " EAR's § 746.6); null = not stated",
    )
    exporter: Name | None = None
    consignee: Name | None = None
    end_user: Name | None = None
    end_user_country: CountryCode | None = None
    end_use: FreeText | None = None
    wmd_end_use: bool | None = Field(default=None, description="Declared end use is WMD-related; null = unknown")
    conventional_end_use: bool | None = Field(default=None, description="Conventional-weapons end use; null = unknown")
    repression_end_use: bool | None = Field(
        default=None,
        description="Use in internal repression or serious violations of human rights (EU Art. 5); null = unknown",
    )
    informed: bool = Field(default=False, description="METI has informed the exporter (インフォーム通知)")
    clearly_not: bool = Field(default=False, description="The 'clearly not' guideline was applied and documented")
    lines: list[Line] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _region_of_the_destination(self) -> Transaction:
        problem = not_a_region_of(self.destination, self.destination_region)
        if problem is not None:
            raise ValueError(f"destination_region {problem}")
        return self

    @model_validator(mode="before")
    @classmethod
    def _end_use_known_when_declared(cls, data: Any) -> Any:
        # A declared end use without either weapons flag is the exporter's assessment that it is neither;
        # the flags stay "unknown" (None) only when nothing was declared.
        if isinstance(data, dict) and data.get("end_use") is not None:
            data = dict(data)
            for key in END_USE_FACTS:
                if data.get(key) is None:
                    data[key] = False
        return data


@dataclass(frozen=True, slots=True)
class Citation:
    """A source a determination cites, carried with it so that it renders (and decodes) without the pack."""

    instrument: str
    url: str
    verified: bool
    article: str | None = None
    promulgated: dt.date | None = None
    in_force: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a determination says what it says: the rule code, the text (English) and the source it cites.

    `text_ja` is the same statement in Japanese, written by the engine from the pack's Japanese texts and its own
    Japanese sentences (never translated from `text`); None where the pack or the rule has no Japanese."""

    rule: str
    text: str
    source: str | None = None
    text_ja: str | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    param: str
    op: str
    required: Scalar | list[Scalar]
    actual: Scalar | None
    holds: bool | None


@dataclass(frozen=True, slots=True)
class EntryMatch:
    entry: str
    clause: str | None
    control_numbers: tuple[str, ...]
    via: Literal["entry", "control-number", "specification", "hs-code", "cas", "goods-entry"]
    comparisons: tuple[Comparison, ...] = ()
    goods: tuple[str, ...] = ()  # technology: the goods entries (`3(1)#hydrogen-fluoride`) it is technology of


@dataclass(frozen=True, slots=True)
class ExceptionCheck:
    exception: str
    applied: bool
    why: str
    source: str | None = None
    # `why` in Japanese, where the pack's rules write it: an applied exception's reason carries it (`text_ja`).
    why_ja: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class LineDetermination:
    index: int
    kind: LineKind
    item: str
    entries: tuple[EntryMatch, ...]
    outcome: Outcome
    eligible_licences: tuple[str, ...] = ()
    exceptions: tuple[ExceptionCheck, ...] = ()
    reasons: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = ()
    licence_conditions: dict[str, str] = field(default_factory=dict)
    reasons_for_control: tuple[str, ...] = ()  # the reasons requiring the licence (the EAR: NS2, AT1 …)
    review_policy: str | None = None  # how the authority reviews an application (the EAR: "policy of denial")


@dataclass(frozen=True, slots=True)
class ScreeningHit:
    """A listed entity a party name matched, with the score and why."""

    list_id: str
    list_version: str
    entity_id: str
    name: str
    matched_name: str
    score: float
    countries: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    licence_requirement: str = ""  # what the listing requires (the Entity List's License Requirement column)
    review_policy: str = ""  # how applications are reviewed (its License Review Policy column)
    explanation: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def country(self) -> str:
        return self.countries[0] if self.countries else ""


class PartyScreener(Protocol):
    """What the engine needs from screening: hits for a party name, and which lists were searched."""

    def screen_party(self, name: str, country: str | None) -> tuple[ScreeningHit, ...]: ...

    def has_list(self, list_id: str) -> bool: ...

    # How old each loaded list is, and the operator's age limit: the engine has no clock, so the screener
    # (built by the services) answers. None: the age is unknown (a bare screener) or the pack's limit holds.
    def list_age_days(self, list_id: str) -> int | None: ...

    def max_list_age_days(self, pack_limit: int | None) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Determination:
    regime: str
    pack_version: str
    date: dt.date
    destination: str
    destination_group: str
    outcome: Outcome
    lines: tuple[LineDetermination, ...]
    reasons: tuple[Reason, ...]
    end_user_hits: tuple[ScreeningHit, ...] = ()
    consignee_hits: tuple[ScreeningHit, ...] = ()
    blocked_by: tuple[str, ...] = ()  # screening hits awaiting an officer's review
    citations: Mapping[str, Citation] = field(default_factory=dict)  # by source id: every source cited above

    @property
    def licence_required(self) -> bool:
        return any(line.outcome is Outcome.LICENCE_REQUIRED for line in self.lines)

    @property
    def eligible_licences(self) -> tuple[str, ...]:
        """Licence types usable for every line that needs a licence (empty when none needs one)."""
        needing = [line.eligible_licences for line in self.lines if line.outcome is Outcome.LICENCE_REQUIRED]
        if not needing:
            return ()
        common = set(needing[0]).intersection(*needing[1:])
        return tuple(licence for licence in needing[0] if licence in common)

    @property
    def missing(self) -> tuple[str, ...]:
        review = ("screening_review",) if self.blocked_by else ()
        return tuple(dict.fromkeys([*(m for line in self.lines for m in line.missing), *review]))
