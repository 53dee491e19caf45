"""No screening, no clearance (issue 10 §5).

Japanese law makes three lists decisive for a transaction with named parties (packs/jp/screening.yaml): the MOF
asset-freeze list and the UN designations Japan implements through it (payments to and capital transactions
with a designated person need permission, FEFTA Art. 16(1), 21(1)), and METI's End User List (the catch-all
end-user requirement). While one of them is not loaded, or is older than its maximum age, a determination that
names a consignee or end user is `indeterminate` with `screening` in `missing`, in every interface; the server
refuses to start without them outside demo mode; reviewing a hit determines the party's open orders again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from exportctl.cli import app
from exportctl.screening.screener import Screener
from exportctl.services import checking, screening
from exportctl.services.screening import ConfiguredScreener
from exportctl.store import db as store
from exportctl.store.models import AuditRecord
from tests.conftest import EUL_FILE, LISTS_DIR, required_screener
from tests.support.apiclient import Api, make_api

runner = CliRunner()
REQUIRED = ("jp-eul", "jp-mof", "un")
# OFAC SDN ent_num 306, BANCO NACIONAL DE CUBA: a US list, so a hit blocks pending review (not Japanese law).
CUBA = "--date 2024-06-01 --to CU --item hs:0901.11 --consignee 'Banco Nacional de Cuba' --end-use office"
COFFEE_TO_CUBA = {
    "date": "2024-06-01",
    "destination": "CU",
    "consignee": "Banco Nacional de Cuba",
    "end_use": "office",
    "lines": [{"item": "hs:0901.11"}],
}


@pytest.fixture
def lists_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """A fresh data folder (no stored list versions) and a screener rebuilt from the settings of each test."""
    monkeypatch.setenv("EXPORTCTL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("EXPORTCTL_LIST_MAX_AGE_DAYS", raising=False)
    screening.screener.cache_clear()
    yield monkeypatch
    screening.screener.cache_clear()


def check(*args: str) -> tuple[int, dict[str, Any] | None, str]:
    result = runner.invoke(app, ["check", *shlex.split(" ".join(args)), "--format", "json"])
    return result.exit_code, json.loads(result.stdout) if result.exit_code == 0 else None, result.stderr


def unscreened(data: dict[str, Any]) -> dict[str, str]:
    """The required lists a determination names as missing or too old, with the reason's text."""
    return {r["rule"].rsplit(":", 1)[1]: r["text"] for r in data["reasons"] if r["rule"].startswith("screening:unscr")}


def _assert_unscreened(data: dict[str, Any], lists: tuple[str, ...] = REQUIRED) -> None:
    assert data["outcome"] == "indeterminate"
    assert "screening" in data["missing"]
    assert sorted(unscreened(data)) == sorted(lists)
    assert all(line["outcome"] == "indeterminate" and "screening" in line["missing"] for line in data["lines"])


# --- 1. the check, in every interface -----------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["unset", "empty", "wrong"])
def test_a_check_naming_a_party_without_the_lists_is_indeterminate(
    lists_env: pytest.MonkeyPatch, tmp_path: Path, folder: str
) -> None:
    if folder == "unset":
        lists_env.delenv("EXPORTCTL_LISTS_DIR", raising=False)
    else:
        target = tmp_path / "empty" if folder == "empty" else tmp_path / "no" / "such" / "folder"
        if folder == "empty":
            target.mkdir()
        lists_env.setenv("EXPORTCTL_LISTS_DIR", str(target))
    code, data, err = check(CUBA)
    assert code == 0, err
    assert data is not None
    _assert_unscreened(data)
    text = unscreened(data)["jp-mof"]
    assert "is not loaded" in text and "EXPORTCTL_LISTS_DIR" in text and "exportctl lists load" in text


def test_with_the_lists_loaded_the_check_finds_the_hit(lists_env: pytest.MonkeyPatch) -> None:
    lists_env.setenv("EXPORTCTL_LISTS_DIR", str(LISTS_DIR))
    code, data, err = check(CUBA)
    assert code == 0, err
    assert data is not None
    assert data["outcome"] == "indeterminate" and data["missing"] == ["screening_review"]
    assert unscreened(data) == {}
    assert any(hit["list"] == "us-sdn" and hit["name"] == "BANCO NACIONAL DE CUBA" for hit in data["consignee_hits"])
    assert data["blocked_by"] and data["lines"][0]["outcome"] == "no_licence_required"


def test_without_parties_the_lists_are_not_needed(lists_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    lists_env.setenv("EXPORTCTL_LISTS_DIR", str(tmp_path))
    code, data, _err = check("--regime jp --date 2019-09-01 --to KR --item 3C002 --value-jpy 5000000")
    assert code == 0 and data is not None
    assert data["outcome"] == "licence_required" and "screening" not in data["missing"]


def test_an_end_user_list_file_alone_does_not_clear_a_party(lists_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`--eul FILE` replaces the End User List only: the asset-freeze lists must still be there."""
    lists_env.setenv("EXPORTCTL_LISTS_DIR", str(tmp_path))
    code, data, _err = check(CUBA, f"--eul {EUL_FILE}")
    assert code == 0 and data is not None
    _assert_unscreened(data, ("jp-mof", "un"))


def _copy_required(folder: Path, old_days: dict[str, int]) -> None:
    """The required list files, each written `old_days[list]` days ago (0: today)."""
    folder.mkdir()
    names = {"jp-eul": EUL_FILE.name, "jp-mof": "jp-mof-asset-freeze-2026-03-05.xlsx"}
    names["un"] = "un-consolidated-2026-02-27.xml"
    for list_id, name in names.items():
        copy = folder / name
        shutil.copyfile(LISTS_DIR / name, copy)
        written = time.time() - old_days.get(list_id, 0) * 86_400
        os.utime(copy, (written, written))


def test_a_list_older_than_its_maximum_age_does_not_clear_a_party(
    lists_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The MOF file was fetched 40 days ago (after its publication on 2026-03-05); the pack allows 31 days.
    _copy_required(tmp_path / "lists", {"jp-mof": 40})
    lists_env.setenv("EXPORTCTL_LISTS_DIR", str(tmp_path / "lists"))
    code, data, _err = check(CUBA)
    assert code == 0 and data is not None
    _assert_unscreened(data, ("jp-mof",))
    assert re.search(r"is 4[01] days old \(at most 31 days\)", unscreened(data)["jp-mof"])

    lists_env.setenv("EXPORTCTL_LIST_MAX_AGE_DAYS", "60")  # the operator's limit overrides the pack's
    code, data, _err = check(CUBA)
    assert code == 0 and data is not None
    assert "screening" not in data["missing"] and unscreened(data) == {}


def test_a_bad_maximum_age_setting_is_refused(lists_env: pytest.MonkeyPatch) -> None:
    lists_env.setenv("EXPORTCTL_LIST_MAX_AGE_DAYS", "a month")
    code, _data, err = check(CUBA)
    assert code == 2 and "EXPORTCTL_LIST_MAX_AGE_DAYS" in err and "Traceback" not in err


def test_api_check_and_orders_without_the_lists(database_url: str) -> None:
    api = make_api(database_url, None)
    checked = api.post("/check", "viewer", COFFEE_TO_CUBA)
    assert checked.status_code == 200
    _assert_unscreened(checked.json())
    party = {"code": "CU-BNC", "name": "Banco Nacional de Cuba", "country": "CU", "roles": ["consignee"]}
    assert api.post("/parties", "clerk", party).status_code == 201
    order = {"number": "CU-1", "ship_date": "2024-06-01", "destination": "CU", "consignee": "CU-BNC"}
    order |= {"end_use": "office", "lines": [{"reference": "hs:0901.11", "value_jpy": 100_000}]}
    created = api.post("/orders", "clerk", order)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "blocked" and body["blocking_reasons"] == ["indeterminate"]
    assert "screening" in body["missing"]
    assert all(line["outcome"] == "indeterminate" for line in body["lines"])


def test_api_check_with_an_old_list(lists_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    lists = list(required_screener().lists)
    fresh = dt.datetime.now(dt.UTC).date()
    as_of = {loaded.list_id: fresh for loaded in lists} | {"un": fresh - dt.timedelta(days=45)}
    api = make_api(f"sqlite:///{tmp_path / 'api.db'}", ConfiguredScreener(lists, as_of=as_of))
    data = api.post("/check", "viewer", COFFEE_TO_CUBA).json()
    _assert_unscreened(data, ("un",))
    assert "is 45 days old (at most 31 days)" in unscreened(data)["un"]


# --- 2. the server ------------------------------------------------------------------------------------------


def test_the_server_refuses_to_start_without_the_lists(lists_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    lists_env.setenv("EXPORTCTL_LISTS_DIR", str(tmp_path / "nothing-here"))
    lists_env.setenv("EXPORTCTL_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.db'}")
    result = runner.invoke(app, ["serve", "--port", "1"])  # refused before anything listens
    assert result.exit_code == 2
    for named in (*REQUIRED, "is not loaded", "EXPORTCTL_LISTS_DIR", "exportctl lists load"):
        assert named in result.stderr


def test_the_shipped_lists_satisfy_the_server(lists_env: pytest.MonkeyPatch) -> None:
    """What `serve` (and `serve --demo`) checks before it listens."""
    lists_env.setenv("EXPORTCTL_LISTS_DIR", str(LISTS_DIR))
    lists_env.setenv("EXPORTCTL_REGIMES", "jp")
    served = checking.served_regimes()
    assert served == ("jp",)
    assert checking.required_gaps(screening.screener(), dt.date.today(), served) == {}
    assert sorted(gap.list_id for gap in checking.required_gaps(None, dt.date.today())["jp"]) == sorted(REQUIRED)
    # The EU's own sanctions list is not among the shipped files: a server for the EU must be given it.
    eu = checking.required_gaps(screening.screener(), dt.date.today(), ("eu",))
    assert [(gap.list_id, gap.why) for gap in eu["eu"]] == [("eu-fsf", "is not loaded")]
    lists_env.setenv("EXPORTCTL_REGIMES", "jp, xx")
    with pytest.raises(ValueError, match="EXPORTCTL_REGIMES: 'xx'"):
        checking.served_regimes()


# --- 3. reviewing a hit determines the party's open orders again -------------------------------------------


def _blocked_by_a_hit(api: Api, code: str, number: str) -> list[int]:
    """A consignee named like OFAC SDN 306 and an order of coffee to Spain (Group A, not controlled): the order
    is blocked by the screening hit alone. Returns the party's open hits."""
    party = {"code": code, "name": "Banco Nacional de Cuba", "country": "ES", "roles": ["consignee"]}
    created = api.post("/parties", "clerk", party).json()
    order = {"number": number, "ship_date": "2024-06-01", "destination": "ES", "consignee": code}
    order |= {"end_use": "coffee retail", "lines": [{"reference": "hs:0901.11", "value_jpy": 100_000}]}
    placed = api.post("/orders", "clerk", order).json()
    assert (placed["status"], placed["blocking_reasons"]) == ("blocked", ["screening-hit"])
    return [hit["id"] for hit in created["hits"] if hit["status"] == "open"]


def _determinations(url: str, number: str) -> list[dict[str, Any]]:
    with store.session(url) as db:
        statement = select(AuditRecord).where(
            AuditRecord.action == "order.determine", AuditRecord.subject == f"order:{number}"
        )
        return [record.payload for record in db.scalars(statement.order_by(AuditRecord.id))]


def test_clearing_a_hit_releases_the_order_and_confirming_keeps_it_blocked(
    database_url: str, screener: Screener
) -> None:
    api = make_api(database_url, screener)
    cleared_hits = _blocked_by_a_hit(api, "ES-BNC", "ES-1")
    confirmed_hits = _blocked_by_a_hit(api, "ES-BNC2", "ES-2")
    assert cleared_hits and confirmed_hits

    for hit_id in cleared_hits:
        review = {"decision": "false-positive", "reason": "a Madrid coffee importer, not the Cuban state bank"}
        assert api.post(f"/hits/{hit_id}/review", "officer", review).status_code == 200
    released = api.get("/orders/ES-1").json()
    assert (released["status"], released["blocking_reasons"]) == ("released", [])
    last = _determinations(database_url, "ES-1")[-1]
    assert last["cause"] == f"screening review: hit {cleared_hits[-1]} false-positive"
    assert last["status"] == "released"

    review = {"decision": "confirmed", "reason": "the listed bank"}
    assert api.post(f"/hits/{confirmed_hits[0]}/review", "officer", review).status_code == 200
    blocked = api.get("/orders/ES-2").json()
    assert (blocked["status"], blocked["blocking_reasons"]) == ("blocked", ["screening-hit"])
    last = _determinations(database_url, "ES-2")[-1]
    assert last["cause"] == f"screening review: hit {confirmed_hits[0]} confirmed"
    assert last["status"] == "blocked"
    assert _determinations(database_url, "ES-1")[-1]["status"] == "released"  # another party's order: untouched
