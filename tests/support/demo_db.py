"""The demo data set as a SQLite database, loaded once per test process and copied for each module that asks.

Loading the demo determines and screens every order (about 9 s); many web test modules start from it. The first
call loads it into a template file with the session's screener; later calls copy that file with SQLite's backup
API (a consistent copy, whatever the journal mode), so each module still gets a database of its own.
"""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from exportctl.demo import load_demo
from exportctl.screening.screener import Screener
from exportctl.services import actors
from exportctl.store import db as store

_TEMPLATES: dict[int, tuple[Screener, Path]] = {}  # by the screener's id (the screener kept alive with it)


def _template(screener: Screener) -> Path:
    kept = _TEMPLATES.get(id(screener))
    if kept is not None:
        return kept[1]
    path = Path(tempfile.mkdtemp(prefix="exportctl-demo-")) / "demo.db"
    url = f"sqlite:///{path}"
    with store.session(url) as db:
        load_demo(db, actors.SYSTEM, screener)
    store.engine(url).dispose()
    _TEMPLATES[id(screener)] = (screener, path)
    return path


def demo_database(folder: Path, screener: Screener) -> str:
    """The URL of a new SQLite database in `folder` holding the demo data set, screened with `screener`."""
    target = folder / "exportctl.db"
    with closing(sqlite3.connect(_template(screener))) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"
