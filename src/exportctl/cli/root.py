"""The Typer application and its command groups; commands live in the modules beside this one."""

from __future__ import annotations

from typing import Annotated

import typer

DEFAULT_USER = "admin"

app = typer.Typer(help="exportctl — export-control determinations with reasons and citations.", no_args_is_help=True)
regime_app = typer.Typer(help="Inspect a regime pack: what is in force on a date, and what changed.")
pack_app = typer.Typer(help="Validate regime packs.")
lists_app = typer.Typer(help="Screening lists: load official files, list loaded versions, compare versions.")
users_app = typer.Typer(help="Users and their roles: viewer, clerk, officer, admin.", no_args_is_help=True)
parties_app = typer.Typer(help="Parties: add, import, screen, and review screening hits.", no_args_is_help=True)
items_app = typer.Typer(help="Items and their classification history.", no_args_is_help=True)
licences_app = typer.Typer(help="The licence book: licences, their use, expiry and exhaustion.", no_args_is_help=True)
orders_app = typer.Typer(help="Orders: entry, determination, release and shipment.", no_args_is_help=True)
settings_app = typer.Typer(help="Settings (admin).", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit trail: verify, replay, export.", no_args_is_help=True)
demo_app = typer.Typer(help="A demo data set: a Japanese materials exporter in 2019.", no_args_is_help=True)
batch_app = typer.Typer(
    help="Batches of order lines or parties on Dask: resumable, one output row per line and regime.",
    no_args_is_help=True,
)
app.add_typer(regime_app, name="regime")
app.add_typer(pack_app, name="pack")
app.add_typer(lists_app, name="lists")
app.add_typer(users_app, name="users")
app.add_typer(parties_app, name="parties")
app.add_typer(items_app, name="items")
app.add_typer(licences_app, name="licences")
app.add_typer(orders_app, name="orders")
app.add_typer(settings_app, name="settings")
app.add_typer(audit_app, name="audit")
app.add_typer(demo_app, name="demo")
app.add_typer(batch_app, name="batch")

# Who acts in this invocation (records commands act, and are audited, as this user); see cli/acting.py.
acting: dict[str, str | bool | None] = {"user": None, "local_admin": False}


@app.callback()
def main(
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            envvar="EXPORTCTL_USER",
            help="Act as this user: with EXPORTCTL_TOKEN set, the token's user; else a password is prompted for.",
        ),
    ] = None,
    local_admin: Annotated[
        bool,
        typer.Option(
            "--local-admin",
            help="Act as admin without a credential (whoever can open the database can); recorded as "
            "local-admin:<OS user> in the ledger, and never a second (four-eyes) approval.",
        ),
    ] = False,
) -> None:
    """exportctl — export-control determinations with reasons and citations.

    Records commands need a credential: EXPORTCTL_TOKEN (an API token, `users token`), or --user NAME and the
    password at the prompt, or --local-admin. While the database has no user, the first command creates
    `admin` and acts as it.
    """
    acting["user"] = user
    acting["local_admin"] = local_admin
