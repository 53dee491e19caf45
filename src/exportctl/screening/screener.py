"""Screening a party against loaded lists: candidates from the index, full scoring, country qualifier.

Pure and in-memory: build once from `LoadedList`s, then `screen` is a function of the query.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from exportctl.core_types import ScreeningHit
from exportctl.screening.entities import ListedEntity, LoadedList
from exportctl.screening.index import IndexTables, ListVersion, ScreeningIndex
from exportctl.screening.names import NameForm, expand_names, forms
from exportctl.screening.score import DEFAULT_THRESHOLD, Comparison, best_comparison, score_bound

QueryKind = Literal["company", "person", "any"]
COUNTRY_MISMATCH = -0.08
COUNTRY_MATCH = 0.02
WEAK_ALIAS_CAP = 0.85
BOUND_MARGIN = 1e-9  # the bound's arithmetic differs from the score's in the last bits


@dataclass(frozen=True)
class ScreeningResult:
    query: str
    country: str | None
    threshold: float
    hits: tuple[ScreeningHit, ...]
    candidates_scored: int = 0


@dataclass
class Screener:
    lists: Iterable[LoadedList] | IndexTables  # the lists, or an index's tables built from them before
    threshold: float = DEFAULT_THRESHOLD
    index: ScreeningIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = ScreeningIndex(self.lists)
        self._cached = lru_cache(maxsize=50_000)(self._screen)

    @property
    def versions(self) -> dict[str, str]:
        return {list_id: loaded.version for list_id, loaded in self.index.lists.items()}

    def screen(
        self,
        name: str,
        country: str | None = None,
        *,
        kind: QueryKind = "any",
        lists: Collection[str] | None = None,
        threshold: float | None = None,
        limit: int = 10,
    ) -> ScreeningResult:
        chosen = frozenset(lists) if lists is not None else None
        return self._cached(name, country, kind, chosen, self.threshold if threshold is None else threshold, limit)

    def screen_party(self, name: str, country: str | None) -> tuple[ScreeningHit, ...]:
        """The engine's view: hits at the default threshold."""
        return self.screen(name, country).hits

    def has_list(self, list_id: str) -> bool:
        return list_id in self.index.lists

    def list_age_days(self, list_id: str) -> int | None:
        return None  # pure: no clock (services.screening.ConfiguredScreener knows when its lists were fetched)

    def max_list_age_days(self, pack_limit: int | None) -> int | None:
        return pack_limit

    def _screen(
        self,
        name: str,
        country: str | None,
        kind: QueryKind,
        lists: frozenset[str] | None,
        threshold: float,
        limit: int,
    ) -> ScreeningResult:
        query_names = expand_names(name)
        query_forms: dict[str, tuple[NameForm, ...]] = {}

        def forms_as(entity_kind: str) -> tuple[NameForm, ...]:
            # Made when first compared (most names of a party master meet no listed person among their candidates).
            if entity_kind not in query_forms:
                query_forms[entity_kind] = tuple(f for n in query_names for f in forms(n, entity_kind))
            return query_forms[entity_kind]

        # Candidates are proposed by the company forms (legal forms set aside, so "Joint Stock Company" does
        # not vote); a person query keeps every token.
        candidates = self.index.candidates(forms_as("person" if kind == "person" else "company"))
        best: dict[str, tuple[float, ListedEntity, Comparison, list[str]]] = {}
        for name_id in candidates:
            indexed = self.index.names[name_id]
            entity = indexed.entity
            if lists is not None and entity.list_id not in lists:
                continue
            if not _may_be(entity, kind):
                continue
            entity_kind = "person" if entity.kind == "person" else "company"
            country_change, country_note = _country_adjustment(country, entity)
            # A name that cannot reach the threshold whatever its alignment is not scored in full (most candidates
            # of a name on no list): it could not be a hit.
            bound = score_bound(forms_as(entity_kind), indexed.forms, threshold - country_change) + country_change
            if threshold > 0 and bound < threshold - BOUND_MARGIN:
                continue
            comparison = best_comparison(name, forms_as(entity_kind), indexed.name, indexed.forms, threshold)
            score = comparison.score
            notes = list(comparison.adjustments)
            if indexed.weak and score > WEAK_ALIAS_CAP:
                score = WEAK_ALIAS_CAP
                notes.append(f"weak alias: capped at {WEAK_ALIAS_CAP}")
            if country_note:
                score = max(0.0, min(1.0, score + country_change))
                notes.append(country_note)
            key = entity.entity_id
            if key not in best or score > best[key][0]:
                best[key] = (score, entity, comparison, notes)
        hits = [
            _hit(self.index.lists[entity.list_id], entity, comparison, score, notes)
            for score, entity, comparison, notes in best.values()
            if score >= threshold
        ]
        hits.sort(key=lambda hit: (-hit.score, hit.list_id, hit.entity_id))
        return ScreeningResult(name, country, threshold, tuple(hits[:limit]), len(candidates))


def _country_adjustment(country: str | None, entity: ListedEntity) -> tuple[float, str | None]:
    """What the query's country does to the score, and the note saying so (none: nothing to compare)."""
    if not (country and entity.countries):
        return 0.0, None
    if country in entity.countries:
        return COUNTRY_MATCH, f"country {country} matches {COUNTRY_MATCH:+}"
    return COUNTRY_MISMATCH, f"country {country} not in {', '.join(entity.countries)} {COUNTRY_MISMATCH:+}"


def _may_be(entity: ListedEntity, kind: QueryKind) -> bool:
    """Whether a listed entity may be what the query is. An entity whose list does not say what it is may be
    either: a person query must still meet it, or the kind filter would clear a listed party."""
    if kind == "person":
        return entity.kind in ("person", "unknown")
    if kind == "company":
        return entity.kind != "person"
    return True


def _hit(
    loaded: ListVersion, entity: ListedEntity, comparison: Comparison, score: float, notes: list[str]
) -> ScreeningHit:
    explanation = dict(comparison.explanation)
    explanation["adjustments"] = notes
    explanation["name_score"] = round(comparison.score, 4)
    return ScreeningHit(
        list_id=entity.list_id,
        list_version=loaded.version,
        entity_id=entity.entity_id,
        name=entity.name,
        matched_name=comparison.candidate,
        score=round(score, 4),
        countries=entity.countries,
        concerns=entity.concerns,
        programs=entity.programs,
        licence_requirement=entity.licence_requirement,
        review_policy=entity.review_policy,
        explanation=explanation,
    )
