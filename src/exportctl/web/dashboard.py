"""The dashboard: blocked orders by reason, licences near expiry or exhaustion, recent regulation changes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import Response

from exportctl.api.deps import Database, Viewer
from exportctl.services import checking, orders
from exportctl.store.models import Licence, Order
from exportctl.web.facts import recent_changes
from exportctl.web.i18n import translator
from exportctl.web.templating import render

router = APIRouter()
REGIME = "jp"
WARNING_DAYS = 60


@router.get("/")
def dashboard(request: Request, db: Database, actor: Viewer, today: dt.date | None = None) -> Response:
    day = today or dt.date.today()
    blocked: dict[str, list[str]] = defaultdict(list)
    for order in db.scalars(select(Order).where(Order.status == "blocked").order_by(Order.ship_date)).all():
        for reason in order.blocking_reasons:
            blocked[reason].append(order.number)
    warnings: dict[str, list[orders.LicenceWarning]] = defaultdict(list)
    for warning in orders.licence_warnings(db, day, WARNING_DAYS):
        warnings[warning.number].append(warning)
    licences = db.scalars(select(Licence).order_by(Licence.valid_to, Licence.number)).all()
    return render(
        request,
        "dashboard.html",
        actor,
        day=day,
        one_day=dt.timedelta(days=1),
        blocked=sorted(blocked.items(), key=lambda pair: -len(pair[1])),
        blocked_total=len({n for numbers in blocked.values() for n in numbers}),
        warned=[(licence, warnings[licence.number]) for licence in licences if licence.number in warnings],
        in_force=[licence for licence in licences if licence.valid_from <= day <= licence.valid_to],
        changes=recent_changes(translator(request), checking.regime(REGIME), day),
    )
