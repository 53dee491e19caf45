"""The impact page: what a change of the rules between two dates does to open orders and licences, with the
licence workload forecast (the same analysis as `exportctl impact`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from exportctl.api.deps import Database, Viewer
from exportctl.impact_report import slip_chart
from exportctl.services.impact import DEFAULT_REVIEW_DAYS, EFFECTS, impact
from exportctl.web.paging import PAGE_SIZE, PageNumber, paged_list
from exportctl.web.templating import render

router = APIRouter()
REGIME = "jp"
ORDERS_PER_PAGE = PAGE_SIZE  # rows of the affected orders table


@router.get("/impact")
def impact_page(
    request: Request,
    actor: Viewer,
    db: Database,
    start: Annotated[dt.date, Query(alias="from")] = dt.date(2019, 8, 27),
    end: Annotated[dt.date, Query(alias="to")] = dt.date(2019, 8, 28),
    review_days: Annotated[int, Query(ge=0, le=365)] = DEFAULT_REVIEW_DAYS,
    page: PageNumber = 1,
) -> Response:
    if end < start:
        start, end = end, start
    result = impact(db, REGIME, start, end, screener=request.app.state.screener, review_days=review_days)
    # The orders table is paged, the orders that change first; the counts per effect sum up the whole list.
    by_effect = sorted(result.orders, key=lambda order: EFFECTS.index(order.effect))
    affected, pager = paged_list(request, by_effect, page, ORDERS_PER_PAGE)
    return render(
        request,
        "impact.html",
        actor,
        start=start,
        end=end,
        review_days=review_days,
        result=result,
        affected=affected,
        pager=pager,
        effects=EFFECTS,
        chart=Markup(slip_chart(result.forecast)),  # built from escaped text only
    )
