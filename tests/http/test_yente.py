"""The yente-compatible API (/yente): yente's own request examples, answered over the shipped lists.

Request bodies are copied from yente's tests (opensanctions/yente, tests/test_match.py and tests/test_search.py).
yente's fixture dataset is not ours: Alexander Zakharov is on none of the shipped lists, so those requests are
checked for yente's answer shape and for not matching; Vladimir Putin, from the same yente test, is on Japan's MOF
asset-freeze list. Expected entities come from the list files themselves (../shared/data/lists):
- un-consolidated-2026-02-27.xml, DATAID 6907993: FIRST_NAME ERIC, SECOND_NAME BADEGE, nationality DRC/Rwanda;
- us-ofac-sdn.csv row 36: "AEROCARIBBEAN AIRLINES", programme CUBA, Havana, Cuba;
- us-ofac-sdn.csv row 16667: "YAKUNIN, Vladimir Ivanovich", DOB 30 Jun 1948;
- us-ofac-sdn.csv row 4234: the vessel "HERMANN", programme CUBA;
- jp-mof-asset-freeze-2026-03-05.xlsx, North Korea (resolution 1695) sheet, entry 16: "Jakob Steiger", Fribourg,
  Switzerland, a row that says neither person nor company (no birth date, no legal form).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from exportctl.http.api import yente
from exportctl.screening.score import DEFAULT_THRESHOLD
from exportctl.screening.screener import Screener
from exportctl.store import db as store
from tests.support.apiclient import PASSWORD, Api, make_api

PROBLEM = "application/problem+json"
MATCH = "/yente/match/default"

# yente tests/test_match.py
QUERY_ZAKHAROV = {
    "schema": "Person",
    "properties": {
        "name": ["Alexander Vyacheslavovich ZAKHAROV"],
        "birthDate": ["1965"],
        "country": "Russia",
    },
}
MANY_NAMES = {
    "properties": {
        "name": [
            "Alexander Vyacheslavovich ZAKHAROV",
            "Aleksandr Vyacheslavovich Zakharov",
            "Александр Вячеславович Захаров",
            "Александр ЗАХАРОВ",
            "Захаров Александр Вячеславович",
            "Zakharov Aleksandr Vyacheslavovich",
            "Aleksandr Vjačeslavovič Zacharov",
        ]
    },
    "schema": "Person",
}
# yente's docstring example in yente/routers/match.py (the match endpoint's documentation)
DOC_EXAMPLES = {
    "entity1": {
        "schema": "Person",
        "properties": {"name": ["John Doe"], "birthDate": ["1975-04-21"], "nationality": ["us"]},
    },
    "entity2": {
        "schema": "Company",
        "properties": {
            "name": ["Brilliant Amazing Limited"],
            "jurisdiction": ["hk"],
            "registrationNumber": ["84BA99810"],
        },
    },
}
ENTITY_KEYS = {"id", "caption", "schema", "properties", "datasets", "referents", "target", "first_seen", "last_seen"}
ENTITY_KEYS |= {"last_change"}
SCORED_KEYS = ENTITY_KEYS | {"score", "match", "explanations"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path_factory.mktemp('yente') / 'yente.db'}"
    yield make_api(url, screener)
    store.engine(url).dispose()


def match(api: Api, queries: dict[str, Any], dataset: str = "default", **params: Any) -> Any:
    return api.client.post(
        f"/yente/match/{dataset}", json={"queries": queries}, headers=api.auth("viewer"), params=params
    )


def matched(api: Api, queries: dict[str, Any], **params: Any) -> dict[str, Any]:
    response = match(api, queries, **params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body) >= {"responses", "limit"}
    assert set(body["responses"]) == set(queries)
    for result in body["responses"].values():
        assert result["status"] == 200
        assert set(result["total"]) == {"value", "relation"} and result["total"]["relation"] == "eq"
        assert {"id", "schema", "properties"} <= set(result["query"])
        for scored in result["results"]:
            assert_scored_shape(scored)
    return body


def search(api: Api, dataset: str = "default", **params: Any) -> Any:
    return api.client.get(f"/yente/search/{dataset}", headers=api.auth("viewer"), params=params)


def assert_entity_shape(data: dict[str, Any]) -> None:
    """What yente's tests/conftest.py assert_entity_shape checks, for our entities."""
    assert data.keys() >= ENTITY_KEYS, sorted(data)
    assert isinstance(data["id"], str) and data["id"]
    assert isinstance(data["caption"], str) and data["caption"]
    assert data["schema"] in {"Person", "Organization", "LegalEntity", "Vessel", "Airplane"}
    for prop, values in data["properties"].items():
        assert isinstance(prop, str) and isinstance(values, list) and values, (prop, values)
        assert all(isinstance(value, str) for value in values), (prop, values)
    assert isinstance(data["datasets"], list) and all(isinstance(name, str) for name in data["datasets"])
    assert data["referents"] == [] and data["target"] is True
    assert data["first_seen"] is None and data["last_seen"] is None and data["last_change"] is None


def assert_scored_shape(data: dict[str, Any]) -> None:
    assert data.keys() >= SCORED_KEYS, sorted(data)
    assert_entity_shape(data)
    assert isinstance(data["score"], float) and 0 <= data["score"] <= 1
    assert isinstance(data["match"], bool)
    for name, feature in data["explanations"].items():
        assert set(feature) == {"detail", "score", "query", "candidate"}, (name, feature)
        assert data["features"][name] == feature["score"]


def problem(response: Any, status: int) -> str:
    """The error, as /api/v1 answers one; `detail` is also what yente's ErrorResponse carries."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and isinstance(body["detail"], str)
    return str(body["detail"])


# --- match: yente's examples ----------------------------------------------------------------------------------


def test_yente_zakharov_batch_answers_each_key_and_matches_nothing_not_listed(api: Api) -> None:
    # yente test_match_zakharov: the same example under three keys
    body = matched(api, {"vv": QUERY_ZAKHAROV, "xx": QUERY_ZAKHAROV, "zz": QUERY_ZAKHAROV})
    assert body["limit"] == yente.MATCH_PAGE == 5
    for key in ("vv", "xx", "zz"):
        res = body["responses"][key]
        assert res["query"]["schema"] == "Person"
        assert res["query"]["properties"]["country"] == ["ru"]  # "Russia" cleaned to its code, as yente does
        assert res["query"]["properties"]["birthDate"] == ["1965"]
        # Zakharov is on none of the shipped lists: no match at the default threshold
        assert res["results"] == [] and res["total"]["value"] == 0


def test_yente_many_names_score_low_and_none_matches(api: Api) -> None:
    # yente test_match_many_names, with a cutoff so the best candidates are shown: none reaches the threshold
    res = matched(api, {"q": MANY_NAMES}, algorithm="best", cutoff=0.3)["responses"]["q"]
    assert res["total"]["value"] == 0
    assert res["results"], "candidates down to the cutoff are shown"
    assert all(not r["match"] and r["score"] < DEFAULT_THRESHOLD for r in res["results"])
    scores = [r["score"] for r in res["results"]]
    assert scores == sorted(scores, reverse=True)


def test_yente_algorithms_are_accepted_and_an_unknown_one_refused(api: Api) -> None:
    # yente test_match_zakharov_name_based_mode: "neural-net" is 400, "name-based" answers
    assert "neural-net" in problem(match(api, {"vv": QUERY_ZAKHAROV}, algorithm="neural-net"), 400)
    for algorithm in ("name-based", "logic-v1", "logic-v2", "best"):
        response = match(api, {"vv": QUERY_ZAKHAROV}, algorithm=algorithm)
        assert response.status_code == 200, response.text
        assert response.headers["x-algorithm"].startswith(algorithm)


def test_yente_no_schema_is_422_and_a_bad_schema_in_a_batch_is_400(api: Api) -> None:
    # yente test_match_no_schema, including its "Vladimir Putin" and "John Doe" siblings
    problem(match(api, {"fail": {"properties": {"name": "Banana"}}}), 422)
    batch = {
        "fail": {"schema": "xxx", "properties": {"name": "Banana"}},
        "ok1": {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}},
        "ok2": {"schema": "Person", "properties": {"name": ["John Doe"]}},
    }
    assert "'xxx'" in problem(match(api, batch), 400)
    # Without the bad one: Vladimir Putin is on Japan's MOF asset-freeze list, John Doe on none
    body = matched(api, {"ok1": batch["ok1"], "ok2": batch["ok2"]})
    putin = body["responses"]["ok1"]["results"][0]
    assert putin["caption"] == "Vladimir Putin" and putin["match"] and putin["datasets"] == ["jp-mof"]
    assert body["responses"]["ok2"]["results"] == []


def test_yente_id_passes_through_and_numbers_become_strings(api: Api) -> None:
    # yente test_id_pass_through and test_match_numeric_property_value
    res = matched(api, {"no1": {**MANY_NAMES, "id": "zakharov"}})["responses"]["no1"]
    assert res["query"]["id"] == "zakharov" and res["query"]["schema"] == "Person"
    numeric = {"schema": "Person", "properties": {"name": ["Alexander Zakharov"], "birthDate": [1965]}}
    assert "1965" in matched(api, {"q": numeric})["responses"]["q"]["query"]["properties"]["birthDate"]


def test_yente_fuzzy_name_at_a_low_threshold(api: Api) -> None:
    # yente test_fuzzy_names' request: with the threshold at 0.2 whatever scores above it is a match
    query = {"a": {"schema": "Person", "properties": {"name": "Aiexandvr Zakharom"}}}
    res = matched(api, query, threshold=0.2, algorithm="logic-v2")["responses"]["a"]
    assert all(r["match"] == (r["score"] >= 0.2) for r in res["results"])
    assert res["total"]["value"] == sum(r["match"] for r in res["results"])
    # at the default threshold the typo'd name of someone not listed matches nothing
    assert matched(api, query)["responses"]["a"]["results"] == []


def test_yente_documentation_examples(api: Api) -> None:
    # the two examples of yente's /match documentation: neither is on a list
    body = matched(api, DOC_EXAMPLES)
    assert body["responses"]["entity1"]["query"]["properties"]["nationality"] == ["us"]
    assert body["responses"]["entity2"]["query"]["properties"]["registrationNumber"] == ["84BA99810"]
    assert all(res["results"] == [] for res in body["responses"].values())


# --- match: entities read from the list files ------------------------------------------------------------------


def test_name_parts_are_joined_and_match_the_un_listing(api: Api) -> None:
    query = {"schema": "Person", "properties": {"firstName": ["ERIC"], "lastName": ["BADEGE"], "nationality": ["rw"]}}
    res = matched(api, {"badege": query})["responses"]["badege"]
    assert res["query"]["properties"]["name"] == ["ERIC BADEGE"]
    by_id = {r["id"]: r for r in res["results"]}
    un = by_id["un:6907993"]  # DATAID 6907993 of the UN list
    assert un["match"] and un["score"] >= DEFAULT_THRESHOLD
    assert un["schema"] == "Person" and un["datasets"] == ["un"]
    assert un["properties"]["birthDate"] == ["1971"] and set(un["properties"]["country"]) == {"cd", "rw"}
    assert un["explanations"]["name_score"]["candidate"] == "ERIC BADEGE"
    assert res["total"]["value"] == sum(r["match"] for r in res["results"])


def test_a_listed_company_matches_itself_and_a_made_up_one_does_not(api: Api) -> None:
    queries = {
        "listed": {"schema": "Company", "properties": {"name": ["AEROCARIBBEAN AIRLINES"], "jurisdiction": ["cu"]}},
        "made-up": {"schema": "Company", "properties": {"name": ["Quillfeather Ostrander Widgets Ltd"]}},
    }
    body = matched(api, queries)
    top = body["responses"]["listed"]["results"][0]
    assert top["id"] == "us-sdn:36" and top["caption"] == "AEROCARIBBEAN AIRLINES"
    assert top["schema"] == "Organization" and top["datasets"] == ["us-sdn"]
    assert top["match"] and top["score"] >= DEFAULT_THRESHOLD
    assert top["properties"]["program"] == ["CUBA"] and top["properties"]["country"] == ["cu"]
    assert body["responses"]["made-up"]["results"] == [] and body["responses"]["made-up"]["total"]["value"] == 0


def test_a_dataset_scopes_the_match(api: Api) -> None:
    query = {"y": {"schema": "Person", "properties": {"name": ["Vladimir Ivanovich Yakunin"]}}}
    sdn = matched_in(api, "us-sdn", query)["y"]["results"]
    assert sdn[0]["id"] == "us-sdn:16667" and sdn[0]["match"]
    assert sdn[0]["properties"]["birthDate"] == ["1948-06-30"]  # DOB 30 Jun 1948
    assert matched_in(api, "un", query)["y"]["results"] == []


def matched_in(api: Api, dataset: str, queries: dict[str, Any]) -> dict[str, Any]:
    response = match(api, queries, dataset=dataset)
    assert response.status_code == 200, response.text
    responses: dict[str, Any] = response.json()["responses"]
    assert all(dataset in r["datasets"] for res in responses.values() for r in res["results"])
    return responses


def test_a_vessel_query_finds_only_vessels(api: Api) -> None:
    res = matched(api, {"v": {"schema": "Vessel", "properties": {"name": ["HERMANN"]}}})["responses"]["v"]
    assert res["results"] and all(r["schema"] == "Vessel" for r in res["results"])
    assert res["results"][0]["id"] == "us-sdn:4234"
    person = matched(api, {"p": {"schema": "Person", "properties": {"name": ["HERMANN"]}}})["responses"]["p"]
    assert all(r["schema"] == "Person" for r in person["results"])


def test_a_person_query_meets_a_listed_entity_of_unknown_kind(api: Api) -> None:
    """The MOF row for Jakob Steiger does not say whether it is a person: a Person query must still find it (a
    schema filter that dropped it would clear a listed party)."""
    query = {"s": {"schema": "Person", "properties": {"name": ["Jakob Steiger"]}}}
    results = matched_in(api, "jp-mof", query)["s"]["results"]
    assert results and results[0]["id"] == "jp-mof:13:16" and results[0]["match"]
    everywhere = {r["id"] for r in matched(api, query)["responses"]["s"]["results"]}
    assert {"jp-mof:13:16", "us-sdn:9619"} <= everywhere  # SDN lists him as an individual
    company = {"c": {"schema": "Company", "properties": {"name": ["Jakob Steiger"]}}}
    assert matched_in(api, "jp-mof", company)["c"]["results"][0]["id"] == "jp-mof:13:16"


def test_limit_cuts_results_but_not_the_total(api: Api) -> None:
    query = {"q": {"schema": "Person", "properties": {"name": ["Vladimir"]}}}
    wide = matched(api, query, threshold=0.5, limit=500)["responses"]["q"]
    narrow = matched(api, query, threshold=0.5, limit=1)["responses"]["q"]
    assert len(narrow["results"]) == 1 and narrow["total"] == wide["total"]
    assert narrow["results"][0]["id"] == wide["results"][0]["id"]


# --- search and entities (yente tests/test_search.py) ----------------------------------------------------------


def test_search_by_name_and_entity_by_id(api: Api) -> None:
    response = search(api, q="aerocaribbean airlines")
    assert response.status_code == 200, response.text
    data = response.json()
    assert set(data) >= {"results", "total", "limit", "offset", "facets"}
    assert data["limit"] == yente.DEFAULT_PAGE and data["offset"] == 0
    top = data["results"][0]
    assert_entity_shape(top)
    assert top["id"] == "us-sdn:36" and "default" not in top["datasets"]
    fetched = api.client.get(f"/yente/entities/{top['id']}", headers=api.auth("viewer"))
    assert fetched.status_code == 200 and fetched.json() == top
    assert problem(api.client.get("/yente/entities/us-sdn:0", headers=api.auth("viewer")), 404) == "No such entity!"


def test_yente_search_requests(api: Api) -> None:
    # yente test_search_zakharov / test_search_no_query / test_search_missing_dataset / schema filters
    assert search(api, q="alexander zakharov").status_code == 200
    everything = search(api, "un").json()
    assert len(everything["results"]) == 10 and everything["total"]["value"] == 1003  # the UN list's entries
    assert "'banana'" in problem(search(api, "banana"), 404)
    assert "Banana" in problem(search(api, q="angela merkel", schema="Banana"), 400)
    assert search(api, q="vladimir putin", schema="Vessel").json()["results"] == []
    kept = search(api, q="vladimir putin", schema="Person").json()["results"]
    assert kept[0]["caption"] == "Vladimir Putin"
    # test_search_filter_countries_remove, with a listed person: BADEGE is of the DRC and Rwanda, not Kenya
    assert any(r["id"] == "un:6907993" for r in search(api, q="eric badege", countries="rw").json()["results"])
    assert search(api, q="eric badege", countries="ke").json()["results"] == []
    # test_search_limit, test_search_offset, test_search_range_limit, test_search_range_offset
    assert search(api, q="eric badege", limit=0).json()["results"] == []
    assert search(api, q="eric badege", offset=100).json()["offset"] == 100
    problem(search(api, q="zakharov", limit=10000), 422)
    assert search(api, q="zakharov", limit=500).status_code == 200
    problem(search(api, q="putin", offset=9999), 422)


# --- refusals --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", MATCH), ("GET", "/yente/search/default?q=x"), ("GET", "/yente/entities/us-sdn:36")],
)
def test_unauthenticated_is_401_and_a_bad_token_too(api: Api, method: str, path: str) -> None:
    body = {"queries": {"q": QUERY_ZAKHAROV}}
    problem(api.client.request(method, path, json=body if method == "POST" else None), 401)
    bad = {"Authorization": "Bearer not-a-token"}
    problem(api.client.request(method, path, json=body if method == "POST" else None, headers=bad), 401)


def test_yentes_apikey_scheme_carries_the_same_token(api: Api) -> None:
    # yente's clients (nomenklatura's YenteEnricher) send `Authorization: ApiKey <key>`.
    token = api.auth("viewer")["Authorization"].split(" ", 1)[1]
    body = {"queries": {"q": QUERY_ZAKHAROV}}
    answered = api.client.post(MATCH, json=body, headers={"Authorization": f"ApiKey {token}"})
    assert answered.status_code == 200, answered.text
    assert answered.json()["responses"]["q"]["status"] == 200
    problem(api.client.post(MATCH, json=body, headers={"Authorization": "ApiKey not-a-token"}), 401)
    problem(api.client.post(MATCH, json=body, headers={"Authorization": f"Basic {token}"}), 401)


def test_a_session_cookie_works_with_its_csrf_token(api: Api) -> None:
    login = api.client.post("/api/v1/session", json={"name": "vera", "password": PASSWORD})
    assert login.status_code == 200
    body = {"queries": {"q": QUERY_ZAKHAROV}}
    assert api.client.get("/yente/entities/us-sdn:36").status_code == 200
    problem(api.client.post(MATCH, json=body), 403)  # a write-method call with the cookie needs the CSRF token
    answered = api.client.post(MATCH, json=body, headers={"X-CSRF-Token": login.json()["csrf_token"]})
    assert answered.status_code == 200, answered.text
    api.client.cookies.clear()


def test_unknown_dataset_is_404_naming_it(api: Api) -> None:
    assert "'us-ofac-sdn'" in problem(match(api, {"q": QUERY_ZAKHAROV}, dataset="us-ofac-sdn"), 404)


@pytest.mark.parametrize("limit", [0, -1, yente.MAX_MATCHES + 1, 10**12])
def test_limit_out_of_range_is_422(api: Api, limit: int) -> None:
    problem(match(api, {"q": QUERY_ZAKHAROV}, limit=limit), 422)


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_threshold_out_of_range_is_422(api: Api, threshold: float) -> None:
    problem(match(api, {"q": QUERY_ZAKHAROV}, threshold=threshold), 422)


def test_batches_are_capped_as_yente_caps_them(api: Api) -> None:
    many = {f"q{i}": QUERY_ZAKHAROV for i in range(200)}
    assert problem(match(api, many), 400) == "Too many queries in one batch (limit: 100)"
    assert problem(match(api, {}), 400) == "No queries provided."
    full = {f"q{i}": QUERY_ZAKHAROV for i in range(yente.MAX_BATCH)}
    assert len(matched(api, full)["responses"]) == yente.MAX_BATCH


@pytest.mark.parametrize(
    "name", [123, {"$ne": ""}, [["nested"]], [{"a": 1}], True, "x" * (yente.MAX_VALUE_LENGTH + 1)], ids=repr
)
def test_names_that_are_not_strings_are_422(api: Api, name: Any) -> None:
    problem(match(api, {"q": {"schema": "Person", "properties": {"name": name}}}), 422)


def test_unsupported_schema_and_nameless_example_are_400(api: Api) -> None:
    assert "'Address'" in problem(match(api, {"q": {"schema": "Address", "properties": {"full": ["x"]}}}), 400)
    nameless = {"q": {"schema": "Person", "properties": {"birthDate": ["1965"], "country": ["ru"]}}}
    assert "no name" in problem(match(api, nameless), 400)
    too_many = {"q": {"schema": "Person", "properties": {"name": [f"Name {i}" for i in range(yente.MAX_NAMES + 1)]}}}
    problem(match(api, too_many), 400)


def test_algorithm_config_is_refused(api: Api) -> None:
    # yente test_match_logic_v2_with_algorithm_config: an option the algorithm lacks is 400
    body = {"queries": {"vv": QUERY_ZAKHAROV}, "config": {"invalid_option": 0.4}}
    response = api.client.post(MATCH, json=body, headers=api.auth("viewer"))
    assert "invalid_option" in problem(response, 400)


def test_no_lists_loaded_is_503(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    bare = make_api(url, None)
    response = bare.client.post(MATCH, json={"queries": {"q": QUERY_ZAKHAROV}}, headers=bare.auth("viewer"))
    assert "no screening lists" in problem(response, 503)
    assert "no screening lists" in problem(bare.client.get("/yente/search/default", headers=bare.auth("viewer")), 503)
    store.engine(url).dispose()


def test_the_routes_are_mounted_under_yente_and_not_in_the_api_document(api: Api) -> None:
    document = api.client.get("/api/v1/openapi.json").json()
    assert not [path for path in document["paths"] if path.startswith("/yente")]
    assert api.client.get("/match/default").status_code == 404  # yente's own root paths are not ours
