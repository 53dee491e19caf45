"""Shared by every command: consoles, output format, input errors → exit status 2."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, overload

import typer
import yaml
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress, TaskID

from exportctl.countries import alpha_2, subdivision
from exportctl.determine.engine import InvalidTransaction
from exportctl.regime import OutsideCoverage, PackError
from exportctl.screening.sources.common import ListFileError
from exportctl.services import screening

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


@overload
def country_option(value: str, flag: str) -> str: ...
@overload
def country_option(value: None, flag: str) -> None: ...
def country_option(value: str | None, flag: str) -> str | None:
    """A country flag (or CSV cell, `flag` naming it) by the one rule of `countries.alpha_2`; None when not given."""
    return _coded(value, flag, alpha_2)


def region_option(value: str | None, flag: str) -> str | None:
    """A region flag (ISO 3166-2, `countries.subdivision`); None when not given."""
    return _coded(value, flag, subdivision)


def _coded(value: str | None, flag: str, rule: Callable[[str], str]) -> str | None:
    if value is None:
        return None
    try:
        return rule(value)
    except ValueError as exc:
        fail(f"{flag}: {exc}")


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


MAX_DOCUMENT = 16 << 20  # a transaction or order file is a few kB; a bigger one is a mistake or an attack
MAX_DEPTH = 64  # our documents nest four levels; deeper input only serves to exhaust the parser's stack


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases: a few lines of nested aliases expand to billions of nodes."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # (untyped in types-pyyaml)
            raise yaml.composer.ComposerError(None, None, "anchors and aliases are not allowed", mark)
        return super().compose_node(parent, index)


def _too_deep(document: Any) -> bool:
    """True when containers nest deeper than MAX_DEPTH (walked without recursion)."""
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        node, depth = pending.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > MAX_DEPTH:
                    return True
                pending.append((child, depth + 1))
    return False


def load_document(path: Path) -> Any:
    """A YAML or JSON file as plain data; anything unreadable is exit 2 naming the file, never a traceback."""
    kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
    try:
        if path.stat().st_size > MAX_DOCUMENT:
            fail(f"--file {path}: larger than {MAX_DOCUMENT >> 20} MiB")
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        fail(f"--file {path}: {exc.strerror}")
    except UnicodeDecodeError as exc:
        fail(f"--file {path}: not UTF-8 text (byte {exc.start} cannot be decoded)")
    try:
        document = json.loads(text) if kind == "JSON" else yaml.load(text, Loader=_NoAliases)  # a SafeLoader
    except RecursionError:
        fail(f"--file {path}: not valid {kind} (nested deeper than {MAX_DEPTH} levels)")
    except (ValueError, yaml.YAMLError) as exc:  # JSONDecodeError, and integers over 4,300 digits
        fail(f"--file {path}: not valid {kind} ({_short(exc)})")
    if _too_deep(document):
        fail(f"--file {path}: nested deeper than {MAX_DEPTH} levels")
    return document


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:300] + "…"


class _IndexBuild:
    """A progress bar on stderr for the first build of the screening index after a list update (10–30 s)."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.progress is None:
            self.progress = Progress(console=err, transient=True)
            self.progress.start()
            self.task = self.progress.add_task("screening index", total=total)
        assert self.task is not None
        self.progress.update(self.task, completed=done, description=f"screening index: {what}")
        if done >= total:
            self.progress.stop()


def configured_screener() -> screening.ConfiguredScreener:
    """The screener over the configured lists (services/screening.py), its index built with a progress bar when
    the lists changed since it was last built."""
    build = _IndexBuild()
    screening.set_progress(build)
    try:
        return screening.screener()
    finally:
        screening.set_progress(None)
        if build.progress is not None:
            build.progress.stop()
