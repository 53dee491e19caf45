"""A records command that loses a race on a unique key says so and exits 2 (issue 10, item 11): no traceback.

The race is made deterministic on PostgreSQL: the test inserts a party in a transaction it keeps open, the
command (in a thread) passes its existence check, inserts the same code and waits on the unique index; when
the test commits, the command's insert fails with a unique violation — the case no existence check can see.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from click.testing import Result
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from exportctl.cli import app
from exportctl.services import records
from exportctl.services.actors import SYSTEM
from exportctl.store import db
from exportctl.store.models import Party
from tests.support import pgserver

runner = CliRunner()


@pytest.fixture
def postgres_url(postgres_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = pgserver.create_database(postgres_server, prefix="exportctl_race")
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", url)
    monkeypatch.delenv("EXPORTCTL_LISTS_DIR", raising=False)
    yield url
    db.engine(url).dispose()
    pgserver.drop_database(postgres_server, url)


def waiting_on_a_lock(url: str) -> bool:
    with db.session(url) as s:
        found = s.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"))
        return bool(found)


def test_a_party_code_written_at_the_same_time_is_a_clear_refusal(postgres_url: str) -> None:
    with db.session(postgres_url) as s:
        records.add_user(s, SYSTEM, "admin", "admin")
    outcome: list[Result] = []
    args = ["--local-admin", "parties", "add", "P-1", "--name", "Nordwind GmbH", "--country", "DE"]
    with db.session(postgres_url) as s:
        records.add_party(s, SYSTEM, "P-1", "Nordwind Handels GmbH", "DE", ["consignee"], None)
        s.flush()  # the row and its unique key exist, uncommitted
        command = threading.Thread(target=lambda: outcome.append(runner.invoke(app, args)))
        command.start()
        deadline = time.monotonic() + 30
        while not waiting_on_a_lock(postgres_url) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting_on_a_lock(postgres_url), "the command never reached the unique index"
    command.join(30)
    [result] = outcome
    assert result.exit_code == 2, result.output
    assert "code: a record with this code already exists (written at the same time); nothing written" in result.stderr
    assert "Traceback" not in result.output and "IntegrityError" not in result.stderr
    with db.session(postgres_url) as s:
        names = s.scalars(select(Party.name)).all()
        assert names == ["Nordwind Handels GmbH"]
        assert s.scalar(select(func.count()).select_from(Party)) == 1
    verified = runner.invoke(app, ["--local-admin", "audit", "verify"])
    assert verified.exit_code == 0, verified.output
