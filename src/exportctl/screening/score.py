"""Scoring two names: align their tokens, penalise what is left over, and explain the result.

For each pair of romanisation variants the tokens are aligned one-to-one (best pairs first) with a
token similarity built from rapidfuzz primitives: Levenshtein similarity, with phonetic (metaphone) and
initial matches as floors. The score is the weight-averaged similarity of aligned tokens, where unmatched
query tokens count fully and unmatched list tokens partly (a list name is often longer: "… Co., Ltd.
Shenzhen Branch"). Two whole-string views catch what tokens miss: the name with spaces removed
("Kim Jong Un" / "Kim Jong-un" / "KIMJONGUN") and, for Arabic script, the consonant skeleton. The legal
form only nudges the score. The best variant pair wins, and its alignment is the explanation.

Persons: a nickname meets its full name ("Bill" / "William", "Sasha" / "Aleksandr"; `name_tables`), and a
middle name or patronymic present on one side only costs little (on the list side least: lists write the
full name), while a first or last name left over costs in full. A name part one consonant away that is
neither a neighbouring key nor a like sound ("Mnangagwa" / "Mnangagma"), or spelt alike in less than three
letters of four without sounding alike ("Pezeshkian" / "Pezeshfar"), is another name. Names that are both
in Hangul (or both persons' names in Han characters) are compared in that script only: a different
syllable is a different name, however alike the romanisations. Companies: a distinctive word inserted into
one name only ("University of [Electronic] Science and Technology of China") costs the candidate as much
as the query and lowers the score; numbers are identifiers ("Plant 150" / "Plant 151"), and so are country
names ("Iran" / "Iraq"). Whole-string views never override a number or a single distinct word.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import jellyfish
from rapidfuzz.distance import OSA, Levenshtein

from exportctl.countries import country_code
from exportctl.screening import name_tables
from exportctl.screening.names import (
    NATIVE_HAN,
    NATIVE_HANGUL,
    NATIVE_HANGUL_READ,
    PATRONYMIC_WORDS,
    TOKEN_WEIGHT,
    NameForm,
    expand_names,
    forms,
    is_patronymic,
)
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
_NUMBER = re.compile(r"\d{2,}")  # a number in a name (a single digit among letters may be a letter)
NICKNAME_SIMILARITY = 0.9
# What a person's middle name or patronymic left unmatched costs, relative to its weight, on each side.
MIDDLE_NAME_QUERY_WEIGHT = 0.5
MIDDLE_NAME_CANDIDATE_WEIGHT = 0.2
# A person matched on one name and a patronymic, with a name left over ("Vladimir Vladimirovich" / "Vladimir
# Vladimirovich Putin"): the surname is missing, and a given name with a father's name is shared by many.
MISSING_SURNAME_CAP = 0.75
# What a company's distinctive word inserted into the name on the candidate side only costs (other words left
# over there cost UNMATCHED_CANDIDATE_WEIGHT): "University of Electronic Science and Technology of China" is
# not "University of Science and Technology of China".
DISTINCTIVE_CANDIDATE_WEIGHT = 1.0
NICKNAMES = name_tables.nicknames()
# A person's name part spelt alike in less than three letters of four is another name ("Pezeshkian" /
# "Pezeshfar"), not a typo or a transliteration (those are closer, or caught as sound-alikes).
PERSON_FUZZY_FLOOR = 0.75
PERSON_FUZZY_FACTOR = 0.8
# A company's distinctive word inserted on one side only, when all else matches: the names differ in what
# tells them apart ("University of [Electronic] Science and Technology of China").
DISTINCTIVE_LEFT_FACTOR = 0.9


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
    # Words with different numbers in them are different things ("Tu154" / "Tu155", "A320" / "A321").
    if _NUMBER.search(a) and _NUMBER.search(b) and _NUMBER.findall(a) != _NUMBER.findall(b):
        return 0.0, "none"
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


# Consonants that one transliteration writes for another (b/p/v/w/f, c/k/q/g, s/z, d/t, m/n, l/r, j/y/g/z,
# and Arabic's final h/t, "Ummah" / "Ummat"): swapped, they are the same name spelt another way.
_SOUND_GROUPS = ("bpvwf", "ckqgx", "cszx", "dt", "mn", "lr", "jygz", "hk", "ht")
_SIMILAR_CONSONANTS = frozenset((a, b) for group in _SOUND_GROUPS for a in group for b in group if a != b)
# Keys next to each other on a QWERTY keyboard: one swapped for the other is a typing slip.
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_POSITION = {key: (row, col) for row, keys in enumerate(_KEYBOARD_ROWS) for col, key in enumerate(keys)}
_VOWEL_LETTERS = frozenset("aeiouy")


def _adjacent_keys(a: str, b: str) -> bool:
    (row_a, col_a), (row_b, col_b) = _KEY_POSITION[a], _KEY_POSITION[b]
    # Rows are staggered by about half a key: the row below is shifted right.
    return abs(row_a - row_b) <= 1 and -1 <= (col_b - col_a) + (row_b - row_a) * 0.5 <= 1


# Spellings of one sound in the Latin orthographies lists transliterate into (Polish sz/cz, German sch/tsch/w, ph,
# j for y): folded, "Lukaszenko" and "Lukashenko" are one spelling.
_SPELLING_FOLDS = (
    ("tsch", "ch"), ("sch", "sh"), ("sz", "sh"), ("cz", "ch"), ("zh", "j"), ("ph", "f"), ("w", "v"), ("j", "y"),
)  # fmt: skip


_DIGRAPH_H = re.compile(r"([bcdfgjklmnpqrstvwxz])h")


def _fold_spelling(word: str) -> str:
    for written, folded in _SPELLING_FOLDS:
        word = word.replace(written, folded)
    return word


@lru_cache(maxsize=100_000)
def distinct_letter(a: str, b: str) -> bool:
    """Two words of four letters or more that differ in one consonant, where that consonant is neither a
    typing slip (a neighbouring key) nor a transliteration (a like sound): "Mnangagwa" / "Mnangagma",
    "Iran" / "Iraq". A rare name one such letter apart is another name; vowels (i/y, e/a) and neighbouring
    keys are how the same name is misspelt."""
    if len(a) != len(b) or len(a) < 4 or not (a.isalpha() and b.isalpha() and a.isascii() and b.isascii()):
        return False
    if _fold_spelling(a) == _fold_spelling(b):
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    if x in _VOWEL_LETTERS or y in _VOWEL_LETTERS or (x, y) in _SIMILAR_CONSONANTS:
        return False
    return not _adjacent_keys(x, y)


@lru_cache(maxsize=10_000)
def _two_countries(a: str, b: str) -> bool:
    return country_code(a) is not None and country_code(b) is not None


@lru_cache(maxsize=100_000)
def _sound_alike(a: str, b: str) -> bool:
    """Spellings of one sound sequence (Lvova / Lwowa, Ewmenow / Evmenov, Sesenja / Sheshenya): the same
    consonant skeleton once orthographies are folded and the "h" of digraphs (sh, ch, kh, zh) is dropped;
    long skeletons may differ in one consonant."""
    left = consonant_skeleton(_DIGRAPH_H.sub(r"\1", _fold_spelling(a)))
    right = consonant_skeleton(_DIGRAPH_H.sub(r"\1", _fold_spelling(b)))
    limit = 1 if min(len(left), len(right)) >= 5 else 0
    return Levenshtein.distance(left, right, score_cutoff=limit + 1) <= limit


@lru_cache(maxsize=100_000)
def nickname_of(a: str, b: str) -> bool:
    """One of two given names is a nickname or short form of the other ("Bob" / "Robert")."""
    return b in NICKNAMES.get(a, ())


def _middle(form: NameForm, index: int, matched: list[int]) -> bool:
    """A person's name part between two matched parts (a middle name), or a patronymic anywhere (also the
    father's name before a separate "oglu" / "kyzy": "Heydar oglu")."""
    if matched and min(matched) < index < max(matched):
        return True
    following = form.tokens[index + 1] if index + 1 < len(form.tokens) else ""
    return is_patronymic(form.tokens[index]) or (following in PATRONYMIC_WORDS)


def _interior_distinctive(form: NameForm, left: list[int]) -> bool:
    """A distinctive word left unmatched between matched words of a company's name: a word inserted into the
    name ("Korea [Daesong] General Trading"), which changes it, unlike one added at either end (a place, an
    acronym: "Khuzestan Oxin Steel", "Ansar al-Charia Benghazi")."""
    matched = [i for i in range(len(form.tokens)) if i not in left]
    return bool(matched) and any(
        min(matched) < i < max(matched) and form.weights[i] >= TOKEN_WEIGHT and len(form.tokens[i]) > 2 for i in left
    )


def _one_name_matched(aligned: list[AlignedToken]) -> bool:
    names = [a for a in aligned if not is_patronymic(a.query) and a.query not in PATRONYMIC_WORDS]
    return len(names) == 1 and len(aligned) > 1


def _unmatched_cost(query: NameForm, candidate: NameForm, left_q: list[int], left_c: list[int]) -> float:
    matched_q = [i for i in range(len(query.tokens)) if i not in left_q]
    matched_c = [j for j in range(len(candidate.tokens)) if j not in left_c]
    # A middle name is cheap only when it is present on one side only: a different name in the middle on
    # each side ("Saif al-Islam" / "Saif al-Arab") is a different person.
    if query.person and not (left_q and left_c):
        cost = sum(
            query.weights[i] * (MIDDLE_NAME_QUERY_WEIGHT if _middle(query, i, matched_q) else 1.0) for i in left_q
        )
        return cost + sum(
            candidate.weights[j]
            * (MIDDLE_NAME_CANDIDATE_WEIGHT if _middle(candidate, j, matched_c) else UNMATCHED_CANDIDATE_WEIGHT)
            for j in left_c
        )
    cost = UNMATCHED_QUERY_WEIGHT * sum(query.weights[i] for i in left_q)
    if query.person:
        return cost + UNMATCHED_CANDIDATE_WEIGHT * sum(candidate.weights[j] for j in left_c)

    def inserted(j: int) -> bool:
        distinctive = candidate.weights[j] >= TOKEN_WEIGHT and len(candidate.tokens[j]) > 2
        return distinctive and bool(matched_c) and min(matched_c) < j < max(matched_c)

    return cost + sum(
        candidate.weights[j] * (DISTINCTIVE_CANDIDATE_WEIGHT if inserted(j) else UNMATCHED_CANDIDATE_WEIGHT)
        for j in left_c
    )


@lru_cache(maxsize=500_000)
def name_part_similarity(a: str, b: str, person: bool) -> tuple[float, str]:
    """`token_similarity` with what depends on the kind of name (one cached call per pair of words: this is
    the scorer's inner loop)."""
    similarity, how = token_similarity(a, b)
    if how != "fuzzy" and (not person or similarity >= NICKNAME_SIMILARITY):
        return similarity, how
    # Another name, not a typo of this one; in a company's name, only for names of countries ("Iran" /
    # "Iraq"): its other words are too often typed with a slip anywhere.
    if how == "fuzzy" and distinct_letter(a, b) and (person or _two_countries(a, b)):
        return 0.0, "distinct"
    if person:
        if nickname_of(a, b):
            return NICKNAME_SIMILARITY, "nickname"
        if MIN_TOKEN_SIMILARITY <= similarity < PERSON_FUZZY_FLOOR and how == "fuzzy" and not _sound_alike(a, b):
            return similarity * PERSON_FUZZY_FACTOR, how
    return similarity, how


def _align(query: NameForm, candidate: NameForm) -> tuple[float, list[AlignedToken], list[int], list[int]]:
    person = query.person
    q_weights, c_weights = query.weights, candidate.weights
    # (-similarity, i, j, how): sorted as they are, the most similar pairs first, then by position.
    pairs: list[tuple[float, int, int, str]] = []
    for i, q in enumerate(query.tokens):
        pairable = _SIMILARITY_ROWS.similarities(q, candidate.tokens, person)
        for j, c in enumerate(candidate.tokens):
            if pairable[j]:  # (how they compare is asked only of words that may pair)
                similarity, how = name_part_similarity(q, c, person)
                pairs.append((-similarity, i, j, how))
    pairs.sort()
    used_q: set[int] = set()
    used_c: set[int] = set()
    aligned: list[AlignedToken] = []
    matched = 0.0
    matched_weight = 0.0
    only_generic = True  # every matched query word is generic
    for negative, i, j, how in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        weight = q_weights[i] + c_weights[j]  # twice the pair's mean weight
        matched -= negative * weight
        matched_weight += weight
        only_generic = only_generic and q_weights[i] < TOKEN_WEIGHT
        aligned.append(AlignedToken(query.tokens[i], candidate.tokens[j], -negative, how))
    left_q = [i for i in range(len(q_weights)) if i not in used_q]
    left_c = [j for j in range(len(c_weights)) if j not in used_c]
    penalty = _unmatched_cost(query, candidate, left_q, left_c) if left_q or left_c else 0.0
    total = matched_weight + penalty
    score = matched / total if total else 0.0
    distinctive_q = any(q_weights[i] >= TOKEN_WEIGHT for i in left_q)
    distinctive_c = any(c_weights[j] >= TOKEN_WEIGHT for j in left_c)
    # Only generic words matched while a distinctive word is left over ("International Trading" vs
    # "Acme International Trading"): the generic words cannot carry the match.
    if aligned and only_generic and (distinctive_q or distinctive_c):
        score = min(score, 0.5)
    if person and (left_q or left_c) and _one_name_matched(aligned):
        score = min(score, MISSING_SURNAME_CAP)
    # A distinctive word on each side that matches nothing is a conflict, not missing detail:
    # "Omar Sabawi Ibrahim Hasan" is not "Sa'd Sabawi Ibrahim Hasan".
    if distinctive_q and distinctive_c:
        score *= CONFLICT_FACTOR
    elif not person and (_interior_distinctive(query, left_q) or _interior_distinctive(candidate, left_c)):
        score *= DISTINCTIVE_LEFT_FACTOR
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
    acronym = acronym_score(query, candidate) if score < ACRONYM_SIMILARITY else 0.0
    if acronym > score:
        return acronym, "acronym", aligned, left_q, left_c
    # Nor can the joined view tell a word for another where the names have the same words but that one
    # ("Korea / Kenya Heungjin Trading", "Mnangagwa / Mnangagma"): it is for names written with other spacing.
    joinable = not _one_word_differs(query, candidate, left_q, left_c)
    score, method = max([(score, "tokens"), *_whole_views(query, candidate, joinable)], key=lambda view: view[0])
    return score, method, aligned, left_q, left_c


def _whole_views(query: NameForm, candidate: NameForm, joinable: bool, need: float = 0.0) -> list[tuple[float, str]]:
    """The whole-string views that apply: the names with spaces removed, and the consonant skeletons. With `need`
    (the bound's), a view whose lengths alone keep it under `need` is given as that ceiling, not computed."""
    # The whole-string views cannot tell "Plant 150" from "Plant 151": numbers in names are identifiers, so
    # names whose numbers differ are compared by their tokens only.
    if _numbers(query.tokens) != _numbers(candidate.tokens):
        return []
    views: list[tuple[float, str]] = []
    several_words = len(query.tokens) + len(candidate.tokens) > 2
    if joinable and several_words and min(len(query.joined), len(candidate.joined)) >= 6:
        views.append((_whole_similarity(query.joined, candidate.joined, need), "joined"))
    if query.skeleton is not None or candidate.skeleton is not None:
        left = query.skeleton or _skeleton(query)
        right = candidate.skeleton or _skeleton(candidate)
        if min(len(left), len(right)) >= 3:
            views.append((_whole_similarity(left, right, need), "consonant-skeleton"))
    return views


def _whole_similarity(left: str, right: str, need: float) -> float:
    """The whole-string view's similarity, or its ceiling where that is under `need`: it takes at least as many
    edits as the lengths differ, so the similarity is at most the shorter's length over the longer's."""
    shorter, longer = sorted((len(left), len(right)))
    ceiling = shorter / longer * WHOLE_STRING_DISCOUNT
    if ceiling < need:
        return ceiling
    return Levenshtein.normalized_similarity(left, right) * WHOLE_STRING_DISCOUNT


def _fraction_bound(query: NameForm, candidate: NameForm, best_q: Sequence[float], best_c: Sequence[float]) -> float:
    """At least `_align(query, candidate)`'s score when no query word is more similar than `best_q` to any word of
    the candidate, nor any candidate word than `best_c` to any query word (a higher best only raises it).

    `_align` scores Σ similarity × (w_query + w_candidate) over its aligned pairs, divided by their weight plus what
    the words left over cost: at least `alpha` of a query word's weight and `beta` of a candidate word's (its
    cheapest cases: a person's middle name). A pair's similarity is at most each of its words' best, so each word
    either adds (best × weight, weight) to the fraction if aligned, or (0, alpha or beta × weight) if not; dropping
    the rule that words pair one-to-one only raises the maximum, which is reached by taking the words in order of
    what they add to the numerator per what they add to the denominator (best / (1 - alpha or beta), whatever the
    weight) while that is more than the fraction so far (a word adding less would lower it, and so would every
    word after it)."""
    alpha, beta = _unmatched_costs(query.person)
    return _best_fraction(
        alpha * sum(query.weights) + beta * sum(candidate.weights),
        _gains(best_q, query.weights, alpha) + _gains(best_c, candidate.weights, beta),
    )


def _unmatched_costs(person: bool) -> tuple[float, float]:
    """The least share of its weight a query word and a candidate word left unmatched cost (`_fraction_bound`)."""
    if person:
        return MIDDLE_NAME_QUERY_WEIGHT, MIDDLE_NAME_CANDIDATE_WEIGHT
    return UNMATCHED_QUERY_WEIGHT, UNMATCHED_CANDIDATE_WEIGHT


def _gains(bests: Sequence[float], weights: Sequence[float], cost: float) -> list[tuple[float, float, float]]:
    """Per word that may be aligned: what it adds to the numerator per what it adds to the denominator, to the
    numerator, to the denominator (`_fraction_bound`)."""
    return [
        (best / (1 - cost) if cost < 1 else math.inf, best * w, (1 - cost) * w)
        for best, w in zip(bests, weights, strict=True)
        if best
    ]


def _best_fraction(base: float, gains: list[tuple[float, float, float]]) -> float:
    """The greatest (Σ added) / (base + Σ weight) over any choice of `gains`: theirs in order of ratio while the
    ratio is more than the fraction so far."""
    gains.sort(reverse=True)
    numerator, denominator, bound = 0.0, base, 0.0
    for ratio, added, weight in gains:
        if ratio <= bound:
            break
        numerator += added
        denominator += weight
        if denominator > 0:
            bound = max(bound, numerator / denominator)
    return bound


_Side = tuple[list[float], float]  # a form's words' best similarities, and the bound of its side of the fraction


def _align_bounds(pairs: Sequence[tuple[NameForm, NameForm]], enough: float = 1.0) -> Iterator[float]:
    """At least `_align`'s score of each of several pairs of forms (`_fraction_bound`). Names in several forms repeat
    their words (a Japanese name's translations, a "1" read as "i" and as "l"): each word is bounded by its best
    similarity to any word of any compared form of the other name, one similarity per pair of distinct words. That
    bounds a pair a little more loosely and sets aside nearly as many candidates (of 4,180 candidates of long names
    in several forms, 1,129 pass against 1,014 bounded pair by pair) for a third of the similarities.

    Before a pair's own bound, each form's on its own: the pair's fraction is at most the greater of its query
    words' part and its candidate words' part (a fraction of sums is at most the greater of the two fractions), and
    each part is at most its own side's best choice of words. Where that is under `enough` (less what a legal form
    adds), it is the pair's bound (7 pairs in 10 of long names in several forms), computed once per form rather
    than once per pair."""
    if not pairs:
        return
    q_words = list(dict.fromkeys(t for q, _ in pairs for t in q.tokens))
    c_words = list(dict.fromkeys(u for _, c in pairs for u in c.tokens))
    best_q, best_c = _best_similarities(q_words, c_words, pairs[0][0].person)
    of_q, of_c = dict(zip(q_words, best_q, strict=True)), dict(zip(c_words, best_c, strict=True))
    alpha, beta = _unmatched_costs(pairs[0][0].person)
    # Per form (by identity; the query's and the candidate's apart, as one name's forms may be both): its words'
    # bests and its side's bound.
    sides: tuple[dict[int, _Side], dict[int, _Side]] = ({}, {})

    def side(form: NameForm, of: dict[str, float], cost: float, known: dict[int, _Side]) -> _Side:
        found = known.get(id(form))
        if found is None:
            bests = [of[t] for t in form.tokens]
            found = known[id(form)] = bests, _best_fraction(cost * sum(form.weights), _gains(bests, form.weights, cost))
        return found

    for q, c in pairs:
        (q_bests, q_side), (c_bests, c_side) = side(q, of_q, alpha, sides[0]), side(c, of_c, beta, sides[1])
        ceiling = max(q_side, c_side)
        yield ceiling if ceiling < enough - LEGAL_FORM_SAME else _fraction_bound(q, c, q_bests, c_bests)


def _best_similarities(
    q_words: Sequence[str], c_words: Sequence[str], person: bool
) -> tuple[Sequence[float], Sequence[float]]:
    """Each query word's best similarity to any of the candidate words, and each candidate word's to any query word
    (as `_align` may pair them: 0 under MIN_TOKEN_SIMILARITY)."""
    rows = [_SIMILARITY_ROWS.similarities(t, c_words, person) for t in q_words]
    best_c = list(map(max, *rows)) if len(rows) > 1 else (rows[0] if rows else [])
    return [max(row, default=0.0) for row in rows], best_c


class _SimilarityRows:
    """Each word's similarity to the words it has met, as `_align` may pair them (0 under MIN_TOKEN_SIMILARITY): the
    inner loop of the bound and of the alignment. A dictionary per word is read without building a key for each pair
    of words (what a cache of `name_part_similarity` does): twice as fast. Cleared past `limit` similarities, so
    that a long-running process stays bounded."""

    def __init__(self, limit: int) -> None:
        self._rows: dict[tuple[str, bool], dict[str, float]] = {}
        self._size = 0
        self._limit = limit

    def similarities(self, word: str, others: Sequence[str], person: bool) -> list[float]:
        known = self._rows.get((word, person))
        if known is None:
            if self._size >= self._limit:
                self._rows.clear()
                self._size = 0
            known = self._rows[(word, person)] = {}
        found: list[float] = []
        for other in others:
            similarity = known.get(other)
            if similarity is None:
                similarity = known[other] = _pairable_similarity(word, other, person)
                self._size += 1
            found.append(similarity)
        return found


_SIMILARITY_ROWS = _SimilarityRows(limit=1_000_000)


def _pairable_similarity(word: str, other: str, person: bool) -> float:
    """`name_part_similarity` where `_align` may pair the words, else 0; computed in full only where it may reach
    MIN_TOKEN_SIMILARITY. It is at most the words' OSA similarity, but for what can raise it past that: an initial,
    a sound-alike (words of four letters or more that start alike) and a nickname. Most pairs of words a query
    meets are far apart, and an edit distance (rapidfuzz's, in C) costs a tenth of the full comparison."""
    may_pair = (
        len(word) == 1
        or len(other) == 1
        or (word[0] == other[0] and min(len(word), len(other)) >= 4)
        or OSA.normalized_similarity(word, other) >= MIN_TOKEN_SIMILARITY
        or (person and nickname_of(word, other))
    )
    if not may_pair:
        return 0.0
    similarity = name_part_similarity(word, other, person)[0]
    return similarity if similarity >= MIN_TOKEN_SIMILARITY else 0.0


def _one_word_differs(query: NameForm, candidate: NameForm, left_q: list[int], left_c: list[int]) -> bool:
    """The names have the same number of words, and all match but one distinctive word of four letters or
    more on each side that is another word, not a misspelling of it."""
    if len(query.tokens) != len(candidate.tokens) or len(left_q) != 1 or len(left_c) != 1:
        return False
    a, b = query.tokens[left_q[0]], candidate.tokens[left_c[0]]
    if min(len(a), len(b)) < 4 or min(query.weights[left_q[0]], candidate.weights[left_c[0]]) < TOKEN_WEIGHT:
        return False
    return distinct_letter(a, b) or OSA.normalized_similarity(a, b) < MIN_TOKEN_SIMILARITY


@lru_cache(maxsize=100_000)
def _numbers(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The numbers in a name: tokens of digits, and runs of two digits or more inside words ("Tu154"). A
    single digit inside a word ("Oi1") may be a letter typed as a digit and is left to the comparison."""
    found = [token for token in tokens if token.isdigit()]
    found += [run for token in tokens if not token.isdigit() for run in _NUMBER.findall(token)]
    return tuple(sorted(found))


def _skeleton(form: NameForm) -> str:
    return _joined_skeleton(form.joined)


@lru_cache(maxsize=100_000)
def _joined_skeleton(joined: str) -> str:
    """A name's skeleton where only the other side is written in a script that has one: the query's, once for all
    its candidates."""
    return consonant_skeleton(joined)


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
    for q, c in _compared(query_forms, candidate_forms):
        raw, method, aligned, left_q, left_c = compare_forms(q, c)
        adjustment, note = _legal_adjustment(q, c)
        score = _adjusted(raw, adjustment)
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


def score_bound(query_forms: Sequence[NameForm], candidate_forms: Sequence[NameForm], enough: float = 1.0) -> float:
    """At least the score `best_comparison` gives these forms, for a fraction of its work: a candidate whose bound
    is under the threshold cannot be a hit and is not scored in full (the screener's batch speed). Each view is
    bounded: the token alignment by `_align_bounds`, the acronym and whole-string views computed as they are (the
    joined view even where one word differs), the legal form's adjustment as it is. It stops at `enough` (the
    threshold: a candidate that may reach it is scored in full anyway)."""
    pairs = list(_compared(query_forms, candidate_forms))
    if len(pairs) == 1:  # most names (no generator for them)
        ((q, c),) = pairs
        return _pair_bound(q, c, _fraction_bound(q, c, *_best_similarities(q.tokens, c.tokens, q.person)), enough)
    bound = 0.0
    for (q, c), aligned in zip(pairs, _align_bounds(pairs, enough), strict=True):
        bound = max(bound, _pair_bound(q, c, aligned, enough))
        if bound >= enough:
            break
    return bound


def _pair_bound(query: NameForm, candidate: NameForm, aligned: float, enough: float = 1.0) -> float:
    """At least `compare_forms`' score with the legal form's adjustment, given at least the alignment's score, or at
    least `enough`. A whole-string view that cannot bring it to `enough` is bounded by its lengths."""
    adjustment = _legal_adjustment(query, candidate)[0]
    raw = max(aligned, acronym_score(query, candidate))
    need = enough - adjustment
    if raw <= 0 or raw < need:  # (a view adds to a zero alignment whatever `need` is: `_adjusted` keeps 0 at 0)
        raw = max([raw, *(view for view, _ in _whole_views(query, candidate, True, need))])
    return _adjusted(raw, adjustment)


def _adjusted(raw: float, adjustment: float) -> float:
    return max(0.0, min(1.0, raw + adjustment)) if raw > 0 else 0.0


def _compared(
    query_forms: Sequence[NameForm], candidate_forms: Sequence[NameForm]
) -> Iterator[tuple[NameForm, NameForm]]:
    """The pairs of forms compared: the native forms `_native_pairing` chooses, or else every romanised pair."""
    native = _native_pairing(query_forms, candidate_forms)
    for q in query_forms:
        if q.native != (native is not None) or (native is not None and q.variant != native[0]):
            continue
        for c in candidate_forms:
            if c.native != (native is not None) or (native is not None and c.variant != native[1]):
                continue
            yield q, c


def _native_pairing(query_forms: Sequence[NameForm], candidate_forms: Sequence[NameForm]) -> tuple[str, str] | None:
    """Which native forms are compared, if any. Both names in Hangul, or both persons' names in Han characters:
    only those, since romanisation (and reading Han in Korean: 哲 and 鐵 are both 철) merges characters that
    make different names. A Hangul name against a Korean name in Han characters: the Hangul against its reading.
    Otherwise (None) the native forms take no part and the names are compared by romanisation."""
    query = {form.variant for form in query_forms if form.native}
    candidate = {form.variant for form in candidate_forms if form.native}
    for written in (NATIVE_HAN, NATIVE_HANGUL):
        if written in query and written in candidate:
            return written, written
    if NATIVE_HANGUL in query and NATIVE_HANGUL_READ in candidate:
        return NATIVE_HANGUL, NATIVE_HANGUL_READ
    if NATIVE_HANGUL_READ in query and NATIVE_HANGUL in candidate:
        return NATIVE_HANGUL_READ, NATIVE_HANGUL
    return None


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
