"""Orders: entry, determination and screening, licence assignment, release, shipment with drawdown.

An order is determined and its parties screened whenever it is entered or changed. It is `released` when
nothing blocks it, else `blocked` with its reasons (licence needed, screening hit, indeterminate). A line
that needs a licence gets one from the licence book when one fits; an order whose lines all have a licence
is released. Only an officer releases a blocked order, with a reason; some reasons need a second officer.
Shipment draws the quantity and value down on each line's licence under a lock, so concurrent shipments
can never overdraw it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportctl import ledger, render
from exportctl.determine.engine import InvalidTransaction, determine
from exportctl.model import Determination, Line, Outcome, PartyScreener, ScreeningHit, Transaction
from exportctl.regime.files import builtin_pack_dir, read_pack_dir
from exportctl.services import checking, records
from exportctl.services.records import (
    WRITERS,
    Actor,
    RecordError,
    classification_on,
    item_by_code,
    party_by_code,
)
from exportctl.store.models import Drawdown, Licence, Order, OrderLine, PackVersion, Party, Release, Setting

LICENCE_NEEDED = "licence-needed"
SCREENING_HIT = "screening-hit"
INDETERMINATE = "indeterminate"
PROHIBITED = "prohibited"
FOUR_EYES_SETTING = "release.four_eyes"


@dataclass(frozen=True)
class LineInput:
    item: str | None = None  # an item code from the product master
    reference: str | None = None  # or an entry id, international number or hs:CODE
    kind: str = "goods"
    quantity: float | None = None
    value_jpy: int | None = None
    residency: str | None = None
    tech_purpose: str | None = None


@dataclass(frozen=True)
class OrderInput:
    number: str
    ship_date: dt.date
    destination: str
    consignee: str | None = None  # party codes
    end_user: str | None = None
    end_use: str | None = None
    wmd_end_use: bool | None = None
    conventional_end_use: bool | None = None
    informed: bool = False
    clearly_not: bool = False
    regime: str = "jp"
    lines: list[LineInput] = field(default_factory=list)


# --- pack versions --------------------------------------------------------------------------------------------


def keep_pack_version(db: Session, regime: str) -> str:
    """Store the files of the pack version in use (once), so `audit replay` can load it years later."""
    version = checking.regime(regime).version
    stored = select(PackVersion.version).where(PackVersion.version == version)  # not the files: they are large
    if db.scalar(stored) is None:
        db.add(PackVersion(version=version, regime=regime, files=read_pack_dir(builtin_pack_dir(regime))))
        db.flush()
    return version


# --- determination --------------------------------------------------------------------------------------------


@dataclass
class _ReviewedScreener:
    """The configured screener, minus the hits an officer marked as false positives for these parties."""

    inner: PartyScreener
    cleared: dict[str, set[tuple[str, str]]]

    def screen_party(self, name: str, country: str | None) -> tuple[ScreeningHit, ...]:
        cleared = self.cleared.get(name, set())
        return tuple(h for h in self.inner.screen_party(name, country) if (h.list_id, h.entity_id) not in cleared)

    def has_list(self, list_id: str) -> bool:
        return self.inner.has_list(list_id)


def transaction_of(order: Order) -> Transaction:
    """The engine's input for a stored order: item lines resolved to their classification on the ship date."""
    lines: list[Line] = []
    for line in order.lines:
        reference = line.reference
        if line.item is not None:
            found = classification_on(line.item, order.regime, order.ship_date)
            if found is None:
                raise RecordError(f"line {line.line_no}: item '{line.item.code}' has no {order.regime} classification")
            reference = found.reference
        lines.append(
            Line(
                kind=line.kind,
                item=reference,
                quantity=line.quantity,
                value_jpy=line.value_jpy,
                residency=line.residency,
                tech_purpose=line.tech_purpose,
            )
        )
    return Transaction(
        regime=order.regime,
        date=order.ship_date,
        destination=order.destination,
        consignee=order.consignee.name if order.consignee else None,
        end_user=order.end_user.name if order.end_user else None,
        end_user_country=order.end_user.country if order.end_user else None,
        end_use=order.end_use,
        wmd_end_use=order.wmd_end_use,
        conventional_end_use=order.conventional_end_use,
        informed=order.informed,
        clearly_not=order.clearly_not,
        lines=lines,
    )


def _screener(order: Order, screener: PartyScreener | None) -> PartyScreener | None:
    return reviewed_screener(screener, order.consignee, order.end_user)


def reviewed_screener(screener: PartyScreener | None, *parties: Party | None) -> PartyScreener | None:
    """The screener for a transaction between these parties: their false-positive reviews hold."""
    if screener is None:
        return None
    cleared: dict[str, set[tuple[str, str]]] = {}
    for party in parties:
        if party is not None:
            cleared.setdefault(party.name, set()).update(records.false_positives(party))
    return _ReviewedScreener(screener, cleared)


def blocking_reasons(result: Determination) -> list[str]:
    reasons: list[str] = []
    if result.outcome is Outcome.PROHIBITED:
        reasons.append(PROHIBITED)
    if result.blocked_by:
        reasons.append(SCREENING_HIT)
    if any(line.outcome is Outcome.INDETERMINATE for line in result.lines):
        reasons.append(INDETERMINATE)
    if result.licence_required:
        reasons.append(LICENCE_NEEDED)
    return reasons


def determine_order(db: Session, actor: Actor, order: Order, screener: PartyScreener | None, cause: str) -> Order:
    """(Re)determine and screen an order; assign licences; set its status; record it all in the ledger."""
    transaction = transaction_of(order)
    regime = checking.regime(order.regime)
    try:
        result = determine(regime.at(order.ship_date), transaction, _screener(order, screener))
    except InvalidTransaction as exc:
        raise RecordError(str(exc)) from exc
    pack_version = keep_pack_version(db, order.regime)
    snapshot = regime.at(order.ship_date)
    for line, decided in zip(order.lines, result.lines, strict=True):
        line.outcome = decided.outcome.value
        line.eligible_licences = list(decided.eligible_licences)
        line.licence_id = None
    order.outcome = result.outcome.value
    order.determination = render.determination_dict(snapshot, result)
    reasons = blocking_reasons(result)
    if reasons == [LICENCE_NEEDED] and assign_licences(db, order):
        reasons = []
    order.blocking_reasons = reasons
    order.status = "blocked" if reasons else "released"
    order.pack_version = pack_version
    order.updated_at = dt.datetime.now(dt.UTC)
    db.flush()
    list_versions = getattr(screener, "versions", {}) if screener is not None else {}
    ledger.append(
        db,
        actor.name,
        "order.determine",
        f"order:{order.number}",
        {
            "cause": cause,
            "transaction": transaction.model_dump(mode="json"),
            "screening": {
                "end_user": [render.hit_dict(h) for h in result.end_user_hits],
                "consignee": [render.hit_dict(h) for h in result.consignee_hits],
            },
            "determination": order.determination,
            "status": order.status,
            "blocking_reasons": reasons,
            "licences": {line.line_no: line.licence.number for line in order.lines if line.licence},
        },
        pack_version=pack_version,
        list_versions=list_versions,
    )
    return order


def add_order(db: Session, actor: Actor, data: OrderInput, screener: PartyScreener | None) -> Order:
    actor.require(*WRITERS)
    if not data.lines:
        raise RecordError("lines: an order needs at least one line")
    if db.scalars(select(Order).where(Order.number == data.number)).first():
        raise RecordError(f"number: order '{data.number}' exists")
    order = Order(
        number=data.number,
        regime=data.regime,
        ship_date=data.ship_date,
        destination=data.destination.upper(),
        consignee=party_by_code(db, data.consignee) if data.consignee else None,
        end_user=party_by_code(db, data.end_user) if data.end_user else None,
        end_use=data.end_use,
        wmd_end_use=data.wmd_end_use,
        conventional_end_use=data.conventional_end_use,
        informed=data.informed,
        clearly_not=data.clearly_not,
        created_by=actor.name,
    )
    for number, line in enumerate(data.lines, start=1):
        if (line.item is None) == (line.reference is None):
            raise RecordError(f"line {number}: give exactly one of item or reference")
        order.lines.append(
            OrderLine(
                line_no=number,
                item=item_by_code(db, line.item) if line.item else None,
                reference=line.reference or line.item or "",
                kind=line.kind,
                quantity=line.quantity,
                value_jpy=line.value_jpy,
                residency=line.residency,
                tech_purpose=line.tech_purpose,
            )
        )
    db.add(order)
    db.flush()
    return determine_order(db, actor, order, screener, "entered")


def update_order(
    db: Session, actor: Actor, number: str, changes: dict[str, Any], screener: PartyScreener | None
) -> Order:
    """Change header fields (ship date, destination, end use, flags, parties) and redetermine."""
    actor.require(*WRITERS)
    order = order_by_number(db, number)
    if order.status == "shipped":
        raise RecordError(f"order '{number}' has shipped; it cannot change")
    allowed = {"ship_date", "destination", "end_use", "wmd_end_use", "conventional_end_use", "informed", "clearly_not"}
    for key, value in changes.items():
        if key in ("consignee", "end_user"):
            setattr(order, key, party_by_code(db, value) if value else None)
        elif key in allowed:
            setattr(order, key, value)
        else:
            raise RecordError(f"{key}: not a field that can change")
    db.flush()
    return determine_order(db, actor, order, screener, f"changed: {', '.join(sorted(changes))}")


def order_by_number(db: Session, number: str) -> Order:
    order = db.scalars(select(Order).where(Order.number == number)).first()
    if order is None:
        raise RecordError(f"order '{number}' does not exist")
    return order


# --- licences -------------------------------------------------------------------------------------------------


def licence_fits(licence: Licence, order: Order, line: OrderLine) -> str | None:
    """Why this licence cannot cover this line, or None when it can."""
    if licence.regime != order.regime:
        return "another regime"
    if licence.type not in line.eligible_licences:
        return f"type {licence.type} is not eligible for this line"
    if licence.destinations and order.destination not in licence.destinations:
        return f"destination {order.destination} not permitted"
    if licence.consignees and (order.consignee is None or order.consignee.code not in licence.consignees):
        return "consignee not permitted"
    if licence.end_users and (order.end_user is None or order.end_user.code not in licence.end_users):
        return "end user not permitted"
    if not licence.valid_from <= order.ship_date <= licence.valid_to:
        return f"not valid on {order.ship_date}"
    entries = {m["entry"] for m in _line_matches(order, line)}
    if licence.items and (line.item is None or line.item.code not in licence.items):
        return "item not covered"
    if licence.entries and not entries & set(licence.entries):
        return "entry not covered"
    quantity, value = line.quantity or 0.0, line.value_jpy or 0
    if licence.quantity_limit is not None and licence.quantity_used + quantity > licence.quantity_limit:
        return "remaining quantity too small"
    if licence.value_limit_jpy is not None and licence.value_used_jpy + value > licence.value_limit_jpy:
        return "remaining value too small"
    return None


def _line_matches(order: Order, line: OrderLine) -> list[dict[str, Any]]:
    lines = order.determination.get("lines", [])
    index = line.line_no - 1
    return list(lines[index].get("matches", [])) if index < len(lines) else []


def assign_licences(db: Session, order: Order) -> bool:
    """Give every line that needs a licence one that fits (the one with the least headroom first, to keep
    large licences for large lines). True when every such line got one."""
    needing = [line for line in order.lines if line.outcome == Outcome.LICENCE_REQUIRED.value]
    candidates = db.scalars(select(Licence).where(Licence.regime == order.regime)).all()
    for line in needing:
        fitting = [licence for licence in candidates if licence_fits(licence, order, line) is None]
        if not fitting:
            return False
        line.licence = min(fitting, key=lambda licence: (licence.value_limit_jpy or 0) - licence.value_used_jpy)
    return True


def add_licence(db: Session, actor: Actor, **fields: Any) -> Licence:
    actor.require("officer", "admin")
    if fields.get("type") not in checking.regime(fields.get("regime", "jp")).pack.licences.types:
        raise RecordError(f"type: '{fields.get('type')}' is not a licence type of regime {fields.get('regime', 'jp')}")
    if db.scalars(select(Licence).where(Licence.number == fields["number"])).first():
        raise RecordError(f"number: licence '{fields['number']}' exists")
    licence = Licence(**fields)
    db.add(licence)
    db.flush()
    payload = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()}
    ledger.append(db, actor.name, "licence.add", f"licence:{licence.number}", payload)
    return licence


AMENDABLE = {"holder", "destinations", "consignees", "end_users", "entries", "items", "quantity_limit",
             "value_limit_jpy", "valid_from", "valid_to"}  # fmt: skip


def amend_licence(db: Session, actor: Actor, number: str, changes: dict[str, Any]) -> Licence:
    """Change a licence's terms (METI amends licences: validity, limits, parties). The ledger keeps the
    before and after; limits may not fall below what has already been drawn."""
    actor.require("officer", "admin")
    licence = db.scalars(select(Licence).where(Licence.number == number)).first()
    if licence is None:
        raise RecordError(f"licence '{number}' does not exist")
    unknown = sorted(set(changes) - AMENDABLE)
    if unknown:
        raise RecordError(f"{unknown[0]}: not a term that can be amended")
    if changes.get("quantity_limit") is not None and changes["quantity_limit"] < licence.quantity_used:
        raise RecordError(f"quantity_limit: {changes['quantity_limit']} is below the {licence.quantity_used} drawn")
    if changes.get("value_limit_jpy") is not None and changes["value_limit_jpy"] < licence.value_used_jpy:
        raise RecordError(
            f"value_limit_jpy: ¥{changes['value_limit_jpy']:,} is below the ¥{licence.value_used_jpy:,} drawn"
        )
    if changes.get("valid_to", licence.valid_to) < changes.get("valid_from", licence.valid_from):
        raise RecordError("valid_to: before valid_from")

    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    before = {key: plain(getattr(licence, key)) for key in changes}
    for key, value in changes.items():
        setattr(licence, key, value)
    db.flush()
    after = {key: plain(value) for key, value in changes.items()}
    ledger.append(db, actor.name, "licence.amend", f"licence:{number}", {"before": before, "after": after})
    return licence


@dataclass(frozen=True)
class LicenceWarning:
    number: str
    kind: str  # expiry | exhaustion
    text: str


def licence_warnings(db: Session, today: dt.date, days: int = 60, share: float = 0.9) -> list[LicenceWarning]:
    warnings: list[LicenceWarning] = []
    for licence in db.scalars(select(Licence).order_by(Licence.number)).all():
        if today <= licence.valid_to <= today + dt.timedelta(days=days):
            warnings.append(LicenceWarning(licence.number, "expiry", f"expires {licence.valid_to}"))
        for used, limit, unit in (
            (licence.value_used_jpy, licence.value_limit_jpy, "value"),
            (licence.quantity_used, licence.quantity_limit, "quantity"),
        ):
            if limit and used >= share * limit:
                warnings.append(LicenceWarning(licence.number, "exhaustion", f"{unit} {used:,} of {limit:,} used"))
    return warnings


# --- release and shipment -------------------------------------------------------------------------------------


def four_eyes_reasons(db: Session) -> set[str]:
    setting = db.get(Setting, FOUR_EYES_SETTING)
    return set(setting.value.get("reasons", [])) if setting else set()


def set_four_eyes(db: Session, actor: Actor, reasons: list[str]) -> None:
    actor.require("admin")
    setting = db.get(Setting, FOUR_EYES_SETTING) or Setting(key=FOUR_EYES_SETTING, value={})
    setting.value = {"reasons": sorted(reasons)}
    db.merge(setting)
    ledger.append(db, actor.name, "settings.four_eyes", "settings", {"reasons": sorted(reasons)})


def release_order(db: Session, actor: Actor, number: str, reason: str) -> Order:
    actor.require("officer", "admin")
    if not reason.strip():
        raise RecordError("reason: a release needs a reason")
    order = order_by_number(db, number)
    if order.status != "blocked":
        raise RecordError(f"order '{number}' is {order.status}, not blocked")
    if PROHIBITED in order.blocking_reasons:
        raise RecordError(f"order '{number}' is prohibited; it cannot be released")
    previous = [r for r in order.releases if r.blocking_reasons == order.blocking_reasons]
    if any(r.officer == actor.name for r in previous):
        raise RecordError(f"{actor.name} has already approved this release; a second officer must approve")
    order.releases.append(Release(officer=actor.name, reason=reason, blocking_reasons=list(order.blocking_reasons)))
    needed = 2 if set(order.blocking_reasons) & four_eyes_reasons(db) else 1
    approvals = len(previous) + 1
    if approvals >= needed:
        order.status = "released"
    db.flush()
    ledger.append(
        db,
        actor.name,
        "order.release",
        f"order:{number}",
        {"reason": reason, "blocking_reasons": order.blocking_reasons, "approvals": approvals, "needed": needed},
        pack_version=order.pack_version,
    )
    return order


def ship_order(db: Session, actor: Actor, number: str) -> Order:
    """Ship a released order: draw each licensed line down on its licence, never beyond the limits."""
    actor.require(*WRITERS)
    order = order_by_number(db, number)
    if order.status != "released":
        raise RecordError(f"order '{number}' is {order.status}; only a released order ships")
    for line in order.lines:
        if line.licence_id is not None:
            draw_down(db, actor, line.licence_id, line.quantity or 0.0, line.value_jpy or 0, line.id)
    order.status = "shipped"
    db.flush()
    ledger.append(db, actor.name, "order.ship", f"order:{number}", {"lines": len(order.lines)})
    return order


class Overdraw(RecordError):
    pass


def draw_down(
    db: Session, actor: Actor, licence_id: int, quantity: float, value_jpy: int, line_id: int | None
) -> Drawdown:
    """Lock the licence row (SELECT … FOR UPDATE on PostgreSQL; SQLite transactions begin IMMEDIATE), check
    the balance and draw. Two shipments can never both see the same remaining balance."""
    statement = select(Licence).where(Licence.id == licence_id)
    if db.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    licence = db.execute(statement.execution_options(populate_existing=True)).scalar_one()
    remaining_quantity = None if licence.quantity_limit is None else licence.quantity_limit - licence.quantity_used
    remaining_value = None if licence.value_limit_jpy is None else licence.value_limit_jpy - licence.value_used_jpy
    if remaining_quantity is not None and quantity > remaining_quantity + 1e-9:
        raise Overdraw(f"licence {licence.number}: quantity {quantity} exceeds the remaining {remaining_quantity}")
    if remaining_value is not None and value_jpy > remaining_value:
        raise Overdraw(f"licence {licence.number}: ¥{value_jpy:,} exceeds the remaining ¥{remaining_value:,}")
    licence.quantity_used += quantity
    licence.value_used_jpy += value_jpy
    drawdown = Drawdown(
        licence_id=licence.id, order_line_id=line_id, quantity=quantity, value_jpy=value_jpy, drawn_by=actor.name
    )
    db.add(drawdown)
    db.flush()
    ledger.append(
        db,
        actor.name,
        "licence.drawdown",
        f"licence:{licence.number}",
        {"quantity": quantity, "value_jpy": value_jpy, "order_line": line_id, "quantity_used": licence.quantity_used,
         "value_used_jpy": licence.value_used_jpy},
    )  # fmt: skip
    return drawdown
