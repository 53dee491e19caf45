"""EU orders: where the export leaves from is an order fact, stored, changed and decided like the others."""

from __future__ import annotations

import datetime as dt

from exportctl import determination_json
from exportctl.order_input import LineInput, OrderInput
from exportctl.records_json import order_dict
from exportctl.services import orders, records
from exportctl.services.actors import SYSTEM, Actor
from exportctl.store import db

CLERK = Actor("carol", "clerk")


def test_an_eu_order_keeps_its_member_state_of_export(database_url: str) -> None:
    with db.session(database_url) as s:
        records.add_user(s, SYSTEM, CLERK.name, CLERK.role)
        item = records.add_item(s, CLERK, "RAM-COAT", "Radar absorbing coating", "3208.90")
        records.classify(s, CLERK, item, "eu", "1C001", "stealth coating (Annex I 1C001)", dt.date(2021, 9, 9))
        data = OrderInput(
            number="EU-1",
            regime="eu",
            ship_date=dt.date(2026, 3, 2),
            origin="DE",
            destination="FR",
            end_use="aircraft coatings",
            lines=[LineInput(item="RAM-COAT", quantity=2, value_eur=40_000)],
        )
        order = orders.add_order(s, CLERK, data, None)
        # 1C001 is in Annex IV Part I (items of stealth technology): the transfer to France needs an authorisation.
        assert (order.origin, order.outcome, order.status) == ("DE", "licence_required", "blocked")
        assert order.lines[0].eligible_licences == ["individual", "global"]
    with db.session(database_url) as s:
        # Shipped from France instead, it never leaves the member state: no export, no authorisation.
        order = orders.update_order(s, CLERK, "EU-1", {"origin": "FR"}, None)
        assert (order.outcome, order.status) == ("no_licence_required", "released")
        shown = order_dict(order)
        assert (shown["origin"], shown["lines"][0]["value_eur"]) == ("FR", 40_000)
        assert determination_json.decode(order.determination).regime == "eu"
