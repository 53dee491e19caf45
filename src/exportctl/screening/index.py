"""In-memory candidate index over every listed name: exact tokens, phonetic keys and one-edit neighbours.

A query never scans all names. Its tokens vote for names through three postings maps:
- the token itself (weighted by rarity: "iran" says less than "koryo");
- its metaphone key (Mohammed / Muhammad);
- vocabulary tokens one edit away (typos: "Engneering"), found through a deletion index: every vocabulary
  token is filed under each of its one-letter deletions, so a query token's own deletions find every token
  within one insertion, deletion, substitution or transposition in a handful of dictionary lookups.
Names written without spaces ("KIMJONGUN") are reachable because every name's joined form is indexed as a
token too. Tokens in too many names ("co", "trading") do not vote. The best-voted names are ranked by a
quick rapidfuzz score and only the best of those go on to full scoring.

The tables are built in memory (`build_tables`) and the index answers through read-only mappings, so that a
service can keep them in a file and hand the index lookups into that file instead (services/index_file.py):
a process then opens the index in milliseconds rather than rebuilding it from the lists.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import jellyfish
from rapidfuzz import fuzz, process

from exportctl.screening.entities import ListedEntity, LoadedList
from exportctl.screening.names import NameForm, expand_names, forms

VOTED = 60  # names kept after voting
CANDIDATES = 15  # names fully scored
MIN_FUZZY_TOKEN = 4
VOTING_MEMO = 200_000  # query words whose voters are remembered
MAX_VOTING_SHARE = 0.02  # a token in more than 2 % of all names is too common to propose candidates


@dataclass(frozen=True, slots=True)
class IndexedName:
    entity: ListedEntity
    name: str
    weak: bool
    forms: tuple[NameForm, ...]


class ListVersion(Protocol):
    """What the index tells of each list it holds (a `LoadedList`, or its description kept with a stored index)."""

    @property
    def list_id(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def published(self) -> dt.date | None: ...
    @property
    def version(self) -> str: ...
    @property
    def entity_count(self) -> int: ...


@dataclass(frozen=True, slots=True)
class IndexTables:
    """Everything a query reads. Mappings, so that they may live in memory or in a file."""

    lists: Mapping[str, ListVersion]
    entities: Mapping[str, ListedEntity]
    names: Sequence[IndexedName]
    quick: Sequence[str]  # per name: its tokens, for the quick whole-name ranking
    postings: Mapping[str, Sequence[int]]  # token → names
    phonetic: Mapping[str, Sequence[int]]  # metaphone key → names
    deletions: Mapping[str, Sequence[str]]  # a token less one letter → vocabulary tokens


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _quick_text(name_forms: Sequence[NameForm]) -> str:
    """Tokens of every form, space-separated: token_set_ratio on this ignores word order."""
    return " ".join(token for form in name_forms for token in form.tokens)


@lru_cache(maxsize=200_000)
def _phonetic(token: str) -> str | None:
    return jellyfish.metaphone(token) if token.isalpha() and len(token) > 2 else None


def _kind(entity: ListedEntity) -> str:
    return "person" if entity.kind == "person" else "company"


def build_tables(lists: Iterable[LoadedList]) -> IndexTables:
    """The index tables of every name of every entity of `lists`, in memory."""
    by_id = {loaded.list_id: loaded for loaded in lists}
    names: list[IndexedName] = []
    postings: dict[str, set[int]] = defaultdict(set)
    phonetic: dict[str, set[int]] = defaultdict(set)
    for loaded in by_id.values():
        for entity in loaded.entities:
            for listed, weak in [(n, False) for n in entity.names] + [(n, True) for n in entity.weak_aliases]:
                for name in expand_names(listed):
                    name_forms = forms(name, _kind(entity))
                    if not name_forms:
                        continue
                    name_id = len(names)
                    names.append(IndexedName(entity, name, weak, name_forms))
                    for form in name_forms:
                        for token in (*form.tokens, form.joined):
                            postings[token].add(name_id)
                            key = _phonetic(token)
                            if key:
                                phonetic[key].add(name_id)
    deletions: dict[str, list[str]] = defaultdict(list)
    for token in postings:
        if len(token) >= MIN_FUZZY_TOKEN:
            for deleted in _deletions(token):
                deletions[deleted].append(token)
    return IndexTables(
        lists=by_id,
        entities={entity.entity_id: entity for loaded in by_id.values() for entity in loaded.entities},
        names=names,
        quick=[_quick_text(indexed.forms) for indexed in names],
        postings={token: tuple(sorted(ids)) for token, ids in postings.items()},
        phonetic={key: tuple(sorted(ids)) for key, ids in phonetic.items()},
        deletions={key: tuple(tokens) for key, tokens in deletions.items()},
    )


class ScreeningIndex:
    def __init__(self, lists: Iterable[LoadedList] | IndexTables) -> None:
        tables = lists if isinstance(lists, IndexTables) else build_tables(lists)
        self.tables = tables
        self.lists = tables.lists
        self.entities = tables.entities
        self.names = tables.names
        self.postings = tables.postings
        self.deletions = tables.deletions
        total = max(len(self.names), 1)
        self._total = total
        self._default_idf = math.log(1 + total)
        self._max_postings = max(50, int(total * MAX_VOTING_SHARE))
        # What each query token votes for (its neighbours one edit away included): a party master's words recur.
        self._voting: dict[str, tuple[tuple[Sequence[int], float, float], ...]] = {}

    @property
    def entity_count(self) -> int:
        return len(self.entities)

    def idf(self, token: str) -> float:
        """Rarity: a token in few names says more than one in many (unknown tokens are the rarest)."""
        found = self.postings.get(token)
        return math.log(1 + self._total / len(found)) if found else self._default_idf

    def similar_tokens(self, token: str) -> AbstractSet[str]:
        """Vocabulary tokens one edit away from `token` (including transpositions)."""
        if len(token) < MIN_FUZZY_TOKEN:
            return frozenset()
        found: set[str] = set()
        for deleted in _deletions(token):
            found.update(self.deletions.get(deleted, ()))  # substitution, transposition, insertion in the query
            if deleted in self.postings:
                found.add(deleted)  # a letter too many in the query
        found.update(self.deletions.get(token, ()))  # a letter missing in the query
        found.discard(token)
        return found

    def candidates(self, query_forms: Sequence[NameForm], limit: int = CANDIDATES) -> list[int]:
        # A word in several forms of the query (a Chinese name's readings and translations share many) votes once,
        # with its weights added: its names are walked once.
        weights: dict[str, float] = {}
        for form in query_forms:
            for token, weight in (*zip(form.tokens, form.weights, strict=True), (form.joined, 1.0)):
                weights[token] = weights.get(token, 0.0) + weight
        votes: dict[int, float] = {}
        vote = votes.get
        for token, weight in weights.items():
            for name_ids, factor, idf in self._voters(token):
                amount = factor * weight * idf
                for name_id in name_ids:
                    votes[name_id] = vote(name_id, 0.0) + amount
        # The best voted (as heapq.nlargest would give them, ties in the order voted for, but a sort is 3× faster here).
        voted = sorted(votes, key=votes.__getitem__, reverse=True)[:VOTED]
        if len(voted) <= limit:
            return voted
        # Rank the voted names by a quick whole-name similarity (one rapidfuzz call for all of them); only the best
        # are scored in full. Ties: the better voted first.
        quick = self.tables.quick
        found = process.extract(
            _quick_text(query_forms), [quick[name_id] for name_id in voted], scorer=fuzz.token_set_ratio, limit=None
        )
        ratios = {position: ratio for _, ratio, position in found}
        ranked = sorted(range(len(voted)), key=lambda position: -ratios[position])
        return [voted[position] for position in ranked[:limit]]

    def _voters(self, token: str) -> tuple[tuple[Sequence[int], float, float], ...]:
        """The names a query token votes for and how: (names, factor, rarity), each vote `factor × weight × rarity`.
        The token's own names; those of its metaphone key; those of vocabulary tokens one edit away (even a token
        that exists may be a typo of another: "Teran" for "Terand"). Postings too common to vote are left out.
        Worked out once per token: a party master's words recur."""
        known = self._voting.get(token)
        if known is not None:
            return known
        idf = self.idf(token)
        voters = [(self.postings.get(token, ()), 1.0, idf)]
        key = _phonetic(token)
        if key and len(key) >= 3:
            voters.append((self.tables.phonetic.get(key, ()), 0.6, idf))
        voters += [(self.postings[other], 0.8, self.idf(other)) for other in self.similar_tokens(token)]
        found = tuple(voter for voter in voters if len(voter[0]) <= self._max_postings)
        if len(self._voting) >= VOTING_MEMO:
            self._voting.clear()  # a long-running server stays bounded
        self._voting[token] = found
        return found
