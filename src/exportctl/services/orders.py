"""Orders: entry, determination and screening, licence assignment, release, shipment with drawdown.

An order is determined and its parties screened whenever it is entered or changed. It is `released` when
nothing blocks it, else `blocked` with its reasons (licence needed, screening hit, indeterminate). A line
that needs a licence gets one from the licence book when one fits (which one, and when that releases the
order: `services/licences.py`); an order whose lines all have a licence is released.

Fail closed: a `licence-needed` block is lifted only by a licence in the book that fits every line needing
one, never by an officer's words. Officers override the other overridable reasons (a setting; never
`prohibited`) with a reason, two officers by default (four-eyes). A shipped order is final: it is never
determined, released or shipped again. Shipment happens on a date that is a fact: each line's licence must
be valid on it and hold the balance, and the order row and licence rows are locked, so concurrent requests
ship an order once and never overdraw a licence.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

from sqlalchemy import Select, func, literal_column, select, union_all
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from exportctl import determination_json, ledger
from exportctl.core_types import Determination, Line, Outcome, PartyScreener, ScreeningHit, Transaction
from exportctl.determine.engine import InvalidTransaction
from exportctl.order_input import MAX_LINES, PARTY_FIELDS, LineInput, OrderFacts, OrderHeader, OrderInput, changed
from exportctl.regime.files import builtin_pack_dir, builtin_packs, not_installed, read_pack_dir
from exportctl.regime.regime import OutsideCoverage
from exportctl.services import checking, collector, determinations, forked, licences, records, regimes, screening
from exportctl.services.actors import Actor, Role
from exportctl.services.errors import Conflict, Invalid, NotFound, RecordError
from exportctl.services.licences import LICENCE_NEEDED, QUANTITY_SLACK
from exportctl.services.records import classification_on, item_by_code, party_by_code
from exportctl.services.verdicts import Verdict, verdict_of
from exportctl.settings import DEFAULT_REGIME
from exportctl.store.db import insert_missing, insert_rows, reserve_ids, unstorable
from exportctl.store.models import (
    AuditRecord,
    Drawdown,
    Item,
    Licence,
    Order,
    OrderLine,
    PackVersion,
    Party,
    Release,
    Setting,
    StoredDetermination,
)

SCREENING_HIT = "screening-hit"
INDETERMINATE = "indeterminate"
PROHIBITED = "prohibited"
RECHECK_REVIEW = "recheck-review"  # added by services.recheck when an automatic redetermination changed
FOUR_EYES_SETTING = "release.four_eyes"
ALSO_UNDER_SETTING = "orders.also_under"  # the company's default other regimes of a new order
OVERRIDABLE_SETTING = "release.overridable"
# Never lifted by an officer's reason: a licence needs a licence in the book, a prohibition cannot be lifted.
NEVER_OVERRIDDEN = frozenset({LICENCE_NEEDED, PROHIBITED})


# --- pack versions --------------------------------------------------------------------------------------------


def keep_pack_version(db: Session, regime: str) -> str:
    """Store the files of the pack version in use (once), so `audit replay` can load it years later."""
    version = regimes.regime(regime).version
    stored = select(PackVersion.version).where(PackVersion.version == version)  # not the files: they are large
    if db.scalar(stored) is None:
        row = {"version": version, "regime": regime, "files": read_pack_dir(builtin_pack_dir(regime))}
        insert_missing(db, PackVersion, [row], "version")
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

    def list_age_days(self, list_id: str) -> int | None:
        return self.inner.list_age_days(list_id)

    def max_list_age_days(self, pack_limit: int | None) -> int | None:
        return self.inner.max_list_age_days(pack_limit)


@dataclass
class _Known:
    """What a batch of orders reads once instead of per order: the parties and items they name, the licence book
    of each regime and the pack versions already kept; and the new determinations, written together."""

    parties: dict[str, Party]
    items: dict[str, Item]
    books: dict[str, list[Licence]] = field(default_factory=dict)
    new_determinations: determinations.Pending = field(default_factory=determinations.Pending)
    pack_versions: dict[str, str] = field(default_factory=dict)

    def party(self, code: str) -> Party:
        found = self.parties.get(code)
        if found is None:
            raise NotFound(f"party '{code}' does not exist")
        return found

    def item(self, code: str) -> Item:
        found = self.items.get(code)
        if found is None:
            raise NotFound(f"item '{code}' does not exist")
        return found

    def book(self, db: Session, regime: str) -> list[Licence]:
        if regime not in self.books:
            self.books[regime] = licences.book(db, regime)
        return self.books[regime]

    def pack_version(self, db: Session, regime: str) -> str:
        if regime not in self.pack_versions:
            self.pack_versions[regime] = keep_pack_version(db, regime)
        return self.pack_versions[regime]


# What `transaction_of`, `cleared_hits` and the licence rule read of stored orders: with a query of many orders
# (impact and re-check read every open order), in a few more queries rather than several per order.
ORDER_FACTS: tuple[ExecutableOption, ...] = (
    selectinload(Order.lines).options(
        selectinload(OrderLine.item).selectinload(Item.classifications), selectinload(OrderLine.licence)
    ),
    selectinload(Order.consignee).selectinload(Party.hits),
    selectinload(Order.end_user).selectinload(Party.hits),
)


def order_of(db: Session, facts: OrderFacts, known: _Known | None = None) -> Order:
    """The order record of these facts, its parties and items looked up (in `known`, read before for a batch),
    not stored: what `add_order` stores and the web form's live check determines (both through `transaction_of`)."""
    order = Order(
        **facts.model_dump(exclude={"lines", "also_under", *PARTY_FIELDS}),
        also_under=list(facts.also_under or []),
        consignee=_party(db, "consignee", facts.consignee, known),
        end_user=_party(db, "end_user", facts.end_user, known),
    )
    order.lines.extend(_lines_of(db, facts.lines, known))
    return order


def _lines_of(db: Session, lines: Sequence[LineInput], known: _Known | None = None) -> list[OrderLine]:
    """The order line records of these lines, numbered from 1, their items looked up."""
    return [
        OrderLine(
            **line.model_dump(exclude={"item", "reference"}),
            line_no=number,
            item=_line_item(db, number, line.item, known),
            reference=line.reference or line.item,
        )
        for number, line in enumerate(lines, start=1)
    ]


def _line_item(db: Session, number: int, code: str | None, known: _Known | None) -> Item | None:
    """The item a line names by its code (None: the line gives a reference); an unknown code names the line."""
    if code is None:
        return None
    try:
        return known.item(code) if known else item_by_code(db, code)
    except RecordError as exc:
        raise type(exc)(f"line {number}: {exc}") from None


def lines_of(order: Order) -> list[LineInput]:
    """An order record's lines as the input they were entered from (an item by its code, else the reference)."""
    return [
        LineInput.model_validate(
            {
                "item": line.item.code if line.item else None,
                "reference": None if line.item else line.reference,
                **{key: getattr(line, key) for key in LineInput.model_fields if key not in ("item", "reference")},
            }
        )
        for line in order.lines
    ]


def _party(db: Session, field: str, code: str | None, known: _Known | None = None) -> Party | None:
    """The party a field names by its code: a code naming no party is a bad value of that field."""
    if code is None:
        return None
    try:
        return known.party(code) if known else party_by_code(db, code)
    except NotFound as exc:
        raise Invalid(f"{field}: {exc}") from None


def transaction_of(order: Order | _Draft, regime: str | None = None) -> Transaction:
    """The engine's input for an order record (stored, or of `order_of`) under its regime or one of its others
    (`regime`): item lines resolved to their classification under that regime on the ship date. The one
    conversion of an order to a transaction."""
    regime = regime or order.regime
    lines: list[Line] = []
    for line in order.lines:
        reference = line.reference
        if line.item is not None:
            found = classification_on(line.item, regime, order.ship_date)
            if found is None:
                raise RecordError(f"line {line.line_no}: item '{line.item.code}' has no {regime} classification")
            reference = found.reference
        lines.append(
            Line(
                kind=line.kind,
                item=reference,
                quantity=line.quantity,
                value_jpy=line.value_jpy,
                value_eur=line.value_eur,
                value_usd=line.value_usd,
                us_content_pct=line.us_content_pct,
                us_direct_product=line.us_direct_product,
                residency=line.residency,
                tech_purpose=line.tech_purpose,
            )
        )
    return Transaction(
        regime=regime,
        date=order.ship_date,
        origin=order.origin,
        destination=order.destination,
        destination_region=order.destination_region,
        consignee=order.consignee.name if order.consignee else None,
        end_user=order.end_user.name if order.end_user else None,
        end_user_country=order.end_user.country if order.end_user else None,
        end_use=order.end_use,
        wmd_end_use=order.wmd_end_use,
        conventional_end_use=order.conventional_end_use,
        repression_end_use=order.repression_end_use,
        informed=order.informed,
        clearly_not=order.clearly_not,
        lines=lines,
    )


def _screener(order: Order | _Draft, screener: PartyScreener | None) -> PartyScreener | None:
    return reviewed_screener(screener, order.consignee, order.end_user)


def reviewed_screener(screener: PartyScreener | None, *parties: Party | None) -> PartyScreener | None:
    """The screener for a transaction between these parties: their false-positive reviews hold."""
    return None if screener is None else with_reviews(screener, cleared_hits(*parties))


def cleared_hits(*parties: Party | None) -> dict[str, set[tuple[str, str]]]:
    """By party name, the (list, entity) hits an officer cleared as false positives for these parties."""
    cleared: dict[str, set[tuple[str, str]]] = {}
    for party in parties:
        if party is not None:
            cleared.setdefault(party.name, set()).update(records.false_positives(party))
    return cleared


def with_reviews(screener: PartyScreener, cleared: dict[str, set[tuple[str, str]]]) -> PartyScreener:
    """The screener minus the hits cleared (`cleared_hits`): what a worker of the cluster screens with."""
    return _ReviewedScreener(screener, cleared)


def base_reason(reason: str) -> str:
    """A blocking reason without the regime it is of (`us:licence-needed` → `licence-needed`): the reasons of an
    order's other regimes are named by the regime, and are what the same reason of its own regime is."""
    return reason.rpartition(":")[2]


def blocking_reasons(result: Determination | Verdict) -> list[str]:
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


def lock_order(db: Session, number: str) -> Order:
    """The order, its row locked for this transaction (SELECT … FOR UPDATE on PostgreSQL; SQLite writers
    begin IMMEDIATE) and its attributes read again, so a status checked here cannot be changed underneath
    by a concurrent shipment, release or determination."""
    statement = select(Order).where(Order.number == number)
    if db.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(key_share=True)  # FOR NO KEY UPDATE: lines may still reference it
    order = db.scalars(statement.execution_options(populate_existing=True)).first()
    if order is None:
        raise NotFound(f"order '{number}' does not exist")
    return order


def _refuse_shipped(order: Order) -> None:
    if order.status == "shipped":
        raise RecordError(f"order '{order.number}' has shipped; it is final and cannot be determined or changed")


# By regime: a determination made beforehand (on the cluster: services/batch/executor.py) of the transaction, with
# the parties' cleared hits, it was made for.
Decided = Mapping[str, tuple[Transaction, dict[str, set[tuple[str, str]]], Determination]]
# By regime: a bulk entry's transaction of the order and its verdict, or why it cannot be determined (`_judge`).
Made = Mapping[str, tuple[Transaction, Verdict | str]]


def determine_order(
    db: Session, actor: Actor, order: Order, screener: PartyScreener | None, cause: str, decided: Decided | None = None
) -> Order:
    """(Re)determine and screen an order that has not shipped; assign licences; set its status; record it all
    in the ledger. A shipped order is refused: determining it again would put it back to `released`. A
    determination in `decided` is used where the locked order still makes exactly its transaction."""
    actor.require(Role.CLERK)
    order = lock_order(db, order.number)
    _refuse_shipped(order)
    return _determine(db, actor, order, screener, cause, decided=decided)


def _check(
    order: Order | _Draft, regime: str, screener: PartyScreener | None, decided: Decided | None = None
) -> tuple[Transaction, Determination]:
    transaction = transaction_of(order, regime)
    made = decided.get(regime) if decided else None
    if made is not None and made[:2] == (transaction, cleared_hits(order.consignee, order.end_user)):
        return transaction, made[2]
    try:
        return transaction, checking.check(transaction, _screener(order, screener))
    except InvalidTransaction as exc:
        raise _undeterminable(order, regime, str(exc)) from exc


def _undeterminable(order: Order | _Draft, regime: str, why: str) -> RecordError:
    prefix = "" if regime == order.regime else f"{regime}: "
    return RecordError(f"{prefix}{why}")


def _verdict(
    order: Order | _Draft, regime: str, screener: PartyScreener | None, decided: Decided | None, made: Made | None
) -> tuple[Transaction, Verdict]:
    """The order's transaction under `regime` and the verdict on it: made beforehand (`made`), or now."""
    found = made.get(regime) if made else None
    if found is None:
        transaction, result = _check(order, regime, screener, decided)
        return transaction, verdict_of(result)
    transaction, answer = found
    if isinstance(answer, str):
        raise _undeterminable(order, regime, answer)
    return transaction, answer


def _as_order(order: Order | _Draft) -> Order:
    """The order as the licence rule (`services/licences.py`) takes it: the rule reads an order's facts and its
    lines' item, number, quantity and value, which a bulk entry's `_Draft` has as the stored order has them."""
    return cast(Order, order)


def _plan(
    db: Session, order: Order | _Draft, result: Verdict, regime: str, known: _Known | None
) -> dict[int, Licence | None]:
    as_order = _as_order(order)
    needs = licences.needs(as_order, result)
    if known is None or not needs:
        return licences.plan(db, as_order, needs, regime)
    return licences.choose(known.book(db, regime), as_order, needs, regime)


@dataclass(frozen=True)
class _Decision:
    """What determining an order decided, before it is put on the order record (`_determine`) or into the rows of
    a bulk entry (`add_orders`): the one computation both share."""

    transaction: Transaction
    verdict: Verdict  # of the order's regime; `key` cites its stored determination
    licensed: dict[int, Licence]  # line number → the licence put on it: every line needing one, or none
    reasons: list[str]  # still blocking, those of the other regimes named by the regime
    other_keys: dict[str, str]  # regime → its stored determination's key
    other_licences: dict[str, dict[str, str]]  # regime → line number → the licence of its book that lifted it
    pack_version: str

    @property
    def status(self) -> str:
        return "blocked" if self.reasons else "released"

    def payload(self, cause: str, licensed: Mapping[int, str]) -> dict[str, Any]:
        """The ledger record's payload (`licensed`: line number → licence number, as the order's lines hold them)."""
        return {
            "cause": cause,
            "transaction": self.transaction.model_dump(mode="json"),
            "screening": self.verdict.screening,
            "determination_sha256": self.verdict.key,
            "other_determination_sha256": self.other_keys,
            "status": self.status,
            "blocking_reasons": self.reasons,
            "licences": dict(licensed),
            "other_licences": self.other_licences,
        }


def _decide(
    db: Session,
    order: Order | _Draft,
    screener: PartyScreener | None,
    known: _Known | None,
    decided: Decided | None,
    made: Made | None = None,
) -> _Decision:
    """Determine and screen the order under its regime and its others, store the determinations (now, or with the
    batch's other new ones: `known`), choose licences from the books: what `_Decision` holds. The order's other
    regimes are checked and put in order; nothing else of it changes."""
    _check_regimes(order)
    transaction, verdict = _verdict(order, order.regime, screener, decided, made)
    pack_version = known.pack_version(db, order.regime) if known else keep_pack_version(db, order.regime)
    _store(db, verdict, known)
    chosen = _plan(db, order, verdict, order.regime, known)
    reasons = licences.still_blocking(blocking_reasons(verdict), chosen)
    licensed = {} if reasons else {line_no: licence for line_no, licence in chosen.items() if licence is not None}
    other_keys, other_licences, other_reasons = _other_regimes(db, order, screener, known, decided, made)
    return _Decision(transaction, verdict, licensed, reasons + other_reasons, other_keys, other_licences, pack_version)


def _other_regimes(
    db: Session,
    order: Order | _Draft,
    screener: PartyScreener | None,
    known: _Known | None,
    decided: Decided | None,
    made: Made | None,
) -> tuple[dict[str, str], dict[str, dict[str, str]], list[str]]:
    """Determine the order under each of its other regimes; keep their determinations and, where a licence of
    that regime's book fits every line needing one, the licences. The keys, the licences and the reasons still
    blocking, named by regime."""
    keys: dict[str, str] = {}
    lifted: dict[str, dict[str, str]] = {}
    reasons: list[str] = []
    for regime in order.also_under:
        _, verdict = _verdict(order, regime, screener, decided, made)
        keys[regime] = _store(db, verdict, known)
        chosen = _plan(db, order, verdict, regime, known)
        remaining = licences.still_blocking(blocking_reasons(verdict), chosen)
        if not remaining and chosen:
            lifted[regime] = _numbers(chosen)
        reasons += [f"{regime}:{reason}" for reason in remaining]
    return keys, lifted, reasons


def _store(db: Session, verdict: Verdict, known: _Known | None) -> str:
    """The determination's row, written now or with the batch's other new ones (`known`); its key."""
    if known:
        known.new_determinations.texts[verdict.key] = verdict.text
    else:
        determinations.keep_text(db, verdict.key, verdict.text)
    return verdict.key


def _numbers(chosen: Mapping[int, Licence | None]) -> dict[str, str]:
    return {str(line_no): licence.number for line_no, licence in chosen.items() if licence is not None}


def _check_regimes(order: Order | _Draft) -> None:
    """The other regimes an order names are installed; its own is not one of them."""
    for regime in order.also_under:
        if regime not in builtin_packs():
            raise Invalid(f"also_under: {not_installed(regime)}")
    order.also_under = [r for r in dict.fromkeys(order.also_under) if r != order.regime]


def _determine(
    db: Session,
    actor: Actor,
    order: Order,
    screener: PartyScreener | None,
    cause: str,
    decided: Decided | None = None,
) -> Order:
    decision = _decide(db, order, screener, None, decided)
    for line, line_result in zip(order.lines, decision.verdict.lines, strict=True):
        line.outcome = line_result.outcome.value
        line.eligible_licences = list(line_result.eligible_licences)
        # Cleared through the relationship, as `licences.assign` sets it: a column cleared beside a licence the
        # session has loaded stays cleared when the same licence is assigned again.
        line.licence = None
    order.outcome = decision.verdict.outcome.value
    # The session's row, stored by `_decide` (`determinations.keep_text`): no query.
    order.determination_record = db.get(StoredDetermination, decision.verdict.key)
    licences.assign(order, decision.licensed)
    # New values, never changed in place: the ORM sees a JSON column change only when it is assigned.
    order.other_determination_sha256, order.other_licences = decision.other_keys, decision.other_licences
    order.blocking_reasons = decision.reasons
    order.status = decision.status
    order.pack_version = decision.pack_version
    order.revision = (order.revision or 0) + 1  # approvals given on the previous determination no longer count
    order.updated_at = dt.datetime.now(dt.UTC)
    db.flush()
    ledger.append(
        db,
        actor.name,
        "order.determine",
        f"order:{order.number}",
        decision.payload(cause, {line.line_no: line.licence.number for line in order.lines if line.licence}),
        pack_version=decision.pack_version,
        list_versions=_list_versions(screener),
    )
    return order


def _list_versions(screener: PartyScreener | None) -> dict[str, Any]:
    return getattr(screener, "versions", {}) if screener is not None else {}


def add_order(db: Session, actor: Actor, data: OrderInput, screener: PartyScreener | None) -> Order:
    actor.require(Role.CLERK)
    if db.scalars(select(Order).where(Order.number == data.number)).first():
        raise Conflict(f"number: order '{data.number}' exists")
    order = order_of(db, data)
    if data.also_under is None:
        order.also_under = default_also_under(db)
    order.created_by = actor.name
    db.add(order)
    db.flush()
    return _determine(db, actor, order, screener, "entered")


# --- bulk entry -----------------------------------------------------------------------------------------------

_LINE_FACTS = tuple(key for key in LineInput.model_fields if key not in ("item", "reference"))
_HEADER_FACTS = tuple(key for key in OrderHeader.model_fields if key not in ("also_under", *PARTY_FIELDS))


@dataclass
class _DraftLine:
    """An order line of a bulk entry before it is stored: the line's facts, its item looked up."""

    line_no: int
    item: Item | None
    reference: str
    kind: str
    quantity: float | None
    value_jpy: int | None
    value_eur: int | None
    value_usd: int | None
    us_content_pct: float | None
    us_direct_product: bool | None
    residency: str | None
    tech_purpose: str | None
    licence: Licence | None = None


@dataclass
class _Draft:
    """An order of a bulk entry before it is stored: what `order_of` gives (parties and items looked up), without
    the ORM's objects, so that `add_orders` inserts plain rows (each table in one executemany)."""

    number: str
    regime: str
    ship_date: dt.date
    origin: str | None
    destination: str
    destination_region: str | None
    consignee: Party | None
    end_user: Party | None
    end_use: str | None
    wmd_end_use: bool | None
    conventional_end_use: bool | None
    repression_end_use: bool | None
    informed: bool
    clearly_not: bool
    also_under: list[str]
    lines: list[_DraftLine]


def _draft_of(db: Session, data: OrderInput, known: _Known, also_under: Sequence[str]) -> _Draft:
    """The draft of an order to enter: `order_of` for a bulk entry (the same lookups, refusals and values)."""
    header = {key: getattr(data, key) for key in _HEADER_FACTS}
    lines = [
        _DraftLine(
            line_no=number,
            item=_line_item(db, number, line.item, known),
            reference=line.reference or line.item or "",
            **{key: getattr(line, key) for key in _LINE_FACTS},
        )
        for number, line in enumerate(data.lines, start=1)
    ]
    return _Draft(
        number=data.number,
        consignee=_party(db, "consignee", data.consignee, known),
        end_user=_party(db, "end_user", data.end_user, known),
        also_under=list(also_under if data.also_under is None else data.also_under),
        lines=lines,
        **header,
    )


@dataclass(frozen=True)
class EnteredOrder:
    """An order a bulk entry stored: its number, key, status and how many lines it has."""

    number: str
    id: int
    status: str
    lines: int


WRITE_BATCH = 1_000  # orders whose rows are written together (their rows held in memory until then)


def add_orders(
    db: Session,
    actor: Actor,
    entered: Sequence[OrderInput],
    screener: PartyScreener | None,
    each: Callable[[int], AbstractContextManager[object]] = lambda _: nullcontext(),
    workers: int = 0,
    write_batch: int = WRITE_BATCH,
) -> list[EnteredOrder]:
    """Enter many orders in the caller's transaction, each determined, screened and recorded in the ledger exactly
    as `add_order` does it (the same `_decide`, the same rows and ledger payloads), but with what they share read
    once (parties, items, licence books, the kept pack versions) and written together as plain rows: keys
    reserved, one executemany (PostgreSQL: COPY) per table and batch of `write_batch` orders, no ORM objects. All
    or nothing, with the caller's transaction. `each(i)` surrounds the work on order i (an import names the row of
    a refusal).

    With `workers`, that many processes forked from this one (`services/forked.py`) determine the orders ahead while
    this one chooses their licences and writes the orders before them: the same verdicts (`_judge`), in order. Only
    from a process with one thread at work (the CLI): a lock held by another thread stays held in a forked worker.
    A screener that reads its index file on demand is not shared with forked workers: the orders are then
    determined here (`screening.in_memory`).

    Locks are taken in `add_order`'s order: the pack version, determinations and orders are written before the
    ledger's head is locked (`ledger.Chain`), last, for the records; so an order entered by hand at the same
    time, which writes the same rows first and then locks the head, cannot deadlock with the import."""
    actor.require(Role.CLERK)
    with collector.fewer_collections():  # a bulk entry keeps the file's drafts and a batch's rows until written
        return _add_orders(db, actor, entered, screener, each, workers, write_batch)


def _add_orders(
    db: Session,
    actor: Actor,
    entered: Sequence[OrderInput],
    screener: PartyScreener | None,
    each: Callable[[int], AbstractContextManager[object]],
    workers: int,
    write_batch: int,
) -> list[EnteredOrder]:
    numbers = [data.number for data in entered]
    twice = sorted(number for number, count in Counter(numbers).items() if count > 1)
    if twice:
        raise Conflict(f"number: order '{twice[0]}' is given twice")
    existing = sorted(_in_chunks(db, Order.number, numbers, Order.number))
    if existing:
        raise Conflict(f"number: order '{existing[0]}' exists")
    party_codes = [code for data in entered for code in (data.consignee, data.end_user) if code is not None]
    item_codes = [line.item for data in entered for line in data.lines if line.item is not None]
    known = _Known(
        # With what each order reads of them (a party's reviewed hits, an item's classifications): one query each.
        parties={p.code: p for p in _in_chunks(db, Party, party_codes, Party.code, selectinload(Party.hits))},
        items={i.code: i for i in _in_chunks(db, Item, item_codes, Item.code, selectinload(Item.classifications))},
    )
    also_under = default_also_under(db)
    drafts: list[tuple[_Draft, dict[str, Transaction]]] = []  # each order's, with its transaction under each regime
    asks: list[_Ask] = []  # each order's transaction under its regime, then under each of its others
    for index, data in enumerate(entered):
        with each(index):
            draft = _draft_of(db, data, known, also_under)
            _check_regimes(draft)
            cleared = cleared_hits(draft.consignee, draft.end_user)
            transactions = {regime: transaction_of(draft, regime) for regime in (draft.regime, *draft.also_under)}
            asks += [(transaction, cleared) for transaction in transactions.values()]
            drafts.append((draft, transactions))
    workers = workers if screening.in_memory(screener) else 0
    if workers:
        _resolve_snapshots(asks)
    stored: list[EnteredOrder] = []
    with forked.in_order(partial(_judge, screener), asks, workers) as answers:
        for first in range(0, len(drafts), write_batch):
            batch: list[_Entry] = []
            for index in range(first, min(first + write_batch, len(drafts))):
                with each(index):
                    draft, transactions = drafts[index]
                    made = {regime: (transaction, next(answers)) for regime, transaction in transactions.items()}
                    batch.append(_entry(draft, _decide(db, draft, screener, known, None, made), actor))
            stored += _write_entries(db, actor, screener, known, batch)
    return stored


@dataclass(frozen=True)
class _Entry:
    """An order of a bulk entry, decided: its row and its lines' rows (keys to come), its ledger record's payload."""

    order: dict[str, Any]
    lines: list[dict[str, Any]]
    subject: str
    payload: dict[str, Any]
    pack_version: str


def _entry(draft: _Draft, decision: _Decision, actor: Actor) -> _Entry:
    order_row, line_rows = _rows(draft, decision, actor.name)
    _refuse_unstorable((Order, order_row), *((OrderLine, line) for line in line_rows))
    licensed = {line_no: licence.number for line_no, licence in decision.licensed.items()}
    payload = decision.payload("entered", licensed)
    return _Entry(order_row, line_rows, f"order:{draft.number}", payload, decision.pack_version)


def _write_entries(
    db: Session, actor: Actor, screener: PartyScreener | None, known: _Known, entries: list[_Entry]
) -> list[EnteredOrder]:
    """A batch of a bulk entry written: its new determinations, orders, lines and ledger records (the head last)."""
    known.new_determinations.write(db)  # before the orders citing them
    line_keys = iter(reserve_ids(db, OrderLine, sum(len(entry.lines) for entry in entries)))
    for entry, key in zip(entries, reserve_ids(db, Order, len(entries)), strict=True):
        entry.order["id"] = key
        for line in entry.lines:
            line["id"], line["order_id"] = next(line_keys), key
    insert_rows(db, Order, [entry.order for entry in entries])
    insert_rows(db, OrderLine, [line for entry in entries for line in entry.lines])
    chain, list_versions = ledger.Chain(db), _list_versions(screener)  # the head locked, read once
    records = [
        chain.row(
            actor.name,
            "order.determine",
            e.subject,
            e.payload,
            pack_version=e.pack_version,
            list_versions=list_versions,
        )
        for e in entries
    ]
    _refuse_unstorable(*((AuditRecord, record) for record in records))
    insert_rows(db, AuditRecord, records)
    db.flush()  # the head row, advanced
    return [EnteredOrder(e.order["number"], e.order["id"], e.order["status"], len(e.lines)) for e in entries]


_Ask = tuple[Transaction, dict[str, set[tuple[str, str]]]]  # a transaction and its parties' cleared hits


def _resolve_snapshots(asks: Sequence[_Ask]) -> None:
    """Each regime's snapshot of the asks' dates resolved here before workers are forked, rather than again in each
    of them (a snapshot takes about 40 ms; a few dozen cover 2019–2026 under the Japan pack). A date the pack does
    not cover is left to `_judge` to refuse."""
    for regime, day in {(transaction.regime, transaction.date) for transaction, _ in asks}:
        with suppress(OutsideCoverage):
            regimes.regime(regime).at(day)


def _judge(screener: PartyScreener | None, ask: _Ask) -> Verdict | str:
    """A bulk entry's determination of a transaction (here or in a forked worker): the verdict, or why the
    transaction cannot be determined (`_verdict` refuses it, naming the order's row)."""
    transaction, cleared = ask
    reviewed = None if screener is None else with_reviews(screener, cleared)
    try:
        return verdict_of(checking.check(transaction, reviewed))
    except InvalidTransaction as exc:
        return str(exc)


def _rows(draft: _Draft, decision: _Decision, actor: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The order's row and its lines' rows (keys to come), with every column the order path's flush writes."""
    now = dt.datetime.now(dt.UTC)
    order = {
        "number": draft.number,
        **{key: getattr(draft, key) for key in _HEADER_FACTS},
        "consignee_id": draft.consignee.id if draft.consignee else None,
        "end_user_id": draft.end_user.id if draft.end_user else None,
        "also_under": draft.also_under,
        "status": decision.status,
        "shipped_on": None,
        "revision": 1,
        "blocking_reasons": decision.reasons,
        "outcome": decision.verdict.outcome.value,
        "determination_sha256": decision.verdict.key,
        "other_determination_sha256": decision.other_keys,
        "other_licences": decision.other_licences,
        "pack_version": decision.pack_version,
        "created_by": actor,
        "created_at": now,
        "updated_at": now,
    }
    lines = []
    for line, decided in zip(draft.lines, decision.verdict.lines, strict=True):
        licence = decision.licensed.get(line.line_no)
        lines.append(
            {
                "line_no": line.line_no,
                "item_id": line.item.id if line.item else None,
                "reference": line.reference,
                **{key: getattr(line, key) for key in _LINE_FACTS},
                "outcome": decided.outcome.value,
                "eligible_licences": list(decided.eligible_licences),
                "licence_id": licence.id if licence else None,
            }
        )
    return order, lines


def _refuse_unstorable(*rows: tuple[type[Any], Mapping[str, Any]]) -> None:
    """A row the database cannot store as it is (`store.db.unstorable`) is refused naming the column."""
    for model, row in rows:
        problem = unstorable(model, row)
        if problem is not None:
            raise Invalid(problem)


CHUNK = 5_000  # values per IN (…): under every database's limit of bound parameters


def _in_chunks(db: Session, what: Any, values: Sequence[str], column: Any, *options: ExecutableOption) -> list[Any]:
    """The rows (or values) of `what` whose `column` is one of `values`, asked for a chunk at a time."""
    unique = sorted(set(values))
    found: list[Any] = []
    for first in range(0, len(unique), CHUNK):
        found += db.scalars(select(what).where(column.in_(unique[first : first + CHUNK])).options(*options)).all()
    return found


def update_order(
    db: Session,
    actor: Actor,
    number: str,
    changes: Mapping[str, Any],
    screener: PartyScreener | None,
    *,
    lines: Sequence[LineInput] | None = None,
    revision: int | None = None,
) -> Order:
    """Change header fields (`OrderChanges`: ship date, destination, end use, flags, parties) and, given, replace
    the lines; then redetermine. Under the order's lock: an order that has shipped, wholly or in part, is refused
    (what left was determined as it stood), and so is a change made on `revision` when the order has been
    determined since (a form loaded before someone else's change)."""
    actor.require(Role.CLERK)
    order = lock_order(db, number)
    refuse_change(db, order)
    if revision is not None and order.revision != revision:
        raise Conflict(
            f"revision: order '{number}' changed since this form was loaded (revision {revision}, now "
            f"{order.revision}); open it again"
        )
    header = changed(header_of(order), changes)
    for key in changes:
        value = getattr(header, key)
        if key == "also_under" and value is None:
            value = default_also_under(db)
        setattr(order, key, _party(db, key, value) if key in PARTY_FIELDS else value)
    named = sorted(changes)
    if lines is not None:
        _replace_lines(db, order, lines)
        named = sorted([*named, "lines"])
    db.flush()
    return _determine(db, actor, order, screener, f"changed: {', '.join(named)}")


def refuse_change(db: Session, order: Order) -> None:
    """An order that has shipped, wholly or in part, cannot change: what left was determined as it stood."""
    _refuse_shipped(order)
    if _part_shipments(db, order.number):
        raise RecordError(f"order '{order.number}' has partly shipped; it cannot be changed")


def _replace_lines(db: Session, order: Order, lines: Sequence[LineInput]) -> None:
    """The order's lines replaced by these (1 to MAX_LINES of them). Only an order that
    has not shipped any part gets here: no drawdown names its old lines."""
    if not 1 <= len(lines) <= MAX_LINES:
        raise Invalid(f"lines: an order has 1 to {MAX_LINES} lines, not {len(lines)}")
    new_lines = _lines_of(db, lines)
    db.expire(order, ["lines"])  # the lines as they are under the lock, not as first read
    for old in order.lines:
        db.delete(old)
    db.flush()  # the old line numbers are free before the new lines take them
    db.expire(order, ["lines"])
    order.lines.extend(new_lines)


def header_of(order: Order) -> OrderHeader:
    """An order record's header as the input it was entered from (parties by code)."""
    fields: dict[str, Any] = {key: getattr(order, key) for key in OrderHeader.model_fields}
    for key in PARTY_FIELDS:
        fields[key] = fields[key].code if fields[key] else None
    return OrderHeader.model_construct(**fields)


def order_by_number(db: Session, number: str) -> Order:
    order = db.scalars(select(Order).where(Order.number == number)).first()
    if order is None:
        raise NotFound(f"order '{number}' does not exist")
    return order


# --- licences -------------------------------------------------------------------------------------------------


EXPIRED, EXHAUSTED, ACTIVE = "expired", "exhausted", "active"


def licence_state(licence: Licence, today: dt.date) -> str:
    """`expired` (its last day is before today), `exhausted` (a limit fully used) or `active`."""
    if licence.valid_to < today:
        return EXPIRED
    if _exhausted(licence):
        return EXHAUSTED
    return ACTIVE


def _exhausted(licence: Licence) -> bool:
    quantity_limit = licence.quantity_limit
    quantity_done = quantity_limit is not None and licence.quantity_used >= quantity_limit - QUANTITY_SLACK
    value_done = licence.value_limit_jpy is not None and licence.value_used_jpy >= licence.value_limit_jpy
    return quantity_done or value_done


def add_licence(db: Session, actor: Actor, **fields: Any) -> Licence:
    actor.require(Role.OFFICER)
    regime_id = fields.get("regime", DEFAULT_REGIME)
    if fields.get("type") not in regimes.regime(regime_id).pack.licences.types:
        raise RecordError(f"type: '{fields.get('type')}' is not a licence type of regime {regime_id}")
    records.check_licence_terms(db, fields)
    if db.scalars(select(Licence).where(Licence.number == fields["number"])).first():
        raise Conflict(f"number: licence '{fields['number']}' exists")
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
    actor.require(Role.OFFICER)
    licence = db.scalars(select(Licence).where(Licence.number == number)).first()
    if licence is None:
        raise NotFound(f"licence '{number}' does not exist")
    unknown = sorted(set(changes) - AMENDABLE)
    if unknown:
        raise RecordError(f"{unknown[0]}: not a term that can be amended")
    records.check_licence_terms(db, changes | {"regime": licence.regime})
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
    kind: str  # expiry | exhaustion (90 % used) | exhausted (a limit fully used)
    text: str


EXPIRY_CHECK, VALUE_CHECK, QUANTITY_CHECK = 0, 1, 2  # a licence's warnings in this order


def _warning_rows(today: dt.date, days: int, share: float) -> Select[Licence, int]:
    """One row per warning, (licence, check), by licence number: the rule is asked in SQL, so only the
    licences warned of are loaded, and a page of warnings is a page of rows. A limit that is not set (NULL)
    makes its comparison unknown: no warning."""
    checks = union_all(
        select(Licence.id.label("licence_id"), literal_column(str(EXPIRY_CHECK)).label("kind")).where(
            Licence.valid_to.between(today, today + dt.timedelta(days=days))
        ),
        select(Licence.id, literal_column(str(VALUE_CHECK))).where(
            Licence.value_used_jpy >= share * Licence.value_limit_jpy
        ),
        select(Licence.id, literal_column(str(QUANTITY_CHECK))).where(
            Licence.quantity_used >= share * Licence.quantity_limit
        ),
    ).subquery()
    return (
        select(Licence, checks.c.kind)
        .join(checks, checks.c.licence_id == Licence.id)
        .order_by(Licence.number, checks.c.kind)
    )


def _warning(licence: Licence, check: int) -> LicenceWarning:
    if check == EXPIRY_CHECK:
        return LicenceWarning(licence.number, "expiry", f"expires {licence.valid_to}")
    used, limit, unit = (
        (licence.value_used_jpy, licence.value_limit_jpy, "value")
        if check == VALUE_CHECK
        else (licence.quantity_used, licence.quantity_limit, "quantity")
    )
    assert limit is not None  # the SQL rule selects a used share of a limit only
    # A licence at 100 % cannot be drawn on at all: that is not "near" exhaustion.
    kind = "exhausted" if used >= limit - QUANTITY_SLACK else "exhaustion"
    return LicenceWarning(licence.number, kind, f"{unit} {used:,} of {limit:,} used")


NEAR_EXHAUSTION_SHARE = 0.9  # the share of a limit used from which a licence is "near exhaustion"
EXPIRY_WARNING_DAYS = 60  # a licence whose last valid day is this close is "near expiry"


def licence_warnings(
    db: Session,
    today: dt.date,
    days: int = EXPIRY_WARNING_DAYS,
    share: float = NEAR_EXHAUSTION_SHARE,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[LicenceWarning]:
    """Licences expiring within `days` of `today`, and limits `share` or more used (or fully used), by
    licence number; `limit`/`offset` give one page of them."""
    rows = db.execute(_warning_rows(today, days, share).limit(limit).offset(offset))
    return [_warning(licence, check) for licence, check in rows]


def count_licence_warnings(
    db: Session, today: dt.date, days: int = EXPIRY_WARNING_DAYS, share: float = NEAR_EXHAUSTION_SHARE
) -> int:
    counted = select(func.count()).select_from(_warning_rows(today, days, share).order_by(None).subquery())
    return db.scalar(counted) or 0


# --- release and shipment -------------------------------------------------------------------------------------


def _reasons_setting(db: Session, key: str) -> set[str] | None:
    setting = db.get(Setting, key)
    return set(setting.value.get("reasons", [])) if setting else None


def default_also_under(db: Session) -> list[str]:
    """The other regimes a new order is decided under when it names none (the company's setting; none at first)."""
    setting = db.get(Setting, ALSO_UNDER_SETTING)
    return list(setting.value.get("regimes", [])) if setting else []


def set_default_also_under(db: Session, actor: Actor, regimes: list[str]) -> None:
    """Set the company's default other regimes (admin): e.g. ["us"] for an exporter of goods with US content."""
    actor.require(Role.ADMIN)
    unknown = [r for r in regimes if r not in builtin_packs()]
    if unknown:
        raise Invalid(f"regimes: {not_installed(unknown[0])}")
    setting = db.get(Setting, ALSO_UNDER_SETTING) or Setting(key=ALSO_UNDER_SETTING, value={})
    setting.value = {"regimes": list(dict.fromkeys(regimes))}
    db.merge(setting)
    ledger.append(db, actor.name, "settings.also_under", "settings", {"regimes": setting.value["regimes"]})


def four_eyes_reasons(db: Session) -> set[str] | None:
    """The overridden reasons that need a second officer; None when never set: then every override does."""
    return _reasons_setting(db, FOUR_EYES_SETTING)


def may_override(db: Session, reason: str) -> bool:
    """Whether an officer's reason may lift this blocking reason. Never `licence-needed` or `prohibited`;
    of the others, those in the setting, or all of them when it was never set."""
    if base_reason(reason) in NEVER_OVERRIDDEN:
        return False
    allowed = _reasons_setting(db, OVERRIDABLE_SETTING)
    return allowed is None or base_reason(reason) in allowed


def needs_four_eyes(db: Session, overridden: list[str]) -> bool:
    reasons = four_eyes_reasons(db)
    return bool(overridden) and (reasons is None or bool({base_reason(r) for r in overridden} & reasons))


def _refuse_never_overridden(reasons: list[str], what: str) -> None:
    never = sorted(set(reasons) & NEVER_OVERRIDDEN)
    if never:
        raise RecordError(f"reasons: {never[0]} is never lifted by an officer's reason, so it cannot be {what}")


def set_four_eyes(db: Session, actor: Actor, reasons: list[str]) -> None:
    actor.require(Role.ADMIN)
    _refuse_never_overridden(reasons, "set for four-eyes release")
    _set_reasons(db, actor, FOUR_EYES_SETTING, "settings.four_eyes", reasons)


def set_overridable(db: Session, actor: Actor, reasons: list[str]) -> None:
    """Which blocking reasons an officer may override with a reason (admin)."""
    actor.require(Role.ADMIN)
    _refuse_never_overridden(reasons, "overridden")
    _set_reasons(db, actor, OVERRIDABLE_SETTING, "settings.overridable", reasons)


def _set_reasons(db: Session, actor: Actor, key: str, action: str, reasons: list[str]) -> None:
    setting = db.get(Setting, key) or Setting(key=key, value={})
    setting.value = {"reasons": sorted(set(reasons))}
    db.merge(setting)
    ledger.append(db, actor.name, action, "settings", {"reasons": sorted(set(reasons))})


RELEASED, AWAITING_SECOND = "released", "awaiting-second-approval"


@dataclass(frozen=True)
class ReleaseResult:
    """What an officer's release did: the order released, or one approval given and a second awaited."""

    order: Order
    state: str  # released | awaiting-second-approval
    approvals: int
    needed: int
    licences: dict[int, str]  # line number → the licence from the book that lifted licence-needed

    @property
    def message(self) -> str:
        if self.state == RELEASED:
            return "released"
        return f"awaiting second approval ({self.approvals} of {self.needed})"


def _overridden(reasons: list[str]) -> list[str]:
    return [reason for reason in reasons if base_reason(reason) != LICENCE_NEEDED]


def current_approvals(order: Order) -> list[Release]:
    """The approvals given on the order's current determination for the reasons that block it now."""
    overridden = _overridden(order.blocking_reasons)
    return [
        r
        for r in order.releases
        if r.revision == order.revision and _overridden(list(r.blocking_reasons)) == overridden
    ]


def release_message(order: Order) -> str:
    """What state the order is in, in words: its status, or "awaiting second approval (1 of 2)"."""
    if order.status == "blocked" and (given := len(current_approvals(order))):
        return f"awaiting second approval ({given} of {given + 1})"
    return order.status


def _lift_by_licence(db: Session, order: Order, regime: str | None = None) -> dict[int, str]:
    """Lift `licence-needed` of the order's regime (or of another of its regimes: `us:licence-needed`) with
    licences from that regime's book that fit every line needing one, or refuse."""
    other = regime if regime is not None and regime != order.regime else None
    if other is None:
        needing = licences.stored_needs(order)
    else:
        needing = licences.needs(order, determination_json.decode(order.other_determinations[other]))
    chosen = licences.plan(db, order, needing, other)
    if not licences.covered(chosen):
        gaps = licences.gaps(db, order, other, needing)
        lines = "; ".join(
            f"line {n}: " + (", ".join(why[:3]) + (" …" if len(why) > 3 else "") if why else "the book is empty")
            for n, why in gaps.items()
        )
        named = f"{other}:" if other else ""
        raise RecordError(
            f"{named}licence-needed: no licence in the book fits every line that needs one "
            f"({lines}); enter the licence in the book first: a reason cannot lift this block"
        )
    if other is not None:
        order.other_licences = {**order.other_licences, other: _numbers(chosen)}
        db.flush()
        return {int(n): number for n, number in order.other_licences[other].items()}
    licences.assign(order, chosen)
    db.flush()
    return {line.line_no: line.licence.number for line in order.lines if line.licence is not None}


def release_order(db: Session, actor: Actor, number: str, reason: str) -> ReleaseResult:
    """An officer releases a blocked order. `licence-needed` is lifted only by licences in the book that fit
    (assigned here); the other reasons are overridden with the officer's reason if they may be, by two
    officers when four-eyes applies. `prohibited` is never released."""
    actor.require(Role.OFFICER)
    if not reason.strip():
        raise RecordError("reason: a release needs a reason")
    order = lock_order(db, number)
    if order.status != "blocked":
        raise RecordError(f"order '{number}' is {order.status}, not blocked")
    if any(base_reason(r) == PROHIBITED for r in order.blocking_reasons):
        raise RecordError(f"order '{number}' is prohibited; it cannot be released")
    before = list(order.blocking_reasons)
    overridden = _overridden(before)
    refused = [r for r in overridden if not may_override(db, r)]
    if refused:
        raise RecordError(f"{refused[0]}: not a reason an officer may override (settings overridable)")
    approvals_before = current_approvals(order)
    if overridden and any(r.officer == actor.name for r in approvals_before):
        raise RecordError(f"{actor.name} has already approved this release; a second officer must approve")
    if overridden and approvals_before and actor.local_admin:  # nobody proved who they are: never the second
        raise RecordError("local admin mode cannot give a second approval; a second officer must approve as themself")
    lifted = _lift_by_licence(db, order) if LICENCE_NEEDED in before else {}
    needing_other = [r.rpartition(":")[0] for r in before if ":" in r and base_reason(r) == LICENCE_NEEDED]
    lifted_other = {regime: _lift_by_licence(db, order, regime) for regime in needing_other}
    order.blocking_reasons = overridden
    approvals = len(approvals_before) + 1 if overridden else 1
    needed = 2 if needs_four_eyes(db, overridden) else 1
    order.releases.append(Release(officer=actor.name, reason=reason, blocking_reasons=before, revision=order.revision))
    if approvals >= needed:
        order.status = RELEASED
    state = RELEASED if order.status == RELEASED else AWAITING_SECOND
    db.flush()
    ledger.append(
        db,
        actor.name,
        "order.release",
        f"order:{number}",
        {"reason": reason, "blocking_reasons": before, "overridden": overridden, "licences": lifted,
         "other_licences": lifted_other, "approvals": approvals, "needed": needed, "state": state},
        pack_version=order.pack_version,
    )  # fmt: skip
    return ReleaseResult(order, state, approvals, needed, lifted)


def ship_order(db: Session, actor: Actor, number: str, shipped_on: dt.date) -> Order:
    """Ship a released order on the date it actually ships: lock the order (a shipment happens once), then
    draw each licensed line down on its licence, which must still cover it, be valid on that date and hold
    the balance. Any refusal leaves the order unshipped and nothing drawn (one transaction)."""
    actor.require(Role.CLERK)
    order = lock_order(db, number)
    if order.status != "released":
        raise RecordError(f"order '{number}' is {order.status}; only a released order ships")
    if _part_shipments(db, number):  # shipping it whole would ship again what has left
        raise RecordError(f"order '{number}' has partly shipped; ship what remains of its lines")
    _refuse_future(shipped_on)
    _refuse_stale_determination(order, shipped_on)
    draws = _licensed_lines(db, order)
    # Licence rows are locked in id order: two shipments drawing on the same licences cannot deadlock.
    for regime, need, licence_id in sorted(draws, key=lambda d: d[2]):
        line = need.line
        licence = _lock_licence(db, licence_id)
        misfit = licences.terms_misfit(licence, order, need, regime)
        if misfit is not None:
            raise RecordError(f"line {line.line_no}: licence {licence.number} no longer covers it ({misfit})")
        draw_down(db, actor, licence.id, line.quantity or 0.0, line.value_jpy or 0, line.id, on=shipped_on)
    order.status = "shipped"
    order.shipped_on = shipped_on
    db.flush()
    payload = {"lines": len(order.lines), "shipped_on": shipped_on.isoformat()}
    ledger.append(db, actor.name, "order.ship", f"order:{number}", payload)
    return order


def _licensed_lines(db: Session, order: Order) -> list[tuple[str, licences.Need, int]]:
    """(regime, line, licence id) for every line needing a licence under each of the order's regimes; a line
    without one from its regime's book is refused."""
    draws: list[tuple[str, licences.Need, int]] = []
    for need in licences.stored_needs(order):  # a licence is only ever put on a line needing one
        if need.line.licence_id is None:
            raise RecordError(f"line {need.line.line_no}: needs a licence and has none from the book; it cannot ship")
        draws.append((order.regime, need, need.line.licence_id))
    for regime in order.also_under:
        numbers = order.other_licences.get(regime, {})
        book = {licence.number: licence.id for licence in licences.book(db, regime)}
        for need in licences.needs(order, determination_json.decode(order.other_determinations[regime])):
            number = numbers.get(str(need.line.line_no))
            if number is None or number not in book:
                raise RecordError(
                    f"line {need.line.line_no}: needs a {regime} licence and has none from the book; it cannot ship"
                )
            draws.append((regime, need, book[number]))
    return draws


# The earliest zone's offset (UTC+14): a date that has begun nowhere on Earth cannot be the day goods left.
_EARLIEST_ZONE = dt.timedelta(hours=14)


def _refuse_future(shipped_on: dt.date) -> None:
    """A shipment records the day goods actually left, so a day that has not yet begun anywhere is refused
    (recording it would draw a licence down for goods still in the warehouse)."""
    latest = (dt.datetime.now(dt.UTC) + _EARLIEST_ZONE).date()
    if shipped_on > latest:
        raise RecordError(f"date: {shipped_on} is in the future; record a shipment on the day it ships")


def _refuse_stale_determination(order: Order, shipped_on: dt.date) -> None:
    """The order was determined for its ship date: shipping on another date is fine only while the rules
    in force are the same on both dates."""
    if shipped_on == order.ship_date:
        return
    early, late = sorted((order.ship_date, shipped_on))
    changes = sorted(
        c for r in (order.regime, *order.also_under) for c in regimes.regime(r).changes_between(early, late)
    )
    if changes:
        raise RecordError(
            f"date: the rules changed on {changes[0]}, between the order's ship date {order.ship_date} and "
            f"{shipped_on}; change the order's ship date to {shipped_on} (it is determined again) and ship then"
        )


class Overdraw(RecordError):
    pass


class NotValidOn(RecordError):
    pass


def _lock_licence(db: Session, licence_id: int) -> Licence:
    statement = select(Licence).where(Licence.id == licence_id)
    if db.get_bind().dialect.name == "postgresql":
        # FOR NO KEY UPDATE: a determination assigning this licence to a line (a foreign key's KEY SHARE
        # lock) does not wait for shipments drawing on it; two drawdowns still serialise.
        statement = statement.with_for_update(key_share=True)
    return db.execute(statement.execution_options(populate_existing=True)).scalar_one()


def draw_down(
    db: Session, actor: Actor, licence_id: int, quantity: float, value_jpy: int, line_id: int | None, *, on: dt.date
) -> Drawdown:
    """Lock the licence row (SELECT … FOR UPDATE on PostgreSQL; SQLite transactions begin IMMEDIATE), check
    it is valid on the shipment date and holds the balance, and draw. Two shipments can never both see the
    same remaining balance."""
    licence = _lock_licence(db, licence_id)
    if not licence.valid_from <= on <= licence.valid_to:
        raise NotValidOn(
            f"licence {licence.number}: not valid on {on} (valid {licence.valid_from} to {licence.valid_to})"
        )
    remaining_quantity = None if licence.quantity_limit is None else licence.quantity_limit - licence.quantity_used
    remaining_value = None if licence.value_limit_jpy is None else licence.value_limit_jpy - licence.value_used_jpy
    if remaining_quantity is not None and quantity > remaining_quantity + QUANTITY_SLACK:
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
         "value_used_jpy": licence.value_used_jpy, "shipped_on": on.isoformat()},
    )  # fmt: skip
    return drawdown


# --- partial shipments ----------------------------------------------------------------------------------------

SHIP_PART = "order.ship_part"


@dataclass(frozen=True)
class LineShipped:
    """How much of an order line has shipped so far (quantity, and its share of the line's value in yen)."""

    line_no: int
    quantity: float
    value_jpy: int
    ordered: float | None

    @property
    def remaining(self) -> float | None:
        return None if self.ordered is None else max(self.ordered - self.quantity, 0.0)


@dataclass(frozen=True)
class PartShipment:
    order: Order
    shipped: dict[int, LineShipped]  # line number → shipped so far, after this shipment
    repeated: bool  # the same request (its key) had already shipped: nothing was done again


def _part_shipments(db: Session, number: str) -> list[dict[str, Any]]:
    """The ledger's partial shipments of the order, oldest first. The ledger is where they are recorded: it is
    written in the shipment's transaction, so under the order's lock it holds every shipment committed before."""
    rows = db.scalars(
        select(AuditRecord.payload)
        .where(AuditRecord.action == SHIP_PART, AuditRecord.subject == f"order:{number}")
        .order_by(AuditRecord.id)
    )
    return list(rows)


def shipped_so_far(db: Session, order: Order) -> dict[int, LineShipped]:
    """By line number, what has shipped of each line of the order in partial shipments."""
    quantity: dict[int, float] = {}
    value: dict[int, int] = {}
    for payload in _part_shipments(db, order.number):
        for line_no, part in payload.get("lines", {}).items():
            quantity[int(line_no)] = quantity.get(int(line_no), 0.0) + float(part["quantity"])
            value[int(line_no)] = value.get(int(line_no), 0) + int(part["value_jpy"])
    return {
        line.line_no: LineShipped(
            line.line_no, quantity.get(line.line_no, 0.0), value.get(line.line_no, 0), line.quantity
        )
        for line in order.lines
    }


def shipped_by_line(db: Session, order: Order) -> dict[int, LineShipped]:
    """By line number, what has shipped of each line: its parts, or the whole line once the order shipped whole
    (a line without a quantity shows 0 shipped and none remaining: it ships only with the order)."""
    so_far = shipped_so_far(db, order)
    if order.status != "shipped" or any(s.quantity for s in so_far.values()):
        return so_far
    return {
        line.line_no: LineShipped(line.line_no, line.quantity or 0.0, line.value_jpy or 0, line.quantity)
        for line in order.lines
    }


def ship_part(
    db: Session, actor: Actor, number: str, quantities: Mapping[int, float], shipped_on: dt.date, key: str
) -> PartShipment:
    """Ship part of a released order's lines on the day they leave: `quantities` by line number. Each part takes
    its share of the line's value (the last part what is left of it, so the parts add up to the line) and draws
    that part down on the line's licence (`draw_down`: row lock, validity, balance). Under the order's lock, so
    concurrent parts never ship more than a line holds; a request whose `key` already shipped is not shipped
    again (a double click). The order is `shipped` when every line has shipped in full; until then `released`."""
    actor.require(Role.CLERK)
    key = key.strip()
    if not key or len(key) > 64:
        raise Invalid("key: a partial shipment needs its request's key (1 to 64 characters)")
    order = lock_order(db, number)
    if any(payload.get("key") == key for payload in _part_shipments(db, number)):
        return PartShipment(order, shipped_so_far(db, order), repeated=True)
    if order.status != "released":
        raise RecordError(f"order '{number}' is {order.status}; only a released order ships")
    _refuse_future(shipped_on)
    _refuse_stale_determination(order, shipped_on)
    unmeasured = [line.line_no for line in order.lines if line.quantity is None]
    if unmeasured:  # such a line could never be seen to have shipped in full: the order ships whole
        raise RecordError(f"line {unmeasured[0]}: has no quantity to ship part of; ship the order whole")
    parts = _parts(order, quantities, shipped_so_far(db, order))
    by_line = {line.id: line for line in order.lines if line.line_no in parts}
    draws = [d for d in _licensed_lines(db, order) if d[1].line.id in by_line]
    for regime, need, licence_id in sorted(draws, key=lambda d: d[2]):  # id order: no deadlock (ship_order)
        line = need.line
        licence = _lock_licence(db, licence_id)
        misfit = licences.terms_misfit(licence, order, need, regime)
        if misfit is not None:
            raise RecordError(f"line {line.line_no}: licence {licence.number} no longer covers it ({misfit})")
        quantity, value = parts[line.line_no]
        draw_down(db, actor, licence.id, quantity, value, line.id, on=shipped_on)
    payload = {
        "key": key,
        "shipped_on": shipped_on.isoformat(),
        "lines": {str(n): {"quantity": q, "value_jpy": v} for n, (q, v) in sorted(parts.items())},
    }
    ledger.append(db, actor.name, SHIP_PART, f"order:{number}", payload, pack_version=order.pack_version)
    shipped = shipped_so_far(db, order)
    if all((s.remaining or 0.0) <= QUANTITY_SLACK for s in shipped.values()):
        order.status = "shipped"
        order.shipped_on = shipped_on
        db.flush()
        ledger.append(db, actor.name, "order.ship", f"order:{number}", {"lines": len(order.lines),
                      "shipped_on": shipped_on.isoformat(), "in_parts": True})  # fmt: skip
    return PartShipment(order, shipped, repeated=False)


def _parts(
    order: Order, quantities: Mapping[int, float], so_far: Mapping[int, LineShipped]
) -> dict[int, tuple[float, int]]:
    """(quantity, value in yen) of each line shipped now; more than remains of a line is refused."""
    lines = {line.line_no: line for line in order.lines}
    parts: dict[int, tuple[float, int]] = {}
    for line_no, quantity in sorted(quantities.items()):
        line = lines.get(line_no)
        if line is None:
            raise Invalid(f"line {line_no}: the order has no such line")
        if not quantity == quantity or quantity < 0:  # NaN or negative
            raise Invalid(f"line {line_no}: quantity {quantity} is not a quantity")
        if quantity == 0:
            continue
        assert line.quantity is not None  # ship_part refuses orders with a line without one
        shipped = so_far[line_no]
        remaining = line.quantity - shipped.quantity
        if quantity > remaining + QUANTITY_SLACK:
            raise RecordError(f"line {line_no}: {quantity:g} exceeds the {max(remaining, 0.0):g} that remains")
        total = line.value_jpy or 0
        last = quantity >= remaining - QUANTITY_SLACK
        value = total - shipped.value_jpy if last else round(total * quantity / line.quantity)
        parts[line_no] = (quantity, value)
    if not parts:
        raise Invalid("quantities: ship a quantity of at least one line")
    return parts
