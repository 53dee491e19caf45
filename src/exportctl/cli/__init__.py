"""Command-line interface. Thin: parse flags, call a service, render. Exit 0 for any determination,
2 for invalid input (the message names the flag, field, file or line).

`exportctl` (the `main` entry point) imports only the module of the command it runs: importing every command's
services (the web server, the database migrations, the list readers) would cost a second before any answer.
`from exportctl.cli import app` gives the application with every command.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

# Each top-level command or group → the module (of this package) that defines it.
COMMAND_MODULES = {
    "check": "check",
    "classify": "check",
    "timeline": "check",
    "screen": "screen",
    "serve": "serve",
    "impact": "impact",
    "recheck": "recheck",
    "regime": "regime",
    "pack": "regime",
    "lists": "lists",
    "users": "records",
    "parties": "records",
    "items": "records",
    "settings": "records",
    "licences": "licences",
    "orders": "orders",
    "audit": "audit",
    "demo": "audit",
    "batch": "batch",
}
_ROOT_OPTIONS_WITH_VALUE = {"--user"}


def _load(modules: set[str]) -> None:
    for module in sorted(modules):
        importlib.import_module(f"exportctl.cli.{module}")


def __getattr__(name: str) -> Any:
    if name == "app":
        _load(set(COMMAND_MODULES.values()))
        from exportctl.cli.root import app

        globals()["app"] = app
        return app
    raise AttributeError(f"module 'exportctl.cli' has no attribute '{name}'")


def command_of(arguments: list[str]) -> str | None:
    """The command named on a command line (the first word that is not a root option or its value)."""
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument in _ROOT_OPTIONS_WITH_VALUE:
            skip = True
        elif not argument.startswith("-"):
            return argument
    return None


def main() -> None:
    command = command_of(sys.argv[1:])
    # An unknown command, or none (help): every module, so that the usage lists every command.
    _load({COMMAND_MODULES[command]} if command in COMMAND_MODULES else set(COMMAND_MODULES.values()))
    from exportctl.cli.root import app

    app()
