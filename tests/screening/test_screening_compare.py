"""The `compare` contract and the behaviour users asked engines for (shared/domain/screening-anchors.md §5)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.screening import DEFAULT_THRESHOLD, compare
from exportctl.screening.names import forms
from exportctl.screening.score import (
    MIN_TOKEN_SIMILARITY,
    NICKNAMES,
    _pairable_similarity,
    best_comparison,
    name_part_similarity,
    score_bound,
)


def test_contract() -> None:
    result = compare("Delta Engineering Concern FZE", "DELTA ENGINEERING CONCERN", kind="company")
    assert 0.0 <= result.score <= 1.0
    assert result.match is (result.score >= DEFAULT_THRESHOLD)
    explanation = result.explanation
    assert explanation["matched_name"] == "DELTA ENGINEERING CONCERN"
    assert {a["query"] for a in explanation["aligned"]} == {"delta", "engineering", "concern"}
    assert explanation["legal_forms"] == ["fz", None]


@pytest.mark.parametrize(
    ("query", "listed", "kind"),
    [
        ("Kim Jong Un", "KIM, Jong Un", "person"),  # word order and punctuation
        ("Kim Jong Un", "KIM JONG-UN", "person"),
        ("Kim Jong Un", "김정은", "person"),  # Hangul
        ("Kim Jong Un", "キム・ジョンウン", "person"),  # katakana
        ("Mohammed Abdul Rahman", "محمد عبد الرحمن", "person"),  # Arabic script
        ("Mohammed Ali", "Muhammad Ali", "person"),  # transliteration variant
        ("Romashka LLC", "ООО Ромашка", "company"),  # Cyrillic and legal form
        ("Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES COMPANY LIMITED", "company"),
        ("Toshiba", "株式会社東芝", "company"),
        ("BUAA", "Beijing University of Aeronautics and Astronautics (BUAA)", "company"),  # bracketed acronym
        ("Delta Engneering Concern", "Delta Engineering Concern FZE", "company"),  # typo
        ("Sinobright Import and Export Co", "Sinobright Import and Export Company", "company"),
    ],
)
def test_true_variants_match(query: str, listed: str, kind: str) -> None:
    result = compare(query, listed, kind=kind)  # type: ignore[arg-type]
    assert result.match, result.explanation


@pytest.mark.parametrize(
    ("query", "listed", "kind"),
    [
        ("George Bush", "George Habbash", "person"),  # watchman#115
        ("EMMA LLC", "Emma Daniels", "company"),  # watchman#338
        ("11420 CORP.", "Corp Trading Ltd", "company"),  # watchman#483: a legal form alone is no match
        ("Global Trading Co", "International Trading Co", "company"),  # only generic words in common
        ("BUAA", "IIB", "company"),  # acronyms are not phonetic words
        ("Kim Jong Un", "Kim Yong Nam", "person"),
    ],
)
def test_look_alikes_do_not_match(query: str, listed: str, kind: str) -> None:
    result = compare(query, listed, kind=kind)  # type: ignore[arg-type]
    assert not result.match, result.explanation


def test_legal_form_is_only_a_weak_feature() -> None:
    same = compare("Acme Precision Co., Ltd.", "Acme Precision Limited").score
    different = compare("Acme Precision Co., Ltd.", "Acme Precision GmbH").score
    absent = compare("Acme Precision Co., Ltd.", "Acme Precision").score
    assert same >= absent > different
    assert different >= DEFAULT_THRESHOLD  # a different legal form alone does not clear a hit


def test_unmatched_tokens_cost_score() -> None:
    assert compare("Iran Electronics", "Iran Electronics Industries").score < 1.0
    assert compare("Iran Electronics", "Iran Electronics").score == 1.0


names = st.text(alphabet=st.characters(categories=["Lu", "Ll", "Zs"]), min_size=1, max_size=30)


@given(names, names)
def test_scores_are_bounded_and_identity_is_perfect(a: str, b: str) -> None:
    score = compare(a, b).score
    assert 0.0 <= score <= 1.0
    if compare(a, a).explanation["method"] != "none":
        assert compare(a, a).score == 1.0


# --- the bound the screener skips hopeless candidates by (score_bound ≥ best_comparison's score, always) ----------

EVAL = Path(__file__).resolve().parents[2] / "eval"
written_names = st.text(
    alphabet=st.characters(categories=["Lu", "Ll", "Lo", "Nd", "Zs", "Pd", "Po"]), min_size=1, max_size=40
)


def _bound_holds(a: str, b: str, kind: str, enough: float = 1.0) -> None:
    """At least the score, or (stopping early) at least `enough`: a candidate that may reach the threshold passes."""
    query, candidate = forms(a, kind), forms(b, kind)
    score = best_comparison(a, query, b, candidate).score
    assert score_bound(query, candidate, enough) >= min(score, enough) - 1e-9, (a, b, kind, score)


@given(written_names, written_names, st.sampled_from(["company", "person"]))
def test_the_bound_is_never_under_the_score(a: str, b: str, kind: str) -> None:
    _bound_holds(a, b, kind)


@given(written_names, written_names, st.sampled_from(["company", "person"]), st.floats(0.01, 1.0))
def test_the_bound_stopping_at_a_threshold_passes_whatever_may_reach_it(
    a: str, b: str, kind: str, enough: float
) -> None:
    _bound_holds(a, b, kind, enough)


# Words that are often alike: a few letters, initials, and the nickname table's names.
alike_words = st.one_of(
    st.text(alphabet="aeikmnorst", min_size=1, max_size=9),
    st.sampled_from(sorted(NICKNAMES)[:400]),
    st.sampled_from(sorted({nick for nicks in NICKNAMES.values() for nick in nicks})[:400]),
)


@pytest.mark.parametrize(
    ("a", "b", "person"),
    [
        ("abbas", "absi", False),  # sound-alike (one metaphone key) though three edits apart
        ("abas", "abbaasu", True),
        ("bob", "robert", True),  # a nickname
        ("j", "john", True),  # an initial
    ],
)
def test_words_far_apart_by_their_letters_still_pair_by_sound_nickname_or_initial(a: str, b: str, person: bool) -> None:
    assert _pairable_similarity(a, b, person) == name_part_similarity(a, b, person)[0] >= MIN_TOKEN_SIMILARITY


@given(alike_words, alike_words, st.booleans())
def test_words_set_aside_before_comparing_could_not_have_paired(a: str, b: str, person: bool) -> None:
    """The bound and the alignment skip pairs of words the quick test says are far apart: exactly those whose full
    similarity is under MIN_TOKEN_SIMILARITY."""
    full = name_part_similarity(a, b, person)[0]
    assert _pairable_similarity(a, b, person) == (full if full >= MIN_TOKEN_SIMILARITY else 0.0)


@pytest.mark.parametrize("pairs", ["screening-pairs.csv", "public_pairs.csv", "class-pairs.csv"])
def test_the_bound_holds_on_every_pair_of_the_evaluation_sets(pairs: str) -> None:
    """2,346 pairs from the lists, the public suites (nomenklatura, rigour, watchman) and the error classes: every
    script, acronyms, joined names, legal forms, nicknames, middle names."""
    with (EVAL / pairs).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for enough in (1.0, DEFAULT_THRESHOLD):
                _bound_holds(row["query"], row["candidate"], row["kind"], enough)
                _bound_holds(row["candidate"], row["query"], row["kind"], enough)
