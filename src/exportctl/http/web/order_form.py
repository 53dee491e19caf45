"""The order entry form: its fields as typed (shown again when refused), and the `OrderInput` it gives to store
or the `OrderFacts` the live check determines, under the regime the form names."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from exportctl.http.web.regime_choice import refusal
from exportctl.order_input import YES_NO, OrderFacts, OrderInput, problems
from exportctl.regime.files import builtin_packs
from exportctl.settings import DEFAULT_REGIME

BLANK_LINES = 2
M = TypeVar("M", bound=BaseModel)


class FormError(ValueError):
    """A field the form cannot use, named."""


@dataclass
class LineForm:
    item: str = ""
    reference: str = ""
    quantity: str = ""
    value_jpy: str = ""
    value_eur: str = ""
    us_content_pct: str = ""

    @property
    def blank(self) -> bool:
        return not (self.item or self.reference)


@dataclass
class OrderForm:
    regime: str = DEFAULT_REGIME  # an installed regime's id (checked when the form is used)
    number: str = ""
    ship_date: str = ""
    origin: str = ""
    destination: str = ""
    destination_region: str = ""
    consignee: str = ""
    end_user: str = ""
    end_use: str = ""
    checked: frozenset[str] = frozenset()  # the yes/no facts ticked (`order_input.YES_NO`)
    also_under: tuple[str, ...] | None = None  # the other regimes ticked; None: the form was not sent (a new one)
    lines: list[LineForm] = field(default_factory=lambda: [LineForm() for _ in range(BLANK_LINES)])

    @classmethod
    def read(cls, form: FormData) -> OrderForm:
        def text(name: str) -> str:
            value = form.get(name)
            return value.strip() if isinstance(value, str) else ""

        def column(name: str) -> list[str]:
            return [value.strip() if isinstance(value, str) else "" for value in form.getlist(name)]

        items, references = column("line_item"), column("line_reference")
        quantities, values, euros = column("line_quantity"), column("line_value_jpy"), column("line_value_eur")
        shares = column("line_us_content_pct")
        width = max(len(items), len(references), len(quantities), len(values), len(euros), len(shares))

        def at(values: list[str], index: int) -> str:
            return values[index] if index < len(values) else ""

        lines = [
            LineForm(at(items, i), at(references, i), at(quantities, i), at(values, i), at(euros, i), at(shares, i))
            for i in range(width)
        ]
        return cls(
            regime=text("regime") or DEFAULT_REGIME,
            number=text("number"),
            ship_date=text("ship_date"),
            origin=text("origin").upper(),
            destination=text("destination").upper(),
            destination_region=text("destination_region").upper(),
            consignee=text("consignee"),
            end_user=text("end_user"),
            end_use=text("end_use"),
            checked=frozenset(name for name in YES_NO if form.get(name)),
            also_under=tuple(column("also_under")),
            lines=lines or [LineForm()],
        )

    def date(self) -> dt.date:
        try:
            return dt.date.fromisoformat(self.ship_date)
        except ValueError:
            raise FormError(f"ship date: '{self.ship_date}' is not a date (YYYY-MM-DD)") from None

    def filled_lines(self) -> list[tuple[int, LineForm]]:
        filled = [(number, line) for number, line in enumerate(self.lines, start=1) if not line.blank]
        if not filled:
            raise FormError("lines: give at least one line with an item or a reference")
        for number, line in filled:
            if line.item and line.reference:
                raise FormError(f"line {number}: choose an item or type a reference, not both")
        return filled

    def facts(self) -> OrderFacts:
        """What the live check determines: the form as filled in so far, with or without a number."""
        return _validated(OrderFacts, self._fields())

    def to_input(self) -> OrderInput:
        if not self.number:
            raise FormError("number: an order needs a number")
        return _validated(OrderInput, self._fields() | {"number": self.number})

    def _fields(self) -> dict[str, Any]:
        if self.regime not in builtin_packs():
            raise FormError(refusal(self.regime))  # an id of the installed packs, never a path
        # An unticked box is the field's default: a weapons end use not declared stays unknown (None).
        return {
            "regime": self.regime,
            "ship_date": self.date(),
            "origin": self.origin or None,
            "destination": self.destination,
            "destination_region": self.destination_region or None,
            "consignee": self.consignee or None,
            "end_user": self.end_user or None,
            "end_use": self.end_use or None,
            **dict.fromkeys(self.checked, True),
            "also_under": [r for r in self.also_under or () if r != self.regime],
            "lines": [
                {
                    "item": line.item or None,
                    "reference": line.reference or None,
                    "quantity": _float(line.quantity, f"line {number}: quantity"),
                    "value_jpy": _int(line.value_jpy, f"line {number}: value"),
                    "value_eur": _int(line.value_eur, f"line {number}: value (EUR)"),
                    "us_content_pct": _float(line.us_content_pct, f"line {number}: US content (%)"),
                }
                for number, line in self.filled_lines()
            ],
        }


def _validated(model: type[M], fields: dict[str, Any]) -> M:
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise FormError(validation_message(exc)) from None


def validation_message(exc: ValidationError) -> str:
    """The refusals of an order or of its transaction, by field and line as the form shows them."""
    return "; ".join(
        (f"line {problem.line}: " if problem.line else "")
        + (f"{problem.field}: " if problem.field else "")
        + problem.text
        for problem in problems(exc)
    )


# A number as people type it: digits, commas only between groups of three ("12,000,000"), an optional decimal
# part. Full-width digits and commas (a Japanese input method's "１２，０００，０００") are read as the ASCII ones.
NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", re.ASCII)


def _float(text: str, label: str) -> float | None:
    if not text:
        return None
    typed = unicodedata.normalize("NFKC", text).strip()
    if not NUMBER.fullmatch(typed):  # float() alone would take "nan", "inf", "1e9" and "1,2,3"
        raise FormError(f"{label}: '{text}' is not a number")
    value = float(typed.replace(",", ""))
    if value < 0:
        raise FormError(f"{label}: must not be negative")
    return value


def _int(text: str, label: str) -> int | None:
    value = _float(text, label)
    if value is not None and not value.is_integer():
        raise FormError(f"{label}: '{text}' is not a whole number of yen")
    return None if value is None else int(value)
