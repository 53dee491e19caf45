"""The screening index kept on disk (issue 14, "a CLI that answers in a second"): a process opens the index built
for the current list versions instead of parsing the lists, answers exactly as the index built in memory, and never
answers from an index of other list versions (a changed file, a companion file, a damaged index file)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl import determination_json
from exportctl.screening.entities import LoadedList
from exportctl.screening.index import IndexTables
from exportctl.screening.screener import Screener
from exportctl.services import index_file, orders, screening
from exportctl.services.lists import ListSource, list_sources
from tests.conftest import LISTS_DIR


def _hits(screener: Screener, name: str, country: str | None = None) -> str:
    result = screener.screen(name, country)
    return json.dumps([determination_json.encode_hit(hit) for hit in result.hits], sort_keys=True, default=str)


@pytest.fixture(scope="module")
def index_path(shipped_lists: list[LoadedList], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from exportctl.screening.index import build_tables

    path = tmp_path_factory.mktemp("index") / "all.sqlite"
    index_file.write_index(build_tables(shipped_lists), path)
    return path


@pytest.fixture(scope="module")
def from_file(index_path: Path) -> Screener:
    return Screener(index_file.open_index(index_path))


@pytest.fixture(scope="module")
def loaded_from_file(index_path: Path) -> Screener:
    return Screener(index_file.load_index(index_path))


# Names as users type them: listed names (some changed), names on no list, other scripts.
QUERIES = [
    "Korea Mining Development Trading",
    "KOREA KWANGSON BANKING CORP",
    "Delta Engineering Concern",
    "Air Koryo",
    "Islamic Revolutionary Guard Corps",
    "Kim Jong Un",
    "朝鮮鉱業開発貿易会社",
    "Акционерное общество Алмаз-Антей",
    "Sakura Precision Optics K.K.",
    "Mohammad Bagheri",
]


@pytest.mark.parametrize("name", QUERIES)
def test_the_file_answers_as_the_index_in_memory(
    screener: Screener, from_file: Screener, loaded_from_file: Screener, name: str
) -> None:
    expected = _hits(screener, name)
    assert _hits(from_file, name) == expected
    assert _hits(loaded_from_file, name) == expected


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_property_listed_names_with_typos_answer_alike(
    screener: Screener, from_file: Screener, data: st.DataObject
) -> None:
    names = screener.index.names
    listed = names[data.draw(st.integers(0, len(names) - 1), label="name")].name
    position = data.draw(st.integers(0, max(len(listed) - 1, 0)), label="position")
    edit = data.draw(st.sampled_from(["keep", "drop", "double", "upper"]), label="edit")
    typed = {
        "keep": listed,
        "drop": listed[:position] + listed[position + 1 :],
        "double": listed[:position] + listed[position : position + 1] * 2 + listed[position + 1 :],
        "upper": listed.upper(),
    }[edit]
    country = data.draw(st.sampled_from([None, "KP", "IR", "JP"]), label="country")
    assert _hits(from_file, typed, country) == _hits(screener, typed, country)


def test_the_file_describes_the_lists_it_was_built_from(shipped_lists: list[LoadedList], from_file: Screener) -> None:
    assert {i: v.sha256 for i, v in from_file.index.lists.items()} == {x.list_id: x.sha256 for x in shipped_lists}
    assert {i: v.version for i, v in from_file.index.lists.items()} == {x.list_id: x.version for x in shipped_lists}
    assert from_file.index.entity_count == sum(len(x.entities) for x in shipped_lists)
    un = next(x for x in shipped_lists if x.list_id == "un")
    assert from_file.index.lists["un"].published == un.published
    entity = un.entities[0]
    assert from_file.index.entities[entity.entity_id] == entity


def test_threads_share_one_file(screener: Screener, index_path: Path) -> None:
    shared = Screener(index_file.open_index(index_path))
    expected = {name: _hits(screener, name) for name in QUERIES}
    found: dict[tuple[int, str], str] = {}

    def work(number: int) -> None:
        for name in QUERIES:
            found[(number, name)] = _hits(shared, name)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == {(n, name): expected[name] for n in range(4) for name in QUERIES}


# --- which file is opened ------------------------------------------------------------------------------------------


@pytest.fixture
def own_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A lists folder and a data directory of this test's own: the US Consolidated Screening List sample of 2019."""
    folder = tmp_path / "lists"
    folder.mkdir()
    shutil.copyfile(LISTS_DIR / "us-csl-sample-2019.csv", folder / "us-csl-sample.csv")
    monkeypatch.setenv("EXPORTCTL_LISTS_DIR", str(folder))
    monkeypatch.setenv("EXPORTCTL_DATA_DIR", str(tmp_path / "data"))
    screening.screener.cache_clear()
    yield folder
    screening.screener.cache_clear()


def _names(tables: IndexTables) -> set[str]:
    return {tables.names[i].entity.name for i in range(len(tables.names))}


def test_a_changed_list_file_is_never_answered_from_the_old_index(own_lists: Path) -> None:
    first = index_file.open_or_build(list_sources())
    kept = list((own_lists.parent / "data" / "index").glob("*.sqlite"))
    assert len(kept) == 1
    assert index_file.open_or_build(list_sources()).lists["us-csl"].sha256 == first.lists["us-csl"].sha256
    # The same file name, the 2025 content: entities the 2019 list did not have must be found.
    shutil.copyfile(LISTS_DIR / "us-csl-sample-2025.csv", own_lists / "us-csl-sample.csv")
    expected = Screener([ListSource("us-csl", path=own_lists / "us-csl-sample.csv").read()])
    second = index_file.open_or_build(list_sources())
    assert second.lists["us-csl"].sha256 != first.lists["us-csl"].sha256
    assert _names(second) == {n.entity.name for n in expected.index.names}
    assert _names(second) != _names(first)
    assert len(list((own_lists.parent / "data" / "index").glob("*.sqlite"))) == 2


def test_a_companion_file_is_part_of_the_version(tmp_path: Path) -> None:
    """OFAC's SDN list is read with its alias file beside it: a new alias file is a new version (and index)."""
    for name in ("us-ofac-sdn.csv", "us-ofac-add.csv", "us-ofac-alt.csv"):
        shutil.copyfile(LISTS_DIR / name, tmp_path / name)
    source = ListSource("us-sdn", path=tmp_path / "us-ofac-sdn.csv")
    before = source.content_hash()
    assert before == source.read().sha256
    alt = tmp_path / "us-ofac-alt.csv"
    rows = alt.read_text(encoding="utf-8").rstrip("\x1a\r\n")  # the file ends with an end-of-file character
    alt.write_text(rows + '\r\n36,99999,"a.k.a.","EXAMPLE ALIAS TRADING",-0- \r\n', encoding="utf-8")
    assert source.content_hash() != before
    assert source.content_hash() == source.read().sha256


def test_a_damaged_index_file_is_built_again(own_lists: Path) -> None:
    index_file.open_or_build(list_sources())
    (path,) = (own_lists.parent / "data" / "index").glob("*.sqlite")
    path.write_bytes(b"not an index")
    rebuilt = index_file.open_or_build(list_sources())
    assert len(rebuilt.names) > 0
    assert sqlite3.connect(path).execute("SELECT count(*) FROM lists").fetchone() == (1,)


def test_an_index_of_other_lists_under_the_key_is_not_used(own_lists: Path, tmp_path: Path) -> None:
    """Whatever a file under the right name holds, its lists' hashes must be the current ones."""
    index_file.open_or_build(list_sources())
    (path,) = (own_lists.parent / "data" / "index").glob("*.sqlite")
    other = ListSource("us-csl", path=LISTS_DIR / "us-csl-sample-2025.csv").read()
    from exportctl.screening.index import build_tables

    index_file.write_index(build_tables([other]), path)
    answered = index_file.open_or_build(list_sources())
    assert answered.lists["us-csl"].sha256 == ListSource("us-csl", path=own_lists / "us-csl-sample.csv").read().sha256


def test_a_data_directory_that_cannot_be_written_still_screens(
    own_lists: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("the data directory is a file: nothing can be written under it")
    monkeypatch.setenv("EXPORTCTL_DATA_DIR", str(blocked))
    tables = index_file.open_or_build(list_sources())
    assert len(tables.names) > 0 and "us-csl" in tables.lists
    assert not list(tmp_path.rglob("*.sqlite"))


def test_the_build_reports_its_progress(own_lists: Path) -> None:
    reports: list[tuple[str, int, int]] = []
    index_file.open_or_build(list_sources(), lambda what, done, total: reports.append((what, done, total)))
    assert reports[0][1] == 0 and reports[-1][1] == reports[-1][2]
    assert any("us-csl" in what for what, _, _ in reports)
    reports.clear()
    index_file.open_or_build(list_sources(), lambda what, done, total: reports.append((what, done, total)))
    assert reports == []  # opened, not built


def test_no_list_configured_gives_an_empty_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCTL_LISTS_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("EXPORTCTL_DATA_DIR", str(tmp_path / "data"))
    tables = index_file.open_or_build(list_sources())
    assert dict(tables.lists) == {} and len(tables.names) == 0
    assert not (tmp_path / "data" / "index").exists()


def test_only_a_screener_in_memory_is_shared_with_forked_workers(
    screener: Screener, from_file: Screener, loaded_from_file: Screener
) -> None:
    """A bulk entry's forked workers screen with the entering process's screener: never through an index file's
    SQLite connection (SQLite forbids using one across a fork), nor a screener of a kind not known to be safe."""
    assert screening.in_memory(screener) and screening.in_memory(loaded_from_file) and screening.in_memory(None)
    assert not screening.in_memory(from_file)
    assert not screening.in_memory(orders.with_reviews(screener, {}))
