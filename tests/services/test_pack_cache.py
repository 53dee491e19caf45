"""Validated packs kept in the data directory (issue 14): the next process loads the kept pack instead of parsing
the YAML, and gets the very pack the files give; a damaged file, or another pack under the key, is never used."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from exportctl.regime.files import builtin_pack_dir, read_pack_dir
from exportctl.regime.loader import parse_pack
from exportctl.services import regimes


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXPORTCTL_DATA_DIR", str(tmp_path))
    return tmp_path


def _kept(data_dir: Path, pack_id: str) -> list[Path]:
    return list((data_dir / "packs").glob(f"{pack_id}-*.pickle"))


@pytest.mark.parametrize("pack_id", ["jp", "eu", "us"])
def test_the_kept_pack_is_the_pack_of_the_files(data_dir: Path, pack_id: str) -> None:
    parsed = parse_pack(read_pack_dir(builtin_pack_dir(pack_id)))
    first = regimes.load_pack(pack_id)
    (kept,) = _kept(data_dir, pack_id)
    second = regimes.load_pack(pack_id)  # from the file
    assert second is not first and second.version == parsed.version
    assert second.entries == parsed.entries and second.destinations == parsed.destinations
    assert second.licences == parsed.licences and second.dated == parsed.dated
    assert second.rules is parsed.rules  # the rules module is found again by the pack's id
    assert [s.name for s in second.sections] == [s.name for s in parsed.sections]
    assert pickle.loads(kept.read_bytes()).version == parsed.version


def test_a_damaged_kept_pack_is_parsed_again(data_dir: Path) -> None:
    regimes.load_pack("jp")
    (kept,) = _kept(data_dir, "jp")
    kept.write_bytes(b"\x80\x05 damaged")
    pack = regimes.load_pack("jp")
    assert pack.version == parse_pack(read_pack_dir(builtin_pack_dir("jp"))).version
    assert pickle.loads(kept.read_bytes()).version == pack.version  # written again


def test_another_pack_under_the_key_is_not_used(data_dir: Path) -> None:
    regimes.load_pack("jp")
    (kept,) = _kept(data_dir, "jp")
    kept.write_bytes(pickle.dumps(regimes.load_pack("eu")))
    assert regimes.load_pack("jp").meta.id == "jp"


def test_a_kept_version_is_parsed_once_for_the_same_files_and_again_for_changed_ones() -> None:
    """An audit replay and a re-check after a pack update read a pack version kept in the database once per order:
    equal files give the regime parsed before; files changed under the same name are parsed as they are."""
    files = read_pack_dir(builtin_pack_dir("eu"))
    first = regimes.kept_version(files)
    assert first.version == parse_pack(files).version
    assert regimes.kept_version(dict(files)) is first  # an equal copy, as each row read gives it
    changed = {**files, "pack.yaml": files["pack.yaml"] + "\n# edited in the database\n"}
    other = regimes.kept_version(changed)
    assert other is not first and other.version == parse_pack(changed).version != first.version
