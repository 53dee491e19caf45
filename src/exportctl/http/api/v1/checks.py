"""One-shot determinations (not stored), screening, and the regime on a date."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from exportctl import determination_json, regime_json
from exportctl.core_types import Transaction
from exportctl.countries import CountryCode
from exportctl.http.api.v1 import language, schemas
from exportctl.http.deps import Viewer
from exportctl.regime.diff import diff
from exportctl.screening.score import DEFAULT_THRESHOLD
from exportctl.services import checking, regimes
from exportctl.services.errors import Invalid

router = APIRouter(tags=["check"])


@router.post("/check", response_model=schemas.Determination, summary="Determine one transaction (not stored)")
async def check(transaction: Transaction, request: Request, actor: Viewer) -> dict[str, Any]:
    # On the event loop: a determination is well under a millisecond of CPU, less than a thread hand-off costs.
    encoded = determination_json.encode(checking.check(transaction, request.app.state.screener))
    return language.localise_determination(encoded, language.of(request))


class SeveralRegimes(BaseModel):
    regimes: list[Annotated[str, Field(max_length=40)]] = Field(
        min_length=1, max_length=10, description="The regimes to decide under (installed pack ids)"
    )
    transaction: Transaction


@router.post(
    "/check/regimes",
    response_model=schemas.SeveralDeterminations,
    summary="Determine one transaction under several regimes (not stored)",
)
async def check_under_several(request_body: SeveralRegimes, request: Request, actor: Viewer) -> dict[str, Any]:
    screener = request.app.state.screener
    transaction = request_body.transaction
    determinations = [
        checking.check(transaction.model_copy(update={"regime": regime_id}), screener)
        for regime_id in dict.fromkeys(request_body.regimes)
    ]
    return language.localise_several(determination_json.encode_several(determinations), language.of(request))


class ScreenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=500)
    country: CountryCode | None = None
    lists: list[str] | None = None
    threshold: float = Field(default=DEFAULT_THRESHOLD, ge=0, le=1)
    limit: int = Field(default=10, ge=1, le=100)


@router.post("/screen", response_model=schemas.Screening, summary="Screen a party name against the loaded lists")
def screen(query: ScreenRequest, request: Request, actor: Viewer) -> dict[str, Any]:
    screener = request.app.state.screener
    if screener is None:
        return {"query": query.name, "hits": [], "lists": {}}
    unknown = sorted(set(query.lists or ()) - screener.index.lists.keys())
    if unknown:  # an unknown list id is a mistake, not "no hits"
        loaded = ", ".join(sorted(screener.index.lists))
        raise Invalid(f"lists: {unknown[0][:40]!r} is not a loaded list (loaded: {loaded})")
    result = screener.screen(query.name, query.country, lists=query.lists, threshold=query.threshold, limit=query.limit)
    return {
        "query": query.name,
        "hits": [determination_json.encode_hit(h) for h in result.hits],
        "lists": screener.versions,
    }


@router.get("/lists", response_model=schemas.LoadedLists, summary="The screening list versions in use")
def lists(request: Request, actor: Viewer) -> dict[str, Any]:
    screener = request.app.state.screener
    if screener is None:
        return {"lists": []}
    return {
        "lists": [
            {
                "list": loaded.list_id,
                "version": loaded.version,
                "published": loaded.published,
                "entities": loaded.entity_count,
            }
            for loaded in screener.index.lists.values()
        ]
    }


@router.get("/regime/{regime_id}", response_model=schemas.RegimeOnDate, summary="The regime in force on a date")
def regime_on(regime_id: str, date: dt.date, actor: Viewer) -> dict[str, Any]:
    snapshot = regimes.regime(regime_id).at(date)
    return {
        "regime": regime_id,
        "date": date.isoformat(),
        "pack_version": snapshot.pack_version,
        "valid": {"from": snapshot.valid.start, "to": snapshot.valid.end},
        "tables": {name: sorted(members) for name, members in snapshot.tables.items()},
        "facts": [regime_json.fact_dict(snapshot, fact) for fact in snapshot.facts.values()],
    }


@router.get(
    "/regime/{regime_id}/entries", response_model=schemas.Entries, summary="The control-list entries in force on a date"
)
def regime_entries(
    regime_id: str,
    date: dt.date,
    actor: Viewer,
    kind: Annotated[str | None, Query(pattern="^(goods|technology)$")] = None,
) -> dict[str, Any]:
    return regime_json.entries_dict(regimes.regime(regime_id).at(date), kind)


@router.get(
    "/regime/{regime_id}/diff", response_model=schemas.RegimeDiff, summary="Facts that changed between two dates"
)
def regime_diff(
    regime_id: str,
    actor: Viewer,
    start: Annotated[dt.date, Query(alias="from")],
    end: Annotated[dt.date, Query(alias="to")],
) -> dict[str, Any]:
    loaded = regimes.regime(regime_id)
    before, after = loaded.at(start), loaded.at(end)
    return {
        "regime": regime_id,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "change_dates": [d.isoformat() for d in loaded.changes_between(min(start, end), max(start, end))],
        "changes": [regime_json.change_dict(before, after, change) for change in diff(before, after)],
    }
