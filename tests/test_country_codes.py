"""Issue 11, item 7: one country type. Every interface that takes a country applies the same rule
(`countries.CountryCode`): an assigned ISO 3166-1 alpha-2 code, read without surrounding spaces and in any case
('de' and ' DE ' are Germany, stored as 'DE'); blank and user-assigned codes (XX, ZZ, XK) are refused with a
message naming the field, flag, or file/row/column.

Each interface below gets the same cases: lower-case is normalised, XX/ZZ/blank are refused.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from exportctl.cli import app
from exportctl.core_types import Transaction
from exportctl.countries import ASSIGNED, alpha_2
from exportctl.regime import PackError, parse_pack
from exportctl.services import errors, importing, orders, records
from exportctl.services.actors import Actor
from exportctl.services.errors import RecordError
from exportctl.store import db as store
from tests.support.apiclient import Api, make_api

# (what is sent, what is stored or the words of the refusal). ISO 3166-1 reserves XX and ZZ for users (and XK
# is Kosovo's user-assigned code): no pack can list them, so they are never a destination.
NORMALISED = [("de", "DE"), (" kr ", "KR"), ("Us", "US")]
REFUSED = [
    ("XX", "'XX' is not an ISO 3166-1 alpha-2 country code"),
    ("ZZ", "'ZZ' is not an ISO 3166-1 alpha-2 country code"),
    ("", "must not be blank"),
]
ADMIN = Actor("admin", "admin")
TRANSACTION = {"date": "2024-06-01", "lines": [{"item": "hs:3926.90", "value_jpy": 1000}]}
ORDER = {"number": "SO-1", "ship_date": "2019-10-01", "lines": [{"reference": "hs:3926.90"}]}
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--local-admin", *args])
    return result.exit_code, result.stdout, result.stderr


# --- the rule -------------------------------------------------------------------------------------------------


def test_the_rule_accepts_assigned_codes_in_any_case_and_refuses_the_rest() -> None:
    assert len(ASSIGNED) == 249  # ISO 3166-1 assigns 249 alpha-2 codes
    for sent, stored in NORMALISED:
        assert alpha_2(sent) == stored
    for sent, says in [*REFUSED, ("XK", "'XK' is not"), ("DEU", "'DEU' is not"), ("  ", "must not be blank")]:
        with pytest.raises(ValueError, match=says):
            alpha_2(sent)
    # str.upper() would make 'ß' South Sudan (SS) and 'ıt' Italy (IT): only ASCII letters are codes.
    for sent in ("ß", "ıt", "ＤＥ"):
        with pytest.raises(ValueError, match="is not an ISO 3166-1"):
            alpha_2(sent)


def test_engine_input() -> None:
    for sent, stored in NORMALISED:
        transaction = Transaction.model_validate(TRANSACTION | {"destination": sent, "end_user_country": sent})
        assert (transaction.destination, transaction.end_user_country) == (stored, stored)
    for sent, says in REFUSED:
        for field in ("destination", "end_user_country"):
            body = {"destination": "DE"} | TRANSACTION | {field: sent}
            with pytest.raises(ValidationError) as refusal:
                Transaction.model_validate(body)
            assert refusal.value.errors()[0]["loc"] == (field,) and says in str(refusal.value)


def test_services_check_country_stores_the_code() -> None:
    for sent, stored in NORMALISED:
        assert records.check_country("country", sent) == stored
    for sent, says in REFUSED:
        with pytest.raises(errors.Invalid, match=f"^country: {says}"):
            records.check_country("country", sent)


# --- command line ---------------------------------------------------------------------------------------------


def test_cli_check_to() -> None:
    for sent, stored in NORMALISED:
        code, out, err = invoke(
            "check", "--date", "2024-06-01", "--to", sent, "--item", "hs:3926.90", "--format", "json"
        )
        assert code == 0, err
        assert json.loads(out)["destination"] == stored
    for sent, says in REFUSED:
        for flag in ("--to", "--end-user-country"):
            flags = {"--to": "DE", "--end-user-country": "DE", flag: sent}
            args = [part for pair in flags.items() for part in pair]
            code, _, err = invoke("check", "--date", "2024-06-01", "--item", "hs:3926.90", *args)
            assert code == 2 and flag in err and says in err, err


def test_cli_screen_country(tmp_path: Path) -> None:
    code, out, err = invoke("screen", "Acme Trading", "--country", "ae", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["country"] == "AE"
    for sent, says in REFUSED:
        code, _, err = invoke("screen", "Acme Trading", "--country", sent)
        assert code == 2 and "--country" in err and says in err, err
    parties = tmp_path / "parties.csv"
    for sent, says in REFUSED[:2]:  # an empty cell is a party without a country, as in every import
        parties.write_text(f"name,country\nAcme Trading,\nBeta Trading,{sent}\n", "utf-8")
        code, _, err = invoke("screen", "--input", str(parties), "--output", str(tmp_path / "hits.csv"))
        assert code == 2 and "row 3, column country" in err and says in err, err


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'records.db'}"
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", url)
    monkeypatch.delenv("EXPORTCTL_USER", raising=False)
    return url


def test_cli_records_flags_and_order_file(database: str, tmp_path: Path) -> None:
    code, out, err = invoke("parties", "add", "P-DE", "--name", "Rhein GmbH", "--country", " de ", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["country"] == "DE"
    code, out, err = invoke(
        "orders", "add", "--number", "SO-1", "--ship-date", "2019-10-01", "--to", "kr", "--reference", "hs:3926.90",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["destination"] == "KR"
    document = tmp_path / "order.json"
    document.write_text(json.dumps(ORDER | {"number": "SO-2", "destination": "us"}), "utf-8")
    code, out, err = invoke("orders", "add", "--file", str(document), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["destination"] == "US"
    for sent, says in REFUSED:
        code, _, err = invoke("parties", "add", "P-X", "--name", "X GmbH", "--country", sent)
        assert code == 2 and "--country" in err and says in err, err
        code, _, err = invoke("orders", "update", "SO-1", "--to", sent)
        assert code == 2 and "--to" in err and says in err, err
        document.write_text(json.dumps(ORDER | {"number": "SO-3", "destination": sent}), "utf-8")
        code, _, err = invoke("orders", "add", "--file", str(document))
        assert code == 2 and "destination" in err and says in err, err


# --- REST -----------------------------------------------------------------------------------------------------


@pytest.fixture
def api(tmp_path: Path) -> Api:
    return make_api(f"sqlite:///{tmp_path / 'api.db'}", None)


def refused(response: Any, field: str, says: str) -> None:
    assert response.status_code == 422, response.text
    problem = response.json()
    assert any(e["field"].endswith(field) and says in e["message"] for e in problem["errors"]), problem


def test_rest_bodies_and_queries(api: Api) -> None:
    for sent, stored in NORMALISED:
        checked = api.post("/check", "viewer", TRANSACTION | {"destination": sent})
        assert checked.status_code == 200 and checked.json()["destination"] == stored, checked.text
    created = api.post("/orders", "clerk", ORDER | {"destination": "de"})
    assert created.status_code == 201 and created.json()["destination"] == "DE", created.text
    changed = api.patch("/orders/SO-1", "clerk", {"destination": " kr "})
    assert changed.status_code == 200 and changed.json()["destination"] == "KR", changed.text
    party = api.post("/parties", "clerk", {"code": "P-1", "name": "Acme", "country": "us"})
    assert party.status_code == 201 and party.json()["country"] == "US", party.text
    listed = api.get("/orders", params={"destination": "kr"})
    assert [order["number"] for order in listed.json()["items"]] == ["SO-1"], listed.text
    for sent, says in REFUSED:
        refused(api.post("/check", "viewer", TRANSACTION | {"destination": sent}), "destination", says)
        refused(api.post("/orders", "clerk", ORDER | {"number": "SO-2", "destination": sent}), "destination", says)
        refused(api.patch("/orders/SO-1", "clerk", {"destination": sent}), "destination", says)
        refused(api.post("/parties", "clerk", {"code": "P-2", "name": "Acme", "country": sent}), "country", says)
        refused(api.post("/screen", "viewer", {"name": "Acme", "country": sent}), "country", says)
        refused(api.get("/orders", params={"destination": sent}), "destination", says)
    assert api.get("/orders/SO-1").json()["destination"] == "KR"


# --- imports --------------------------------------------------------------------------------------------------


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_import_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'import.db'}"
    header = ["number", "ship_date", "destination", "reference"]
    order_rows = write_csv(tmp_path / "orders.csv", [header, ["SO-1", "2019-10-01", " de ", "hs:3926.90"]])
    parties = write_csv(tmp_path / "parties.csv", [["code", "name", "country"], ["P-1", "Acme", "kr"]])
    with store.session(url) as db:
        importing.import_file(db, ADMIN, "orders", order_rows)
        importing.import_file(db, ADMIN, "parties", parties)
        assert orders.order_by_number(db, "SO-1").destination == "DE"
        assert records.party_by_code(db, "P-1").country == "KR"
    # A blank cell is an absent value in every imported table: required (destination), it is refused as such.
    for sent, says in [*REFUSED[:2], ("", "required, but empty")]:
        rows = [header, ["SO-2", "2019-10-01", "DE", "hs:3926.90"], ["SO-3", "2019-10-01", sent, "hs:3926.90"]]
        bad = write_csv(tmp_path / "bad.csv", rows)
        with pytest.raises(RecordError, match=f"bad.csv: row 3, column destination: {says}"), store.session(url) as db:
            importing.import_file(db, ADMIN, "orders", bad)
    store.engine(url).dispose()


# --- packs ----------------------------------------------------------------------------------------------------


def test_pack_files(pack_files: dict[str, str]) -> None:
    lower = pack_files["destinations.yaml"].replace('"EE": [', '"ee": [')
    assert lower != pack_files["destinations.yaml"]
    pack = parse_pack({**pack_files, "destinations.yaml": lower})
    assert "EE" in pack.destinations.tables["group-b"].members
    for sent, says in REFUSED:
        text = pack_files["destinations.yaml"].replace('"EE": [', f'"{sent}": [')
        with pytest.raises(PackError, match=says) as refusal:
            parse_pack({**pack_files, "destinations.yaml": text})
        assert refusal.value.file == "destinations.yaml"
    measure = pack_files["licences.yaml"].replace("destinations: [KR]", "destinations: [XX]")
    assert measure != pack_files["licences.yaml"]
    with pytest.raises(PackError, match="'XX' is not an ISO 3166-1") as refusal:
        parse_pack({**pack_files, "licences.yaml": measure})
    assert refusal.value.file == "licences.yaml"
