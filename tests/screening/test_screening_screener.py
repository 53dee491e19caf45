"""Screening against every shipped list: candidates from the index, hits with explanations."""

from __future__ import annotations

import random
import re

import pytest
from rapidfuzz import fuzz, process

from exportctl.screening.entities import LoadedList
from exportctl.screening.names import LATIN_LEGAL_FORMS
from exportctl.screening.screener import Screener


def test_every_shipped_list_is_indexed(screener: Screener) -> None:
    assert set(screener.index.lists) == {"jp-eul", "jp-mof", "un", "us-sdn", "us-csl", "us-dpl"}
    assert screener.index.entity_count == sum(len(loaded.entities) for loaded in screener.index.lists.values())


def test_hit_shape_and_end_user_list_concerns(screener: Screener) -> None:
    result = screener.screen("Delta Engineering Concern", "AE")
    hit = result.hits[0]
    assert (hit.list_id, hit.name, hit.concerns) == ("jp-eul", "Delta Engineering Concern FZE", ("N",))
    assert hit.list_version == screener.versions["jp-eul"]
    assert hit.explanation["aligned"] and "country AE matches +0.02" in hit.explanation["adjustments"]


def test_cross_script_alias_from_the_list(screener: Screener) -> None:
    """End User List row 301 gives Air Koryo's original-script name 高麗航空 in brackets."""
    hits = screener.screen("高麗航空").hits
    assert hits[0].entity_id == "jp-eul:300"
    assert hits[0].matched_name == "高麗航空"


def test_hangul_query_finds_the_romanised_listing(screener: Screener) -> None:
    assert any(h.list_id == "us-sdn" and "KIM, Jong Un" in h.name for h in screener.screen("김정은").hits)


def test_country_qualifier_lowers_but_does_not_drop(screener: Screener) -> None:
    same = screener.screen("Delta Engineering Concern FZE", "AE").hits[0]
    other = screener.screen("Delta Engineering Concern FZE", "JP").hits[0]
    assert same.entity_id == other.entity_id
    assert other.score < same.score


def test_list_filter_and_threshold(screener: Screener) -> None:
    only_un = screener.screen("Air Koryo", lists={"un"}).hits
    assert all(hit.list_id == "un" for hit in only_un)
    assert not screener.screen("Toyota Motor Corporation").hits


def test_weak_aliases_are_capped(screener: Screener) -> None:
    weak = [
        (entity, alias)
        for entity in screener.index.lists["un"].entities
        for alias in entity.weak_aliases
        if alias not in entity.names
    ]
    entity, alias = weak[0]
    hit = next(h for h in screener.screen(alias, threshold=0.5).hits if h.entity_id == entity.entity_id)
    assert hit.score <= 0.85


LEGAL_WORDS = {word for form in LATIN_LEGAL_FORMS for word in form.split()}


def _one_typo(name: str, rng: random.Random) -> str:
    """Drop one letter inside the longest word that is not part of a legal form (a typo in a two- or
    three-letter word changes the word; one in "Company" is a different problem: legal-form detection)."""
    words = re.findall(r"[A-Za-z]+", name)
    longest = max((w for w in words if w.lower() not in LEGAL_WORDS), key=len)
    start = name.index(longest)
    i = start + rng.randrange(1, len(longest))
    return name[:i] + name[i + 1 :]


def test_listed_names_and_one_typo_variants_are_found(screener: Screener) -> None:
    """Recall of the index: a listed Latin name of two or more words, and the same with a typo, is found."""
    rng = random.Random(2019)
    indexed = [
        n
        for n in screener.index.names
        if n.name.isascii()
        and len(n.name.split()) >= 2
        and max((len(w) for w in re.findall(r"[A-Za-z]+", n.name) if w.lower() not in LEGAL_WORDS), default=0) >= 6
    ]
    missed = []
    for listed in rng.sample(indexed, 400):
        kind = "person" if listed.entity.kind == "person" else "company"
        for query in (listed.name, _one_typo(listed.name, rng)):
            hits = screener.screen(query, kind=kind, threshold=0.75, limit=50).hits
            if listed.entity.entity_id not in {h.entity_id for h in hits}:
                missed.append(query)
    assert missed == []


def test_index_finds_what_a_brute_force_scan_finds(screener: Screener, shipped_lists: list[LoadedList]) -> None:
    """For listed names, the entity of the best brute-force rapidfuzz match over all names is among our hits."""
    rng = random.Random(7)
    names = [n.name for n in screener.index.names]
    sample = rng.sample([n for n in screener.index.names if n.name.isascii() and len(n.name) > 8], 200)
    for indexed in sample:
        _, _, position = process.extractOne(indexed.name, names, scorer=fuzz.token_sort_ratio)
        best_entity = screener.index.names[position].entity.entity_id
        ours = {h.entity_id for h in screener.screen(indexed.name, threshold=0.8, limit=30).hits}
        assert best_entity in ours or indexed.entity.entity_id in ours, indexed.name


@pytest.mark.parametrize("query", ["", "   ", "!!!", "株式会社"])
def test_degenerate_queries(screener: Screener, query: str) -> None:
    assert screener.screen(query).hits == () or all(0 <= h.score <= 1 for h in screener.screen(query).hits)


def test_skipping_hopeless_candidates_changes_no_hit(screener: Screener) -> None:
    """At threshold 0 every candidate is scored in full (none can be skipped); the hits at the default threshold
    must be exactly those of its candidates that score at or above it: listed names, typos, other scripts, and
    names on no list (whose candidates are nearly all skipped)."""
    rng = random.Random(26)
    listed = [n.name for n in rng.sample(list(screener.index.names), 300)]
    queries = listed + [_one_typo(name, rng) for name in listed if name.isascii()]
    queries += [
        f"{rng.choice(['Sakura', 'Nordlicht', 'Kestrel'])} {rng.choice(['Trading', 'Optics'])} {n}" for n in range(100)
    ]
    for query in queries:
        for country in (None, "IR"):
            everything = screener.screen(query, country, threshold=0.0, limit=10_000).hits
            expected = {(h.entity_id, h.score) for h in everything if h.score >= 0.82}
            found = {(h.entity_id, h.score) for h in screener.screen(query, country, threshold=0.82, limit=10_000).hits}
            assert found == expected, (query, country)
