"""`parties add --address` and `parties show` (issue 16): the address is kept and shown, and refused naming the field
when it is too long or holds control characters, nothing written."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli_records import as_json, database, invoke, ok

__all__ = ["database"]  # the fixture, used by name

ADDRESS = "〒100-8901 東京都千代田区霞が関1-3-1"


def test_parties_add_keeps_the_address_and_show_gives_it(database: Path) -> None:
    added = as_json(
        "parties", "add", "JP-METI", "--name", "Ministry of Economy", "--country", "JP", "--address", ADDRESS
    )
    assert added["address"] == ADDRESS
    assert as_json("parties", "show", "JP-METI")["address"] == ADDRESS
    assert f"address: {ADDRESS}" in ok("parties", "show", "JP-METI")
    assert as_json("parties", "add", "DE-RHEIN", "--name", "Rheinfeld Optik GmbH")["address"] is None


def test_parties_add_refuses_a_bad_address(database: Path) -> None:
    for bad in ("x" * 501, "Hauptstr. 1\x1b[2J"):
        code, out, err = invoke("parties", "add", "P-1", "--name", "First Trading Co", "--address", bad)
        assert code != 0 and "address:" in (err or out)
    assert as_json("parties", "list") == []
