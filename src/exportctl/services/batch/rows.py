"""One row of a batch, in and out: an order line (or a party) as the input file gives it, and what was decided.

A determination row is one line of one order, read into a one-line `Transaction` per regime; its output is one row
per regime. Every cell is read by its type and a bad one is named by file, row and column (`tables.Row`). An empty
cell, or a column the file does not have, is an unknown fact: the engine answers `indeterminate` naming it where the
law needs it, never "no".
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from exportctl.core_types import Determination, Outcome, PartyScreener, Transaction
from exportctl.determine.engine import InvalidTransaction
from exportctl.order_input import problems
from exportctl.regime import OutsideCoverage
from exportctl.screening.screener import QueryKind, Screener
from exportctl.services import checking
from exportctl.services.tables import InvalidImport, Row

# --- determination ---------------------------------------------------------------------------------------------

DETERMINE_REQUIRED = ("order_id", "line", "date", "to", "item")
DETERMINE_OPTIONAL = (
    "value_jpy",
    "quantity",
    "technology",
    "end_user",
    "end_user_country",
    "end_use",
    "wmd_end_use",
    "conventional_end_use",
    "informed",
    "clearly_not",
    # the facts other regimes read
    "from",
    "value_eur",
    "value_usd",
    "us_content_pct",
    # and more of what a transaction may say
    "to_region",
    "repression_end_use",
    "us_direct_product",
    "consignee",
)
DETERMINE_OUTPUT = (
    "order_id",
    "line",
    "regime",
    "outcome",
    "licence_required",
    "eligible_licences",
    "entries",
    "missing",
    "reasons",
    "blocked_by",
)

# The transaction's fields, by the column that gives them (where the names differ), for naming a refusal.
_COLUMN_OF = {
    "destination": "to",
    "origin": "from",
    "destination_region": "to_region",
    "lines.item": "item",
    "lines.kind": "technology",
}


def check_columns(source: str, columns: Sequence[str], required: Sequence[str], optional: Sequence[str]) -> None:
    """Unknown columns are refused by name (a misspelt `wmd_enduse` must not silently become an unknown fact)."""
    known = (*required, *optional)
    unknown = [column for column in columns if column not in known]
    if unknown:
        raise InvalidImport(f"{source}: row 1: unknown column(s) {', '.join(unknown)} (known: {', '.join(known)})")
    missing = [column for column in required if column not in columns]
    if missing:
        raise InvalidImport(f"{source}: row 1: missing column(s) {', '.join(missing)} (the header needs them)")


def transaction_of(row: Row, regime: str) -> Transaction:
    """The one-line transaction an input row describes, under `regime`."""
    line: dict[str, Any] = {
        "kind": "technology" if row.boolean("technology") else "goods",
        "item": row.required("item"),
        "quantity": row.decimal("quantity"),
        "value_jpy": row.integer("value_jpy"),
        "value_eur": row.decimal("value_eur"),
        "value_usd": row.decimal("value_usd"),
        "us_content_pct": row.decimal("us_content_pct"),
        "us_direct_product": row.boolean("us_direct_product"),
    }
    facts: dict[str, Any] = {
        "regime": regime,
        "date": row.date("date", required=True),
        "destination": row.required("to"),
        "origin": row.text("from"),
        "destination_region": row.text("to_region"),
        "end_user": row.text("end_user"),
        "end_user_country": row.text("end_user_country"),
        "consignee": row.text("consignee"),
        "end_use": row.text("end_use"),
        "wmd_end_use": row.boolean("wmd_end_use"),
        "conventional_end_use": row.boolean("conventional_end_use"),
        "repression_end_use": row.boolean("repression_end_use"),
        "informed": bool(row.boolean("informed")),
        "clearly_not": bool(row.boolean("clearly_not")),
        "lines": [{key: value for key, value in line.items() if value is not None}],
    }
    try:
        return Transaction.model_validate({key: value for key, value in facts.items() if value is not None})
    except ValidationError as exc:
        first = problems(exc)[0]
        field = f"lines.{first.field}" if first.line is not None else first.field
        column = _COLUMN_OF.get(field, field.removeprefix("lines."))
        raise row.problem(column or None, first.text) from None


def _licence_required(outcome: Outcome) -> bool | None:
    # Prohibited is no "go" either; indeterminate is unknown, not "no".
    if outcome is Outcome.INDETERMINATE:
        return None
    return outcome is not Outcome.NO_LICENCE_REQUIRED


def output_row(order_id: str, line: str, determination: Determination) -> dict[str, Any]:
    decided = determination.lines[0]
    reasons = dict.fromkeys(reason.text for reason in (*determination.reasons, *decided.reasons))
    return {
        "order_id": order_id,
        "line": line,
        "regime": determination.regime,
        "outcome": determination.outcome.value,
        "licence_required": _licence_required(determination.outcome),
        "eligible_licences": json.dumps(list(decided.eligible_licences)),
        "entries": json.dumps(list(dict.fromkeys(match.entry for match in decided.entries))),
        "missing": json.dumps(list(decided.missing)),
        "reasons": json.dumps(list(reasons), ensure_ascii=False),
        "blocked_by": json.dumps(list(determination.blocked_by), ensure_ascii=False),
    }


def undecided_row(order_id: str, line: str, regime: str, why: str, missing: Sequence[str] = ()) -> dict[str, Any]:
    """A line a regime cannot answer for (a date before its pack's coverage, an item it does not know): under that
    regime indeterminate, saying why."""
    return {
        "order_id": order_id,
        "line": line,
        "regime": regime,
        "outcome": Outcome.INDETERMINATE.value,
        "licence_required": None,
        "eligible_licences": "[]",
        "entries": "[]",
        "missing": json.dumps(list(missing)),
        "reasons": json.dumps([why], ensure_ascii=False),
        "blocked_by": "[]",
    }


def determine_rows(rows: Sequence[Row], regimes: Sequence[str], screener: PartyScreener | None) -> list[dict[str, Any]]:
    """Every row under every regime, in input order. A row the input gets wrong stops the batch (naming it); a
    date a regime does not cover, or an item it cannot identify (each regime numbers its own), is that line's
    answer under that regime, not the batch's end."""
    found: list[dict[str, Any]] = []
    for row in rows:
        order_id, line = row.required("order_id"), row.required("line")
        for regime in regimes:
            transaction = transaction_of(row, regime)
            try:
                found.append(output_row(order_id, line, checking.check(transaction, screener)))
            except OutsideCoverage as exc:
                found.append(undecided_row(order_id, line, regime, str(exc)))
            except InvalidTransaction as exc:
                column = _COLUMN_OF.get(re.sub(r"\[\d+\]", "", exc.field), exc.field)
                found.append(undecided_row(order_id, line, regime, f"{row.source}: row {row.number}: {exc}", [column]))
    return found


# --- screening -------------------------------------------------------------------------------------------------

SCREEN_REQUIRED = ("name",)
SCREEN_OPTIONAL = ("id", "country", "kind")
SCREEN_OUTPUT = ("id", "name", "list", "entity_id", "matched_name", "score", "country", "concerns")


def screen_rows(
    rows: Sequence[Row],
    screener: Screener,
    lists: frozenset[str] | None,
    threshold: float,
    limit: int,
) -> list[dict[str, Any]]:
    """Every hit of every party, in input order (a party without a hit has no row)."""
    found: list[dict[str, Any]] = []
    for row in rows:
        name = row.required("name")
        kind: QueryKind = row.choice("kind", ("company", "person", "any"), default="any")  # type: ignore[assignment]
        result = screener.screen(name, row.country("country"), kind=kind, lists=lists, threshold=threshold, limit=limit)
        for hit in result.hits:
            found.append(
                {
                    "id": row.text("id") or str(row.number - 1),
                    "name": name,
                    "list": hit.list_id,
                    "entity_id": hit.entity_id,
                    "matched_name": hit.matched_name,
                    "score": hit.score,
                    "country": hit.country,
                    "concerns": " ".join(hit.concerns),
                }
            )
    return found
