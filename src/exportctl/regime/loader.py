"""Turn a pack's YAML texts into a validated, typed `Pack`.

Pure: it takes the files' texts (see `files.read_pack_dir` for reading them), so an overlay or a test can
build a pack in memory. Which keys hold dated records is the table of sections' to say (`sections.py`), with the
sections of the pack's rules module (`plugin.py`, found by the pack's id). Validation happens in two passes: the
schema (types, unknown keys, interval order) and then what a schema cannot see (`references.py`: every id a record
names exists, no fact's periods overlap; ids follow the pack's grammar). Every error names the file, the key path
and the line.

A pack written in an older pack format (`format` in pack.yaml; absent: 1) is upgraded in memory first, by its rules
module, so that a version stored years ago loads again (`audit replay`); its version stays the hash of the files as
stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from exportctl.countries import not_a_region_of
from exportctl.intervals import Interval
from exportctl.regime import references
from exportctl.regime import schema as s
from exportctl.regime.plugin import RegimeRules, rules_of
from exportctl.regime.sections import EMBARGOES, SECTIONS, R, Section
from exportctl.regime.yamltext import KeyPath, PackError, ParsedYaml, parse_yaml

M = TypeVar("M", bound=BaseModel)

# The pack format this loader reads (docs/pack-format.md, "Format versions"). 1: Japan's vocabulary was the engine's;
# 2: a pack declares its own (home, entry_ids, terms, groups, required, abbreviations, catch-all scopes and rows).
FORMAT = 2

# The files with settings of their own (pack.yaml aside; each may also hold sections of the table), and the folders
# whose files are merged. Any other file of a pack is one the table of sections names.
HEADERS: dict[str, type[s.Strict]] = {
    "destinations.yaml": s.DestinationsFile,
    "licences.yaml": s.LicencesFile,
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
    licences: s.LicencesFile
    screening: s.ScreeningFile
    rules: RegimeRules  # the pack's rules module (`packs/<id>/rules.py`), or none
    sections: tuple[Section[Any], ...]  # the core's dated sections, then the rules module's
    dated: Mapping[str, tuple[tuple[str, Any], ...]]  # section name → its records with their names, in file order

    def __getstate__(self) -> dict[str, Any]:
        # The rules module and the sections it adds are code: a pickled pack (services/regimes.py) finds them again
        # by the pack's id when it is loaded.
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("rules", "sections")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        rules = rules_of(self.meta.id)
        object.__setattr__(self, "rules", rules)
        object.__setattr__(self, "sections", (*SECTIONS, *rules.sections))

    def catch_all_rows(self) -> tuple[str, ...]:
        """The rows whose goods and technology only catch-all requirements control."""
        return tuple(row_id for row_id, row in self.rows.items() if row.catch_all)

    def records(self, section: Section[R]) -> tuple[tuple[str, R], ...]:
        """The records of `section` (in force on any date), each with its name in fact keys."""
        return self.dated.get(section.name, ())  # records of `section.model`: the loader validated them so


def pack_version(pack_id: str, files: Mapping[str, str]) -> str:
    """A content hash over every file name and text: any edit to the pack gives a new version."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(files[name].encode())
        digest.update(b"\0")
    return f"{pack_id}-{digest.hexdigest()[:12]}"


def _validate(doc: ParsedYaml, model: type[M], data: Any = None) -> M:
    """`data` (by default the whole file) against `model`."""
    if doc.data is None:
        raise doc.error((), "file is empty")
    try:
        return model.model_validate(doc.data if data is None else data)
    except ValidationError as exc:
        raise _located(doc, exc, ()) from exc


def _located(doc: ParsedYaml, exc: ValidationError, prefix: KeyPath) -> PackError:
    """The first validation error at its key path in the file (`prefix` is where the validated value sits)."""
    first = exc.errors()[0]
    path = tuple(part for part in first["loc"] if isinstance(part, str | int))
    # pydantic names union members in the path ("str", "list[...]"); drop them so the path is the YAML's.
    path = tuple(p for p in path if not (isinstance(p, str) and ("[" in p or p in _TYPE_NAMES)))
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return doc.error((*prefix, *path), first["msg"] + more)


_TYPE_NAMES = {"bool", "int", "float", "str", "list", "dict", "date", "function-after"}


def _merge(docs: Iterable[tuple[ParsedYaml, Mapping[str, M]]], key: str) -> dict[str, M]:
    """One mapping from the folder's files; an id defined twice must be defined the same."""
    merged: dict[str, M] = {}
    first_file: dict[str, str] = {}
    for doc, records in docs:
        for record_id, record in records.items():
            if record_id in merged and merged[record_id] != record:
                raise doc.error(
                    (key, record_id), f"'{record_id}' is already defined differently in {first_file[record_id]}"
                )
            merged.setdefault(record_id, record)
            first_file.setdefault(record_id, doc.file)
    return merged


def parse_pack(files: Mapping[str, str]) -> Pack:
    """Validate a pack given as {relative path: YAML text}. Its rules module is found by the pack's id."""
    docs = {name: parse_yaml(name, text) for name, text in files.items()}
    if "pack.yaml" not in docs:
        raise PackError("pack.yaml", (), None, "required pack file is missing")
    docs = _in_current_format(docs)
    meta = _validate(docs["pack.yaml"], s.PackMeta)
    rules = rules_of(meta.id)
    sections = (*SECTIONS, *rules.sections)
    single = {"pack.yaml", *HEADERS, *(section.file for section in sections)}
    for name in docs:
        folder = name.split("/", 1)[0] if "/" in name else None
        if name not in single and folder not in FOLDERS:
            raise PackError(name, (), None, "not a pack file (see docs/pack-format.md)")
    for name in (*HEADERS, *(section.file for section in sections if section.required)):
        if name not in docs:
            raise PackError(name, (), None, "required pack file is missing")

    headers, dated, where = _single_files(docs, sections)

    def folder_docs(folder: str, model: type[M]) -> list[tuple[ParsedYaml, M]]:
        return [(doc, _validate(doc, model)) for name, doc in sorted(docs.items()) if name.startswith(folder + "/")]

    source_docs = folder_docs("sources", s.SourcesFile)
    sources = _merge(((d, f.sources) for d, f in source_docs), "sources")
    parameter_docs = folder_docs("parameters", s.ParametersFile)
    parameters = _merge(((d, f.parameters) for d, f in parameter_docs), "parameters")
    control_docs = folder_docs("control", s.ControlFile)
    rows = _merge(((d, {r.id: r for r in f.rows}) for d, f in control_docs), "rows")
    entries = _merge(((d, {e.id: e for e in f.entries}) for d, f in control_docs), "entries")
    # Rows and entries first (what the other files name), located by list index so errors point at their line.
    control_where: Records = []
    for doc, control in control_docs:
        control_where.extend((Located(doc, ("rows", index)), row) for index, row in enumerate(control.rows))
        control_where.extend((Located(doc, ("entries", index)), entry) for index, entry in enumerate(control.entries))

    pack = Pack(
        meta=meta,
        version=pack_version(meta.id, files),
        sources=sources,
        parameters=parameters,
        destinations=cast(s.DestinationsFile, headers["destinations.yaml"]),
        rows=rows,
        entries=entries,
        licences=cast(s.LicencesFile, headers["licences.yaml"]),
        screening=cast(s.ScreeningFile, headers["screening.yaml"]),
        rules=rules,
        sections=sections,
        dated=dated,
    )
    _check_references(pack, [*control_where, *where])
    return pack


Records = list[tuple[Located, BaseModel]]  # validated records, with where each was written


def _in_current_format(docs: dict[str, ParsedYaml]) -> dict[str, ParsedYaml]:
    """The parsed files in the format this loader reads: an older pack's rules module upgrades them a format at a
    time (the loader then sets `format`); a newer pack is refused, as this engine cannot know what it changed."""
    meta = docs["pack.yaml"]
    if not isinstance(meta.data, dict):
        return docs  # not a mapping: validating pack.yaml says so
    written = meta.data.get("format", 1)
    if isinstance(written, bool) or not isinstance(written, int) or written < 1:
        raise meta.error(("format",), "the pack format must be a whole number from 1 (docs/pack-format.md)")
    if written > FORMAT:
        raise meta.error(
            ("format",), f"pack format {written} is newer than this exportctl reads (up to {FORMAT}): upgrade exportctl"
        )
    if written == FORMAT:
        return docs
    rules = rules_of(str(meta.data.get("id")))
    # The parsed data is this call's own, so the rules module may change it in place.
    data = {name: doc.data for name, doc in docs.items()}
    for step in range(written, FORMAT):
        try:
            data = rules.upgrade(step, data)
        except PackError as exc:
            raise _located_in(docs, exc) from exc
        data["pack.yaml"] = {**data["pack.yaml"], "format": step + 1}
    # Each file keeps its YAML nodes, so an error in an upgraded pack still names a line of the file as stored.
    return {name: ParsedYaml(name, value, docs[name].node if name in docs else None) for name, value in data.items()}


def _located_in(docs: Mapping[str, ParsedYaml], error: PackError) -> PackError:
    """`error` with the line of its key path in the file as stored, when the rules module gave none."""
    doc = docs.get(error.file)
    return doc.error(error.path, error.message) if doc is not None and error.line is None else error


def _single_files(
    docs: Mapping[str, ParsedYaml], sections: Sequence[Section[Any]]
) -> tuple[dict[str, s.Strict], dict[str, tuple[tuple[str, Any], ...]], Records]:
    """Each file's own settings (by file) and dated sections (by section name), in the order the table gives."""
    headers: dict[str, s.Strict] = {}
    dated: dict[str, tuple[tuple[str, Any], ...]] = {}
    where: Records = []
    for file in dict.fromkeys([*HEADERS, *(section.file for section in sections)]):
        doc = docs.get(file)
        if doc is None:
            continue  # an optional file (the required ones were checked)
        in_file = [section for section in sections if section.file == file]
        headers[file] = _validate_header(doc, HEADERS.get(file, s.Strict), {section.key for section in in_file})
        where.append((Located(doc, ()), headers[file]))
        for section in in_file:
            named = section.named(_validate_section(doc, section))
            dated[section.name] = named
            located = [
                Located(doc, (section.key, name if section.keyed == "mapping" else index))
                for index, (name, _) in enumerate(named)
            ]
            _check_names(named, located)
            if section is EMBARGOES:
                _check_regions(named, located)
            where.extend(zip(located, (record for _, record in named), strict=True))
    return headers, dated, where


def _validate_header(doc: ParsedYaml, model: type[M], section_keys: set[str]) -> M:
    """The file's keys other than its dated sections, against the file's own model (unknown keys are errors)."""
    if isinstance(doc.data, dict):
        return _validate(doc, model, {k: v for k, v in doc.data.items() if k not in section_keys})
    return _validate(doc, model)


def _validate_section(doc: ParsedYaml, section: Section[Any]) -> Any:
    assert isinstance(doc.data, dict)  # _validate_header refused anything else
    if section.key not in doc.data:
        if section.required:
            raise doc.error((section.key,), "Field required")
        return {} if section.keyed == "mapping" else []
    try:
        return section.adapter.validate_python(doc.data[section.key])
    except ValidationError as exc:
        raise _located(doc, exc, (section.key,)) from exc


def _check_names(named: Sequence[tuple[str, s.Dated]], located: Sequence[Located]) -> None:
    """Records of a section that share a name state one fact: at most one of them may be in force on a date."""
    seen: dict[str, list[Interval]] = {}
    for (name, record), where in zip(named, located, strict=True):
        intervals = seen.setdefault(name, [])
        for index, period in enumerate(record.periods):
            interval = Interval(period.start, period.end)
            if any(interval.overlaps(other) for other in intervals):
                raise where.error(f"period {interval} overlaps a period of another '{name}'", "periods", index)
        intervals.extend(Interval(period.start, period.end) for period in record.periods)


def _check_regions(named: Sequence[tuple[str, s.Embargo]], located: Sequence[Located]) -> None:
    """An embargo's regions are regions of its country."""
    for (country, embargo), where in zip(named, located, strict=True):
        for index, region in enumerate(embargo.regions):
            problem = not_a_region_of(country, region)
            if problem is not None:
                raise where.error(problem, "regions", index)


def _check_references(pack: Pack, records: Records) -> None:
    """Every id a record names exists, no fact's periods overlap, and each control-list id follows the grammar."""
    goods = [entry_id for entry_id, entry in pack.entries.items() if entry.kind == "goods"]
    grammar = pack.meta.entry_ids
    known = references.Known(
        {
            "source": pack.sources,
            "entry": pack.entries,
            "goods-entry": frozenset(goods),
            "row": pack.rows,
            "entry-or-row": frozenset(pack.entries) | frozenset(pack.rows),
            "licence": pack.licences.types,
            "parameter": pack.parameters,
            "group": frozenset(group.id for group in pack.destinations.groups),
            "table": pack.destinations.tables,
        }
    )
    for where, record in records:
        try:
            references.check(record, known)
            if isinstance(record, s.Entry):
                _check_entry(record, grammar)
            elif isinstance(record, s.Row) and not grammar.rows.matches(record.id):
                raise references.Problem(("id",), f"'{record.id}' is not a row id such as {grammar.rows.such_as()}")
            elif isinstance(record, s.Measure):
                _check_targets(pack, record)
        except references.Problem as problem:
            raise where.error(problem.message, *problem.path) from None


def _check_entry(entry: s.Entry, grammar: s.EntryIds) -> None:
    ids = grammar.technology if entry.kind == "technology" else grammar.goods
    found = ids.matches(entry.id)
    if found is None:
        raise references.Problem(("id",), f"'{entry.id}' is not a {entry.kind} entry id such as {ids.such_as()}")
    if found.group("row") != entry.row:
        raise references.Problem(("id",), f"entry '{entry.id}' is not in row '{entry.row}'")


def _check_targets(pack: Pack, measure: s.Measure) -> None:
    for index, target in enumerate(measure.targets):
        clauses = {clause.id for clause in pack.entries[target.entry].clauses}
        if target.clause is not None and target.clause not in clauses:
            raise references.Problem(("targets", index), f"entry '{target.entry}' has no clause '{target.clause}'")
