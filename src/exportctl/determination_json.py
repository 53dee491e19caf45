"""A determination as plain data (JSON) and back: the one codec of the `--format json` / REST / stored shape.

`encode` writes what the contract promises (the keys of `exportctl check --format json`, also stored with every
order and in the ledger); `decode` reads it back into the typed `Determination`, so code in the process works on
types and only the edges (JSON out, templates) see dicts. `decode(encode(d)) == d` holds for every
determination (tests/test_determination_json.py). A determination cites by source id and carries the citations
it needs, so neither direction needs the pack.

Records written before a key existed still decode: a key added later reads as its empty default. A reason's
Japanese text (`text_ja`) is written only when the engine gave one; `comparable` leaves it out, so that a stored
determination written before the engine wrote Japanese compares equal to the same determination made today.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from exportctl.core_types import (
    SEVERITY,
    Citation,
    Comparison,
    Determination,
    EntryMatch,
    ExceptionCheck,
    LineDetermination,
    Outcome,
    Reason,
    ScreeningHit,
)
from exportctl.json_text import canonical_json

JSON = dict[str, Any]


def canonical(encoded: Mapping[str, Any]) -> tuple[str, str]:
    """An encoded determination's canonical text (sorted keys, no spaces, UTF-8 as is) and the text's SHA-256:
    the form it is stored and cited in (`store.models.StoredDetermination`), identical for equal contents."""
    text = canonical_json(encoded)
    return hashlib.sha256(text.encode()).hexdigest(), text


# --- encode ---------------------------------------------------------------------------------------------------


def encode_citation(source_id: str | None, citations: Mapping[str, Citation]) -> JSON | None:
    if source_id is None:
        return None
    citation = citations[source_id]
    ref: JSON = {"id": source_id, "instrument": citation.instrument}
    for key in ("article", "promulgated", "in_force"):
        value = getattr(citation, key)
        if value is not None:
            ref[key] = str(value)
    ref["url"] = citation.url
    ref["verified"] = citation.verified
    return ref


def encode_reason(reason: Reason, citations: Mapping[str, Citation]) -> JSON:
    data: JSON = {"rule": reason.rule, "text": reason.text, "source": encode_citation(reason.source, citations)}
    if reason.text_ja is not None:
        data["text_ja"] = reason.text_ja
    return data


def encode_match(match: EntryMatch) -> JSON:
    data: JSON = {
        "entry": match.entry,
        "clause": match.clause,
        "via": match.via,
        "control_numbers": list(match.control_numbers),
    }
    if match.comparisons:
        data["comparisons"] = [
            {"param": c.param, "op": c.op, "required": c.required, "actual": c.actual, "holds": c.holds}
            for c in match.comparisons
        ]
    if match.goods:
        data["goods"] = list(match.goods)
    return data


def encode_line(line: LineDetermination, citations: Mapping[str, Citation]) -> JSON:
    return {
        "index": line.index,
        "kind": line.kind,
        "item": line.item,
        "entries": [match.entry for match in line.entries],
        "matches": [encode_match(match) for match in line.entries],
        "control_numbers": list(dict.fromkeys(n for match in line.entries for n in match.control_numbers)),
        "outcome": line.outcome.value,
        "eligible_licences": list(line.eligible_licences),
        "licence_conditions": dict(line.licence_conditions),
        "reasons_for_control": list(line.reasons_for_control),
        "review_policy": line.review_policy,
        "exceptions": [
            {
                "exception": e.exception,
                "applied": e.applied,
                "why": e.why,
                "source": encode_citation(e.source, citations),
            }
            for e in line.exceptions
        ],
        "missing": list(line.missing),
        "reasons": [encode_reason(r, citations) for r in line.reasons],
    }


def encode_hit(hit: ScreeningHit) -> JSON:
    """A screening hit: the contract keys (list, entity_id, name, matched_name, score, explanation) and more."""
    return {
        "list": hit.list_id,
        "list_version": hit.list_version,
        "entity_id": hit.entity_id,
        "name": hit.name,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "countries": list(hit.countries),
        "concerns": list(hit.concerns),
        "programs": list(hit.programs),
        "licence_requirement": hit.licence_requirement,
        "review_policy": hit.review_policy,
        "explanation": dict(hit.explanation),
    }


def encode(determination: Determination) -> JSON:
    citations = determination.citations
    return {
        "regime": determination.regime,
        "pack_version": determination.pack_version,
        "date": determination.date.isoformat(),
        "destination": determination.destination,
        "destination_group": determination.destination_group,
        "outcome": determination.outcome.value,
        "licence_required": determination.licence_required,
        "eligible_licences": list(determination.eligible_licences),
        "missing": list(determination.missing),
        "end_user_hits": [encode_hit(hit) for hit in determination.end_user_hits],
        "consignee_hits": [encode_hit(hit) for hit in determination.consignee_hits],
        "blocked_by": list(determination.blocked_by),
        "lines": [encode_line(line, citations) for line in determination.lines],
        "reasons": [encode_reason(r, citations) for r in determination.reasons],
    }


def encode_several(determinations: Sequence[Determination]) -> JSON:
    """One transaction under several regimes: each one's determination, the most restrictive outcome, and whether
    any regime requires a licence."""
    outcome = max((d.outcome for d in determinations), key=SEVERITY.__getitem__)
    return {
        "determinations": [encode(d) for d in determinations],
        "outcome": outcome.value,
        "licence_required": any(d.licence_required for d in determinations),
    }


def comparable(encoded: Mapping[str, Any]) -> JSON:
    """An encoded determination without its reasons' Japanese texts: what two determinations are compared on (an
    audit replay). The Japanese text restates the English one; a record stored before the engine wrote it has
    none, and still replays as identical."""

    def reasons(holder: Mapping[str, Any]) -> list[JSON]:
        return [{key: value for key, value in r.items() if key != "text_ja"} for r in holder.get("reasons", ())]

    data = dict(encoded)
    if "reasons" in data:
        data["reasons"] = reasons(encoded)
    if "lines" in data:
        data["lines"] = [{**line, "reasons": reasons(line)} if "reasons" in line else line for line in data["lines"]]
    return data


# --- decode ---------------------------------------------------------------------------------------------------


class _Cited:
    """Collects the citations met while decoding, keyed by source id."""

    def __init__(self) -> None:
        self.found: dict[str, Citation] = {}

    def source(self, ref: Mapping[str, Any] | None) -> str | None:
        if ref is None:
            return None
        source_id: str = ref["id"]
        self.found[source_id] = Citation(
            instrument=ref["instrument"],
            url=ref["url"],
            verified=ref["verified"],
            article=ref.get("article"),
            promulgated=_date(ref.get("promulgated")),
            in_force=_date(ref.get("in_force")),
        )
        return source_id

    def reasons(self, data: Iterable[Mapping[str, Any]]) -> tuple[Reason, ...]:
        return tuple(Reason(r["rule"], r["text"], self.source(r.get("source")), r.get("text_ja")) for r in data)


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def decode_match(data: Mapping[str, Any]) -> EntryMatch:
    return EntryMatch(
        entry=data["entry"],
        clause=data.get("clause"),
        control_numbers=tuple(data.get("control_numbers", ())),
        via=data["via"],
        comparisons=tuple(
            Comparison(c["param"], c["op"], c["required"], c["actual"], c["holds"]) for c in data.get("comparisons", ())
        ),
        goods=tuple(data.get("goods", ())),
    )


def _matches(line: Mapping[str, Any]) -> tuple[EntryMatch, ...]:
    if "matches" in line:
        return tuple(decode_match(m) for m in line["matches"])
    # A record older than `matches`: the entry ids are what it kept, and what licence fitting needs.
    return tuple(EntryMatch(entry, None, (), "entry") for entry in line.get("entries", ()))


def _decode_line(data: Mapping[str, Any], cited: _Cited) -> LineDetermination:
    return LineDetermination(
        index=data["index"],
        kind=data["kind"],
        item=data["item"],
        entries=_matches(data),
        outcome=Outcome(data["outcome"]),
        eligible_licences=tuple(data.get("eligible_licences", ())),
        exceptions=tuple(
            ExceptionCheck(e["exception"], e["applied"], e["why"], cited.source(e.get("source")))
            for e in data.get("exceptions", ())
        ),
        reasons=cited.reasons(data.get("reasons", ())),
        missing=tuple(data.get("missing", ())),
        licence_conditions=dict(data.get("licence_conditions", {})),
        reasons_for_control=tuple(data.get("reasons_for_control", ())),
        review_policy=data.get("review_policy"),
    )


def decode_hit(data: Mapping[str, Any]) -> ScreeningHit:
    return ScreeningHit(
        list_id=data["list"],
        list_version=data["list_version"],
        entity_id=data["entity_id"],
        name=data["name"],
        matched_name=data["matched_name"],
        score=data["score"],
        countries=tuple(data.get("countries", ())),
        concerns=tuple(data.get("concerns", ())),
        programs=tuple(data.get("programs", ())),
        licence_requirement=data.get("licence_requirement", ""),
        review_policy=data.get("review_policy", ""),
        explanation=dict(data.get("explanation", {})),
    )


def decode(data: Mapping[str, Any]) -> Determination:
    """The typed determination of an encoded one (a stored order's, a ledger record's, an API answer's)."""
    cited = _Cited()
    lines = tuple(_decode_line(line, cited) for line in data["lines"])
    reasons = cited.reasons(data.get("reasons", ()))
    return Determination(
        regime=data["regime"],
        pack_version=data["pack_version"],
        date=dt.date.fromisoformat(data["date"]),
        destination=data["destination"],
        destination_group=data["destination_group"],
        outcome=Outcome(data["outcome"]),
        lines=lines,
        reasons=reasons,
        end_user_hits=tuple(decode_hit(h) for h in data.get("end_user_hits", ())),
        consignee_hits=tuple(decode_hit(h) for h in data.get("consignee_hits", ())),
        blocked_by=tuple(data.get("blocked_by", ())),
        citations=cited.found,
    )
