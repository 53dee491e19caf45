"""Issue 10, items 8, 10, 11 and 13 (files): success only after commit, reads that do not block writes, valid
data only with clear errors (never a traceback or a 500), and database files only their owner can read.

Each test sends what an attacker or a careless client sent in the issue's report and expects the answer the
issue requires: a 4xx problem (or exit status 2) naming the field, file or row, and nothing written.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from exportctl import ledger
from exportctl.cli import app as cli
from exportctl.http.app import create_app
from exportctl.screening.screener import Screener
from exportctl.services import actors, importing, records
from exportctl.services.actors import Actor
from exportctl.services.errors import RecordError
from exportctl.store import db as store
from exportctl.store.models import AuditRecord, Item, Licence, Order, Party
from tests.conftest import REPO
from tests.support import pgserver
from tests.support.apiclient import API, Api, live_server, make_api

PROBLEM = "application/problem+json"
ADMIN = Actor("admin", "admin")
# What an error must never show: where the server lives, its libraries, or a Python traceback.
LEAKS = (str(REPO), "site-packages", "/usr/lib/python", "Traceback", "sqlalchemy", "psycopg")
TRANSACTION = {"date": "2024-06-01", "destination": "DE", "lines": [{"item": "hs:3926.90", "value_jpy": 1000}]}
runner = CliRunner()


def refused(response: httpx.Response, status: int, field: str | None = None) -> dict[str, Any]:
    """A problem response with this status that names the field and leaks nothing about the server."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    for leak in LEAKS:
        assert leak not in response.text, f"{leak!r} in {response.text}"
    body: dict[str, Any] = response.json()
    if field is not None:
        assert field in response.text, f"{field!r} not named in {response.text}"
    return body


@pytest.fixture
def api(database_url: str, screener: Screener) -> Api:
    return make_api(database_url, screener)


def counts(url: str) -> tuple[int, ...]:
    with store.session(url, readonly=True) as db:
        return tuple(db.scalar(select(func.count()).select_from(t)) or 0 for t in (Party, Item, Licence, Order))


def ledger_size(url: str) -> int:
    with store.session(url, readonly=True) as db:
        assert ledger.verify(db).ok
        return db.scalar(select(func.count()).select_from(AuditRecord)) or 0


def raw_post(api: Api, path: str, body: bytes, role: str = "officer", **headers: str) -> httpx.Response:
    sent = api.auth(role) | {"content-type": "application/json"} | headers
    return api.client.post(API + path, content=body, headers=sent)


# --- item 8: a 2xx only after the commit ----------------------------------------------------------------------


def test_every_created_record_is_stored_when_its_201_arrives(tmp_path: Path, screener: Screener) -> None:
    path = tmp_path / "commit.db"
    api = make_api(f"sqlite:///{path}", screener)
    missing = []
    with live_server(create_app(api.database_url, screener)) as base, httpx.Client(base_url=base) as client:
        for n in range(60):
            code = f"TRAY-{n}"
            response = client.post(
                f"{API}/items", json={"code": code, "description": "tray"}, headers=api.auth("clerk")
            )
            assert response.status_code == 201, response.text
            with closing(sqlite3.connect(path)) as fresh:  # another process's view, at the moment the 201 arrived
                if not fresh.execute("SELECT count(*) FROM items WHERE code = ?", (code,)).fetchone()[0]:
                    missing.append(code)
    assert missing == []


@pytest.fixture
def pg_url(postgres_server: str) -> Iterator[str]:
    url = pgserver.create_database(postgres_server, prefix="exportctl_race")
    yield url
    store.engine(url).dispose()
    pgserver.drop_database(postgres_server, url)


def test_racing_creates_of_one_key_are_one_201_and_409s_never_500(pg_url: str, screener: Screener) -> None:
    api = make_api(pg_url, screener)
    racers = 16
    statuses: list[int] = []
    start = threading.Barrier(racers)
    order = {"number": "SO-RACE", "ship_date": "2019-10-01", "destination": "DE", "end_use": "wafer handling"}
    order |= {"lines": [{"reference": "hs:3926.90", "quantity": 10, "value_jpy": 30_000}] * 5}

    def create(client: httpx.Client) -> None:
        assert client.get(f"{API}/me", headers=api.auth("clerk")).status_code == 200  # connected and authenticated
        start.wait()
        statuses.append(client.post(f"{API}/orders", json=order, headers=api.auth("clerk")).status_code)

    with live_server(create_app(pg_url, screener)) as base:
        clients = [httpx.Client(base_url=base, timeout=120) for _ in range(racers)]
        threads = [threading.Thread(target=create, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for client in clients:
            client.close()
    assert sorted(statuses) == [201] + [409] * (racers - 1)
    assert counts(pg_url)[3] == 1 and ledger_size(pg_url) > 0


# --- item 10: reads do not block writes (SQLite, WAL) -----------------------------------------------------------


def _timed(call: Any, limit: float = 10.0) -> Any:
    """Run `call` in a thread; fail (rather than wait out SQLite's 30 s busy timeout) when it blocks."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(limit)
    assert result, f"still waiting after {limit} s: blocked by the other transaction"
    return result[0]


def test_reads_proceed_while_a_writer_holds_the_lock(tmp_path: Path, screener: Screener) -> None:
    path = tmp_path / "wal.db"
    api = make_api(f"sqlite:///{path}", screener)
    assert api.post("/items", "clerk", {"code": "TRAY", "description": "tray"}).status_code == 201
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        writer.execute("BEGIN IMMEDIATE")  # another process is writing (an import, a shipment)
        writer.execute("UPDATE items SET description = 'being changed' WHERE code = 'TRAY'")
        for path_read in ("/items", "/items/TRAY", "/orders", "/audit/verify", "/audit/records"):
            response = _timed(lambda p=path_read: api.get(p))
            assert response.status_code == 200, (path_read, response.text)
        assert _timed(lambda: api.get("/items/TRAY")).json()["description"] == "tray"  # the committed state
        writer.execute("ROLLBACK")


def test_a_write_proceeds_while_a_long_read_is_open(tmp_path: Path, screener: Screener) -> None:
    path = tmp_path / "wal.db"
    api = make_api(f"sqlite:///{path}", screener)
    with closing(sqlite3.connect(path, isolation_level=None)) as reader:
        reader.execute("BEGIN")  # `audit verify` or an impact report, reading a snapshot
        reader.execute("SELECT count(*) FROM audit_records").fetchone()
        created = _timed(lambda: api.post("/items", "clerk", {"code": "TRAY", "description": "tray"}))
        assert created.status_code == 201
        with store.session(api.database_url, readonly=True) as db:  # and a read through our own read path
            assert ledger.verify(db).ok
            assert (
                _timed(lambda: api.post("/items", "clerk", {"code": "TRAY-2", "description": "t"})).status_code == 201
            )
        reader.execute("COMMIT")


# --- item 13: database files are the owner's ----------------------------------------------------------------------


def test_a_new_sqlite_database_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "exportctl.db"
    url = f"sqlite:///{path}"
    with store.session(url) as db:
        records.add_user(db, actors.SYSTEM, "ada", "admin")
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists():
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not stat.S_IMODE(path.parent.stat().st_mode) & 0o077
    store.engine(url).dispose()


# --- item 11: `check --file` ------------------------------------------------------------------------------------


def check_file(path: Path) -> str:
    result = runner.invoke(cli, ["check", "--file", str(path)])
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.stderr


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("latin1.yaml", b"date: 2024-06-01\ndestination: DE\nend_use: caf\xe9\n", "not UTF-8"),
        ("deep.json", b"[" * 5000 + b"]" * 5000, "nested deeper"),
        ("deep.yaml", b"[" * 5000 + b"]" * 5000, "nested deeper"),
        ("deep-ok.json", b"[" * 900 + b"]" * 900, "nested deeper"),
        ("big.json", b'{"date": "2024-06-01", "lines": [{"value_jpy": ' + b"9" * 5000 + b"}]}", "not valid JSON"),
        ("big.yaml", b"date: 2024-06-01\nlines:\n- value_jpy: " + b"9" * 5000 + b"\n", "not valid YAML"),
        ("bomb.yaml", b"a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", "aliases are not allowed"),
        ("nul.json", json.dumps(TRANSACTION | {"end_user": "Acme\u0000"}).encode(), "end_user"),
        ("inf.json", json.dumps(TRANSACTION).replace("1000", "1e999").encode(), "value_jpy"),
        ("quantity.json", json.dumps(TRANSACTION).replace('"value_jpy": 1000', '"quantity": NaN').encode(), "quantity"),
        ("huge-yen.json", json.dumps(TRANSACTION).replace("1000", str(2**64)).encode(), "value_jpy"),
        ("xx.json", json.dumps(TRANSACTION | {"destination": "XX"}).encode(), "destination"),
        ("zz.json", json.dumps(TRANSACTION | {"end_user_country": "ZZ", "end_user": "Acme"}).encode(), "ZZ"),
        ("blank.json", json.dumps(TRANSACTION | {"end_user": "   "}).encode(), "end_user"),
        ("long.json", json.dumps(TRANSACTION | {"end_user": "A" * 100_000}).encode(), "end_user"),
        ("hs.json", json.dumps(TRANSACTION | {"lines": [{"spec": {"product": "x", "hs": "84-57"}}]}).encode(), "hs"),
        ("list.json", b"[1, 2, 3]", "input"),
    ],
)
def test_check_file_refuses_hostile_documents_naming_the_file(
    tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    started = time.monotonic()
    message = check_file(path)
    assert says in message
    if says.startswith(("not ", "nested", "aliases")):  # the file itself is unreadable: the message names it
        assert path.name in message
    assert time.monotonic() - started < 5


# --- item 11: REST bodies ---------------------------------------------------------------------------------------


def test_yen_beyond_64_bits_and_infinite_quantities_are_422(api: Api) -> None:
    order = {"number": "SO-1", "ship_date": "2019-10-01", "destination": "DE", "lines": [{"reference": "hs:3926.90"}]}
    before = (counts(api.database_url), ledger_size(api.database_url))
    line = f'{{"reference": "hs:3926.90", "value_jpy": {2**64}}}'
    body = json.dumps(order).replace('{"reference": "hs:3926.90"}', line).encode()
    refused(raw_post(api, "/orders", body, "clerk"), 422, "value_jpy")
    for token in (b"Infinity", b"-Infinity", b"NaN", b"1e999"):
        body = json.dumps(order).replace('"hs:3926.90"}', '"hs:3926.90", "quantity": QTY}').encode()
        refused(raw_post(api, "/orders", body.replace(b"QTY", token), "clerk"), 422, "quantity")
        check = json.dumps(TRANSACTION).replace('"value_jpy": 1000', '"quantity": QTY').encode()
        refused(raw_post(api, "/check", check.replace(b"QTY", token), "viewer"), 422, "quantity")
    licence = {"type": "individual", "number": "IND-1", "holder": "Example K.K.", "valid_from": "2019-01-01"}
    licence |= {"valid_to": "2019-12-31", "value_limit_jpy": 2**64}
    refused(api.post("/licences", "officer", licence), 422, "value_limit_jpy")
    bad = json.dumps(licence | {"value_limit_jpy": 1}).replace('"value_limit_jpy": 1', '"quantity_limit": Infinity')
    refused(raw_post(api, "/licences", bad.encode()), 422, "quantity_limit")
    assert (counts(api.database_url), ledger_size(api.database_url)) == before


def test_nul_bytes_and_over_long_text_are_422_naming_the_field(api: Api) -> None:
    before = (counts(api.database_url), ledger_size(api.database_url))
    refused(api.post("/parties", "clerk", {"code": "P-1", "name": "Acme\u0000Trading"}), 422, "name")
    refused(api.post("/parties", "clerk", {"code": "P-\u0000", "name": "Acme"}), 422, "code")
    refused(api.post("/parties", "clerk", {"code": "P-2", "name": "A" * 450}), 422, "name")
    refused(api.post("/items", "clerk", {"code": "I-1", "description": "tray", "hs_code": "3926\u000090"}), 422)
    refused(api.post("/items", "clerk", {"code": "I-1", "description": "x" * 5000}), 422, "description")
    licence = {"type": "individual", "number": "IND-1", "holder": "H" * 1000, "valid_from": "2019-01-01"}
    refused(api.post("/licences", "officer", licence | {"valid_to": "2019-12-31"}), 422, "holder")
    order = {"number": "SO-1", "ship_date": "2019-10-01", "destination": "DE", "lines": [{"reference": "hs:3926.90"}]}
    refused(api.post("/orders", "clerk", order | {"end_use": "E" * 100_000}), 422, "end_use")
    refused(api.post("/orders", "clerk", order | {"end_use": "wafer\u0000handling"}), 422, "end_use")
    refused(api.post("/orders", "clerk", order | {"number": "S" * 100_000}), 422, "number")
    started = time.monotonic()
    refused(api.post("/check", "viewer", TRANSACTION | {"end_user": "A" * 100_000}), 422, "end_user")
    assert time.monotonic() - started < 2  # refused before screening: the server is not stalled
    assert (counts(api.database_url), ledger_size(api.database_url)) == before


def test_records_that_could_never_be_used_are_refused(api: Api) -> None:
    before = (counts(api.database_url), ledger_size(api.database_url))
    order = {"number": "SO-1", "ship_date": "2019-10-01", "destination": "DE", "lines": [{"reference": "hs:3926.90"}]}
    refused(api.post("/orders", "clerk", order | {"number": "SO/2019/1"}), 422, "number")
    refused(api.post("/orders", "clerk", order | {"destination": "XX"}), 422, "destination")
    refused(api.post("/orders", "clerk", order | {"consignee": "NO-SUCH-PARTY"}), 422, "consignee")
    refused(api.post("/parties", "clerk", {"code": "P-1", "name": "   "}), 422, "name")
    refused(api.post("/parties", "clerk", {"code": "P-1", "name": "Acme", "country": "ZZ"}), 422, "country")
    refused(api.post("/parties", "clerk", {"code": "P/1", "name": "Acme"}), 422, "code")
    refused(api.post("/items", "clerk", {"code": "I-1", "description": "tray", "hs_code": "39x6"}), 422, "hs_code")
    refused(api.post("/items", "clerk", {"code": "I-1", "description": " "}), 422, "description")
    licence = {"type": "individual", "number": "IND-1", "holder": "Example K.K.", "valid_from": "2020-01-01"}
    refused(api.post("/licences", "officer", licence | {"valid_to": "2019-12-31"}), 422, "valid_to")
    valid = licence | {"valid_to": "2020-12-31"}
    refused(api.post("/licences", "officer", valid | {"destinations": ["XX"]}), 422, "destinations")
    refused(api.post("/licences", "officer", valid | {"consignees": ["NO-SUCH-PARTY"]}), 422, "consignees")
    refused(api.post("/licences", "officer", valid | {"number": "IND/1"}), 422, "number")
    refused(api.post("/check", "viewer", TRANSACTION | {"destination": "XX"}), 422, "destination")
    refused(api.post("/screen", "viewer", {"name": "Acme", "lists": ["nosuch"]}), 422, "nosuch")
    assert (counts(api.database_url), ledger_size(api.database_url)) == before

    created = api.post("/orders", "clerk", order)
    assert created.status_code == 201, created.text
    refused(api.patch("/orders/SO-1", "clerk", {"destination": "XX"}), 422, "destination")
    refused(api.patch("/orders/SO-1", "clerk", {"consignee": "NO-SUCH-PARTY"}), 422, "consignee")
    refused(api.patch("/orders/SO-1", "clerk", {"end_use": "x" * 100_000}), 422, "end_use")


def test_a_body_that_is_not_json_is_415(api: Api) -> None:
    text = raw_post(api, "/check", json.dumps(TRANSACTION).encode(), "viewer", **{"content-type": "text/plain"})
    refused(text, 415)
    form = api.client.post(f"{API}/parties", data={"code": "P-1", "name": "Acme"}, headers=api.auth("clerk"))
    refused(form, 415)
    assert api.post("/check", "viewer", TRANSACTION).status_code == 200  # application/json is fine
    charset = raw_post(api, "/check", json.dumps(TRANSACTION).encode(), "viewer")
    assert charset.status_code == 200
    assert api.post("/orders/NO-SUCH/determine", "clerk").status_code == 404  # no body: no content type needed


def test_a_malformed_json_body_is_422_without_internals(api: Api) -> None:
    for body in (b"{", b'{"code": "P-1", "name": "A"', b"\xff\xfe", b"[" * 3000 + b"]" * 3000, b'{"a": ' + b"9" * 5000):
        response = raw_post(api, "/parties", body, "clerk")
        assert 400 <= response.status_code < 500, response.text
        refused(response, response.status_code)


# --- item 11: imports ---------------------------------------------------------------------------------------------


def import_refused(url: str, kind: str, path: Path, says: str) -> None:
    before = (counts(url), ledger_size(url))
    with pytest.raises(RecordError) as refusal, store.session(url) as db:
        importing.import_file(db, ADMIN, kind, path)
    assert path.name in str(refusal.value) and says in str(refusal.value), str(refusal.value)
    for leak in LEAKS:
        assert leak not in str(refusal.value)
    assert (counts(url), ledger_size(url)) == before


def test_malformed_workbooks_are_refused_naming_the_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'import.db'}"
    book = Workbook()
    book.active.append(["code", "description"])
    book.active.append(["TRAY", "tray"])
    good = tmp_path / "good.xlsx"
    book.save(good)
    data = good.read_bytes()
    cases = {
        "truncated.xlsx": data[: len(data) // 2],
        "garbage.xlsx": b"PK\x03\x04" + os.urandom(2000),
        "flipped.xlsx": data[:600] + bytes(b ^ 0x55 for b in data[600:1400]) + data[1400:],
        "empty.xlsx": b"",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        import_refused(url, "items", path, "xlsx")
    store.engine(url).dispose()


def test_hostile_import_rows_are_refused_naming_row_and_column(database_url: str, tmp_path: Path) -> None:
    header = "number,ship_date,destination,consignee,reference,quantity,value_jpy\n"
    good = "SO-1,2019-10-01,DE,,hs:3926.90,10,30000\n"
    cases = {
        "slash.csv": (header + good + "SO/2,2019-10-01,DE,,hs:3926.90,1,1\n", "row 3"),
        "yen.csv": (header + good + f"SO-2,2019-10-01,DE,,hs:3926.90,1,{2**64}\n", "column value_jpy"),
        "inf.csv": (header + good + "SO-2,2019-10-01,DE,,hs:3926.90,inf,1\n", "column quantity"),
        "country.csv": (header + good + "SO-2,2019-10-01,XX,,hs:3926.90,1,1\n", "column destination"),
        "party.csv": (header + good + "SO-2,2019-10-01,DE,NOBODY,hs:3926.90,1,1\n", "column consignee"),
        "nul.csv": (header + good + "SO-\x002,2019-10-01,DE,,hs:3926.90,1,1\n", "row 3"),
        "long.csv": (
            header + good + "SO-2,2019-10-01,DE,,hs:3926.90,1,1\n" + "S" * 300 + ",2019-10-01,DE,,x,1,1\n",
            "row 4",
        ),
    }
    for name, (text, says) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        import_refused(database_url, "orders", path, says)
    licences = tmp_path / "licences.csv"
    licences.write_text(
        "type,number,holder,valid_from,valid_to\nindividual,IND-1,Example K.K.,2020-01-01,2019-12-31\n", "utf-8"
    )
    import_refused(database_url, "licences", licences, "column valid_to")
    parties = tmp_path / "parties.csv"
    parties.write_text("code,name,country\nP-1,   ,DE\n", "utf-8")
    import_refused(database_url, "parties", parties, "column name")
