"""The order entry form: its fields as typed values, an `OrderInput` to store, a `Transaction` to preview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exportctl.model import Line, Transaction
from exportctl.services.orders import LineInput, OrderInput
from exportctl.services.records import RecordError, classification_on, item_by_code, party_by_code
from exportctl.store.models import Party

REGIME = "jp"
BLANK_LINES = 2


class FormError(ValueError):
    """A field the form cannot use, named."""


@dataclass
class LineForm:
    item: str = ""
    reference: str = ""
    quantity: str = ""
    value_jpy: str = ""

    @property
    def blank(self) -> bool:
        return not (self.item or self.reference)


@dataclass
class OrderForm:
    number: str = ""
    ship_date: str = ""
    destination: str = ""
    consignee: str = ""
    end_user: str = ""
    end_use: str = ""
    wmd_end_use: bool = False
    conventional_end_use: bool = False
    informed: bool = False
    clearly_not: bool = False
    lines: list[LineForm] = field(default_factory=lambda: [LineForm() for _ in range(BLANK_LINES)])

    @classmethod
    def read(cls, form: FormData) -> OrderForm:
        def text(name: str) -> str:
            value = form.get(name)
            return value.strip() if isinstance(value, str) else ""

        def column(name: str) -> list[str]:
            return [value.strip() if isinstance(value, str) else "" for value in form.getlist(name)]

        items, references = column("line_item"), column("line_reference")
        quantities, values = column("line_quantity"), column("line_value_jpy")
        width = max(len(items), len(references), len(quantities), len(values))

        def at(values: list[str], index: int) -> str:
            return values[index] if index < len(values) else ""

        lines = [LineForm(at(items, i), at(references, i), at(quantities, i), at(values, i)) for i in range(width)]
        return cls(
            number=text("number"),
            ship_date=text("ship_date"),
            destination=text("destination").upper(),
            consignee=text("consignee"),
            end_user=text("end_user"),
            end_use=text("end_use"),
            wmd_end_use=bool(form.get("wmd_end_use")),
            conventional_end_use=bool(form.get("conventional_end_use")),
            informed=bool(form.get("informed")),
            clearly_not=bool(form.get("clearly_not")),
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

    def to_input(self) -> OrderInput:
        if not self.number:
            raise FormError("number: an order needs a number")
        return OrderInput(
            number=self.number,
            ship_date=self.date(),
            destination=self.destination,
            consignee=self.consignee or None,
            end_user=self.end_user or None,
            end_use=self.end_use or None,
            wmd_end_use=True if self.wmd_end_use else None,
            conventional_end_use=True if self.conventional_end_use else None,
            informed=self.informed,
            clearly_not=self.clearly_not,
            regime=REGIME,
            lines=[
                LineInput(
                    item=line.item or None,
                    reference=line.reference or None,
                    quantity=_float(line.quantity, f"line {number}: quantity"),
                    value_jpy=_int(line.value_jpy, f"line {number}: value"),
                )
                for number, line in self.filled_lines()
            ],
        )

    def parties(self, db: Session) -> tuple[Party | None, Party | None]:
        try:
            return (
                party_by_code(db, self.consignee) if self.consignee else None,
                party_by_code(db, self.end_user) if self.end_user else None,
            )
        except RecordError as exc:
            raise FormError(str(exc)) from None

    def transaction(self, db: Session) -> Transaction:
        """What the engine is given for this form, as `add_order` would give it (items at their classification)."""
        day = self.date()
        consignee, end_user = self.parties(db)
        lines: list[Line] = []
        for number, line in self.filled_lines():
            reference = line.reference
            if line.item:
                try:
                    found = classification_on(item_by_code(db, line.item), REGIME, day)
                except RecordError as exc:
                    raise FormError(f"line {number}: {exc}") from None
                if found is None:
                    raise FormError(f"line {number}: item '{line.item}' has no classification on {day}")
                reference = found.reference
            quantity = _float(line.quantity, f"line {number}: quantity")
            lines.append(_line(number, reference, quantity, _int(line.value_jpy, f"line {number}: value")))
        try:
            return Transaction(
                regime=REGIME,
                date=day,
                destination=self.destination,
                consignee=consignee.name if consignee else None,
                end_user=end_user.name if end_user else None,
                end_user_country=end_user.country if end_user else None,
                end_use=self.end_use or None,
                wmd_end_use=True if self.wmd_end_use else None,
                conventional_end_use=True if self.conventional_end_use else None,
                informed=self.informed,
                clearly_not=self.clearly_not,
                lines=lines,
            )
        except ValidationError as exc:
            raise FormError(_validation_message(exc)) from None


def _line(number: int, reference: str, quantity: float | None, value_jpy: int | None) -> Line:
    try:
        return Line(item=reference, quantity=quantity, value_jpy=value_jpy)
    except ValidationError as exc:
        raise FormError(f"line {number}: {_validation_message(exc)}") from None


def _float(text: str, label: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise FormError(f"{label}: '{text}' is not a number") from None
    if value < 0:
        raise FormError(f"{label}: must not be negative")
    return value


def _int(text: str, label: str) -> int | None:
    value = _float(text, label)
    if value is not None and not value.is_integer():
        raise FormError(f"{label}: '{text}' is not a whole number of yen")
    return None if value is None else int(value)


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in error['loc']) or 'transaction'}: {error['msg']}" for error in exc.errors()
    )
