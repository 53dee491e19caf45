"""The control list: search entries by id, international number or title words (en/ja); compare a
specification against the entries' parameters, criterion by criterion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from exportctl import regime_json
from exportctl.core_types import Comparison, Specification
from exportctl.determine.classify import Classification, classify_spec
from exportctl.determine.classify import compare as compare_criterion
from exportctl.http.deps import Viewer
from exportctl.http.web.regime_choice import ChosenRegime
from exportctl.http.web.templating import render
from exportctl.regime import schema as s
from exportctl.regime.snapshot import Snapshot
from exportctl.services import regimes

router = APIRouter()
MAX_RESULTS = 50


def search(snapshot: Snapshot, query: str) -> list[s.Entry]:
    """Entries in force whose id or international number starts with the query, or whose titles contain it."""
    probe = query.strip().lower()
    if not probe:
        return []
    found: list[s.Entry] = []
    for active in snapshot.entries.values():
        entry = active.record
        numbers = [*entry.control_numbers, *(n for clause in entry.clauses for n in clause.control_numbers)]
        titles = [entry.title, *(clause.title for clause in entry.clauses)]
        if (
            entry.id.lower() == probe
            or entry.id.lower().startswith(probe + "(")
            or any(number.lower().startswith(probe) for number in numbers)
            or any(probe in title.en.lower() or probe in title.ja for title in titles)
        ):
            found.append(entry)
    return found[:MAX_RESULTS]


@dataclass(frozen=True)
class Field:
    name: str
    parameter: s.Parameter | None
    value: str


def fields_of(snapshot: Snapshot, product: str, params: dict[str, str]) -> list[Field]:
    """The parameters the product's clauses compare, in the order they appear."""
    names: dict[str, None] = {}
    for _entry, clause in snapshot.clauses_by_product.get(product, ()):
        for criterion in clause.criteria:
            names.setdefault(criterion.param, None)
    parameters = snapshot.pack.parameters
    return [Field(name, parameters.get(name), params.get(name, "")) for name in names]


def _value(field: Field) -> s.Scalar | None:
    text = field.value.strip()
    if not text:
        return None
    kind = field.parameter.type if field.parameter else "text"
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return text  # compared as given: the comparison then says it cannot decide
    if kind == "bool":
        return text.lower() in ("true", "yes", "1", "はい")
    return text


@dataclass(frozen=True)
class ClauseCheck:
    entry: s.Entry
    clause: s.Clause
    comparisons: tuple[Comparison, ...]

    @property
    def verdict(self) -> str:
        if any(c.holds is False for c in self.comparisons):
            return "no_match"
        return "match" if all(c.holds is True for c in self.comparisons) else "undecided"


@dataclass(frozen=True)
class Compared:
    result: Classification
    checks: list[ClauseCheck]


def compare(snapshot: Snapshot, product: str, fields: list[Field]) -> Compared:
    """The classification, and every clause of the product with each criterion: holds, fails or unknown."""
    params = {field.name: value for field in fields if (value := _value(field)) is not None}
    checks = [
        ClauseCheck(entry, clause, tuple(compare_criterion(c, params) for c in clause.criteria))
        for entry, clause in snapshot.clauses_by_product.get(product, ())
    ]
    return Compared(classify_spec(snapshot, Specification(product=product, params=params)), checks)


@router.get("/classify")
def control_list(
    request: Request,
    actor: Viewer,
    regime_id: ChosenRegime,
    q: Annotated[str, Query(max_length=200)] = "",
    product: Annotated[str, Query(max_length=100)] = "",
    date: dt.date | None = None,
) -> Response:
    day = date or dt.date.today()
    regime = regimes.regime(regime_id)
    snapshot = regime.at(max(day, regime.pack.meta.coverage_from))
    params = {key[2:]: value for key, value in request.query_params.items() if key.startswith("p.")}
    fields = fields_of(snapshot, product, params) if product else []
    compared = compare(snapshot, product, fields) if product in snapshot.clauses_by_product else None
    return render(
        request,
        "classify.html",
        actor,
        regime_id=regime_id,
        q=q,
        day=day,
        results=search(snapshot, q),
        entries=snapshot.entries,
        products=sorted(snapshot.clauses_by_product),
        product=product,
        fields=fields,
        compared=compared,
        cite=lambda source_id: regime_json.source_ref(snapshot, source_id),
    )


@router.get("/classify/entries")
def coverage(
    request: Request,
    actor: Viewer,
    regime_id: ChosenRegime,
    date: dt.date | None = None,
    kind: Annotated[str, Query(pattern="^(goods|technology|)$")] = "",
) -> Response:
    """Every entry in force on a date, with its numbers, criteria count, completeness and verified texts."""
    day = date or dt.date.today()
    regime = regimes.regime(regime_id)
    snapshot = regime.at(max(day, regime.pack.meta.coverage_from))
    data = regime_json.entries_dict(snapshot, kind or None)
    complete = sum(1 for entry in data["entries"] if entry["complete"])
    return render(request, "entries.html", actor, regime_id=regime_id, day=day, kind=kind, data=data, complete=complete)
