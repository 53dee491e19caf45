"""The impact page: what a change of the rules between two dates does to open orders and licences, with the
licence workload forecast (the same analysis as `exportctl impact`).

The analysis determines every open order twice: over 13,000 orders it takes minutes, far too long for a
request. It runs as a job (services/jobs.py) in its own read-only transaction; the page waits a moment (a
small book is shown at once), else says "computing" and asks again until the job is done. It analyses the open
orders of the regime the user chose (web/regime_choice.py). A result is kept for the analysis' inputs (regime,
dates, review days) and shown only while the data it read is unchanged: the ledger's last record (every
change to orders, licences and screening reviews writes one), the pack version and the screening lists'
versions. After any change the next view computes afresh.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from exportctl import ledger
from exportctl.core_types import PartyScreener
from exportctl.http.deps import Viewer
from exportctl.http.web.change_labels import change_labels
from exportctl.http.web.i18n import translator
from exportctl.http.web.paging import PAGE_SIZE, PageNumber, paged_list
from exportctl.http.web.regime_choice import ChosenRegime
from exportctl.http.web.templating import render
from exportctl.impact_report import slip_chart
from exportctl.services import jobs, records, regimes
from exportctl.services.errors import RecordError
from exportctl.services.impact import DEFAULT_REVIEW_DAYS, EFFECTS, Impact, impact
from exportctl.store import db as store
from exportctl.store.models import LedgerHead, Order

router = APIRouter()
ORDERS_PER_PAGE = PAGE_SIZE  # rows of the affected orders table
WAIT_SECONDS = 1.0  # a request waits this long for the job before answering "computing"
POLL_SECONDS = 2  # the computing page asks again after this long
JOBS = jobs.Jobs("impact", workers=2, kept=4)  # a result over 13,000 orders holds tens of MB: keep a few


def data_fingerprint(db: Session, screener: PartyScreener | None, regime_id: str) -> tuple[Any, ...]:
    """What the analysis reads, in one comparable value (see the module's docstring)."""
    last_record = db.scalar(select(LedgerHead.last_id).where(LedgerHead.id == ledger.HEAD_ID)) or 0
    lists = sorted(getattr(screener, "versions", {}).items())
    return (last_record, regimes.regime(regime_id).version, tuple(lists))


def analysis(
    url: str, screener: PartyScreener | None, regime_id: str, start: dt.date, end: dt.date, review_days: int
) -> jobs.Computed[Impact]:
    """The job: the analysis in a read-only transaction of its own, with the fingerprint of what it read."""
    with store.session(url, readonly=True) as db:
        if db.get_bind().dialect.name == "postgresql":
            # One snapshot for the whole analysis (and its fingerprint), as SQLite's read transaction gives.
            db.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        seen = data_fingerprint(db, screener, regime_id)
        return jobs.Computed(seen, impact(db, regime_id, start, end, screener=screener, review_days=review_days))


def looked_up(url: str, screener: PartyScreener | None, regime_id: str) -> tuple[tuple[Any, ...], int]:
    """The data's fingerprint now, and how many open orders (of the regime) the analysis determines. A short
    read of its own: no database connection is held while the request waits for the job."""
    with records.database_errors(), store.session(url, readonly=True) as db:
        counted = select(func.count()).where(Order.regime == regime_id, Order.status != "shipped")
        return data_fingerprint(db, screener, regime_id), db.scalar(counted) or 0


@router.get("/impact")
def impact_page(
    request: Request,
    actor: Viewer,
    regime_id: ChosenRegime,
    start: Annotated[dt.date, Query(alias="from")] = dt.date(2019, 8, 27),
    end: Annotated[dt.date, Query(alias="to")] = dt.date(2019, 8, 28),
    review_days: Annotated[int, Query(ge=0, le=365)] = DEFAULT_REVIEW_DAYS,
    page: PageNumber = 1,
) -> Response:
    if end < start:
        start, end = end, start
    # As on the regime pages, a date before what the regime's pack answers for is read as its first date.
    first = regimes.regime(regime_id).pack.meta.coverage_from
    start, end = max(start, first), max(end, first)
    url, screener = request.app.state.database_url, request.app.state.screener
    key = (url, regime_id, start, end, review_days)  # a result answers one regime's analysis only
    fingerprint, open_orders = looked_up(url, screener, regime_id)
    job = JOBS.job(key, fingerprint, lambda: analysis(url, screener, regime_id, start, end, review_days))
    job.wait(WAIT_SECONDS)
    view: dict[str, Any] = {
        "regime_id": regime_id,
        "start": start,
        "end": end,
        "review_days": review_days,
        "poll_seconds": POLL_SECONDS,
    }
    if job.running:
        return render(request, "impact.html", actor, **view, state="computing", open_orders=open_orders)
    failure = job.failure
    if failure is not None:
        JOBS.discard(key, job)  # reported here once; the next view computes again
        # Shown, never swallowed. A plain view is a server error; an htmx poll gets a 200, which htmx swaps in.
        status = 200 if request.headers.get("hx-request") else 500
        message = str(failure) if isinstance(failure, RecordError) else None  # other texts may name server paths
        return render(request, "impact.html", actor, status_code=status, **view, state="failed", message=message)
    result = job.value
    # The orders table is paged, the orders that change first; the counts per effect sum up the whole list.
    by_effect = sorted(result.orders, key=lambda order: EFFECTS.index(order.effect))
    affected, pager = paged_list(request, by_effect, page, ORDERS_PER_PAGE)
    return render(
        request,
        "impact.html",
        actor,
        **view,
        state="done",
        result=result,
        affected=affected,
        pager=pager,
        effects=EFFECTS,
        chart=Markup(slip_chart(result.forecast)),  # built from escaped text only
        labels=change_labels(translator(request), regime_id, start, end, result.changes),
    )
