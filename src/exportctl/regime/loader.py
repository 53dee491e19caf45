"""Turn a pack's YAML texts into a validated, typed `Pack`.

Pure: it takes the files' texts (see `files.read_pack_dir` for reading them), so an overlay or a test can
build a pack in memory. Validation happens in two passes: the schema (types, unknown keys, interval order)
and then the cross-references a schema cannot see (source ids, entry ids, parameters, overlapping periods).
Every error names the file, the key path and the line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from exportctl.regime import schema as s
from exportctl.regime.yamltext import KeyPath, PackError, ParsedYaml, parse_yaml
from exportctl.timeline import Interval

M = TypeVar("M", bound=BaseModel)

SINGLE_FILES: dict[str, type[BaseModel]] = {
    "pack.yaml": s.PackMeta,
    "destinations.yaml": s.DestinationsFile,
    "catch_all.yaml": s.CatchAllFile,
    "licences.yaml": s.LicencesFile,
    "rules.yaml": s.RulesFile,
    "screening.yaml": s.ScreeningFile,
}
FOLDERS: dict[str, type[BaseModel]] = {
    "sources": s.SourcesFile,
    "parameters": s.ParametersFile,
    "control": s.ControlFile,
}


@dataclass(frozen=True)
class Located:
    """A parsed record and where it was written, for errors found after schema validation."""

    doc: ParsedYaml
    path: KeyPath

    def error(self, message: str, *more: str | int) -> PackError:
        return self.doc.error((*self.path, *more), message)


@dataclass(frozen=True)
class Pack:
    meta: s.PackMeta
    version: str
    sources: Mapping[str, s.Source]
    parameters: Mapping[str, s.Parameter]
    destinations: s.DestinationsFile
    rows: Mapping[str, s.Row]
    entries: Mapping[str, s.Entry]
    catch_all: Sequence[s.CatchAllRule]
    licences: s.LicencesFile
    rules: s.RulesFile
    screening: s.ScreeningFile


def pack_version(pack_id: str, files: Mapping[str, str]) -> str:
    """A content hash over every file name and text: any edit to the pack gives a new version."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(files[name].encode())
        digest.update(b"\0")
    return f"{pack_id}-{digest.hexdigest()[:12]}"


def _validate(doc: ParsedYaml, model: type[M]) -> M:
    if doc.data is None:
        raise doc.error((), "file is empty")
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = tuple(part for part in first["loc"] if isinstance(part, str | int))
        # pydantic names union members in the path ("str", "list[...]"); drop them so the path is the YAML's.
        path = tuple(p for p in path if not (isinstance(p, str) and ("[" in p or p in _TYPE_NAMES)))
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise doc.error(path, first["msg"] + more) from exc


_TYPE_NAMES = {"bool", "int", "float", "str", "list", "dict", "date", "function-after"}


def _merge(docs: Iterable[tuple[ParsedYaml, Mapping[str, M]]], key: str) -> tuple[dict[str, M], dict[str, Located]]:
    merged: dict[str, M] = {}
    where: dict[str, Located] = {}
    for doc, records in docs:
        for record_id, record in records.items():
            located = Located(doc, (key, record_id))
            if record_id in merged and merged[record_id] != record:
                first = where[record_id]
                raise located.error(f"'{record_id}' is already defined differently in {first.doc.file}")
            merged.setdefault(record_id, record)
            where.setdefault(record_id, located)
    return merged, where


def parse_pack(files: Mapping[str, str]) -> Pack:
    """Validate a pack given as {relative path: YAML text}."""
    docs = {name: parse_yaml(name, text) for name, text in files.items()}
    for name in docs:
        folder = name.split("/", 1)[0] if "/" in name else None
        if name not in SINGLE_FILES and folder not in FOLDERS:
            raise PackError(name, (), None, "not a pack file (see docs/pack-format.md)")
    for name in SINGLE_FILES:
        if name not in docs:
            raise PackError(name, (), None, "required pack file is missing")

    meta = _validate(docs["pack.yaml"], s.PackMeta)
    destinations = _validate(docs["destinations.yaml"], s.DestinationsFile)
    catch_all = _validate(docs["catch_all.yaml"], s.CatchAllFile)
    licences = _validate(docs["licences.yaml"], s.LicencesFile)
    rules = _validate(docs["rules.yaml"], s.RulesFile)
    screening = _validate(docs["screening.yaml"], s.ScreeningFile)

    def folder_docs(folder: str, model: type[M]) -> list[tuple[ParsedYaml, M]]:
        return [(doc, _validate(doc, model)) for name, doc in sorted(docs.items()) if name.startswith(folder + "/")]

    source_docs = folder_docs("sources", s.SourcesFile)
    sources, _ = _merge(((d, f.sources) for d, f in source_docs), "sources")
    parameter_docs = folder_docs("parameters", s.ParametersFile)
    parameters, _ = _merge(((d, f.parameters) for d, f in parameter_docs), "parameters")
    control_docs = folder_docs("control", s.ControlFile)
    rows, _ = _merge(((d, {r.id: r for r in f.rows}) for d, f in control_docs), "rows")
    entry_docs = [(d, {e.id: e for e in f.entries}) for d, f in control_docs]
    entries, entry_where = _merge(entry_docs, "entries")
    # _merge located entries by id; re-locate them by list index so errors point at the right line.
    for doc, control in control_docs:
        for index, entry in enumerate(control.entries):
            entry_where[entry.id] = Located(doc, ("entries", index))

    pack = Pack(
        meta=meta,
        version=pack_version(meta.id, files),
        sources=sources,
        parameters=parameters,
        destinations=destinations,
        rows=rows,
        entries=entries,
        catch_all=catch_all.rules,
        licences=licences,
        rules=rules,
        screening=screening,
    )
    _check_references(pack, docs, entry_where)
    return pack


def _check_references(pack: Pack, docs: Mapping[str, ParsedYaml], entry_where: Mapping[str, Located]) -> None:
    """Cross-file checks: every cited id exists and no fact has overlapping periods."""

    def check_periods(where: Located, periods: Sequence[s.Period], *prefix: str | int) -> None:
        _check_periods(pack, where, periods, prefix or ("periods",))

    def check_entry_ids(where: Located, ids: Iterable[str], key: str) -> None:
        for index, entry_id in enumerate(ids):
            if entry_id not in pack.entries and entry_id not in pack.rows:
                raise where.error(f"unknown entry or row '{entry_id}'", key, index)

    destinations = docs["destinations.yaml"]
    for table_id, table in pack.destinations.tables.items():
        for code, periods in table.members.items():
            where = Located(destinations, ("tables", table_id, "members", code))
            _check_periods(pack, where, periods, ())
    for code, embargo in pack.destinations.embargoes.items():
        check_periods(Located(destinations, ("embargoes", code)), embargo.periods)
    if pack.destinations.group_rule_source not in pack.sources:
        raise destinations.error(("group_rule_source",), f"unknown source '{pack.destinations.group_rule_source}'")

    for entry_id, entry in pack.entries.items():
        where = entry_where[entry_id]
        check_periods(where, entry.periods)
        if entry.row not in pack.rows:
            raise where.error(f"unknown row '{entry.row}'", "row")
        bare_id = entry_id.removeprefix(s.TECHNOLOGY_PREFIX)
        if not bare_id.startswith(entry.row + "(") and bare_id != entry.row:
            raise where.error(f"entry '{entry_id}' is not in row '{entry.row}'", "id")
        for g_index, goods_id in enumerate(entry.goods_entries):
            goods = pack.entries.get(goods_id)
            if goods is None or goods.kind != "goods":
                raise where.error(f"unknown goods entry '{goods_id}'", "goods_entries", g_index)
        for c_index, clause in enumerate(entry.clauses):
            if clause.periods:
                check_periods(where, clause.periods, "clauses", c_index, "periods")
            for k_index, criterion in enumerate(clause.criteria):
                if criterion.param not in pack.parameters:
                    raise where.error(
                        f"undeclared parameter '{criterion.param}'",
                        "clauses",
                        c_index,
                        "criteria",
                        k_index,
                        "param",
                    )
    for row in pack.rows.values():
        for cited in (row.goods_source, row.technology_source):
            if cited not in pack.sources:
                raise PackError("control", ("rows", row.id), None, f"unknown source '{cited}'")

    catch_all_doc = docs["catch_all.yaml"]
    for index, rule in enumerate(pack.catch_all):
        where = Located(catch_all_doc, ("rules", index))
        check_periods(where, rule.periods)
        check_entry_ids(where, rule.entries, "entries")

    licences_doc = docs["licences.yaml"]
    for type_id, licence_type in pack.licences.types.items():
        if licence_type.source not in pack.sources:
            raise licences_doc.error(("types", type_id, "source"), f"unknown source '{licence_type.source}'")
    for index, coverage in enumerate(pack.licences.coverage):
        where = Located(licences_doc, ("coverage", index))
        check_periods(where, coverage.periods)
        if coverage.licence not in pack.licences.types:
            raise where.error(f"unknown licence type '{coverage.licence}'", "licence")
        check_entry_ids(where, coverage.rows, "rows")
        check_entry_ids(where, [*coverage.entries, *coverage.exclude_entries], "entries")
    for index, measure in enumerate(pack.licences.measures):
        where = Located(licences_doc, ("measures", index))
        check_periods(where, measure.periods)
        for l_index, licence in enumerate(measure.allowed_licences):
            if licence not in pack.licences.types:
                raise where.error(f"unknown licence type '{licence}'", "allowed_licences", l_index)
        for t_index, target in enumerate(measure.targets):
            target_entry = pack.entries.get(target.entry)
            if target_entry is None:
                raise where.error(f"unknown entry '{target.entry}'", "targets", t_index, "entry")
            if target.clause is not None and target.clause not in {c.id for c in target_entry.clauses}:
                raise where.error(f"entry '{target.entry}' has no clause '{target.clause}'", "targets", t_index)

    rules_doc = docs["rules.yaml"]
    for index, small_value in enumerate(pack.rules.small_value):
        where = Located(rules_doc, ("small_value", index))
        check_periods(where, small_value.periods)
        reduced = small_value.reduced
        check_entry_ids(where, [*small_value.rows, *reduced.rows, *reduced.designated_rows], "rows")
        check_entry_ids(where, [*reduced.entries, *reduced.designated_entries], "entries")
        if reduced.designation_source is not None and reduced.designation_source not in pack.sources:
            raise where.error(f"unknown source '{reduced.designation_source}'", "reduced", "designation_source")
    for index, technology_rule in enumerate(pack.rules.technology):
        check_periods(Located(rules_doc, ("technology", index)), technology_rule.periods)
    for index, exemption in enumerate(pack.rules.technology_exemptions):
        check_periods(Located(rules_doc, ("technology_exemptions", index)), exemption.periods)
    for list_id, policy in pack.screening.lists.items():
        check_periods(Located(docs["screening.yaml"], ("lists", list_id)), policy.periods)


def _check_periods(pack: Pack, where: Located, periods: Sequence[s.Period], prefix: KeyPath) -> None:
    intervals: list[Interval] = []
    for index, period in enumerate(periods):
        for key in ("source", "ended_by"):
            cited = getattr(period, key)
            if cited is not None and cited not in pack.sources:
                raise where.error(f"unknown source '{cited}'", *prefix, index, key)
        interval = Interval(period.start, period.end)
        if any(interval.overlaps(other) for other in intervals):
            raise where.error(f"period {interval} overlaps another period of the same fact", *prefix, index)
        intervals.append(interval)
