"""Shared by every command: consoles, output format, input errors → exit status 2."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
import yaml
from pydantic import ValidationError
from rich.console import Console

from exportctl.determine.engine import InvalidTransaction
from exportctl.regime import OutsideCoverage, PackError
from exportctl.screening.sources.common import ListFileError

# Piped output (CI logs, files) is not limited to 80 columns: tables of reasons need the room.
out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


def fail(message: str) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@contextmanager
def input_errors() -> Iterator[None]:
    """Turn every kind of bad input into exit status 2 with a message naming what was wrong."""
    try:
        yield
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}" for e in exc.errors()]
        fail("; ".join(problems))
    except (InvalidTransaction, PackError, OutsideCoverage, ListFileError) as exc:
        fail(str(exc))


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def parse_date(value: str, flag: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{flag}: '{value}' is not a date (YYYY-MM-DD)")


def parse_params(pairs: list[str], flag: str) -> dict[str, bool | int | float | str]:
    params: dict[str, bool | int | float | str] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            fail(f"{flag}: '{pair}' is not NAME=VALUE")
        params[key.strip()] = _scalar(raw.strip())
    return params


def _scalar(raw: str) -> bool | int | float | str:
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            continue
    return raw


def load_document(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"--file {path}: {exc.strerror}")
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        fail(f"--file {path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'} ({exc})")
