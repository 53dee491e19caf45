"""The order as every interface gives it — `orders add` flags, an order file, an import row, a REST body, the web
form — validated once, here, with errors that name the field.

`OrderFacts` is what an order says about the export, everything its determination reads (the web form's live
check determines them before the order has a number); `OrderInput` adds the number it is stored under. The order
service stores it (`services/orders.order_of`) and gives the engine a `Transaction` of it (`transaction_of`).

A new fact of the order header is a field of `OrderHeader` (and of `OrderChanges` if it may change), a column of
the store (`store/models.py` and a migration), a line of `transaction_of`, its rendering and its `orders
add`/`update` flags; imports read it by its name and type, the web form ticks a yes/no fact, a change names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from exportctl.core_types import Amount, Code, FreeText, LineKind, Percent, Quantity, Yen
from exportctl.countries import CountryCode, RegionCode, not_a_region_of
from exportctl.regime.schema import Purpose, Residency
from exportctl.services.errors import Invalid, shown
from exportctl.services.records import URL_UNSAFE
from exportctl.settings import DEFAULT_REGIME

MAX_LINES = 500  # what the engine's Transaction takes


class LineInput(BaseModel):
    """One line: an item of the item master (classified on the ship date), or a reference the engine reads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: Code | None = None  # an item code
    reference: Code | None = None  # or an entry id, international number or hs:CODE
    kind: LineKind = "goods"
    quantity: Quantity | None = None
    value_jpy: Yen | None = None
    value_eur: Amount | None = None
    value_usd: Amount | None = None
    us_content_pct: Percent | None = None
    us_direct_product: bool | None = None
    residency: Residency | None = None
    tech_purpose: Purpose | None = None

    @model_validator(mode="after")
    def _identified(self) -> LineInput:
        if (self.item is None) == (self.reference is None):
            raise ValueError("give exactly one of item or reference")
        return self


class OrderHeader(BaseModel):
    """What an order says about the export besides its lines."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    regime: str = DEFAULT_REGIME
    # The other regimes the order is decided under (e.g. ["us"] for a Japanese export with US content); None: the
    # company's default (`settings regimes`).
    also_under: list[Annotated[str, Field(max_length=40)]] | None = Field(default=None, max_length=5)
    ship_date: dt.date
    origin: CountryCode | None = Field(default=None, validation_alias=AliasChoices("origin", "from"))
    destination: CountryCode
    # The destination's region where a law treats it apart (ISO 3166-2: UA-43 Crimea, for the EAR's § 746.6).
    destination_region: RegionCode | None = Field(
        default=None, validation_alias=AliasChoices("destination_region", "to_region")
    )
    consignee: Code | None = None  # party codes
    end_user: Code | None = None
    end_use: FreeText | None = None
    wmd_end_use: bool | None = None  # None: not declared
    conventional_end_use: bool | None = None
    repression_end_use: bool | None = None
    informed: bool = False
    clearly_not: bool = False

    @model_validator(mode="after")
    def _region_of_the_destination(self) -> OrderHeader:
        problem = not_a_region_of(self.destination, self.destination_region)
        if problem is not None:
            raise ValueError(f"destination_region {problem}")
        return self


class OrderFacts(OrderHeader):
    """What an order says about the export: everything its determination reads."""

    lines: list[LineInput] = Field(min_length=1, max_length=MAX_LINES)


# What a change of an order may name: its header, except the regime it is decided under.
CHANGEABLE = frozenset(OrderHeader.model_fields) - {"regime"}


class OrderChanges(BaseModel):
    """A change of an order's header (`PATCH /orders/N`, `orders update`): the fields given change, and each is
    checked as the header field it replaces (`changed`); a null party or end use clears it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ship_date: dt.date | None = None
    origin: CountryCode | None = None
    destination: CountryCode | None = None
    destination_region: RegionCode | None = None
    consignee: Code | None = None
    end_user: Code | None = None
    end_use: FreeText | None = None
    wmd_end_use: bool | None = None
    conventional_end_use: bool | None = None
    repression_end_use: bool | None = None
    informed: bool | None = None
    clearly_not: bool | None = None
    also_under: list[Annotated[str, Field(max_length=40)]] | None = Field(default=None, max_length=5)


def changed(header: OrderHeader, changes: Mapping[str, Any]) -> OrderHeader:
    """The header with these changes, validated as a whole (a change to ship_date null is refused as the header
    refuses it). A field outside the header is refused by name."""
    unknown = sorted(set(changes) - CHANGEABLE)
    if unknown:
        raise Invalid(f"{shown(unknown[0])}: not a field that can change")
    try:
        return OrderHeader.model_validate({**header.model_dump(), **changes})
    except ValidationError as exc:
        first = problems(exc)[0]
        raise Invalid(f"{first.field}: {first.text}") from None


class OrderInput(OrderFacts):
    """An order to enter: its facts and its number."""

    number: Code

    @field_validator("number")
    @classmethod
    def _addressable(cls, value: str) -> str:
        # /orders/{number} must open the order: a '/' (or '?', '#', ...) would name a page nobody can reach.
        unsafe = sorted(URL_UNSAFE.intersection(value))
        if unsafe or value != value.strip():
            raise ValueError(f"may not contain {' '.join(unsafe) or 'spaces at either end'}")
        return value


# The header's fields in the order files and imports list them, and those naming a party by its code.
HEADER = ("number", *(name for name in OrderFacts.model_fields if name != "lines"))
PARTY_FIELDS = ("consignee", "end_user")
# The header's yes/no facts (a tick box on the web form); unticked is the field's default.
YES_NO = tuple(name for name, info in OrderFacts.model_fields.items() if info.annotation in (bool, bool | None))


@dataclass(frozen=True)
class Problem:
    """One thing the model refused: the field (a line's, with the line's number from 1), and why."""

    field: str  # "" when the whole order or line is refused
    line: int | None
    text: str


def problems(error: ValidationError) -> list[Problem]:
    """The refusals of an order (or of a `Transaction`, whose lines are addressed alike), for each interface to
    name in its own words: a flag, a form field, a file's column."""
    found: list[Problem] = []
    for refusal in error.errors():
        where = [str(part) for part in refusal["loc"]]
        text = refusal["msg"].removeprefix("Value error, ")
        if len(where) >= 2 and where[0] == "lines" and where[1].isdigit():
            found.append(Problem(".".join(where[2:]), int(where[1]) + 1, text))
        else:
            found.append(Problem(".".join(where), None, text))
    return found
