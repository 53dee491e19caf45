"""Parties: the list (search, screening status, sort), and a party's page — master data (clerks change name and
country, screened again at once, and the postal address, which is not screened), every hit with why it matched,
the reviews and their history from the ledger, and re-opening a review (officers). The rules are in
services/parties.py and services/hit_review.py."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from exportctl.http.deps import Clerk, Database, Officer, Viewer
from exportctl.http.web.paging import PageNumber, paged
from exportctl.http.web.templating import flash, render
from exportctl.services import hit_review, parties, records
from exportctl.services.errors import NotFound

router = APIRouter()
STATUS_PATTERN = f"^({'|'.join(parties.STATUSES)})?$"
SORT_PATTERN = f"^-?({'|'.join(parties.SORTS)})$"


@router.get("/parties")
def party_list(
    request: Request,
    db: Database,
    actor: Viewer,
    q: Annotated[str, Query(max_length=parties.SEARCH_MAX)] = "",
    status: Annotated[str, Query(pattern=STATUS_PATTERN)] = "",
    sort: Annotated[str, Query(pattern=SORT_PATTERN)] = "code",
    page: PageNumber = 1,
) -> Response:
    found, pager = paged(db, request, parties.listing(q, status, sort), page)
    rows = [(party, parties.status_of(party)) for party in found]
    return render(
        request,
        "parties.html",
        actor,
        rows=rows,
        pager=pager,
        q=q,
        status=status,
        sort=sort,
        statuses=parties.STATUSES,
        sorts=parties.SORTS,
    )


@router.get("/parties/{code}")
def party_detail(code: str, request: Request, db: Database, actor: Viewer) -> Response:
    party = records.party_by_code(db, code)
    return render(
        request,
        "party.html",
        actor,
        party=party,
        status=parties.status_of(party),
        history=hit_review.review_history(db, party),
        orders=hit_review.unshipped_orders(db, party),
        lists_loaded=request.app.state.screener is not None,
        address_max=records.ADDRESS_MAX,
    )


@router.post("/parties/{code}/edit")
def edit(
    code: str,
    request: Request,
    db: Database,
    actor: Clerk,
    name: Annotated[str, Form(max_length=records.NAME_MAX)],
    country: Annotated[str, Form(max_length=20)] = "",
    # Absent (a form without the field): the address is kept. Line ends arrive as CRLF: the service counts them once.
    address: Annotated[str | None, Form(max_length=2 * records.ADDRESS_MAX)] = None,
) -> Response:
    party = records.party_by_code(db, code)
    kept = parties.KEEP if address is None else address
    changed = parties.update_party(db, actor, party, name, country, request.app.state.screener, kept)
    if not changed:
        flash(request, "party.unchanged")
    elif changed == ["address"]:
        flash(request, "party.saved_address")  # the address is not screened: nothing else to do
    elif parties.status_of(party) == "unscreened":
        flash(request, "party.saved_unscreened", "error")  # no lists loaded: saved, but not screened
    else:
        flash(request, "party.saved")
    return RedirectResponse(_page(code), status_code=303)


@router.post("/parties/{code}/hits/{hit_id}/review")
def review(
    code: str,
    hit_id: int,
    request: Request,
    db: Database,
    actor: Officer,
    decision: Annotated[str, Form(pattern="^(confirmed|false-positive)$")],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    party = records.party_by_code(db, code)
    if hit_id not in {h.id for h in party.hits}:
        raise NotFound(f"hit {hit_id} of party '{code}' does not exist")
    screener = request.app.state.screener
    records.review_hit(db, actor, hit_id, decision, reason, screener)
    # The review determined the party's orders again; while another of its hits stands, none is left released.
    cause = f"screening review: hit {hit_id} {decision}"
    hit_review.hold_while_standing(db, actor, party, hit_review.unshipped_orders(db, party), cause)
    flash(request, "screen.reviewed")
    return RedirectResponse(_page(code, f"#hit-{hit_id}"), status_code=303)


@router.post("/parties/{code}/hits/{hit_id}/reopen")
def reopen(
    code: str,
    hit_id: int,
    request: Request,
    db: Database,
    actor: Officer,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    party = records.party_by_code(db, code)
    hit_review.reopen_hit(db, actor, party, hit_id, reason, request.app.state.screener)
    flash(request, "party.reopened")
    return RedirectResponse(_page(code, f"#hit-{hit_id}"), status_code=303)


def _page(code: str, anchor: str = "") -> str:
    # A code holds no '/', '?', '#' or '%' (records.check_code), but may hold spaces or any script.
    return f"/parties/{quote(code, safe='')}{anchor}"
