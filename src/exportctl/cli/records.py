"""`users`, `parties`, `items` and `settings`: master data, every change through the audited services."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select

from exportctl.cli.acting import party_screener, transaction
from exportctl.cli.common import Format, FormatOption, country_option, emit_json, fail, out, parse_date
from exportctl.cli.root import items_app, parties_app, settings_app, users_app
from exportctl.records_json import item_dict, party_dict
from exportctl.services import actors, auth, importing, orders, records
from exportctl.settings import DEFAULT_REGIME
from exportctl.store.models import Item, Party

ImportFile = Annotated[Path, typer.Argument(help="A .csv or .xlsx file; row 1 names the columns.")]


def report_import(counts: dict[str, int]) -> None:
    out.print("imported: " + ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in counts.items()))


# --- users ----------------------------------------------------------------------------------------------------


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(actors.Role)}.")],
    password: Annotated[
        str | None, typer.Option("--password", help="Web login password (≥ 10 characters); prompted with -p.")
    ] = None,
    prompt: Annotated[bool, typer.Option("-p", help="Prompt for the password.")] = False,
) -> None:
    """Add a user (admin only); with a password the user can log in to the web application."""
    if prompt:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with transaction() as (db, actor):
        records.add_user(db, actor, name, role)
        if password is not None:
            auth.set_password(db, actor, name, password)
    out.print(f"user {name} ({role}) added")


@users_app.command("password")
def users_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password: Annotated[str, typer.Option("--password", prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Set a user's web login password (their own, or anyone's as admin)."""
    with transaction() as (db, actor):
        auth.set_password(db, actor, name, password)
    out.print(f"password of {name} set")


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="User the token acts as.")],
    label: Annotated[str, typer.Option("--name", help="What the token is for.")] = "api",
) -> None:
    """Create an API token (admin only). It is shown once; send it as `Authorization: Bearer <token>`."""
    with transaction() as (db, actor):
        token = auth.create_token(db, actor, name, label)
    out.print(token)


@users_app.command("list")
def users_list(output_format: FormatOption = Format.table) -> None:
    """Every user and role; a deactivated user is marked so (JSON: "deactivated": true)."""
    with transaction() as (db, _actor):
        users = [
            {"name": u["name"], "role": u["role"]} | ({} if u["active"] else {"deactivated": True})
            for u in auth.users(db)
        ]
    if output_format is Format.json:
        emit_json(users)
        return
    table = Table("name", "role", "status")
    for user in users:
        table.add_row(user["name"], user["role"], "deactivated" if user.get("deactivated") else "active")
    out.print(table)


@users_app.command("role")
def users_role(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Argument(help=f"One of {', '.join(actors.Role)}.")],
) -> None:
    """Change a user's role (admin only); the user's web sessions end, their tokens act in the new role."""
    with transaction() as (db, actor):
        auth.set_role(db, actor, name, role)
    out.print(f"user {name} is now {role}; their sessions have ended")


@users_app.command("deactivate")
def users_deactivate(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Deactivate a user (admin only): no login, no token works, sessions end. Records and tokens remain."""
    with transaction() as (db, actor):
        auth.set_active(db, actor, name, False)
    out.print(f"user {name} deactivated; their sessions have ended and their tokens do not work")


@users_app.command("activate")
def users_activate(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Activate a deactivated user again (admin only); tokens not revoked work again."""
    with transaction() as (db, actor):
        auth.set_active(db, actor, name, True)
    out.print(f"user {name} activated")


@users_app.command("tokens")
def users_tokens(
    name: Annotated[str, typer.Argument(help="User name.")], output_format: FormatOption = Format.table
) -> None:
    """A user's API tokens (their own, or anyone's as admin): id, name, created, revoked. Never the token."""
    with transaction() as (db, actor):
        listed = auth.tokens(db, actor, name)
    if output_format is Format.json:
        emit_json(listed)
        return
    table = Table("id", "name", "created", "status")
    for token in listed:
        table.add_row(
            str(token["id"]), token["name"], token["created_at"][:19], "revoked" if token["revoked"] else "valid"
        )
    out.print(table)


@users_app.command("revoke-token")
def users_revoke_token(token_id: Annotated[int, typer.Argument(metavar="ID", help="Token id (users tokens).")]) -> None:
    """Revoke one API token (its user's own, or any as admin); nothing else is revoked."""
    with transaction() as (db, actor):
        owner = auth.revoke_token(db, actor, token_id)
    out.print(f"token {token_id} of {owner} revoked")


# --- parties --------------------------------------------------------------------------------------------------


def _print_hits(hits: list[dict[str, Any]]) -> None:
    if not hits:
        out.print("[green]no screening hit[/]")
        return
    table = Table("hit", "list", "entity", "matched name", "score", "status", "review")
    for hit in hits:
        review = f"{hit['reviewed_by']}: {hit['review_reason']}" if hit["reviewed_by"] else "—"
        table.add_row(
            str(hit["id"]),
            hit["list"],
            f"{hit['entity_name']}\n{hit['entity_id']}",
            hit["matched_name"],
            f"{hit['score']:.3f}",
            hit["status"],
            review,
        )
    out.print(table)


def _show_party(data: dict[str, Any], output_format: Format) -> None:
    if output_format is Format.json:
        emit_json(data)
        return
    out.print(f"[bold]{data['code']}[/] {data['name']} ({data['country'] or '—'}) {', '.join(data['roles'])}")
    if data["address"]:
        out.print(f"address: {data['address']}", markup=False)
    out.print(f"screening: {data['screening_status']}" + (f" at {data['screened_at']}" if data["screened_at"] else ""))
    _print_hits(data["hits"])


@parties_app.command("add")
def parties_add(
    code: Annotated[str, typer.Argument(help="Party code.")],
    name: Annotated[str, typer.Option("--name", help="Name as on the contract.")],
    country: Annotated[str | None, typer.Option("--country", help="ISO 3166-1 alpha-2 country code.")] = None,
    role: Annotated[list[str] | None, typer.Option("--role", help="customer | consignee | end-user (repeat).")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Postal address (kept; not screened).")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """Add a party; it is screened against the configured lists at once."""
    for value in role or []:
        if value not in importing.PARTY_ROLES:
            fail(f"--role: '{value}' is not one of {', '.join(importing.PARTY_ROLES)}")
    code_country = country_option(country, "--country")
    screener = party_screener()
    with transaction() as (db, actor):
        party = records.add_party(db, actor, code, name, code_country, list(role or []), screener, address)
        data = party_dict(party)
    _show_party(data, output_format)


@parties_app.command("import")
def parties_import(file: ImportFile) -> None:
    """Import parties (code, name, country, roles separated by ';', address); each is screened. All rows or none."""
    screener = party_screener()
    with transaction() as (db, actor):
        counts = importing.import_file(db, actor, "parties", file, screener)
    report_import(counts)


@parties_app.command("list")
def parties_list(output_format: FormatOption = Format.table) -> None:
    """Every party with its screening status."""
    with transaction() as (db, _actor):
        parties = [party_dict(p, hits=False) for p in db.scalars(select(Party).order_by(Party.code))]
    if output_format is Format.json:
        emit_json(parties)
        return
    table = Table("code", "name", "country", "roles", "screening", "open hits")
    for p in parties:
        table.add_row(
            p["code"], p["name"], p["country"] or "—", ", ".join(p["roles"]), p["screening_status"], str(p["open_hits"])
        )
    out.print(table)


@parties_app.command("show")
def parties_show(code: Annotated[str, typer.Argument()], output_format: FormatOption = Format.table) -> None:
    """A party, its screening hits and their reviews."""
    with transaction() as (db, _actor):
        data = party_dict(records.party_by_code(db, code))
    _show_party(data, output_format)


@parties_app.command("screen")
def parties_screen(
    codes: Annotated[list[str] | None, typer.Argument(help="Party codes (default: every party).")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """Screen parties again against the configured lists (new hits are kept for review)."""
    screener = party_screener()
    if screener is None:
        fail("no screening lists are loaded: run `exportctl lists load` or set EXPORTCTL_LISTS_DIR")
    with transaction() as (db, actor):
        if codes:
            parties = [records.party_by_code(db, code) for code in codes]
        else:
            parties = list(db.scalars(select(Party).order_by(Party.code)))
        for party in parties:
            records.screen_party(db, actor, party, screener)
        results = [party_dict(p) for p in parties]
    if output_format is Format.json:
        emit_json(results)
        return
    for data in results:
        _show_party(data, output_format)


@parties_app.command("review")
def parties_review(
    hit_id: Annotated[int, typer.Argument(metavar="HIT_ID", help="Hit id (parties show).")],
    confirm: Annotated[bool, typer.Option("--confirm", help="The hit is the listed party.")] = False,
    false_positive: Annotated[bool, typer.Option("--false-positive", help="The hit is another party.")] = False,
    reason: Annotated[str, typer.Option("--reason", help="Why (required for a false positive).")] = "",
) -> None:
    """An officer's review of a screening hit: confirmed, or a false positive with a reason."""
    if confirm == false_positive:
        fail("give exactly one of --confirm or --false-positive")
    decision = "confirmed" if confirm else "false-positive"
    screener = party_screener()  # the party's open orders are determined again with the review
    with transaction() as (db, actor):
        hit = records.review_hit(db, actor, hit_id, decision, reason, screener)
        party, status = hit.party.code, hit.party.screening_status
    out.print(f"hit {hit_id} on {party}: {decision}; party screening status {status}")


# --- items ----------------------------------------------------------------------------------------------------


@items_app.command("add")
def items_add(
    code: Annotated[str, typer.Argument(help="Item (product) code.")],
    description: Annotated[str, typer.Option("--description", help="What the item is.")],
    hs: Annotated[str | None, typer.Option("--hs", help="HS code.")] = None,
    reference: Annotated[
        str | None, typer.Option("--reference", help="Initial classification: entry id, number or hs:CODE.")
    ] = None,
    rationale: Annotated[str | None, typer.Option("--rationale", help="Why it is classified so.")] = None,
    valid_from: Annotated[str | None, typer.Option("--valid-from", help="Classification valid from.")] = None,
    regime: Annotated[str, typer.Option("--regime")] = DEFAULT_REGIME,
) -> None:
    """Add an item, optionally with its first classification."""
    if reference is not None and (not rationale or valid_from is None):
        fail("--rationale and --valid-from are required with --reference")
    day = parse_date(valid_from, "--valid-from") if valid_from is not None else None
    with transaction() as (db, actor):
        item = records.add_item(db, actor, code, description, hs)
        if reference is not None and rationale and day is not None:
            records.classify(db, actor, item, regime, reference, rationale, day)
    out.print(f"item {code} added" + (f", classified {reference}" if reference else ""))


@items_app.command("import")
def items_import(file: ImportFile) -> None:
    """Import items (code, description, hs_code[, regime, reference, rationale, valid_from]). All rows or none."""
    with transaction() as (db, actor):
        counts = importing.import_file(db, actor, "items", file)
    report_import(counts)


@items_app.command("classify")
def items_classify(
    code: Annotated[str, typer.Argument(help="Item code.")],
    reference: Annotated[str, typer.Option("--reference", help="Entry id, international number or hs:CODE.")],
    rationale: Annotated[str, typer.Option("--rationale", help="Why it is classified so.")],
    valid_from: Annotated[str, typer.Option("--valid-from", help="In force from (YYYY-MM-DD).")],
    regime: Annotated[str, typer.Option("--regime")] = DEFAULT_REGIME,
) -> None:
    """(Re)classify an item: a new row in its history; orders use the one in force on their ship date."""
    day = parse_date(valid_from, "--valid-from")
    with transaction() as (db, actor):
        record = records.classify(db, actor, records.item_by_code(db, code), regime, reference, rationale, day)
        entries = list(record.entries)
    out.print(f"item {code}: {reference} from {day} → {', '.join(entries) or 'no entry'}")


@items_app.command("list")
def items_list(output_format: FormatOption = Format.table) -> None:
    """Every item with its latest classification."""
    with transaction() as (db, _actor):
        items = [item_dict(i, history=False) for i in db.scalars(select(Item).order_by(Item.code))]
    if output_format is Format.json:
        emit_json(items)
        return
    table = Table("code", "description", "HS", "classification")
    for i in items:
        table.add_row(i["code"], i["description"], i["hs_code"] or "—", i["classification"] or "—")
    out.print(table)


@items_app.command("show")
def items_show(code: Annotated[str, typer.Argument()], output_format: FormatOption = Format.table) -> None:
    """An item and its classification history."""
    with transaction() as (db, _actor):
        data = item_dict(records.item_by_code(db, code))
    if output_format is Format.json:
        emit_json(data)
        return
    out.print(f"[bold]{data['code']}[/] {data['description']} (HS {data['hs_code'] or '—'})")
    table = Table("valid from", "regime", "reference", "entries", "rationale", "by", "at")
    for c in data["classifications"]:
        table.add_row(
            c["valid_from"],
            c["regime"],
            c["reference"],
            ", ".join(c["entries"]) or "—",
            c["rationale"],
            c["classified_by"],
            c["classified_at"][:19],
        )
    out.print(table)


# --- settings -------------------------------------------------------------------------------------------------

# The reasons an officer may override with a reason; licence-needed (a licence from the book) and prohibited never.
RELEASABLE = (orders.SCREENING_HIT, orders.INDETERMINATE, orders.RECHECK_REVIEW)


def _reasons(reasons: list[str] | None) -> list[str]:
    for reason in reasons or []:
        if reason not in RELEASABLE:
            fail(f"REASON: '{reason}' is not one of {', '.join(RELEASABLE)}")
    return list(reasons or [])


@settings_app.command("four-eyes")
def settings_four_eyes(
    reasons: Annotated[
        list[str] | None,
        typer.Argument(metavar="[REASON]...", help=f"Blocking reasons needing two officers: {', '.join(RELEASABLE)}."),
    ] = None,
) -> None:
    """Which overridden blocking reasons need a second officer (never set: all of them; none given: one officer)."""
    chosen = _reasons(reasons)
    with transaction() as (db, actor):
        orders.set_four_eyes(db, actor, chosen)
    out.print(f"four-eyes release for: {', '.join(sorted(reasons or [])) or 'no reason'}")


@settings_app.command("regimes")
def settings_regimes(
    regimes: Annotated[
        list[str] | None,
        typer.Argument(metavar="[REGIME]...", help="Other regimes a new order is decided under (e.g. us)."),
    ] = None,
) -> None:
    """The company's default other regimes of a new order (none given: its own regime only)."""
    with transaction() as (db, actor):
        orders.set_default_also_under(db, actor, list(regimes or []))
    out.print(f"new orders are also decided under: {', '.join(regimes or []) or 'no other regime'}")


@settings_app.command("overridable")
def settings_overridable(
    reasons: Annotated[
        list[str] | None,
        typer.Argument(metavar="[REASON]...", help=f"Reasons an officer may override: {', '.join(RELEASABLE)}."),
    ] = None,
) -> None:
    """Which blocking reasons an officer may override with a reason (never set: all of these).
    licence-needed is lifted only by a licence in the book; prohibited never."""
    chosen = _reasons(reasons)
    with transaction() as (db, actor):
        orders.set_overridable(db, actor, chosen)
    out.print(f"overridable by an officer: {', '.join(sorted(chosen)) or 'no reason'}")
