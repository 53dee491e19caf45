"""Pack versions stored in pack format 1 load again (issue 11): orders keep the files of the pack version they were
determined with, and `audit replay` must load them years later. Format 2 moved Japan's vocabulary from the engine into
the pack; the loader upgrades format-1 files in memory through the pack's rules module, and the version stays the hash
of the files as stored.

Where the format-1 files come from: they are made from the shipped pack by taking out what format 2 added
(`format_1_files`), not kept as a frozen copy. The pack is 1.5 MB of YAML that changes with the law: a copy would go
stale, and its determinations could then no longer be compared with the current pack's, which is what shows that the
upgrade is exact. Format 1 differs from format 2 only in the keys format 2 added and in the catch-all scopes, which
format 1 wrote as one of four words, so removing them gives what a database stored before the change (when this test
was written, the data of the pack as of the last format-1 commit, 1b8ee2c, to the key). Should the pack one day say
something format 1 could not (a scope other than the four, a group, licence type or catch-all row of its own),
`format_1_files` fails: keep a frozen copy of the last pack format 1 could say, then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select, update

from exportctl import determination_json, ledger
from exportctl.core_types import Transaction
from exportctl.determine.engine import determine
from exportctl.regime import PackError, Regime, parse_pack
from exportctl.regime import schema as s
from exportctl.regime.files import builtin_pack_dir, read_pack_dir
from exportctl.regime.loader import FORMAT, pack_version
from exportctl.services import audit
from exportctl.store import db
from exportctl.store.models import AuditRecord, Order, PackVersion
from tests.cli.test_cli_records import as_json, database, demo, ok  # noqa: F401 (the fixtures)
from tests.test_core_is_generic import TOY_PACK

# What format 2 added at the top of a file, and the words format 1 wrote catch-all scopes in.
ADDED_KEYS = {
    "pack.yaml": ("format", "home", "entry_ids", "terms"),
    "destinations.yaml": ("groups",),
    "licences.yaml": ("required",),
}
SCOPE_WORDS = {
    "all": {},
    "group-a": {"groups": ["A"]},
    "outside-group-a": {"outside_groups": ["A"]},
    "table-3-2": {"tables": ["table-3-2"]},
}
# The licence types format 1's engine abbreviated (cli/check.py's codes) and its catch-all row.
ABBREVIATED = {
    "individual", "general-bulk", "special-general-bulk", "specific-bulk", "specific-subsidiary-bulk",
    "special-return-bulk",
}  # fmt: skip
CATCH_ALL_ROW = "16"


def format_1_files(files: dict[str, str], change: dict[str, Any] | None = None) -> dict[str, str]:
    """The shipped pack's `files` as format 1 wrote them; `change` alters the data of a file before it is written."""
    data = {name: yaml.safe_load(text) for name, text in files.items()}
    for name, keys in ADDED_KEYS.items():
        for key in keys:
            del data[name][key]
    for licence, found in data["licences.yaml"]["types"].items():
        assert found.pop("abbreviation", None) is None or licence in ABBREVIATED, f"format 1 had no code for {licence}"
    words = {repr(scope): word for word, scope in SCOPE_WORDS.items()}
    for rule in data["catch_all.yaml"]["rules"]:
        rule["destinations"] = words[repr(rule["destinations"])]  # a KeyError: a scope format 1 could not write
    changed = {*ADDED_KEYS, "catch_all.yaml"}
    for name in [name for name in data if name.startswith("control/")]:
        for row in data[name].get("rows", []):
            if row.pop("catch_all", False):
                assert row["id"] == CATCH_ALL_ROW, f"format 1 had one catch-all row, not {row['id']}"
                changed.add(name)
    for name, altered in (change or {}).items():
        altered(data[name])
        changed.add(name)
    dumped = {name: yaml.safe_dump(data[name], allow_unicode=True, sort_keys=False, width=200) for name in changed}
    return {**files, **dumped}


@pytest.fixture(scope="module")
def current_files() -> dict[str, str]:
    return read_pack_dir(builtin_pack_dir("jp"))


@pytest.fixture(scope="module")
def format_1(current_files: dict[str, str]) -> dict[str, str]:
    return format_1_files(current_files)


@pytest.fixture(scope="module")
def old(format_1: dict[str, str]) -> Regime:
    return Regime(parse_pack(format_1))


@pytest.fixture(scope="module")
def current(current_files: dict[str, str]) -> Regime:
    return Regime(parse_pack(current_files))


def test_the_shipped_pack_is_written_in_the_current_format(current: Regime) -> None:
    assert current.pack.meta.format == FORMAT == 2


def test_a_format_1_pack_reads_as_the_current_pack(format_1: dict[str, str], old: Regime, current: Regime) -> None:
    assert "format" not in yaml.safe_load(format_1["pack.yaml"])
    assert old.pack.meta == current.pack.meta  # home, entry-id grammar, terms, and now format 2
    assert old.pack.destinations == current.pack.destinations  # the groups A, D, B, C
    assert old.pack.licences == current.pack.licences  # the legal basis and the abbreviations
    assert old.pack.rows == current.pack.rows  # row 16 is the catch-all row
    assert old.pack.dated == current.pack.dated  # catch-all scopes, with every other dated section
    assert (old.pack.entries, old.pack.sources, old.pack.parameters) == (
        current.pack.entries,
        current.pack.sources,
        current.pack.parameters,
    )
    # Its version is still the hash of the files as stored, which a replay reports.
    assert old.version == pack_version("jp", format_1) != current.version


# Transactions reaching what format 2 moved into the pack: the groups, the catch-all scopes (Group A's informed
# requirement from 2025-10-09, the conventional end use to an Appended Table 3-2 destination), the home territory's
# residency rule, the small-value exception and the legal basis of a licence.
TRANSACTIONS = [
    {"date": "2024-06-01", "destination": "IR", "lines": [{"item": "7(19)", "value_jpy": 5_000_000}]},
    {"date": "2019-09-01", "destination": "KR", "lines": [{"item": "7(19)", "value_jpy": 12_000_000}]},
    {"date": "2024-06-01", "destination": "US", "lines": [{"item": "7(19)", "value_jpy": 50_000}]},
    {"date": "2025-11-01", "destination": "US", "informed": True, "lines": [{"item": "16(1)"}]},
    {"date": "2024-06-01", "destination": "AF", "conventional_end_use": True, "lines": [{"item": "16"}]},
    {"date": "2024-06-01", "destination": "EE", "wmd_end_use": False, "lines": [{"item": "16"}]},
    {"date": "2024-06-01", "destination": "JP", "lines": [{"kind": "technology", "item": "tech:2(1)"}]},
    {"date": "2024-06-01", "destination": "JP", "lines": [{"kind": "technology", "item": "tech:2(1)",
                                                           "residency": "non-resident"}]},
]  # fmt: skip


@pytest.mark.parametrize("fields", TRANSACTIONS)
def test_a_format_1_pack_determines_as_the_current_pack(fields: dict[str, Any], old: Regime, current: Regime) -> None:
    transaction = Transaction.model_validate(fields)

    def determined(regime: Regime) -> dict[str, Any]:
        snapshot = regime.at(transaction.date)
        return {**determination_json.encode(determine(snapshot, transaction)), "pack_version": None}

    assert determined(old) == determined(current)


# Who each scope word of format 1 reached (Export Trade Control Order's groups): US is in Appended Table 3 (Group A),
# EE in Group B, CN in Group C, IR in Appended Table 4 and AF in Appended Table 3-2 (both Group D).
REACHED = {
    "all": {"US", "EE", "CN", "IR", "AF"},
    "group-a": {"US"},
    "outside-group-a": {"EE", "CN", "IR", "AF"},
    "table-3-2": {"AF"},
}


def test_each_format_1_scope_reaches_the_destinations_it_did(current_files: dict[str, str]) -> None:
    words = sorted(REACHED)

    def scoped(catch_all: dict[str, Any]) -> None:  # the first rules take one word each
        for rule, word in zip(catch_all["rules"], words, strict=False):
            rule["destinations"] = word

    pack = parse_pack(format_1_files(current_files, {"catch_all.yaml": scoped}))
    snapshot = Regime(pack).at(dt.date(2024, 6, 1))
    for word, (_, rule) in zip(words, pack.dated["catch-all"], strict=False):
        assert isinstance(rule.destinations, s.Destinations)
        reached = {c for c in REACHED["all"] if snapshot.reaches(rule.destinations, c, snapshot.group(c))}
        assert reached == REACHED[word], word


def test_an_error_in_an_upgraded_file_names_the_line_as_stored(current_files: dict[str, str]) -> None:
    def misspelt(catch_all: dict[str, Any]) -> None:
        catch_all["rules"][2]["wepon"] = "wmd"

    files = format_1_files(current_files, {"catch_all.yaml": misspelt})
    with pytest.raises(PackError) as caught:
        parse_pack(files)
    text = files["catch_all.yaml"]
    assert (caught.value.file, caught.value.path) == ("catch_all.yaml", ("rules", 2, "wepon"))
    assert caught.value.line == text[: text.index("wepon:")].count("\n") + 1


def _error(files: dict[str, str]) -> PackError:
    with pytest.raises(PackError) as caught:
        parse_pack(files)
    return caught.value


@pytest.mark.parametrize("written", ["3", "99"])
def test_a_pack_of_a_newer_format_is_refused(current_files: dict[str, str], written: str) -> None:
    text = current_files["pack.yaml"].replace("format: 2\n", f"format: {written}\n", 1)
    error = _error({**current_files, "pack.yaml": text})
    assert (error.file, error.path) == ("pack.yaml", ("format",))
    assert error.line == text[: text.index("format:")].count("\n") + 1
    assert f"pack format {written} is newer than this exportctl reads (up to 2): upgrade exportctl" in error.message


@pytest.mark.parametrize("written", ["0", "two", "true", "1.5"])
def test_a_format_that_is_not_a_number_from_1_is_refused(current_files: dict[str, str], written: str) -> None:
    text = current_files["pack.yaml"].replace("format: 2\n", f"format: {written}\n", 1)
    error = _error({**current_files, "pack.yaml": text})
    assert (error.file, error.path) == ("pack.yaml", ("format",))
    assert "whole number from 1" in error.message


def test_a_current_pack_without_its_format_is_told_to_say_it(current_files: dict[str, str]) -> None:
    """Without `format`, a pack is read as format 1, which had no vocabulary of its own: the first key format 2
    added is named, with the fix."""
    text = current_files["pack.yaml"].replace("format: 2\n", "", 1)
    error = _error({**current_files, "pack.yaml": text})
    assert (error.file, error.path) == ("pack.yaml", ("home",))
    assert error.line == text[: text.index("home:")].count("\n") + 1
    assert "pack format 1 has no 'home'" in error.message and "format: 2" in error.message


def test_a_format_1_pack_without_a_rules_module_cannot_be_upgraded() -> None:
    error = _error({**TOY_PACK, "pack.yaml": TOY_PACK["pack.yaml"].replace("format: 2\n", "", 1)})
    assert (error.file, error.path) == ("pack.yaml", ("format",))
    assert "pack format 1 and has no rules module to upgrade it" in error.message


# --- audit replay of an order determined under a format-1 version -------------------------------------------------


@dataclass(frozen=True)
class History:
    url: str
    version: str  # the format-1 version every determination cites
    determinations: list[int]  # their audit records


@pytest.fixture
def history_in_format_1(demo: Path, format_1: dict[str, str]) -> Iterator[History]:  # noqa: F811
    """The demo's database as a database of before format 2 holds it: its determinations cite a format-1 version,
    whose files are kept (what `keep_pack_version` stored then). The determinations are the current pack's, so a
    replay that is identical shows the format-1 files give the determination the current pack gives. (Rewriting
    the records breaks the ledger's chain; a replay does not read it.)"""
    version = pack_version("jp", format_1)
    url = f"sqlite:///{demo}"
    with db.session(url) as session:
        session.add(PackVersion(version=version, regime="jp", files=format_1))
        determinations = session.scalars(select(AuditRecord).where(AuditRecord.action == "order.determine")).all()
        for record in determinations:
            # Records of that time held their determination inline (not cited from `determinations`).
            cited = ledger.cited_determination(session, record.payload["determination_sha256"])
            payload = {k: v for k, v in record.payload.items() if k != "determination_sha256"}
            payload["determination"] = {**cited, "pack_version": version}
            session.execute(
                update(AuditRecord).where(AuditRecord.id == record.id).values(pack_version=version, payload=payload)
            )
        session.execute(update(Order).values(pack_version=version))
        ids = [record.id for record in determinations]
    yield History(url, version, ids)
    db.engine(url).dispose()


def test_audit_replay_of_a_format_1_version(history_in_format_1: History) -> None:
    history = history_in_format_1
    assert len(history.determinations) == 13  # every demo order's
    with db.session(history.url) as session:
        for record_id in history.determinations:
            replayed = audit.replay(session, record_id)
            assert replayed.pack_version == history.version
            assert replayed.identical, (record_id, replayed.recorded, replayed.replayed)
    shown = as_json("audit", "replay", str(history.determinations[-1]))
    assert (shown["pack_version"], shown["identical"]) == (history.version, True)
    out = ok("audit", "replay", str(history.determinations[0]))
    assert f"pack {history.version}" in out and "identical: yes" in out
