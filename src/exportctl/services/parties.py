"""The parties' master data for the pages: the list (search, screening status, sort) and a change of name or
country, screened again at once, or of the postal address (kept for the records: screening does not read it, so a
change of the address alone is recorded but neither re-screens the party nor determines its orders again).

A party's screening status, worst first (the list sorts and filters by it in SQL, the page shows the same):
`pending` (a hit awaits an officer's review), `hit` (a hit confirmed), `unscreened` (never screened, or changed
while no lists were loaded), `cleared` (every hit cleared as a false positive), `clear` (screened, no hit).
Hits found for an earlier name stay with the party: renaming a party does not make its hits go away.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from exportctl import ledger
from exportctl.core_types import PartyScreener
from exportctl.screening.screener import Screener
from exportctl.services import hit_review, records
from exportctl.services.actors import Actor, Role
from exportctl.services.errors import Invalid, shown
from exportctl.store.models import Party, PartyHit

STATUSES = ("pending", "hit", "unscreened", "cleared", "clear")  # worst first
SORTS = ("code", "name", "country", "status", "screened")  # each also descending with a leading '-'
SEARCH_MAX = 200
_COLUMNS: dict[str, ColumnElement[Any]] = {
    "code": Party.code.expression,
    "name": Party.name.expression,
    "country": Party.country.expression,
    "screened": Party.screened_at.expression,
}


def _has_hit(status: str) -> ColumnElement[bool]:
    return exists().where(PartyHit.party_id == Party.id, PartyHit.status == status)


def status_column() -> ColumnElement[str]:
    """The screening status of each party, as SQL (see the module's docstring)."""
    return case(
        (_has_hit("open"), "pending"),
        (_has_hit("confirmed"), "hit"),
        (Party.screening_status == "unscreened", "unscreened"),
        (_has_hit("false-positive"), "cleared"),
        else_="clear",
    )


def status_of(party: Party) -> str:
    """The same status, of a party already loaded with its hits."""
    statuses = {h.status for h in party.hits}
    if "open" in statuses:
        return "pending"
    if "confirmed" in statuses:
        return "hit"
    if party.screening_status == "unscreened":
        return "unscreened"
    return "cleared" if statuses else "clear"


def _like(text: str) -> str:
    """A LIKE pattern that finds the text itself: %, _ and the escape character lose their meaning."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def listing(search: str = "", status: str = "", sort: str = "code") -> Select[Any]:
    """The parties whose name or code contains `search` (any case), of one status (empty: any), sorted by `sort`
    (`-` first: descending); ties by code. Unknown values are refused, never ignored."""
    if status and status not in STATUSES:
        raise Invalid(f"status: {shown(status)} is not one of {', '.join(STATUSES)}")
    field = sort.removeprefix("-")
    if field not in SORTS:
        raise Invalid(f"sort: {shown(sort)} is not one of {', '.join(SORTS)}")
    current = status_column()
    statement = select(Party).options(selectinload(Party.hits))
    text = search.strip()
    if len(text) > SEARCH_MAX:
        raise Invalid(f"search: {len(text)} characters; at most {SEARCH_MAX}")
    if text:
        pattern = _like(text)
        statement = statement.where(or_(Party.name.ilike(pattern, escape="\\"), Party.code.ilike(pattern, escape="\\")))
    if status:
        statement = statement.where(current == status)
    if field == "status":  # worst first ascending, as STATUSES lists them
        key: ColumnElement[Any] = case(*((current == s, i) for i, s in enumerate(STATUSES)), else_=len(STATUSES))
    else:
        key = _COLUMNS[field]
    ordered = key.desc().nulls_last() if sort.startswith("-") else key.asc().nulls_last()
    return statement.order_by(ordered, Party.code)


class _Keep:
    """The address argument's default: the party keeps the address it has."""


KEEP = _Keep()


def update_party(
    db: Session,
    actor: Actor,
    party: Party,
    name: str,
    country: str | None,
    screener: PartyScreener | None,
    address: str | _Keep | None = KEEP,
) -> list[str]:
    """A clerk changes the party's name, country or address: recorded in the ledger; after a change of name or
    country the party is screened again with the configured lists (none loaded: it is unscreened, not clear) and
    its unshipped orders are determined again and held while a hit stands. The address is not screened (the lists
    are matched on name and country), so a change of it alone is only recorded. Returns the fields changed: none
    when nothing changed (nothing is written)."""
    actor.require(Role.CLERK)
    records.check_name("name", name)
    code = records.check_country("country", country.strip() if country and country.strip() else None)
    new_address = party.address if isinstance(address, _Keep) else records.check_address("address", address)
    before: dict[str, str | None] = {"name": party.name, "country": party.country}
    after: dict[str, str | None] = {"name": name, "country": code}
    if party.address is not None or new_address is not None:  # records of parties without one stay as they were
        before["address"], after["address"] = party.address, new_address
    if before == after:
        return []
    party.name, party.country, party.address = name, code, new_address
    db.flush()
    changed = sorted(key for key in after if after[key] != before[key])
    ledger.append(
        db, actor.name, "party.update", f"party:{party.code}", {"before": before, "after": after, "changed": changed}
    )
    if changed == ["address"]:
        return changed  # screening and determinations do not read the address
    if isinstance(screener, Screener):
        records.screen_party(db, actor, party, screener)
    else:
        party.screening_status = "unscreened"  # the hits found for the old name no longer say it is clear
        db.flush()
    hit_review.redetermine_and_hold(db, actor, party, screener, f"party changed: {', '.join(changed)}")
    return changed
