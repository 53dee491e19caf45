"""Command-line interface. Thin: parse flags, call a service, render. Exit 0 for any determination,
2 for invalid input (the message names the flag, field, file or line)."""

from exportctl.cli import audit, check, impact, licences, lists, orders, recheck, records, regime, screen, serve
from exportctl.cli.app import app

__all__ = [
    "app",
    "audit",
    "check",
    "impact",
    "licences",
    "lists",
    "orders",
    "recheck",
    "records",
    "regime",
    "screen",
    "serve",
]
