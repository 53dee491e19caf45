"""Issue 10's fuzz proof: generated hostile input on every way in — `check --file`, every REST body (SQLite and
PostgreSQL) and the CSV/XLSX import formats — gives a clear refusal or a correct answer, never a crash.

For each input: no traceback and no 5xx; and when the input is refused, nothing was written (row counts and
the ledger's length unchanged, `audit verify` passes).

The normal suite runs a fast slice (a few hundred inputs). `make fuzz` sets EXPORTCTL_FUZZ=full and runs
more than 10,000: FULL below says how many per target.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError
from typer.testing import CliRunner

from exportctl.cli import app as cli
from exportctl.screening.screener import Screener
from exportctl.services import importing, records
from exportctl.services.actors import Actor
from exportctl.services.errors import RecordError
from exportctl.store import db as store
from tests.support.apiclient import API, Api, make_api
from tests.test_hostile_input import LEAKS, counts, ledger_size

FULL = os.environ.get("EXPORTCTL_FUZZ") == "full"
# Inputs per target: (fast slice, `make fuzz`). Full: 4,000 + 2 × 2,500 + 2 × 1,000 = 11,000.
EXAMPLES = {"check": (80, 4000), "rest": (70, 2500), "import": (30, 1000)}


def fuzz_settings(target: str) -> settings:
    return settings(
        max_examples=EXAMPLES[target][FULL],
        deadline=None,
        database=None,  # the same inputs each run of the fast slice: a flaky suite helps no one
        derandomize=not FULL,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


ADMIN = Actor("admin", "admin")
runner = CliRunner()

# --- hostile values -------------------------------------------------------------------------------------------
# Markers replaced in the serialised text: Python's json cannot write these itself.
BIG_INT = "\ue000big-int"  # an integer of 5,000 digits (over Python's 4,300-digit limit)
DEEP = "\ue000deep"  # nesting 3,000 deep
RAW_TOKENS = {f'"{BIG_INT}"': "9" * 5000, f'"{DEEP}"': "[" * 3000 + "]" * 3000}

NASTY_TEXT = [
    *["", " ", "\t", "\x00", "Acme\x00Trading", "SO/2019/1", "../../../etc/passwd", "XX", "ZZ", "xx"],
    *["<script>x</script>", "' OR 1=1 --", "%00", "%2F", "\u202eevil", "\ufeff", "😀😀", "null", "NaN"],
    *["1e999", "-1", "2019-02-30", "9" * 30, "Delta Engineering Concern FZE", "KR", "hs:3926.90", "hs:12"],
    *["7(19)#euv-resist", "jp", "nosuch"],
]
texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(NASTY_TEXT),
    st.builds(
        lambda ch, n: ch * n,
        st.sampled_from(["A", "\x00", "é", "/", "字"]),
        st.sampled_from([65, 201, 501, 2001, 100_000]),
    ),
)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, 2**64, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts, st.sampled_from([BIG_INT, DEEP]))
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4), max_leaves=8
)


def to_json(document: Any) -> bytes:
    """JSON as a hostile client writes it: NaN and Infinity tokens, 5,000-digit integers, deep nesting."""
    text = json.dumps(document, allow_nan=True)
    for marker, raw in RAW_TOKENS.items():
        text = text.replace(marker, raw)
    return text.encode("utf-8", "surrogatepass")


def to_yaml(document: Any) -> bytes:
    text = yaml.safe_dump(document, allow_unicode=True)
    text = text.replace(BIG_INT, "9" * 5000).replace(DEEP, "[" * 3000 + "]" * 3000)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def mutated(draw: st.DrawFn, valid: dict[str, Any]) -> Any:
    """A valid body with hostile changes: fields replaced (also inside lists), removed or added, or anything."""
    if draw(st.integers(0, 9)) == 0:
        return draw(values)
    body = json.loads(json.dumps(valid))
    for _ in range(draw(st.integers(1, 3))):
        target = body
        key = draw(st.sampled_from(sorted(body))) if body else "x"
        inner = target.get(key)
        if isinstance(inner, list) and inner and isinstance(inner[0], dict) and draw(st.booleans()):
            target = inner[0]  # inside the first line of an order or transaction
            key = draw(st.sampled_from(sorted(target))) if target else "x"
        action = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
        if action == "replace":
            target[key] = draw(values)
        elif action == "remove":
            target.pop(key, None)
        else:
            target[draw(texts)] = draw(values)
    return body


# --- check --file -----------------------------------------------------------------------------------------------

TRANSACTION = {
    "date": "2024-06-01",
    "destination": "AE",
    "end_user": "Delta Engineering Concern FZE",
    "end_use": "pumps",
    "lines": [{"item": "hs:8457.10", "quantity": 1, "value_jpy": 2_000_000}],
}


@fuzz_settings("check")
@given(
    document=mutated(TRANSACTION),
    form=st.sampled_from(["json", "yaml", "bytes"]),
    noise=st.binary(max_size=200),
)
def test_check_file_never_crashes(document: Any, form: str, noise: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("t.json" if form == "json" else "t.yaml")
        path.write_bytes(to_json(document) if form == "json" else to_yaml(document) if form == "yaml" else noise)
        result = runner.invoke(cli, ["check", "--file", str(path), "--format", "json"])
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert json.loads(result.stdout)["outcome"]


# --- every REST body --------------------------------------------------------------------------------------------

ORDER = {
    "number": "SO-NEW",
    "ship_date": "2019-10-01",
    "destination": "KR",
    "consignee": "KR-HANBIT",
    "end_use": "etching",
    "lines": [{"item": "TRAY", "quantity": 10, "value_jpy": 30_000}],
}
LICENCE = {
    "type": "individual",
    "number": "IND-NEW",
    "holder": "Example Materials K.K.",
    "destinations": ["KR"],
    "consignees": ["KR-HANBIT"],
    "items": ["TRAY"],
    "quantity_limit": 100,
    "value_limit_jpy": 10_000_000,
    "valid_from": "2019-01-01",
    "valid_to": "2020-12-31",
}
ORDER_BASIS = {"reference": "hs:3926.90", "rationale": "plain plastic article", "valid_from": "2019-01-01"}
# (method, path, role, valid body): every endpoint that takes a body, and paths that take a code.
ENDPOINTS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("POST", "/check", "viewer", TRANSACTION),
    ("POST", "/screen", "viewer", {"name": "Delta Engineering", "country": "AE", "lists": ["jp-eul"], "limit": 5}),
    ("POST", "/parties", "clerk", {"code": "P-NEW", "name": "Rheinfeld GmbH", "country": "DE", "roles": ["customer"]}),
    ("POST", "/items", "clerk", {"code": "I-NEW", "description": "wafer tray", "hs_code": "3926.90"}),
    ("POST", "/items/TRAY/classifications", "clerk", ORDER_BASIS),
    ("POST", "/licences", "officer", LICENCE),
    ("POST", "/orders", "clerk", ORDER),
    ("PATCH", "/orders/SO-BASE", "clerk", {"destination": "DE", "end_use": "research", "consignee": "KR-HANBIT"}),
    ("POST", "/orders/SO-BASE/release", "officer", {"reason": "individual licence held"}),
    ("POST", "/hits/1/review", "officer", {"decision": "false-positive", "reason": "different entity"}),
    ("POST", "/session", "", {"name": "otto", "password": "wrong password"}),
]  # fmt: skip
CODE_PATHS = ["/orders/{}", "/parties/{}", "/items/{}", "/licences/{}", "/orders/{}/determine", "/parties/{}/screen"]


def seeded_api(database_url: str, screener: Screener) -> Api:
    api = make_api(database_url, screener)
    for path, role, body in (
        ("/parties", "clerk", {"code": "KR-HANBIT", "name": "Hanbit Semiconductor Materials", "country": "KR"}),
        ("/parties", "clerk", {"code": "AE-DELTA", "name": "Delta Engineering Concern FZE", "country": "AE"}),
        ("/items", "clerk", {"code": "TRAY", "description": "wafer tray", "hs_code": "3926.90"}),
        ("/items/TRAY/classifications", "clerk", ORDER_BASIS),
        ("/orders", "clerk", ORDER | {"number": "SO-BASE"}),
        ("/licences", "officer", LICENCE | {"number": "IND-BASE"}),
    ):
        response = api.post(path, role, body)
        assert response.status_code == 201, response.text
    return api


def send(api: Api, method: str, path: str, role: str, body: bytes) -> httpx.Response:
    headers = (api.auth(role) if role else {}) | {"content-type": "application/json"}
    return api.client.request(method, API + path, content=body, headers=headers)


@pytest.fixture
def fuzz_api(database_url: str, screener: Screener) -> Api:
    return seeded_api(database_url, screener)


@fuzz_settings("rest")
@given(data=st.data())
def test_rest_bodies_never_crash_or_half_write(fuzz_api: Api, data: st.DataObject) -> None:
    url = fuzz_api.database_url
    before = (counts(url), ledger_size(url))
    if data.draw(st.integers(0, 5), label="kind") == 0:
        code = data.draw(texts, label="code")[:4000]  # longer URLs are refused by the HTTP client itself
        path = data.draw(st.sampled_from(CODE_PATHS), label="path").format(quote(code, safe=""))
        method = "POST" if path.endswith(("determine", "screen")) else "GET"
        response = send(fuzz_api, method, path, "clerk", b"")
    else:
        method, path, role, valid = data.draw(st.sampled_from(ENDPOINTS), label="endpoint")
        body = data.draw(mutated(valid), label="body")
        raw = to_json(body) if data.draw(st.integers(0, 9), label="raw") else data.draw(st.binary(max_size=300))
        response = send(fuzz_api, method, path, role, raw)
    assert response.status_code < 500, response.text
    for leak in LEAKS:
        assert leak not in response.text, f"{leak!r} in {response.text}"
    if response.status_code >= 400:
        assert (counts(url), ledger_size(url)) == before, response.text  # refused: nothing written
    else:
        ledger_size(url)  # accepted: the ledger still verifies


# --- import formats -------------------------------------------------------------------------------------------

IMPORT_ROWS: dict[str, list[list[Any]]] = {
    "items": [["code", "description", "hs_code", "regime", "reference", "rationale", "valid_from"],
              ["R100", "EUV photoresist", "3707.90", "jp", "7(19)#euv-resist", "EUV resist", "2019-01-01"]],
    "parties": [["code", "name", "country", "roles"], ["DE-RHEIN", "Rheinfeld Werkstoffe GmbH", "DE", "customer"]],
    "orders": [["number", "ship_date", "destination", "consignee", "end_use", "reference", "quantity", "value_jpy"],
               ["SO-1", "2019-10-01", "KR", "KR-HANBIT", "etching", "hs:3926.90", "10", "30000"],
               ["SO-1", "2019-10-01", "KR", "KR-HANBIT", "etching", "7(19)#euv-resist", "1", "5000000"]],
    "licences": [["type", "number", "holder", "destinations", "consignees", "items", "value_limit_jpy", "valid_from",
                  "valid_to"],
                 ["individual", "IND-1", "Example K.K.", "KR", "KR-HANBIT", "TRAY", "7000000", "2019-08-01",
                  "2020-01-31"]],
}  # fmt: skip
cells = st.one_of(texts, st.sampled_from(["1e999", "nan", "inf", str(2**64), "9" * 5000, "2019-02-30", "-5"]))


def xlsx_bytes(rows: list[list[str]]) -> bytes | None:
    book = Workbook()
    try:
        for row in rows:
            book.active.append(row)
    except IllegalCharacterError:
        return None  # Excel cannot hold these characters: such a workbook cannot exist
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def import_files(draw: st.DrawFn) -> tuple[str, str, bytes]:
    kind = draw(st.sampled_from(sorted(IMPORT_ROWS)))
    rows = [list(row) for row in IMPORT_ROWS[kind]]
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, len(rows[row]) - 1))
        rows[row][column] = draw(cells)
    if draw(st.booleans()):
        rows.append([draw(cells) for _ in range(draw(st.integers(0, len(rows[0]) + 1)))])
    form = draw(st.sampled_from(["csv", "xlsx", "noise", "damaged-xlsx"]))
    if form == "csv":
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        return kind, "f.csv", text.getvalue().encode("utf-8", "surrogatepass")
    book = xlsx_bytes(rows) or xlsx_bytes(IMPORT_ROWS[kind]) or b""
    if form == "xlsx":
        return kind, "f.xlsx", book
    if form == "noise":
        return kind, draw(st.sampled_from(["f.csv", "f.xlsx"])), draw(st.binary(max_size=400))
    start = draw(st.integers(0, max(len(book) - 1, 0)))
    damage = draw(st.binary(min_size=1, max_size=64))
    return kind, "f.xlsx", book[:start] + damage + book[start + len(damage) :]


def import_base(url: str) -> None:
    with store.session(url) as db:
        records.add_party(db, ADMIN, "KR-HANBIT", "Hanbit Semiconductor Materials", "KR", ["consignee"], None)
        item = records.add_item(db, ADMIN, "TRAY", "wafer tray", "3926.90")
        records.classify(db, ADMIN, item, "jp", "hs:3926.90", "plain plastic article", dt.date(2019, 1, 1))


@fuzz_settings("import")
@given(file=import_files())
def test_import_files_never_crash_or_half_write(database_url: str, file: tuple[str, str, bytes]) -> None:
    if not counts(database_url)[0]:
        import_base(database_url)
    kind, name, content = file
    before = (counts(database_url), ledger_size(database_url))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            with store.session(database_url) as db:
                importing.import_file(db, ADMIN, kind, path)
        except RecordError as refusal:
            message = str(refusal)
            assert name in message, message  # names the file
            for leak in (*LEAKS, folder):
                assert leak not in message, message
            assert (counts(database_url), ledger_size(database_url)) == before
            return
    ledger_size(database_url)
