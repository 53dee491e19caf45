"""The determination codec: encoding and decoding are inverse, and a stored record decodes to what decided."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl import determination_json
from exportctl.core_types import Outcome
from exportctl.http.api.v1 import schemas
from exportctl.regime import Regime
from exportctl.screening.end_user_list import EndUserList
from tests.conftest import run
from tests.determine.test_engine_properties import transactions

SPEC_LINES = [
    {"spec": {"product": "photoresist", "params": {"wavelength_nm": 248, "resist_tone": "positive"}}},
    {"spec": {"product": "hydrogen-fluoride"}},
    {"kind": "technology", "item": "tech:2(1)", "tech_purpose": "design"},
]


@st.composite
def mixed(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(transactions())
    extra = draw(st.lists(st.sampled_from(SPEC_LINES), max_size=2))
    technology = any(line.get("kind") == "technology" for line in extra)
    if technology and data["destination"] == "KP":
        extra = [line for line in extra if line.get("kind") != "technology"]
    return {**data, "lines": [*data["lines"], *extra]}


@settings(max_examples=200, deadline=None)
@given(mixed())
def test_decode_inverts_encode(jp: Regime, eul: EndUserList, data: dict[str, Any]) -> None:
    determination = run(jp, eul, **data)
    stored = json.loads(json.dumps(determination_json.encode(determination)))  # as a JSON column gives it back
    decoded = determination_json.decode(stored)
    assert decoded == determination
    # Hit explanations do not take part in equality: compare the encoded form too.
    assert determination_json.encode(decoded) == stored
    # The API's response model describes every key the codec writes, no more and no fewer.
    assert schemas.Determination.model_validate(stored).model_dump(mode="json", by_alias=True) == stored


def test_every_cited_source_travels_with_the_determination(jp: Regime, eul: EndUserList) -> None:
    # Korea left Group A on 2019-08-28: the destination reason cites the cabinet order that moved it.
    determination = run(jp, eul, date="2019-09-10", destination="KR", lines=[{"item": "3(1)"}])
    cited = {r.source for r in determination.reasons}
    for line in determination.lines:
        cited |= {r.source for r in line.reasons} | {e.source for e in line.exceptions}
    assert cited - {None} == set(determination.citations)
    encoded = determination_json.encode(determination)
    destination_reason = encoded["reasons"][0]
    assert destination_reason["rule"] == "destination-group"
    assert destination_reason["source"]["url"].startswith("http")


def test_a_record_older_than_matches_keeps_its_entries() -> None:
    # Records stored before `matches` existed kept only entry ids; licence fitting needs them, so they decode.
    old = {
        "regime": "jp",
        "pack_version": "v",
        "date": "2019-07-10",
        "destination": "KR",
        "destination_group": "A",
        "outcome": "licence_required",
        "lines": [
            {
                "index": 0,
                "kind": "goods",
                "item": "3(1)",
                "entries": ["3(1)"],
                "outcome": "licence_required",
                "eligible_licences": ["individual"],
                "reasons": [{"rule": "listed", "text": "listed", "source": None}],
            }
        ],
        "reasons": [],
    }
    decoded = determination_json.decode(old)
    assert [m.entry for m in decoded.lines[0].entries] == ["3(1)"]
    assert decoded.lines[0].outcome is Outcome.LICENCE_REQUIRED
    assert decoded.licence_required
