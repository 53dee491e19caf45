"""An order as a document — a YAML/JSON file for `orders add --file`, a REST request body — validated with
errors that name the field, and turned into the order service's input."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from exportctl.model import LineKind
from exportctl.regime.schema import Purpose, Residency
from exportctl.services.orders import LineInput, OrderInput
from exportctl.services.tables import country_code


class LineDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: str | None = None
    reference: str | None = None
    kind: LineKind = "goods"
    quantity: float | None = Field(default=None, ge=0)
    value_jpy: int | None = Field(default=None, ge=0)
    residency: Residency | None = None
    tech_purpose: Purpose | None = None


class OrderDocument(BaseModel):
    """An order with its lines (at most 500)."""

    model_config = ConfigDict(extra="forbid")

    number: str = Field(min_length=1)
    regime: str = "jp"
    ship_date: dt.date
    destination: str
    consignee: str | None = None
    end_user: str | None = None
    end_use: str | None = None
    wmd_end_use: bool | None = None
    conventional_end_use: bool | None = None
    informed: bool = False
    clearly_not: bool = False
    lines: list[LineDocument] = Field(min_length=1, max_length=500)

    @field_validator("destination")
    @classmethod
    def _country(cls, value: str) -> str:
        code = country_code(value)
        if code is None:
            raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code")
        return code

    def to_input(self) -> OrderInput:
        header = self.model_dump(exclude={"lines"})
        return OrderInput(**header, lines=[LineInput(**line.model_dump()) for line in self.lines])
