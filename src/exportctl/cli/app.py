"""The Typer application and its command groups; commands live in the modules beside this one."""

from __future__ import annotations

import typer

app = typer.Typer(help="exportctl — export-control determinations with reasons and citations.", no_args_is_help=True)
regime_app = typer.Typer(help="Inspect a regime pack: what is in force on a date, and what changed.")
pack_app = typer.Typer(help="Validate regime packs.")
lists_app = typer.Typer(help="Screening lists: load official files, list loaded versions, compare versions.")
app.add_typer(regime_app, name="regime")
app.add_typer(pack_app, name="pack")
app.add_typer(lists_app, name="lists")
