"""Shared fixtures: the shipped Japan pack, and the official reference files beside the checkout."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from exportctl.core_types import Determination, PartyScreener, Transaction
from exportctl.determine.engine import determine
from exportctl.regime import Regime
from exportctl.regime.files import builtin_pack_dir, read_pack_dir
from exportctl.screening.end_user_list import EndUserList
from exportctl.screening.entities import LoadedList
from exportctl.screening.screener import Screener
from exportctl.screening.sources import registry
from exportctl.services import checking, regimes
from exportctl.services.checking import PinnedEndUserList, required_lists
from exportctl.services.screening import ConfiguredScreener
from exportctl.store import db
from tests.support import pgserver

REPO = Path(__file__).resolve().parents[1]
# The official reference files are read where they are, never copied: ../shared beside the checkout
# (as in CI), or wherever EXPORTCTL_SHARED points.
SHARED = Path(os.environ.get("EXPORTCTL_SHARED", REPO.parent / "shared"))
LISTS_DIR = SHARED / "data" / "lists"
# A list file counts as current from when it was written: the reference files are as old as the checkout beside
# which they were laid, which tests must not depend on. The age limits have their own tests
# (tests/determine/test_screening_required.py), which set or clear this.
os.environ.setdefault("EXPORTCTL_LIST_MAX_AGE_DAYS", "3650")
# The keys issue 2 makes a contract of, for `check --format json` and POST /api/v1/check alike.
CHECK_CONTRACT = frozenset(
    {
        "regime", "pack_version", "date", "destination", "destination_group", "outcome",
        "licence_required", "eligible_licences", "lines", "reasons",
    }
)  # fmt: skip
REQUIRED_LISTS = required_lists("jp")
EUL_FILE = LISTS_DIR / "jp-meti-end-user-list-2025-09-29.xlsx"
ORDER_XML = SHARED / "data" / "law" / "jp-export-trade-control-order-2026-02-14.xml"


# Screening lists come from the shipped files; anything a command stores goes to a throwaway folder.
os.environ["EXPORTCTL_LISTS_DIR"] = str(LISTS_DIR)
os.environ["EXPORTCTL_DATA_DIR"] = tempfile.mkdtemp(prefix="exportctl-test-")


def pytest_sessionstart(session: pytest.Session) -> None:
    missing = [path for path in (EUL_FILE, ORDER_XML) if not path.exists()]
    if missing:
        raise pytest.UsageError(
            f"reference files not found: {', '.join(map(str, missing))}. Tests read them from ../shared/data "
            "beside the checkout; set EXPORTCTL_SHARED to the shared folder elsewhere."
        )


@pytest.fixture(scope="session")
def jp() -> Regime:
    return regimes.regime("jp")


@pytest.fixture(scope="session")
def eu() -> Regime:
    return regimes.regime("eu")


@pytest.fixture(scope="session")
def us() -> Regime:
    return regimes.regime("us")


@pytest.fixture(scope="session")
def eul() -> EndUserList:
    return checking.end_user_list(EUL_FILE)


@pytest.fixture(scope="session")
def shipped_lists() -> list[LoadedList]:
    return [registry.read_list(list_id, path) for list_id, path in sorted(registry.default_files(LISTS_DIR).items())]


@pytest.fixture(scope="session")
def screener(shipped_lists: list[LoadedList]) -> Screener:
    return Screener(shipped_lists)


@pytest.fixture
def pack_files() -> dict[str, str]:
    """The shipped pack's files as texts, for tests that alter a copy."""
    return read_pack_dir(builtin_pack_dir("jp"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL 15 server for the session (or the one EXPORTCTL_TEST_DATABASE_URL names).

    PostgreSQL tests are never skipped: when no server can be started they fail with the reason."""
    with pgserver.server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database per test: a SQLite file, or a new database on the throwaway PostgreSQL server.
    Pass it to `db.session(url)` explicitly; the schema is migrated on first use."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'exportctl.db'}"
        yield url
        db.engine(url).dispose()
        return
    server: str = request.getfixturevalue("postgres_server")
    url = pgserver.create_database(server, prefix="exportctl_test")
    yield url
    db.engine(url).dispose()  # close pooled connections, so the server never runs out of them
    pgserver.drop_database(server, url)


@cache
def required_screener() -> ConfiguredScreener:
    """The lists the Japan pack requires (End User List, MOF asset freeze, UN), from the shipped files."""
    found = registry.default_files(LISTS_DIR)
    return ConfiguredScreener([registry.read_list(list_id, found[list_id]) for list_id in sorted(REQUIRED_LISTS)])


def with_required(*lists: LoadedList) -> Screener:
    """A screener over these lists and the required ones: what a determination naming a party needs."""
    return Screener([*required_screener().lists, *lists])


def screened(eul: EndUserList) -> PartyScreener:
    """The End User List matched exactly, with the other lists the Japan pack requires (MOF asset freeze, UN)
    from the shipped files: a determination naming a party is cleared only against all of them (issue 10)."""
    return PinnedEndUserList(eul, dt.date.today(), required_screener(), REQUIRED_LISTS)


def run(jp: Regime, eul: PartyScreener | None = None, **fields: Any) -> Determination:
    """Determine a transaction given as keyword fields (dates as ISO strings are fine); an End User List is
    matched with the other required lists beside it (`screened`)."""
    transaction = Transaction.model_validate(fields)
    screener = screened(eul) if isinstance(eul, EndUserList) else eul
    return determine(jp.at(transaction.date), transaction, screener)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
