"""The hand-written criteria of Annex I entries, merged into the entries the builder generates from the text.

The generated control files say what the text is; which specifications an entry lists (its clauses of criteria, and
whether they encode every alternative of its text: `complete`) is written by hand from the verbatim text in
tools/eu_pack/criteria/cat-N.yaml, one file per category:

    entries:
      3A001:
        complete: false
        note: why the clauses are (not) complete   # optional, appended to the entry's note
        clauses: [<Clause>, ...]                   # exactly the pack schema's Clause

Everything a pack load would only catch later, or not at all, is an error here: an entry id the text does not have
(or has in another category, or as software or technology), a clause citing a control number that is neither the
entry's code nor one of its live sub-paragraphs, a criterion naming an undefined parameter or comparing it with a value
of another type, a product that is no slug (products are read as `kind-of-kind` slugs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from exportctl.regime.schema import SLUG, Clause, Parameter, ParametersFile, Scalar

FILE_NAME = re.compile(r"cat-(?P<category>\d)\.yaml")


class CriteriaError(ValueError):
    """A criteria file that does not fit the text it is written from, or the pack's parameters."""


class EntryCriteria(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    complete: bool = False
    note: str | None = None
    clauses: list[Clause] = Field(min_length=1)


class CriteriaFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    entries: dict[str, EntryCriteria]


def read_criteria(folder: Path) -> dict[str, EntryCriteria]:
    """Every entry's criteria from the folder's cat-N.yaml files (none when the folder does not exist)."""
    found: dict[str, EntryCriteria] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        name = FILE_NAME.fullmatch(path.name)
        if name is None:
            raise CriteriaError(f"{path}: criteria files are named cat-N.yaml after their Annex I category")
        try:
            file = CriteriaFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (ValidationError, yaml.YAMLError) as exc:
            raise CriteriaError(f"{path}: {exc}") from exc
        for code, criteria in file.entries.items():
            if code[:1] != name["category"]:
                raise CriteriaError(f"{path}: {code} is not an entry of Category {name['category']}")
            found[code] = criteria
    return found


def read_parameters(folder: Path) -> dict[str, Parameter]:
    """The pack's parameters, each defined in one file (a parameter two categories use: in the lower one's)."""
    parameters: dict[str, Parameter] = {}
    defined_in: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            file = ParametersFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (ValidationError, yaml.YAMLError) as exc:
            raise CriteriaError(f"{path}: {exc}") from exc
        for name, parameter in file.parameters.items():
            if name in parameters:
                raise CriteriaError(
                    f"{path}: parameter {name} is defined in {defined_in[name]} too; a parameter two categories use"
                    " is defined in the lower category's file only"
                )
            parameters[name], defined_in[name] = parameter, path.name
    return parameters


def check_entries(criteria: Mapping[str, EntryCriteria], live: Iterable[str]) -> None:
    unknown = sorted(set(criteria) - set(live))
    if unknown:
        raise CriteriaError(f"criteria for entries the text does not have (or marks 'Not used'): {', '.join(unknown)}")


def _matches_type(parameter: Parameter, value: Scalar) -> bool:
    if parameter.type == "bool":
        return isinstance(value, bool)
    if parameter.type == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def _check_clause(code: str, numbers: set[str], clause: Clause, parameters: Mapping[str, Parameter]) -> None:
    where = f"{code}#{clause.id}"
    stray = [number for number in clause.control_numbers if number not in numbers]
    if stray:
        raise CriteriaError(f"{where}: {', '.join(stray)} is not {code} or one of its live sub-paragraphs")
    for product in clause.products:
        if not re.fullmatch(SLUG, product):
            raise CriteriaError(f"{where}: product '{product}' is not a slug such as 'integrated-circuit'")
    for criterion in clause.criteria:
        parameter = parameters.get(criterion.param)
        if parameter is None:
            raise CriteriaError(f"{where}: parameter {criterion.param} is defined in no parameters file of the pack")
        values = criterion.value if isinstance(criterion.value, list) else [criterion.value]
        if not all(_matches_type(parameter, value) for value in values):
            raise CriteriaError(f"{where}: {criterion.param} is a {parameter.type}, compared with {criterion.value!r}")


def clause_record(clause: Clause) -> dict[str, Any]:
    """The clause as the control files write it: the schema's fields that are set, in the order a reader wants."""
    dumped = clause.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    order = ["id", "title", "products", "control_numbers", "criteria", "cas", "note", "verified", "periods"]
    return {key: dumped[key] for key in order if key in dumped}


def merge(record: dict[str, Any], criteria: EntryCriteria, parameters: Mapping[str, Parameter]) -> dict[str, Any]:
    """The generated entry with the clauses, `complete` and the criteria's note (after the text's notes)."""
    code = record["id"]
    if record.get("kind", "goods") != "goods":
        raise CriteriaError(f"{code}: clauses describe goods by their specification; {code} is software or technology")
    ids = [clause.id for clause in criteria.clauses]
    if len(set(ids)) != len(ids):
        raise CriteriaError(f"{code}: clause ids must be unique: {', '.join(ids)}")
    numbers = {code, *record.get("parts", [])}
    for clause in criteria.clauses:
        _check_clause(code, numbers, clause, parameters)
    merged = dict(record)
    if criteria.note:
        merged["note"] = "\n".join(filter(None, [record.get("note"), f"[criteria] {criteria.note}"]))
    merged["complete"] = criteria.complete
    merged["clauses"] = [clause_record(clause) for clause in criteria.clauses]
    return merged
