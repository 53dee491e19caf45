"""The regime browser: country groups, tables and measures on any date; what changed between two dates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from exportctl import regime_json
from exportctl.http.deps import Viewer
from exportctl.http.web.facts import changes
from exportctl.http.web.i18n import translator
from exportctl.http.web.regime_choice import ChosenRegime
from exportctl.http.web.templating import render
from exportctl.services import regimes

router = APIRouter()


@router.get("/regime")
def regime_on(request: Request, actor: Viewer, regime_id: ChosenRegime, date: dt.date | None = None) -> Response:
    regime = regimes.regime(regime_id)
    day = max(date or dt.date.today(), regime.pack.meta.coverage_from)
    snapshot = regime.at(day)
    tables = regime.pack.destinations.tables
    groups = snapshot.group_members()
    return render(
        request,
        "regime.html",
        actor,
        regime_id=regime_id,
        day=day,
        snapshot=snapshot,
        groups=groups,
        group_list=regime.pack.destinations.groups,  # in the order the pack declares them
        tables=[(table_id, tables[table_id], snapshot.tables[table_id]) for table_id in tables],
        cite=lambda source_id: regime_json.source_ref(snapshot, source_id),
        previous=next((point for point in reversed(regime.change_points) if point < day), None),
        since=next((point for point in reversed(regime.change_points) if point <= day), None),
        one_day=dt.timedelta(days=1),
        following=next((point for point in regime.change_points if point > day), None),
    )


@router.get("/regime/diff")
def regime_diff(
    request: Request,
    actor: Viewer,
    regime_id: ChosenRegime,
    start: Annotated[dt.date | None, Query(alias="from")] = None,
    end: Annotated[dt.date | None, Query(alias="to")] = None,
) -> Response:
    regime = regimes.regime(regime_id)
    first = regime.pack.meta.coverage_from
    end = max(end or dt.date.today(), first)
    start = max(start or end - dt.timedelta(days=365), first)
    before, after = regime.at(start), regime.at(end)
    return render(
        request,
        "regime_diff.html",
        actor,
        regime_id=regime_id,
        start=start,
        end=end,
        change_dates=regime.changes_between(min(start, end), max(start, end)),
        changes=changes(translator(request), before, after),
    )
