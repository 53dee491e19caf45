"""An order as a document — a YAML/JSON file for `orders add --file`, a REST request body — validated with
errors that name the field, and turned into the order service's input."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from exportctl.model import Code, FreeText, LineKind, Quantity, Yen
from exportctl.regime.schema import Purpose, Residency
from exportctl.services.orders import LineInput, OrderInput
from exportctl.services.records import URL_UNSAFE
from exportctl.services.tables import country_code


class LineDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: Code | None = None
    reference: Code | None = None
    kind: LineKind = "goods"
    quantity: Quantity | None = None
    value_jpy: Yen | None = None
    residency: Residency | None = None
    tech_purpose: Purpose | None = None


class OrderDocument(BaseModel):
    """An order with its lines (at most 500)."""

    model_config = ConfigDict(extra="forbid")

    number: Code
    regime: str = "jp"
    ship_date: dt.date
    destination: str
    consignee: Code | None = None
    end_user: Code | None = None
    end_use: FreeText | None = None
    wmd_end_use: bool | None = None
    conventional_end_use: bool | None = None
    informed: bool = False
    clearly_not: bool = False
    lines: list[LineDocument] = Field(min_length=1, max_length=500)

    @field_validator("number")
    @classmethod
    def _addressable(cls, value: str) -> str:
        # /orders/{number} must open the order: a '/' (or '?', '#', ...) would name a page nobody can reach.
        unsafe = sorted(URL_UNSAFE.intersection(value))
        if unsafe or value != value.strip():
            raise ValueError(f"may not contain {' '.join(unsafe) or 'spaces at either end'}")
        return value

    @field_validator("destination")
    @classmethod
    def _country(cls, value: str) -> str:
        code = country_code(value)
        if code is None:
            raise ValueError(f"{value[:10]!r} is not an ISO 3166-1 alpha-2 country code")
        return code

    def to_input(self) -> OrderInput:
        header = self.model_dump(exclude={"lines"})
        return OrderInput(**header, lines=[LineInput(**line.model_dump()) for line in self.lines])
