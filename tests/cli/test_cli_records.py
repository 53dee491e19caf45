"""The records commands end to end: demo data, roles, release, review, audit verify / replay / export."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url
from typer.testing import CliRunner

from exportctl.cli import app
from exportctl.cli.acting import TOKEN_ENV

runner = CliRunner()
TOKENS: dict[tuple[str, str], str] = {}
FIVE = {"KR", "TW", "CN", "DE", "US"}


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SQLite file per test (engines are cached per URL, so the URL is new each time)."""
    path = tmp_path / "records.db"
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("EXPORTCTL_USER", raising=False)
    return path


def has_users() -> bool:
    path = Path(make_url(os.environ["EXPORTCTL_DATABASE_URL"]).database or "")
    if not path.exists():
        return False
    with sqlite3.connect(path) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return "users" in tables and bool(connection.execute("SELECT count(*) FROM users").fetchone()[0])


def token_of(user: str) -> str | None:
    """An API token for the user (made once per database, in local admin mode); None if there is no such user."""
    key = (os.environ["EXPORTCTL_DATABASE_URL"], user)
    if key not in TOKENS:
        result = runner.invoke(app, ["--local-admin", "users", "token", user, "--name", "tests"])
        if result.exit_code != 0:
            return None
        TOKENS[key] = result.stdout.strip()
    return TOKENS[key]


def invoke(*args: str, user: str | None = None) -> tuple[int, str, str]:
    """Run a command as `user` (with that user's token, as a system or script would), or else as the local
    admin; on an empty database with no credential, as the bootstrap admin."""
    token = token_of(user) if user else None
    credential = ["--user", user] if user else ["--local-admin"] if has_users() else []
    result = runner.invoke(app, [*credential, *args], env={TOKEN_ENV: token} if token else {})
    return result.exit_code, result.stdout, result.stderr


def ok(*args: str, user: str | None = None) -> str:
    code, out, err = invoke(*args, user=user)
    assert code == 0, err or out
    return out


def as_json(*args: str, user: str | None = None) -> Any:
    return json.loads(ok(*args, "--format", "json", user=user))


@pytest.fixture
def demo(database: Path) -> Path:
    assert "13 orders" in ok("demo", "load")
    return database


def audit_lines() -> list[dict[str, Any]]:
    return [json.loads(line) for line in ok("audit", "export").splitlines()]


def test_demo_shows_blocked_and_released_orders_to_all_five_countries(demo: Path) -> None:
    orders = as_json("orders", "list")
    assert {o["destination"] for o in orders} >= FIVE
    assert {o["destination"] for o in orders if o["status"] == "released"} >= {"KR", "TW", "DE", "US"}
    blocked = [o for o in orders if o["status"] == "blocked"]
    assert {o["destination"] for o in blocked} >= {"KR", "TW", "CN"}
    assert {reason for o in blocked for reason in o["blocking_reasons"]} == {
        "licence-needed",
        "screening-hit",
        "indeterminate",
    }
    assert all(o["ship_date"].startswith("2019-") for o in orders)
    assert [o["number"] for o in as_json("orders", "list", "--status", "blocked")] == [o["number"] for o in blocked]
    # The Korea measures: resist to KR under the general bulk licence in June, under an individual one in August.
    june, august = as_json("orders", "show", "SO-2019-0101"), as_json("orders", "show", "SO-2019-0103")
    assert june["lines"][0]["licence"] == "GB-2019-0042" and june["destination_group"] == "A"
    assert august["lines"][0]["eligible_licences"] == ["individual"]
    assert august["lines"][0]["licence"] == "IND-2019-KR-0815"
    # Every step went through the services: the ledger holds it, by the acting user.
    actions = {(r["action"], r["actor"]) for r in audit_lines()}
    assert {("user.add", "system"), ("party.screen", "admin"), ("order.determine", "admin")} <= actions


def test_demo_load_twice_is_refused(demo: Path) -> None:
    code, _out, err = invoke("demo", "load")
    assert code == 2 and "already loaded" in err
    assert len(as_json("orders", "list")) == 13


def test_bootstrap_admin_and_unknown_users(database: Path) -> None:
    code, _out, err = invoke("users", "list", user="olga")
    assert code == 2 and "user 'olga' does not exist" in err
    assert as_json("users", "list") == [{"name": "admin", "role": "admin"}]
    ok("users", "add", "vera", "--role", "viewer")
    code, _out, err = invoke("users", "add", "eve", "--role", "admin", user="vera")
    assert code == 2 and "vera (viewer) may not do this" in err
    code, _out, err = invoke("users", "add", "eve", "--role", "boss")
    assert code == 2 and "role: 'boss'" in err
    assert as_json("parties", "list", user="vera") == []  # a viewer reads


def test_only_an_officer_releases_with_a_reason(demo: Path) -> None:
    code, _out, err = invoke("orders", "release", "SO-2019-0102", "--reason", "licence on paper", user="alice")
    assert code == 2 and "alice (clerk) may not do this" in err
    code, _out, err = invoke("orders", "release", "SO-2019-0102", "--reason", " ", user="olga")
    assert code == 2 and "reason" in err
    assert as_json("orders", "show", "SO-2019-0102")["status"] == "blocked"
    # Issue 10: a reason never lifts licence-needed; the licence held on paper is entered into the book first.
    code, _out, err = invoke("orders", "release", "SO-2019-0102", "--reason", "licence on paper", user="olga")
    assert code == 2 and "enter the licence in the book" in err
    assert as_json("orders", "show", "SO-2019-0102")["status"] == "blocked"
    paper = ["--type", "individual", "--holder", "Example Materials K.K.", "--destination", "KR"]
    dates = ["--valid-from", "2019-07-01", "--valid-to", "2020-06-30", "--consignee", "KR-SEORAE"]
    ok("licences", "add", "IND-2019-KR-0701", *paper, *dates, user="olga")
    released = ok("orders", "release", "SO-2019-0102", "--reason", "Individual licence held on paper", user="olga")
    assert "released by olga (licence IND-2019-KR-0701 from the book)" in released
    shown = as_json("orders", "show", "SO-2019-0102")
    assert shown["status"] == "released"
    assert [(r["officer"], r["reason"]) for r in shown["releases"]] == [("olga", "Individual licence held on paper")]
    code, _out, err = invoke("orders", "release", "SO-2019-0102", "--reason", "again", user="olga")
    assert code == 2 and "is released, not blocked" in err


def test_four_eyes_release(demo: Path) -> None:
    # Issue 10: licence-needed is never overridden, so it cannot be a four-eyes reason; four-eyes is on by
    # default for every override. SO-2019-0301 is blocked as indeterminate (no declared end use).
    code, _out, err = invoke("settings", "four-eyes", "licence-needed")
    assert code == 2 and "REASON" in err
    first = ok("orders", "release", "SO-2019-0301", "--reason", "checked", user="olga")
    assert "second officer" in first and "awaiting second approval (1 of 2)" in first
    assert as_json("orders", "show", "SO-2019-0301")["status"] == "blocked"
    assert as_json("orders", "show", "SO-2019-0301")["release_state"] == "awaiting second approval (1 of 2)"
    code, _out, err = invoke("orders", "release", "SO-2019-0301", "--reason", "checked", user="olga")
    assert code == 2 and "second officer" in err
    ok("orders", "release", "SO-2019-0301", "--reason", "agreed", user="oscar")
    assert as_json("orders", "show", "SO-2019-0301")["status"] == "released"


def test_settings_decide_what_an_officer_may_override(demo: Path) -> None:
    ok("settings", "four-eyes")  # explicitly: one officer suffices
    ok("settings", "overridable", "screening-hit")
    code, _out, err = invoke("orders", "release", "SO-2019-0301", "--reason", "checked", user="olga")
    assert code == 2 and "indeterminate: not a reason an officer may override" in err
    code, _out, err = invoke("settings", "overridable", "prohibited")
    assert code == 2 and "REASON" in err
    ok("orders", "release", "SO-2019-0302", "--reason", "not the listed entity", user="olga")
    assert as_json("orders", "show", "SO-2019-0302")["status"] == "released"


def test_ship_on_a_date_once_and_licence_states(demo: Path) -> None:
    # SO-2019-0103 (2019-08-20) draws IND-2019-KR-0815 (60 units, ¥12,000,000) to nothing.
    code, _out, err = invoke("orders", "ship", "SO-2019-0103", user="alice")  # today: the rules have changed since
    assert code == 2 and "rules changed" in err
    assert "shipped on 2019-08-20; drawn on IND-2019-KR-0815" in ok(
        "orders", "ship", "SO-2019-0103", "--date", "2019-08-20", user="alice"
    )
    code, _out, err = invoke("orders", "recheck", "SO-2019-0103", user="alice")
    assert code == 2 and "has shipped" in err
    code, _out, err = invoke("orders", "ship", "SO-2019-0103", "--date", "2019-08-20", user="alice")
    assert code == 2 and "only a released order ships" in err
    assert as_json("orders", "show", "SO-2019-0103")["shipped_on"] == "2019-08-20"
    states = {lic["number"]: lic["state"] for lic in as_json("licences", "list")}
    assert states["IND-2019-KR-0815"] == states["IND-2019-KR-0903"] == "expired"  # ended in 2020, read today
    # Fully used on 2019-09-01: exhausted, not "near exhaustion".
    warnings = as_json("licences", "warnings", "--today", "2019-09-01")
    assert {
        "number": "IND-2019-KR-0815",
        "kind": "exhausted",
        "text": "value 12,000,000 of 12,000,000 used",
    } in warnings
    shown = as_json("licences", "show", "IND-2019-KR-0815")
    assert [d["shipped_on"] for d in shown["drawdowns"]] == ["2019-08-20"]


def test_false_positive_review_then_recheck_releases(demo: Path) -> None:
    party = as_json("parties", "show", "CN-GOLDSTAR")
    assert party["screening_status"] == "hits" and party["hits"]
    first = party["hits"][0]["id"]
    code, _out, err = invoke("parties", "review", str(first), "--false-positive", "--reason", "x", user="alice")
    assert code == 2 and "alice (clerk)" in err
    code, _out, err = invoke("parties", "review", str(first), "--false-positive", user="olga")
    assert code == 2 and "needs a reason" in err
    for hit in party["hits"]:
        reason = "Shenzhen trading company; the listed entity is in Syria"
        ok("parties", "review", str(hit["id"]), "--false-positive", "--reason", reason, user="olga")
    assert as_json("parties", "show", "CN-GOLDSTAR")["screening_status"] == "clear"
    assert as_json("orders", "recheck", "SO-2019-0302")["status"] == "released"


def test_audit_verify_then_tampering_is_named(demo: Path) -> None:
    records = audit_lines()
    out = ok("audit", "verify")
    assert f"{len(records)} records verified" in out
    target = next(r for r in records if r["action"] == "party.add" and r["subject"] == "party:KR-SEORAE")
    with sqlite3.connect(demo) as connection:
        payload = json.dumps(target["payload"] | {"name": "Someone Else Co., Ltd."})
        connection.execute("UPDATE audit_records SET payload = ? WHERE id = ?", (payload, target["id"]))
    code, out, _err = invoke("audit", "verify")
    assert code == 1
    assert f"record {target['id']} (party.add party:KR-SEORAE)" in out and "modified" in out
    data = json.loads(invoke("audit", "verify", "--format", "json")[1])
    assert data == {
        "ok": False,
        "checked": target["id"] - 1,
        "first_bad": target["id"],
        "problem": data["problem"],
    }


def test_audit_verify_names_a_deleted_record(demo: Path) -> None:
    with sqlite3.connect(demo) as connection:
        connection.execute("DELETE FROM audit_records WHERE id = 10")
    code, out, _err = invoke("audit", "verify")
    assert code == 1 and "record 10" in out and "missing" in out


def test_audit_replay_is_identical(demo: Path) -> None:
    records = audit_lines()
    determinations = {r["subject"]: r["id"] for r in records if r["action"] == "order.determine"}
    # SO-2019-0601: consignee and end user are the same listed party; SO-2019-0103: a licensed KR line.
    for subject in ("order:SO-2019-0601", "order:SO-2019-0103"):
        out = ok("audit", "replay", str(determinations[subject]))
        assert "identical: yes" in out
    replayed = as_json("audit", "replay", str(determinations["order:SO-2019-0302"]))
    assert replayed["identical"] is True and replayed["recorded"] == replayed["replayed"]
    assert replayed["recorded"]["consignee_hits"]
    code, _out, err = invoke("audit", "replay", "1")
    assert code == 2 and "not a determination" in err


OUTCOMES = {"licence_required", "no_licence_required", "indeterminate", "prohibited"}


def test_audit_export_has_one_line_per_record(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "trail.jsonl"
    code, _out, err = invoke("audit", "export", "--output", str(target))
    assert code == 0
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    with sqlite3.connect(demo) as connection:
        (count,) = connection.execute("SELECT count(*) FROM audit_records").fetchone()
    assert len(lines) == count and f"{count} audit records exported" in err
    assert [line["id"] for line in lines] == list(range(1, count + 1))
    assert all(line["prev_hash"] == before["hash"] for before, line in itertools.pairwise(lines))
    # A determination record carries the texts it cites, each hashing to its key: the export stands on its own.
    cited = [line for line in lines if "determination_sha256" in line["payload"]]
    assert len(cited) >= 10  # the demo's orders were determined
    for line in cited:
        keys = [line["payload"]["determination_sha256"], *line["payload"]["other_determination_sha256"].values()]
        assert sorted(line["determinations"]) == sorted(keys)
        for key, text in line["determinations"].items():
            assert hashlib.sha256(text.encode()).hexdigest() == key
            assert json.loads(text)["outcome"] in OUTCOMES


def test_items_parties_licences_and_orders_by_hand(database: Path, tmp_path: Path) -> None:
    ok("items", "add", "HF", "--description", "Hydrogen fluoride", "--hs", "2811.11")
    ok("items", "classify", "HF", "--reference", "hs:2811.11", "--rationale", "diluted", "--valid-from", "2019-01-01")
    ok("items", "classify", "HF", "--reference", "3(1)#hydrogen-fluoride", "--rationale", "55 wt%", "--valid-from",
       "2019-06-01")  # fmt: skip
    history = as_json("items", "show", "HF")["classifications"]
    assert [c["reference"] for c in history] == ["hs:2811.11", "3(1)#hydrogen-fluoride"]
    assert history[1]["entries"] == ["3(1)"]
    code, _out, err = invoke("parties", "add", "KR1", "--name", "Hanbit Co.", "--country", "XK1")
    assert code == 2 and "--country" in err
    ok("parties", "add", "KR1", "--name", "Hanbit Semiconductor Materials Co., Ltd.", "--country", "KR")
    code, _out, err = invoke("licences", "add", "IND-9", "--type", "individual", "--holder", "Example Materials K.K.",
                             "--valid-from", "2019-08-01", "--valid-to", "2019-12-31", "--consignee", "KR1",
                             user="alice")  # fmt: skip
    assert code == 2 and "user 'alice' does not exist" in err
    ok("users", "add", "olga", "--role", "officer")
    ok("licences", "add", "IND-9", "--type", "individual", "--holder", "Example Materials K.K.", "--valid-from",
       "2019-08-01", "--valid-to", "2019-12-31", "--consignee", "KR1", "--item", "HF", user="olga")  # fmt: skip
    document = {
        "number": "SO-9",
        "ship_date": "2019-09-02",
        "destination": "KR",
        "consignee": "KR1",
        "end_user": "KR1",
        "end_use": "etching",
        "lines": [{"item": "HF", "quantity": 10, "value_jpy": 1_000_000}],
    }
    (tmp_path / "order.json").write_text(json.dumps(document))
    added = as_json("orders", "add", "--file", str(tmp_path / "order.json"))
    assert added["status"] == "released" and added["lines"][0]["licence"] == "IND-9"
    # Moved to 2020: the licence has lapsed, so the order is blocked again.
    moved = as_json("orders", "update", "SO-9", "--ship-date", "2020-01-15")
    assert moved["status"] == "blocked" and moved["blocking_reasons"] == ["licence-needed"]
    one_line = as_json("orders", "add", "--number", "SO-10", "--ship-date", "2019-05-01", "--to", "KR", "--item", "HF",
                       "--consignee", "KR1", "--end-use", "etching")  # fmt: skip
    assert one_line["lines"][0]["classified_as"] == "hs:2811.11"  # the classification in force on the ship date
    code, _out, err = invoke(
        "orders", "add", "--number", "SO-11", "--ship-date", "2019-13-01", "--to", "KR", "--item", "HF"
    )
    assert code == 2 and "--ship-date" in err
    (tmp_path / "bad.yaml").write_text("number: SO-12\nship_date: 2019-09-02\ndestination: KR\nlines: []\n")
    code, _out, err = invoke("orders", "add", "--file", str(tmp_path / "bad.yaml"))
    assert code == 2 and "lines" in err


def test_an_order_from_flags_is_refused_naming_the_flag(database: Path) -> None:
    """Flags give the same order input as a file: what it refuses is named by the flag that gave it."""
    order = ["orders", "add", "--number", "SO-1", "--ship-date", "2019-09-02", "--to", "KR", "--reference", "7(19)"]
    cases = {
        "--number": ["--number", "SO/1"],  # /orders/SO/1 would open no page
        "--to": ["--to", "XX"],
        "--end-use": ["--end-use", "wafer\x00handling"],
        "--residency": ["--technology", "--residency", "abroad"],
        "--tech-purpose": ["--technology", "--tech-purpose", "repair"],
    }
    for flag, changed in cases.items():
        code, _out, err = invoke(*order, *changed)
        assert code == 2 and f"{flag}: " in err, (flag, err)
    assert invoke("orders", "list", "--format", "json")[1].strip() == "[]"


def test_import_through_the_cli_names_the_bad_row(database: Path, tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text("code,description,hs_code\nA,Good,3926.90\nB,,3926.90\n", encoding="utf-8")
    code, _out, err = invoke("items", "import", str(path))
    assert code == 2 and "items.csv: row 3, column description" in err
    assert as_json("items", "list") == []
    path.write_text("code,description,hs_code\nA,Good,3926.90\nB,Also good,\n", encoding="utf-8")
    assert "2 items" in ok("items", "import", str(path))
    assert [i["code"] for i in as_json("items", "list")] == ["A", "B"]
