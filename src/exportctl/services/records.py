"""Master data: users, parties (with screening and its review) and items (with classification history).

Every change goes through here and is written to the audit ledger in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, inspect, or_, select
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from exportctl import ledger
from exportctl.core_types import PartyScreener, ScreeningHit
from exportctl.countries import alpha_2
from exportctl.determine.classify import HS_CODE, UnknownItem, classify_item
from exportctl.screening.screener import Screener
from exportctl.services import regimes
from exportctl.services.actors import LOCAL_ADMIN, SYSTEM, Actor, Role
from exportctl.services.errors import Busy, Conflict, Invalid, NotFound, RecordError, shown
from exportctl.settings import DEFAULT_REGIME
from exportctl.store.db import unstorable
from exportctl.store.models import Classification, Item, Order, Party, PartyHit, User

PARTY_ROLES = ("customer", "consignee", "end-user")


# --- valid values ---------------------------------------------------------------------------------------------
# Every interface (CLI flags, files, imports, REST, web forms) ends up here, so these checks hold for all of
# them. Errors name the field and never echo more than a short prefix of what was sent.

NAME_MAX = 200  # party names, licence holders: longer input is an attack (screening time grows with length)
CODE_MAX = 64  # codes and numbers appear in URLs (/orders/{number}) and in every list page
TEXT_MAX = 2000  # free text: end uses, reasons, rationales, descriptions
ADDRESS_MAX = 500  # a party's postal address (several lines)
MAX_JPY = 2**63 - 1  # BIGINT: larger values cannot be stored on PostgreSQL
URL_UNSAFE = frozenset("/\\?#%")  # a code with these names a record no URL can open


def _control(value: str, allowed: str = "") -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value)


def check_name(field: str, value: str, limit: int = NAME_MAX) -> str:
    """A name: not blank, one line without control characters, at most `limit` characters."""
    if not value.strip():
        raise Invalid(f"{field}: must not be blank")
    if len(value) > limit:
        raise Invalid(f"{field}: {len(value)} characters; at most {limit}")
    if _control(value):
        raise Invalid(f"{field}: contains control characters")
    return value


def check_text(field: str, value: str | None, limit: int = TEXT_MAX) -> str | None:
    """Optional free text: line breaks and tabs allowed, no other control characters (NUL breaks PostgreSQL)."""
    if value is None:
        return None
    if len(value) > limit:
        raise Invalid(f"{field}: {len(value)} characters; at most {limit}")
    if _control(value, "\t\n\r"):
        raise Invalid(f"{field}: contains control characters")
    return value


def check_address(field: str, value: str | None) -> str | None:
    """An optional postal address: several lines (stored with \\n line ends), at most ADDRESS_MAX characters, no
    other control characters; blank is no address."""
    if value is None:
        return None
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return check_text(field, text, ADDRESS_MAX) or None


def check_code(field: str, value: str) -> str:
    """A code or number that names a record in URLs: no '/', '\\', '?', '#', '%', spaces at either end."""
    check_name(field, value, CODE_MAX)
    if value != value.strip():
        raise Invalid(f"{field}: {shown(value)} starts or ends with a space")
    unsafe = sorted(URL_UNSAFE.intersection(value))
    if unsafe:
        raise Invalid(f"{field}: {shown(value)} contains {' '.join(unsafe)} (not allowed in a code)")
    return value


def check_country(field: str, value: str | None) -> str | None:
    """The country code as stored (`countries.alpha_2`: assigned codes only, upper-cased; XX and ZZ refused)."""
    if value is None:
        return None
    try:
        return alpha_2(value)
    except ValueError as exc:
        raise Invalid(f"{field}: {exc}") from None


def check_hs_code(field: str, value: str | None) -> str | None:
    if value is not None and not HS_CODE.match(value):
        raise Invalid(f"{field}: {shown(value)} is not an HS code (4, 6, 8 or 10 digits, e.g. 8456.11)")
    return value


def check_amount(field: str, value: float | None) -> float | None:
    """A quantity or yen amount: finite, zero or more, and storable (yen fit a 64-bit integer)."""
    if value is None:
        return None
    if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
        raise Invalid(f"{field}: must be a finite number")
    if value < 0:
        raise Invalid(f"{field}: must be zero or more")
    if isinstance(value, int) and value > MAX_JPY:
        raise Invalid(f"{field}: at most {MAX_JPY}")
    return value


def check_parties_exist(db: Session, field: str, codes: Iterable[str]) -> None:
    wanted = set(codes)
    if wanted:
        found = set(db.scalars(select(Party.code).where(Party.code.in_(wanted))))
        missing = sorted(wanted - found)
        if missing:
            raise Invalid(f"{field}: party {shown(missing[0])} does not exist")


def check_period(valid_from: dt.date, valid_to: dt.date) -> None:
    if valid_to < valid_from:
        raise Invalid(f"valid_to: {valid_to} is before valid_from {valid_from}")


def check_licence_terms(db: Session, terms: dict[str, Any]) -> None:
    """A licence's terms as given to add or amend: only the keys present are checked."""
    if "number" in terms:
        check_code("number", terms["number"])
    if "holder" in terms:
        check_name("holder", terms["holder"])
    for country in terms.get("destinations") or []:
        check_country("destinations", country)
    for field in ("consignees", "end_users"):
        check_parties_exist(db, field, terms.get(field) or [])
    wanted_items = set(terms.get("items") or [])
    missing = sorted(wanted_items - set(db.scalars(select(Item.code).where(Item.code.in_(wanted_items)))))
    if missing:
        raise Invalid(f"items: item {shown(missing[0])} does not exist")
    if terms.get("entries"):
        regime_id = terms.get("regime", DEFAULT_REGIME)
        entries = regimes.regime(regime_id).pack.entries
        unknown = [entry for entry in terms["entries"] if entry not in entries]
        if unknown:
            raise Invalid(f"entries: {shown(str(unknown[0]))} is not an entry of regime {regime_id}")
    check_amount("quantity_limit", terms.get("quantity_limit"))
    check_amount("value_limit_jpy", terms.get("value_limit_jpy"))
    if terms.get("valid_from") is not None and terms.get("valid_to") is not None:
        check_period(terms["valid_from"], terms["valid_to"])


@event.listens_for(Session, "before_flush")
def _storable(db: Session, _context: Any, _instances: Any) -> None:
    """The last line of defence, for every table: a text that does not fit its column or holds NUL is refused
    naming the column, before SQL is sent (PostgreSQL would fail with a 500; SQLite would silently store it)."""
    for record in (*db.new, *db.dirty):
        values = {key: getattr(record, key, None) for key, _column in inspect(record).mapper.columns.items()}
        problem = unstorable(type(record), values)
        if problem:
            raise Invalid(problem)


def _constraint_column(exc: IntegrityError) -> str:
    """The column of a violated unique key, from SQLite's message or PostgreSQL's diagnostics."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None) or ""
    table = getattr(diag, "table_name", None) or ""
    if constraint:
        return constraint.removeprefix(f"{table}_").removesuffix("_key").removeprefix("uq_")
    found = re.search(r"constraint failed: \w+\.(\w+)", str(orig))
    return found.group(1) if found else "key"


@contextmanager
def database_errors(busy: bool = True) -> Iterator[None]:
    """The database's refusals as record errors (nothing was written): a race on a unique key is a conflict
    (409), a lock or serialisation failure is 'busy' (503). Messages carry no SQL, paths or parameters.
    `busy=False` lets operational errors through (the CLI names its database in them)."""
    try:
        yield
    except IntegrityError as exc:
        column = _constraint_column(exc)
        message = f"{column}: a record with this {column} already exists (written at the same time); nothing written"
        raise Conflict(message) from None
    except DataError:
        raise Invalid("a value does not fit its field (too long, out of range or not allowed)") from None
    except OperationalError:
        if not busy:
            raise
        raise Busy("the database is busy or unavailable; nothing was written — try again") from None


def add_user(db: Session, actor: Actor, name: str, role: str) -> User:
    actor.require(Role.ADMIN)
    check_code("name", name)
    role = Role.named(role).value
    if name == SYSTEM.name or name.startswith(LOCAL_ADMIN):
        raise RecordError(f"user name '{name}' is reserved")  # the ledger's names for system and local admin
    if db.scalars(select(User).where(User.name == name)).first():
        raise Conflict(f"user '{name}' exists")
    user = User(name=name, role=role)
    db.add(user)
    db.flush()
    ledger.append(db, actor.name, "user.add", f"user:{name}", {"name": name, "role": role})
    return user


def actor_named(db: Session, name: str) -> Actor:
    user = db.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFound(f"user '{name}' does not exist (exportctl users add)")
    return Actor(user.name, Role(user.role))


# --- parties --------------------------------------------------------------------------------------------------


def party_by_code(db: Session, code: str) -> Party:
    party = db.scalars(select(Party).where(Party.code == code)).first()
    if party is None:
        raise NotFound(f"party '{code}' does not exist")
    return party


def add_party(
    db: Session,
    actor: Actor,
    code: str,
    name: str,
    country: str | None,
    roles: list[str],
    screener: Screener | None,
    address: str | None = None,
) -> Party:
    actor.require(Role.CLERK)
    check_code("code", code)
    check_name("name", name)
    country = check_country("country", country)
    address = check_address("address", address)  # kept for the records; screening reads name and country only
    for role in roles:
        if role not in PARTY_ROLES:
            raise RecordError(f"roles: {shown(role)} is not one of {', '.join(PARTY_ROLES)}")
    if db.scalars(select(Party).where(Party.code == code)).first():
        raise Conflict(f"party '{code}' exists")
    party = Party(code=code, name=name, country=country, roles=roles, address=address)
    db.add(party)
    db.flush()
    added: dict[str, Any] = {"name": name, "country": country, "roles": roles}
    if address is not None:
        added["address"] = address
    ledger.append(db, actor.name, "party.add", f"party:{code}", added)
    if screener is not None:
        screen_party(db, actor, party, screener)
    return party


def _fingerprint(screener: Screener, hit: ScreeningHit) -> str:
    entity = screener.index.entities.get(hit.entity_id)
    return entity.fingerprint() if entity else "unknown"


def screen_party(db: Session, actor: Actor, party: Party, screener: Screener) -> list[PartyHit]:
    """Screen a party; remember each hit. A false-positive review holds while the list entry is unchanged."""
    now = dt.datetime.now(dt.UTC)
    hits = screener.screen(party.name, party.country).hits
    kept: list[PartyHit] = []
    for hit in hits:
        fingerprint = _fingerprint(screener, hit)
        record = db.scalars(
            select(PartyHit).where(
                PartyHit.party_id == party.id,
                PartyHit.list_id == hit.list_id,
                PartyHit.entity_id == hit.entity_id,
                PartyHit.entity_fingerprint == fingerprint,
            )
        ).first()
        if record is None:
            record = PartyHit(
                party_id=party.id,
                list_id=hit.list_id,
                list_version=hit.list_version,
                entity_id=hit.entity_id,
                entity_fingerprint=fingerprint,
                entity_name=hit.name,
                matched_name=hit.matched_name,
                score=hit.score,
                explanation=dict(hit.explanation),
            )
            db.add(record)
        else:
            record.last_seen, record.list_version, record.score = now, hit.list_version, hit.score
        kept.append(record)
    party.screening_status = "hits" if any(h.status != "false-positive" for h in kept) else "clear"
    party.screened_at = now
    party.list_versions = screener.versions
    db.flush()
    ledger.append(
        db,
        actor.name,
        "party.screen",
        f"party:{party.code}",
        {
            "name": party.name,
            "country": party.country,
            "hits": [{"list": h.list_id, "entity_id": h.entity_id, "score": h.score, "status": h.status} for h in kept],
        },
        list_versions=screener.versions,
    )
    return kept


def review_hit(
    db: Session, actor: Actor, hit_id: int, decision: str, reason: str, screener: PartyScreener | None = None
) -> PartyHit:
    """An officer confirms a hit or clears it as a false positive; the party's open orders are determined again
    in the same transaction with `screener` (no screener: the lists are missing, so they come back
    indeterminate), so a cleared hit releases what it alone blocked and a confirmed one keeps it blocked."""
    actor.require(Role.OFFICER)
    if decision not in ("confirmed", "false-positive"):
        raise RecordError(f"decision: '{decision}' is not confirmed or false-positive")
    if decision == "false-positive" and not reason.strip():
        raise RecordError("reason: a false-positive decision needs a reason")
    hit = db.get(PartyHit, hit_id)
    if hit is None:
        raise NotFound(f"hit {hit_id} does not exist")
    hit.status, hit.reviewed_by, hit.reviewed_at, hit.review_reason = (
        decision,
        actor.name,
        dt.datetime.now(dt.UTC),
        reason,
    )
    party = hit.party
    party.screening_status = "hits" if any(h.status != "false-positive" for h in party.hits) else "clear"
    db.flush()
    ledger.append(
        db,
        actor.name,
        "party.review",
        f"party:{party.code}",
        {"hit": hit_id, "list": hit.list_id, "entity_id": hit.entity_id, "decision": decision, "reason": reason},
        list_versions={hit.list_id: hit.list_version},
    )
    _redetermine_open_orders(db, actor, party, screener, f"screening review: hit {hit_id} {decision}")
    return hit


def _redetermine_open_orders(
    db: Session, actor: Actor, party: Party, screener: PartyScreener | None, cause: str
) -> list[str]:
    """Determine again every order of the party that has not shipped (each one recorded in the ledger)."""
    from exportctl.services import orders  # orders is built on this module: imported here, not at the top

    statement = select(Order).where(
        Order.status != "shipped", or_(Order.consignee_id == party.id, Order.end_user_id == party.id)
    )
    numbers: list[str] = []
    for order in db.scalars(statement.order_by(Order.number)).all():
        orders.determine_order(db, actor, order, screener, cause)
        numbers.append(order.number)
    return numbers


def false_positives(party: Party) -> set[tuple[str, str]]:
    """(list, entity) pairs an officer cleared for this party; a changed list entry is a new hit, not these."""
    return {(h.list_id, h.entity_id) for h in party.hits if h.status == "false-positive"}


# --- items ----------------------------------------------------------------------------------------------------


def item_by_code(db: Session, code: str) -> Item:
    item = db.scalars(select(Item).where(Item.code == code)).first()
    if item is None:
        raise NotFound(f"item '{code}' does not exist")
    return item


def add_item(db: Session, actor: Actor, code: str, description: str, hs_code: str | None) -> Item:
    actor.require(Role.CLERK)
    check_code("code", code)
    check_name("description", description, 500)
    check_hs_code("hs_code", hs_code)
    if db.scalars(select(Item).where(Item.code == code)).first():
        raise Conflict(f"item '{code}' exists")
    item = Item(code=code, description=description, hs_code=hs_code)
    db.add(item)
    db.flush()
    ledger.append(db, actor.name, "item.add", f"item:{code}", {"description": description, "hs_code": hs_code})
    return item


def classify(
    db: Session, actor: Actor, item: Item, regime: str, reference: str, rationale: str, valid_from: dt.date
) -> Classification:
    """Record a classification (a reclassification adds a row; the history stays)."""
    actor.require(Role.CLERK)
    check_name("reference", reference, CODE_MAX)
    if check_text("rationale", rationale) is None or not rationale.strip():
        raise RecordError("rationale: must not be blank")
    loaded = regimes.regime(regime)
    snapshot = loaded.at(max(valid_from, loaded.pack.meta.coverage_from))
    try:
        result = classify_item(snapshot, reference)
    except UnknownItem as exc:
        raise RecordError(f"classification: {exc}") from exc
    entries = [m.entry for m in result.matches]
    record = Classification(
        item_id=item.id,
        regime=regime,
        reference=reference,
        entries=entries,
        rationale=rationale,
        classified_by=actor.name,
        valid_from=valid_from,
    )
    db.add(record)
    db.flush()
    payload: dict[str, Any] = {"reference": reference, "entries": entries, "rationale": rationale}
    payload["valid_from"] = valid_from.isoformat()
    ledger.append(db, actor.name, "item.classify", f"item:{item.code}", payload, pack_version=loaded.version)
    return record


def classification_on(item: Item, regime: str, day: dt.date) -> Classification | None:
    """The classification in force on a day: the latest recorded one valid from that day or earlier."""
    valid = [c for c in item.classifications if c.regime == regime and c.valid_from <= day]
    return max(valid, key=lambda c: (c.valid_from, c.id)) if valid else None
