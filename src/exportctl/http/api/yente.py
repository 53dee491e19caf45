"""A yente-compatible screening API over exportctl's own screener, mounted at /yente (`POST /yente/match/default`).

yente is OpenSanctions' open-source matching API (github.com/opensanctions/yente). Compliance tools already
speak it: they POST example entities to `/match/{dataset}`, search with `/search/{dataset}?q=` and fetch a result
with `/entities/{id}`. This router answers those three requests with the lists exportctl has loaded, so such a
client can be pointed at exportctl instead of a yente server. Request and response key names follow yente 5.5
(`yente/data/common.py`: EntityExample, EntityMatchQuery, EntityMatches, EntityMatchResponse, EntityResponse,
ScoredEntityResponse, SearchResponse) and its limits (`yente/settings.py`: MAX_BATCH 100, MATCH_PAGE 5,
MAX_MATCHES 500, DEFAULT_PAGE 10, MAX_PAGE 500, MAX_OFFSET 9499).

What is implemented, and how it differs from yente:
- `POST /match/{dataset}`: every name of an example (`name`, `alias`, `previousName`, else the name parts
  `firstName` … `lastName` joined) is screened with `Screener.screen`; a listed entity's best score over the
  names (and over the example's countries, which only nudge the score) is its score. `threshold` defaults to
  exportctl's DEFAULT_THRESHOLD, not yente's 0.70; `algorithm` must be a yente algorithm name but every name
  scores with the one exportctl scorer; `weights` are accepted and unused, any `config` key is refused (400) as
  yente refuses keys its algorithm does not have. Birth dates, identifiers and other properties are echoed in
  `query` but do not score. An example with no name is refused with 400: yente would search on its other
  properties, and an empty answer here would read as "screened, clear" when nothing was screened.
  `explanations` (yente ≥ 5.0) and `features` (flat scores, dropped in yente 5.2.1) carry the name score and the
  adjustments (country, weak alias) of exportctl's scorer.
- `GET /search/{dataset}`: `q` is screened like a name with a looser floor (SEARCH_FLOOR), since search is for
  looking around; no `q` pages through every entity. `schema`, `countries`, `limit` and `offset` filter and page
  as in yente; facets are `{}`; yente's query syntax, sorts and other filters are not implemented.
- `GET /entities/{id}`: one listed entity.
- `{dataset}` is "default" (every loaded list) or one list id (`us-sdn`, `un`, `us-csl`, …); a result's
  `datasets` is its list id. An entity's id is exportctl's entity id, which already names its list:
  `<list id>:<id within the list>` (`us-sdn:36`, `un:6907993`).

Why a prefix: yente's paths sit at its server's root, but here the root belongs to exportctl's pages and /api/v1
to its own API; a yente client takes a base URL, so it is given `https://<exportctl>/yente`.

Callers authenticate as for /api/v1 (Bearer token or session cookie, at least a viewer). Errors are answered as
/api/v1 answers them, RFC 9457 problem details, whose `detail` string is also what yente's ErrorResponse holds:
the application's handlers would answer a path outside /api/ with an HTML page, which no API client can read.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from exportctl.core_types import ScreeningHit
from exportctl.countries import country_code
from exportctl.http import errors
from exportctl.http.deps import Viewer
from exportctl.screening.entities import EntityKind, ListedEntity
from exportctl.screening.score import DEFAULT_THRESHOLD
from exportctl.screening.screener import QueryKind, Screener
from exportctl.screening.sources import registry

# yente/settings.py's defaults, so that a client tuned to yente meets the same limits.
MAX_BATCH = 100
MATCH_PAGE = 5
MAX_MATCHES = 500
DEFAULT_PAGE = 10
MAX_PAGE = 500
MAX_OFFSET = 9999 - MAX_PAGE
# Ours: each name × country is one screening, so an example cannot ask for an unbounded number of them.
MAX_NAMES = 10
MAX_COUNTRIES = 5
MAX_VALUES = 50
MAX_VALUE_LENGTH = 500
SEARCH_FLOOR = 0.6  # search shows weaker candidates than a match decision would (see the module docstring)
PREFIX = "/yente"
DEFAULT_DATASET = "default"
SCORER = "exportctl-name-score"
# yente's algorithm names (yente/routers/util.py ENABLED_ALGORITHMS, "best" an alias): all score with ours here.
ALGORITHMS = frozenset({"best", "logic-v2", "logic-v1", "name-based", "name-qualified", "regression-v1", "ofac-249"})

# FollowThemoney schema of each kind of listed entity. "company" covers every organisation the lists name, so
# Organization (Company's parent) is the honest one; an entity of unknown kind is a LegalEntity.
SCHEMA_OF_KIND: dict[EntityKind, str] = {
    "person": "Person",
    "company": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
    "unknown": "LegalEntity",
}
ALL_KINDS: frozenset[EntityKind] = frozenset(SCHEMA_OF_KIND)
LEGAL_ENTITIES: frozenset[EntityKind] = frozenset({"person", "company", "unknown"})
ORGANISATIONS: frozenset[EntityKind] = frozenset({"company", "unknown"})
# The kinds a schema covers (the schema and those that are a kind of it), as yente filters results by schema.
KINDS_OF_SCHEMA: dict[str, frozenset[EntityKind]] = {
    "Thing": ALL_KINDS,
    "LegalEntity": LEGAL_ENTITIES,
    # A listed entity whose list does not say what it is may be a person: a Person query must still meet it.
    "Person": frozenset({"person", "unknown"}),
    "Organization": ORGANISATIONS,
    "Company": ORGANISATIONS,
    "Vessel": frozenset({"vessel"}),
    "Airplane": frozenset({"aircraft"}),
}
# Which name forms the screener compares with: person forms for a Person, company forms for anything not a
# person, both for a query that may be either.
SCREEN_KIND: dict[str, QueryKind] = {
    "Thing": "any",
    "LegalEntity": "any",
    "Person": "person",
    "Organization": "company",
    "Company": "company",
    "Vessel": "company",
    "Airplane": "company",
}
NAME_PROPS = ("name", "alias", "previousName")
NAME_PART_PROPS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry")


class _ProblemRoute(APIRoute):
    """Answers the errors of its endpoint (authentication and validation included) as /api/v1 does."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except errors.HANDLED as exc:
                return errors.problem_for(request, exc)

        return answer


# Left out of exportctl's OpenAPI document, which describes /api/v1 (tests/http/test_api_roles.py holds each path
# it documents to the role matrix of /api/v1); yente's own documentation describes these requests.
router = APIRouter(tags=["yente"], route_class=_ProblemRoute, include_in_schema=False)


# --- models: yente/data/common.py's key names ------------------------------------------------------------------

Value = Annotated[str, Field(max_length=MAX_VALUE_LENGTH)]
# yente takes a string or a list; numbers in a list are turned into strings (tests/test_match.py), anything else
# (an object, a nested list, a bare number) is refused.
PropertyValues = Value | Annotated[list[Value | int | float], Field(max_length=MAX_VALUES)]


class EntityExample(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, max_length=200)
    schema_: str = Field(..., alias="schema", max_length=100)
    properties: dict[str, PropertyValues] = Field(..., max_length=100)


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field(default_factory=dict, max_length=100)
    config: dict[str, str | int | float | bool | None] = Field(default_factory=dict, max_length=100)
    queries: dict[str, EntityExample]


class FeatureResult(BaseModel):
    """nomenklatura's FeatureResult, what yente's `explanations` hold."""

    detail: str | None
    score: float
    query: str | None = None
    candidate: str | None = None


class EntityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str] = Field(default_factory=list)
    referents: list[str] = Field(default_factory=list)
    target: bool = False
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


class ScoredEntityResponse(EntityResponse):
    score: float
    explanations: dict[str, FeatureResult]
    match: bool
    features: dict[str, float] = Field(
        description="The scores of `explanations` alone, as yente before 5.2.1 also answered them (deprecated there)."
    )


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    limit: int


class SearchResponse(BaseModel):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, Any] = Field(default_factory=dict, description="Not computed here: always {}")


# --- from our entities and hits to yente's ---------------------------------------------------------------------


def _notes(entity: ListedEntity) -> list[str]:
    notes = [entity.remarks] if entity.remarks else []
    if entity.concerns:
        notes.append(f"End User List concerns: {', '.join(entity.concerns)}")
    if entity.licence_requirement:
        notes.append(f"Licence requirement: {entity.licence_requirement}")
    if entity.review_policy:
        notes.append(f"Licence review policy: {entity.review_policy}")
    return notes


def entity_properties(entity: ListedEntity) -> dict[str, list[str]]:
    """The entity's facts under FollowTheMoney's property names; empty properties left out, as FtM does."""
    properties = {
        "name": [entity.name],
        "alias": list(entity.aliases),
        "weakAlias": list(entity.weak_aliases),
        "country": [code.lower() for code in entity.countries],  # FtM writes country codes in lower case
        "birthDate": list(entity.birth_dates) if entity.kind == "person" else [],
        "address": list(entity.addresses),
        "program": list(entity.programs),
        "topics": [registry.TOPICS[entity.list_id]] if entity.list_id in registry.TOPICS else [],
        "notes": _notes(entity),
    }
    return {prop: values for prop, values in properties.items() if values}


def entity_response(entity: ListedEntity) -> EntityResponse:
    return EntityResponse(
        id=entity.entity_id,
        caption=entity.name,
        schema_=SCHEMA_OF_KIND[entity.kind],
        properties=entity_properties(entity),
        datasets=[entity.list_id],
        target=True,  # every entity exportctl loads is on a restricted-party list
    )


def _explanations(hit: ScreeningHit) -> dict[str, FeatureResult]:
    """The name score and, when there were any, the adjustments to it (country, weak-alias cap)."""
    name_score = float(hit.explanation.get("name_score", hit.score))
    method = str(hit.explanation.get("method", ""))
    found = {
        "name_score": FeatureResult(
            detail=f"best name pair ({method})" if method else None,
            score=name_score,
            query=str(hit.explanation.get("query", "")) or None,
            candidate=hit.matched_name,
        )
    }
    adjustments = [str(note) for note in hit.explanation.get("adjustments", ())]
    if adjustments:
        found["adjustments"] = FeatureResult(detail="; ".join(adjustments), score=round(hit.score - name_score, 4))
    return found


def scored_response(entity: ListedEntity, hit: ScreeningHit, threshold: float) -> ScoredEntityResponse:
    explanations = _explanations(hit)
    return ScoredEntityResponse(
        **entity_response(entity).model_dump(by_alias=True),
        score=hit.score,
        explanations=explanations,
        match=hit.score >= threshold,
        features={name: result.score for name, result in explanations.items()},
    )


# --- request plumbing ------------------------------------------------------------------------------------------


def _screener(request: Request) -> Screener:
    screener = request.app.state.screener
    if not isinstance(screener, Screener):  # none configured, or a bare PartyScreener without an index
        raise HTTPException(503, "no screening lists are loaded: start exportctl with its lists to screen")
    return screener


def _lists(screener: Screener, dataset: str) -> frozenset[str] | None:
    """The list ids a dataset covers (None: all), or 404 naming it."""
    if dataset == DEFAULT_DATASET:
        return None
    if not screener.has_list(dataset):
        loaded = ", ".join([DEFAULT_DATASET, *sorted(screener.index.lists)])
        raise HTTPException(404, f"No such dataset: {dataset[:60]!r} (loaded: {loaded})")
    return frozenset({dataset})


def _values(raw: str | list[str | int | float]) -> list[str]:
    """yente's extract_values: a string or a list of them, whitespace collapsed, blanks dropped."""
    items = raw if isinstance(raw, list) else [raw]
    cleaned = (" ".join(str(item).split()) for item in items)
    return [value for value in cleaned if value]


def _countries(values: Iterable[str]) -> list[str]:
    """ISO codes (lower case, as FtM) of the country names or codes given; ones not recognised are dropped."""
    codes = (country_code(value) for value in values)
    return list(dict.fromkeys(code.lower() for code in codes if code))


@dataclass(frozen=True)
class ParsedExample:
    schema: str
    names: list[str]
    countries: list[str]
    echo: EntityExample


def _refuse(message: str) -> HTTPException:
    # yente's wording for an example it cannot use (yente/routers/match.py), so clients that look for it find it.
    return HTTPException(400, f"Cannot parse example entity: {message}")


def parse_example(example: EntityExample) -> ParsedExample:
    schema = example.schema_
    if schema not in SCREEN_KIND:
        supported = ", ".join(sorted(SCREEN_KIND))
        raise _refuse(f"schema {schema[:100]!r} is not supported here (supported: {supported})")
    properties = {prop: _values(raw) for prop, raw in example.properties.items()}
    for prop in COUNTRY_PROPS:
        if prop in properties:
            properties[prop] = _countries(properties[prop])
    names = [value for prop in NAME_PROPS for value in properties.get(prop, [])]
    if not names:
        # As FtM's combine_names: a name from its parts, in order, when no name is given.
        parts = [properties[prop][0] for prop in NAME_PART_PROPS if properties.get(prop)]
        if parts:
            names = [" ".join(parts)]
            properties["name"] = names
    names = list(dict.fromkeys(names))
    if not names:
        raise _refuse("no name (give name, alias or firstName/lastName): exportctl screens names")
    if len(names) > MAX_NAMES:
        raise _refuse(f"{len(names)} names, at most {MAX_NAMES} are screened per example")
    countries = list(dict.fromkeys(code for prop in COUNTRY_PROPS for code in properties.get(prop, [])))
    if len(countries) > MAX_COUNTRIES:
        raise _refuse(f"{len(countries)} countries, at most {MAX_COUNTRIES} per example")
    echo = EntityExample(id=example.id, schema_=schema, properties={k: v for k, v in properties.items() if v})
    return ParsedExample(schema, names, countries, echo)


def _best_hits(
    screener: Screener, parsed: ParsedExample, lists: frozenset[str] | None, floor: float
) -> list[tuple[ListedEntity, ScreeningHit]]:
    """Each listed entity's best hit over the example's names and countries, best first."""
    kinds = KINDS_OF_SCHEMA[parsed.schema]
    best: dict[str, ScreeningHit] = {}
    # The screener takes one country, which only nudges the score: the most favourable one counts.
    countries: list[str | None] = [code.upper() for code in parsed.countries] or [None]
    for name in parsed.names:
        for country in countries:
            result = screener.screen(
                name, country, kind=SCREEN_KIND[parsed.schema], lists=lists, threshold=floor, limit=MAX_MATCHES
            )
            for hit in result.hits:
                if hit.entity_id not in best or hit.score > best[hit.entity_id].score:
                    best[hit.entity_id] = hit
    entities = screener.index.entities
    found = [(entities[hit.entity_id], hit) for hit in best.values()]
    found = [(entity, hit) for entity, hit in found if entity.kind in kinds]
    found.sort(key=lambda pair: (-pair[1].score, pair[1].entity_id))
    return found


def match_one(
    screener: Screener,
    example: EntityExample,
    lists: frozenset[str] | None,
    threshold: float,
    cutoff: float,
    limit: int,
) -> EntityMatches:
    parsed = parse_example(example)
    found = _best_hits(screener, parsed, lists, cutoff)
    results = [scored_response(entity, hit, threshold) for entity, hit in found]
    # yente's total counts the matches (score ≥ threshold) among all scored, before the limit.
    total = sum(1 for result in results if result.match)
    return EntityMatches(results=results[:limit], total=TotalSpec(value=total), query=parsed.echo)


def _check_algorithm(algorithm: str) -> None:
    if algorithm.lower().strip() not in ALGORITHMS:
        raise HTTPException(400, f"Invalid algorithm: {algorithm[:60]}")


# --- endpoints -------------------------------------------------------------------------------------------------

DatasetPath = Annotated[str, Path(description="'default' (every loaded list) or one list id, e.g. 'us-sdn'")]


@router.post("/match/{dataset}", response_model=EntityMatchResponse, summary="yente: match example entities")
def match(
    body: EntityMatchQuery,
    dataset: DatasetPath,
    request: Request,
    response: Response,
    actor: Viewer,
    limit: Annotated[int, Query(ge=1, le=MAX_MATCHES)] = MATCH_PAGE,
    threshold: Annotated[float, Query(ge=0, le=1)] = DEFAULT_THRESHOLD,
    cutoff: Annotated[float | None, Query(ge=0, le=1, deprecated=True)] = None,
    algorithm: Annotated[str, Query(max_length=60)] = "best",
) -> EntityMatchResponse:
    """yente's query-by-example matcher: each example's names screened against the dataset's lists."""
    screener = _screener(request)
    lists = _lists(screener, dataset)
    _check_algorithm(algorithm)
    if body.config:  # our scorer has no configuration parameters, and yente refuses ones it does not know
        key = next(iter(body.config))
        raise HTTPException(400, f"Invalid configuration parameter: {key[:60]} for algorithm {SCORER}")
    if len(body.queries) > MAX_BATCH:
        raise HTTPException(400, f"Too many queries in one batch (limit: {MAX_BATCH})")
    if not body.queries:
        raise HTTPException(400, "No queries provided.")
    # As yente: results down to the cutoff (never above the threshold), `match` from the threshold.
    floor = threshold if cutoff is None else min(cutoff, threshold)
    responses = {
        key: match_one(screener, example, lists, threshold, floor, limit) for key, example in body.queries.items()
    }
    response.headers["x-batch-size"] = str(len(responses))
    response.headers["x-algorithm"] = f"{algorithm.strip()[:60]}; scored by {SCORER}"
    return EntityMatchResponse(responses=responses, limit=limit)


def _search_entities(screener: Screener, q: str, lists: frozenset[str] | None, schema: str) -> list[ListedEntity]:
    entities: Mapping[str, ListedEntity] = screener.index.entities
    if not q.strip():
        chosen: Iterable[ListedEntity] = entities.values()
    else:
        kind = SCREEN_KIND[schema]
        hits = screener.screen(q, None, kind=kind, lists=lists, threshold=SEARCH_FLOOR, limit=MAX_MATCHES).hits
        chosen = (entities[hit.entity_id] for hit in hits)
    kinds = KINDS_OF_SCHEMA[schema]
    return [e for e in chosen if e.kind in kinds and (lists is None or e.list_id in lists)]


@router.get("/search/{dataset}", response_model=SearchResponse, summary="yente: search entities by name")
def search(
    dataset: DatasetPath,
    request: Request,
    actor: Viewer,
    q: Annotated[str, Query(max_length=MAX_VALUE_LENGTH)] = "",
    schema: Annotated[str, Query(max_length=100)] = "Thing",
    countries: Annotated[list[str] | None, Query(max_length=MAX_VALUES)] = None,
    limit: Annotated[int, Query(ge=0, le=MAX_PAGE)] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> SearchResponse:
    """yente's simple search: a name, screened loosely; without one, every entity of the dataset."""
    screener = _screener(request)
    lists = _lists(screener, dataset)
    if schema not in KINDS_OF_SCHEMA:
        raise HTTPException(400, f"Invalid schema: {schema[:100]!r} (supported: {', '.join(sorted(KINDS_OF_SCHEMA))})")
    found = _search_entities(screener, q, lists, schema)
    if countries:  # any of them, as yente's default filter_op=OR
        wanted = {code.upper() for code in _countries(countries)}
        found = [entity for entity in found if wanted.intersection(entity.countries)]
    page = [entity_response(entity) for entity in found[offset : offset + limit]]
    return SearchResponse(limit=limit, offset=offset, total=TotalSpec(value=len(found)), results=page)


@router.get("/entities/{entity_id}", response_model=EntityResponse, summary="yente: one entity")
def fetch_entity(
    entity_id: Annotated[str, Path(max_length=200, description="'<list id>:<id within the list>', e.g. 'us-sdn:36'")],
    request: Request,
    actor: Viewer,
    nested: bool = True,  # accepted for yente's clients: our entities have no adjacent entities to nest
) -> EntityResponse:
    entity = _screener(request).index.entities.get(entity_id)
    if entity is None:
        raise HTTPException(404, "No such entity!")  # yente's words
    return entity_response(entity)
