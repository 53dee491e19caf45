"""Stored records as plain data: the shapes the CLI's `--format json` and the REST API both return."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import object_session

from exportctl import determination_json
from exportctl.core_types import Citation, LineDetermination
from exportctl.services.orders import LineShipped, licence_state, release_message, shipped_by_line
from exportctl.store.models import Item, Licence, Order, OrderLine, Party, PartyHit


def order_dict(order: Order, detail: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": order.number,
        "regime": order.regime,
        "ship_date": order.ship_date.isoformat(),
        "origin": order.origin,
        "destination": order.destination,
        "consignee": order.consignee.code if order.consignee else None,
        "end_user": order.end_user.code if order.end_user else None,
        "status": order.status,
        "shipped_on": order.shipped_on.isoformat() if order.shipped_on else None,
        "outcome": order.outcome,
        "blocking_reasons": list(order.blocking_reasons),
        "also_under": list(order.also_under),
    }
    if not detail:
        return data
    determination = determination_json.decode(order.determination)
    citations = determination.citations
    session = object_session(order)
    shipped = shipped_by_line(session, order) if session is not None else {}
    data |= {
        "release_state": release_message(order),  # e.g. "awaiting second approval (1 of 2)"
        "end_use": order.end_use,
        "wmd_end_use": order.wmd_end_use,
        "conventional_end_use": order.conventional_end_use,
        "repression_end_use": order.repression_end_use,
        "destination_region": order.destination_region,
        "informed": order.informed,
        "clearly_not": order.clearly_not,
        "pack_version": order.pack_version,
        "destination_group": determination.destination_group,
        "missing": list(determination.missing),
        "lines": [
            line_dict(line, decided, citations, shipped.get(line.line_no))
            for line, decided in zip(order.lines, determination.lines, strict=True)
        ],
        "reasons": [determination_json.encode_reason(r, citations) for r in determination.reasons],
        "screening_hits": [
            determination_json.encode_hit(h) for h in (*determination.end_user_hits, *determination.consignee_hits)
        ],
        "releases": [
            {"officer": r.officer, "reason": r.reason, "blocking_reasons": r.blocking_reasons, "at": r.released_at}
            for r in order.releases
        ],
        # Under each other regime: its determination as `check` gives it, and the licences of its book on the lines.
        "other_determinations": dict(order.other_determinations),
        "other_licences": {regime: dict(numbers) for regime, numbers in order.other_licences.items()},
    }
    return data


def line_dict(
    line: OrderLine, decided: LineDetermination, citations: Mapping[str, Citation], shipped: LineShipped | None = None
) -> dict[str, Any]:
    return {
        "line": line.line_no,
        "item": line.item.code if line.item else None,
        "reference": line.reference,
        "classified_as": decided.item,
        "kind": line.kind,
        "quantity": line.quantity,
        "value_jpy": line.value_jpy,
        "value_eur": line.value_eur,
        "value_usd": line.value_usd,
        "us_content_pct": line.us_content_pct,
        "us_direct_product": line.us_direct_product,
        "entries": [match.entry for match in decided.entries],
        "outcome": line.outcome,
        "eligible_licences": list(line.eligible_licences),
        "licence": line.licence.number if line.licence else None,
        "reasons": [determination_json.encode_reason(r, citations) for r in decided.reasons],
        # Shipped so far (in parts, or the whole line once the order shipped) and what remains to ship.
        "shipped_quantity": shipped.quantity if shipped else 0.0,
        "remaining_quantity": shipped.remaining if shipped else line.quantity,
    }


def hit_dict(hit: PartyHit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "list": hit.list_id,
        "list_version": hit.list_version,
        "entity_id": hit.entity_id,
        "entity_name": hit.entity_name,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "status": hit.status,
        "reviewed_by": hit.reviewed_by,
        "review_reason": hit.review_reason,
    }


def party_dict(party: Party, hits: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": party.code,
        "name": party.name,
        "country": party.country,
        "address": party.address,
        "roles": list(party.roles),
        "screening_status": party.screening_status,
        "screened_at": party.screened_at.isoformat() if party.screened_at else None,
        "open_hits": sum(1 for h in party.hits if h.status == "open"),
    }
    if hits:
        data["list_versions"] = dict(party.list_versions)
        data["hits"] = [hit_dict(h) for h in party.hits]
    return data


def item_dict(item: Item, history: bool = True) -> dict[str, Any]:
    latest = item.classifications[-1] if item.classifications else None
    data: dict[str, Any] = {
        "code": item.code,
        "description": item.description,
        "hs_code": item.hs_code,
        "classification": latest.reference if latest else None,
    }
    if history:
        data["classifications"] = [
            {
                "regime": c.regime,
                "reference": c.reference,
                "entries": list(c.entries),
                "rationale": c.rationale,
                "valid_from": c.valid_from.isoformat(),
                "classified_by": c.classified_by,
                "classified_at": c.classified_at.isoformat(),
            }
            for c in item.classifications
        ]
    return data


def licence_dict(licence: Licence, today: dt.date) -> dict[str, Any]:
    """A licence as of `today` (the caller's clock): its state is expired, exhausted or active."""
    return {
        "number": licence.number,
        "state": licence_state(licence, today),
        "regime": licence.regime,
        "type": licence.type,
        "holder": licence.holder,
        "destinations": list(licence.destinations),
        "consignees": list(licence.consignees),
        "end_users": list(licence.end_users),
        "entries": list(licence.entries),
        "items": list(licence.items),
        "quantity_limit": licence.quantity_limit,
        "quantity_used": licence.quantity_used,
        "value_limit_jpy": licence.value_limit_jpy,
        "value_used_jpy": licence.value_used_jpy,
        "valid_from": licence.valid_from.isoformat(),
        "valid_to": licence.valid_to.isoformat(),
    }
