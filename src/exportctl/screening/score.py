"""Scoring two names: align their tokens, penalise what is left over, and explain the result.

For each pair of romanisation variants the tokens are aligned one-to-one (best pairs first) with a
token similarity built from rapidfuzz primitives: Levenshtein similarity, with phonetic (metaphone) and
initial matches as floors. The score is the weight-averaged similarity of aligned tokens, where unmatched
query tokens count fully and unmatched list tokens partly (a list name is often longer: "… Co., Ltd.
Shenzhen Branch"). Two whole-string views catch what tokens miss: the name with spaces removed
("Kim Jong Un" / "Kim Jong-un" / "KIMJONGUN") and, for Arabic script, the consonant skeleton. The legal
form only nudges the score. The best variant pair wins, and its alignment is the explanation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import jellyfish
from rapidfuzz.distance import OSA, Levenshtein

from exportctl.screening.names import TOKEN_WEIGHT, NameForm, expand_names, forms
from exportctl.screening.translit import consonant_skeleton

Kind = Literal["company", "person"]
DEFAULT_THRESHOLD = 0.82
UNMATCHED_QUERY_WEIGHT = 1.0
UNMATCHED_CANDIDATE_WEIGHT = 0.5
MIN_TOKEN_SIMILARITY = 0.6
WHOLE_STRING_DISCOUNT = 0.95
PHONETIC_SIMILARITY = 0.85
CONFLICT_FACTOR = 0.92
ACRONYM_SIMILARITY = 0.86
STOPWORD_CUT = 0.2  # weight below which a token is a stopword (left out of initials)
LEGAL_FORM_SAME = 0.02
LEGAL_FORM_DIFFERENT = -0.05


@dataclass(frozen=True, slots=True)
class AlignedToken:
    query: str
    candidate: str
    similarity: float
    how: str


@dataclass(frozen=True)
class Comparison:
    """The score of one name pair and why."""

    score: float
    query: str
    candidate: str
    method: str
    variants: tuple[str, str] = ("", "")
    aligned: tuple[AlignedToken, ...] = ()
    unmatched_query: tuple[str, ...] = ()
    unmatched_candidate: tuple[str, ...] = ()
    legal_forms: tuple[str | None, str | None] = (None, None)
    adjustments: tuple[str, ...] = ()
    threshold: float = DEFAULT_THRESHOLD

    @property
    def match(self) -> bool:
        return self.score >= self.threshold

    @property
    def explanation(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "matched_name": self.candidate,
            "method": self.method,
            "variants": list(self.variants),
            "aligned": [
                {"query": a.query, "candidate": a.candidate, "similarity": round(a.similarity, 3), "how": a.how}
                for a in self.aligned
            ],
            "unmatched_query": list(self.unmatched_query),
            "unmatched_candidate": list(self.unmatched_candidate),
            "legal_forms": list(self.legal_forms),
            "adjustments": list(self.adjustments),
        }


@lru_cache(maxsize=100_000)
def _metaphone(token: str) -> str:
    return jellyfish.metaphone(token) if token.isalpha() else token


@lru_cache(maxsize=500_000)
def token_similarity(a: str, b: str) -> tuple[float, str]:
    if a == b:
        return 1.0, "exact"
    if len(a) == 1 or len(b) == 1:
        return (0.8, "initial") if a[0] == b[0] else (0.0, "none")
    similarity = OSA.normalized_similarity(a, b)  # a transposition ("Tsed" / "Sted") is one edit
    # Short tokens change meaning with one letter ("IAI" / "IAO"): they need to be exact or phonetic.
    if min(len(a), len(b)) <= 3:
        similarity = similarity if similarity >= 0.99 else similarity * 0.7
    how = "fuzzy"
    # Sound-alike spellings (Mohammed / Muhammad): only for real words that start alike; acronyms and
    # short tokens reduce to one or two consonants, where metaphone keys say nothing.
    if similarity < PHONETIC_SIMILARITY and min(len(a), len(b)) >= 4 and a[0] == b[0]:
        key = _metaphone(a)
        if len(key) >= 3 and key == _metaphone(b):
            similarity, how = PHONETIC_SIMILARITY, "phonetic"
    return similarity, how


def _align(query: NameForm, candidate: NameForm) -> tuple[float, list[AlignedToken], list[int], list[int]]:
    pairs: list[tuple[float, int, int, str]] = []
    for i, q in enumerate(query.tokens):
        for j, c in enumerate(candidate.tokens):
            similarity, how = token_similarity(q, c)
            if similarity >= MIN_TOKEN_SIMILARITY:
                pairs.append((similarity, i, j, how))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    aligned: list[AlignedToken] = []
    matched = 0.0
    matched_weight = 0.0
    for similarity, i, j, how in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        weight = (query.weights[i] + candidate.weights[j]) / 2
        matched += similarity * weight * 2
        matched_weight += weight * 2
        aligned.append(AlignedToken(query.tokens[i], candidate.tokens[j], similarity, how))
    left_q = [i for i in range(len(query.tokens)) if i not in used_q]
    left_c = [j for j in range(len(candidate.tokens)) if j not in used_c]
    penalty = UNMATCHED_QUERY_WEIGHT * sum(query.weights[i] for i in left_q)
    penalty += UNMATCHED_CANDIDATE_WEIGHT * sum(candidate.weights[j] for j in left_c)
    total = matched_weight + penalty
    score = matched / total if total else 0.0
    # Only generic words matched while a distinctive word is left over ("International Trading" vs
    # "Acme International Trading"): the generic words cannot carry the match.
    only_generic = all(query.weights[query.tokens.index(a.query)] < TOKEN_WEIGHT for a in aligned)
    distinctive_left = any(query.weights[i] >= TOKEN_WEIGHT for i in left_q) or any(
        candidate.weights[j] >= TOKEN_WEIGHT for j in left_c
    )
    if aligned and only_generic and distinctive_left:
        score = min(score, 0.5)
    # A distinctive word on each side that matches nothing is a conflict, not missing detail:
    # "Omar Sabawi Ibrahim Hasan" is not "Sa'd Sabawi Ibrahim Hasan".
    if any(query.weights[i] >= TOKEN_WEIGHT for i in left_q) and any(
        candidate.weights[j] >= TOKEN_WEIGHT for j in left_c
    ):
        score *= CONFLICT_FACTOR
    return score, aligned, left_q, left_c


def _initials(form: NameForm, with_stopwords: bool) -> str:
    return "".join(t[0] for t, w in zip(form.tokens, form.weights, strict=True) if with_stopwords or w > STOPWORD_CUT)


def acronym_score(query: NameForm, candidate: NameForm) -> float:
    """ "FTB" for "Foreign Trade Bank", "MAEI" for "Ministry of Atomic Energy Industry": one side is a single
    short token that spells the other side's initials (with or without "of", "and", the legal form)."""
    for short, long in ((query, candidate), (candidate, query)):
        if len(short.tokens) != 1 or len(long.tokens) < 2:
            continue
        acronym = short.tokens[0]
        if not 3 <= len(acronym) <= 8 or not acronym.isalpha():
            continue
        spelled = {_initials(long, True), _initials(long, False)}
        if long.legal:
            spelled |= {letters + long.legal[0] for letters in spelled}
        if acronym in spelled:
            return ACRONYM_SIMILARITY
    return 0.0


def compare_forms(query: NameForm, candidate: NameForm) -> tuple[float, str, list[AlignedToken], list[int], list[int]]:
    score, aligned, left_q, left_c = _align(query, candidate)
    method = "tokens"
    acronym = acronym_score(query, candidate) if score < ACRONYM_SIMILARITY else 0.0
    if acronym > score:
        return acronym, "acronym", aligned, left_q, left_c
    if query.joined and candidate.joined and len(query.tokens) + len(candidate.tokens) > 2:
        whole = Levenshtein.normalized_similarity(query.joined, candidate.joined) * WHOLE_STRING_DISCOUNT
        if whole > score and min(len(query.joined), len(candidate.joined)) >= 6:
            score, method = whole, "joined"
    if query.skeleton is not None or candidate.skeleton is not None:
        left = query.skeleton or _skeleton(query)
        right = candidate.skeleton or _skeleton(candidate)
        if min(len(left), len(right)) >= 3:
            skeleton = Levenshtein.normalized_similarity(left, right) * WHOLE_STRING_DISCOUNT
            if skeleton > score:
                score, method = skeleton, "consonant-skeleton"
    return score, method, aligned, left_q, left_c


def _skeleton(form: NameForm) -> str:
    return consonant_skeleton(form.joined)


def _legal_adjustment(query: NameForm, candidate: NameForm) -> tuple[float, str | None]:
    if query.legal is None or candidate.legal is None:
        return 0.0, None
    if "corp" in (query.legal, candidate.legal) and query.legal != candidate.legal:
        return 0.0, None  # "Co." / "Company" says nothing about the kind of company
    if query.legal == candidate.legal:
        return LEGAL_FORM_SAME, f"same legal form ({query.legal}) {LEGAL_FORM_SAME:+}"
    return LEGAL_FORM_DIFFERENT, f"different legal forms ({query.legal} / {candidate.legal}) {LEGAL_FORM_DIFFERENT:+}"


def best_comparison(
    query: str,
    query_forms: Sequence[NameForm],
    candidate: str,
    candidate_forms: Sequence[NameForm],
    threshold: float = DEFAULT_THRESHOLD,
) -> Comparison:
    """Best comparison over the romanisation variants of one query name and one candidate name."""
    best = Comparison(0.0, query, candidate, "none", threshold=threshold)
    for q in query_forms:
        for c in candidate_forms:
            raw, method, aligned, left_q, left_c = compare_forms(q, c)
            adjustment, note = _legal_adjustment(q, c)
            score = max(0.0, min(1.0, raw + adjustment)) if raw > 0 else 0.0
            if score > best.score:
                best = Comparison(
                    score=score,
                    query=query,
                    candidate=candidate,
                    method=method,
                    variants=(q.variant, c.variant),
                    aligned=tuple(aligned),
                    unmatched_query=tuple(q.tokens[i] for i in left_q),
                    unmatched_candidate=tuple(c.tokens[j] for j in left_c),
                    legal_forms=(q.legal, c.legal),
                    adjustments=(note,) if note else (),
                    threshold=threshold,
                )
                if score >= 1.0:
                    return best
    return best


def compare_names(
    query: str, candidate: str, kind: Kind = "company", threshold: float = DEFAULT_THRESHOLD
) -> Comparison:
    return best_comparison(query, forms(query, kind), candidate, forms(candidate, kind), threshold)


@dataclass(frozen=True)
class Result:
    """What `compare` returns: `.score`, `.match` at the default threshold, `.explanation`."""

    comparison: Comparison
    alternatives: tuple[Comparison, ...] = field(default=(), repr=False)

    @property
    def score(self) -> float:
        return round(self.comparison.score, 4)

    @property
    def match(self) -> bool:
        return self.comparison.match

    @property
    def explanation(self) -> dict[str, Any]:
        return self.comparison.explanation


def compare(name1: str, name2: str, kind: Kind = "company", threshold: float = DEFAULT_THRESHOLD) -> Result:
    """Compare two names; bracketed parts ("… (BUAA)") count as aliases on either side."""
    comparisons = [compare_names(q, c, kind, threshold) for q in expand_names(name1) for c in expand_names(name2)]
    best = max(comparisons, key=lambda comparison: comparison.score)
    return Result(best, tuple(comparisons))
