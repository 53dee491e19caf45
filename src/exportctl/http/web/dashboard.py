"""The dashboard: blocked orders by reason, licences near expiry or exhaustion, recent changes of the chosen
regime.

Every panel is bounded, whatever the size of the books: the counts of blocked orders per reason come from
their reasons alone (no order is loaded whole), each reason lists its first order numbers with a link to the
rest, and the licence lists stop at a few with a link to the licence book.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from fastapi import APIRouter, Request
from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from exportctl.http.deps import Database, Viewer
from exportctl.http.pagination import page
from exportctl.http.web.facts import recent_changes
from exportctl.http.web.i18n import translator
from exportctl.http.web.regime_choice import ChosenRegime
from exportctl.http.web.templating import render
from exportctl.services import orders, regimes, worklists
from exportctl.store.models import Licence, Order

router = APIRouter()
WARNING_DAYS = orders.EXPIRY_WARNING_DAYS
NUMBERS_SHOWN = 10  # order numbers listed per blocking reason; /orders?status=blocked&reason=… has them all
LICENCES_SHOWN = 20  # per licence list; /licences has them all


@dataclass(frozen=True)
class BlockedReason:
    reason: str
    count: int
    numbers: list[str]  # the first NUMBERS_SHOWN, soonest ship date first


def blocked_by_reason(db: Session) -> tuple[list[BlockedReason], int]:
    """Blocked orders counted per reason, most frequent first, and how many blocked orders have a reason.

    The database groups the blocked orders by their list of reasons (a handful of distinct lists) and ranks
    each group by ship date: only the first NUMBERS_SHOWN of each group come back, with the group's size. A
    reason's first orders are among the first of the groups that hold it, so merging them in ship-date order
    gives its first NUMBERS_SHOWN exactly."""
    reasons = cast(Order.blocking_reasons, Text)
    ranked = (
        select(
            reasons.label("reasons"),
            Order.number,
            Order.ship_date,
            Order.id,
            func.count().over(partition_by=reasons).label("size"),
            func.row_number().over(partition_by=reasons, order_by=(Order.ship_date, Order.id)).label("rank"),
        )
        .where(Order.status == "blocked")
        .subquery()
    )
    rows = db.execute(
        select(ranked.c.reasons, ranked.c.size, ranked.c.number)
        .where(ranked.c.rank <= NUMBERS_SHOWN)
        .order_by(ranked.c.ship_date, ranked.c.id)
    )
    counts: Counter[str] = Counter()
    numbers: dict[str, list[str]] = defaultdict(list)
    counted: set[str] = set()
    total = 0
    for text, size, number in rows:
        group = json.loads(text)
        if text not in counted:  # the group's first row: its orders are counted once
            counted.add(text)
            total += size if group else 0
            counts.update(dict.fromkeys(group, size))
        for reason in group:
            if len(numbers[reason]) < NUMBERS_SHOWN:
                numbers[reason].append(number)
    found = [BlockedReason(reason, count, numbers[reason]) for reason, count in counts.items()]
    return sorted(found, key=lambda blocked: -blocked.count), total


@router.get("/")
def dashboard(
    request: Request, db: Database, actor: Viewer, regime_id: ChosenRegime, today: dt.date | None = None
) -> Response:
    day = today or worklists.reference_day(db, dt.date.today())  # the period that has data, by default
    blocked, blocked_total = blocked_by_reason(db)
    warnings: dict[str, list[orders.LicenceWarning]] = defaultdict(list)
    for warning in orders.licence_warnings(db, day, WARNING_DAYS):
        warnings[warning.number].append(warning)
    by_expiry = (Licence.valid_to, Licence.number)
    warned, warned_total = page(
        db, select(Licence).where(Licence.number.in_(list(warnings))).order_by(*by_expiry), LICENCES_SHOWN, 0
    )
    in_force, in_force_total = page(
        db,
        select(Licence).where(Licence.valid_from <= day, Licence.valid_to >= day).order_by(*by_expiry),
        LICENCES_SHOWN,
        0,
    )
    return render(
        request,
        "dashboard.html",
        actor,
        regime_id=regime_id,
        day=day,
        one_day=dt.timedelta(days=1),
        blocked=blocked,
        blocked_total=blocked_total,
        warned=[(licence, warnings[licence.number]) for licence in warned],
        warned_more=warned_total - len(warned),
        in_force=in_force,
        in_force_more=in_force_total - len(in_force),
        changes=recent_changes(translator(request), regimes.regime(regime_id), day),
        worklist_counts={name: worklists.count(db, name, day) for name in worklists.NAMES},
        dated=day != dt.date.today(),  # the licence worklist's link then carries the dashboard's date
    )
