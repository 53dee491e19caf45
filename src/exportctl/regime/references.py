"""Cross-references a schema cannot see: every id a pack record names exists, and no fact's periods overlap.

Fields that name another part of the pack are typed with `schema.Ref` (`SourceId`, `EntryId`, …). Rather than
a hand-written check per file and key, the loader walks every validated record by its type: each Ref-typed value
must be among the pack's ids of that kind, and each list of `Period`s (the periods of one fact) must not overlap.
The walk of each record type is worked out once, from its annotations, and skips fields that cannot hold a Ref.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Collection, Mapping
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from exportctl.intervals import Interval
from exportctl.regime import schema as s
from exportctl.regime.yamltext import KeyPath

UNKNOWN = {
    "source": "unknown source",
    "entry": "unknown entry",
    "goods-entry": "unknown goods entry",
    "row": "unknown row",
    "entry-or-row": "unknown entry or row",
    "licence": "unknown licence type",
    "parameter": "undeclared parameter",
    "group": "unknown group",
    "table": "unknown table",
}


class Problem(Exception):
    """A reference that does not resolve, or overlapping periods, at `path` below the record checked."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(path, message)
        self.path = path
        self.message = message


class Known:
    """The ids a pack defines, by the kind of Ref that names them."""

    def __init__(self, ids: Mapping[str, Collection[str]]) -> None:
        self._ids = ids

    def check(self, ref: s.Ref, value: str, path: KeyPath) -> None:
        if value not in self._ids[ref.kind]:
            raise Problem(path, f"{UNKNOWN[ref.kind]} '{value}'")


Walk = Callable[[Any, KeyPath, Known], None]


def check(record: BaseModel, known: Known) -> None:
    """Raise `Problem` at the first unknown reference or overlap in `record` (a validated pack model)."""
    walk = _model_walk(type(record))
    if walk is not None:
        walk(record, (), known)


@cache
def _model_walk(model: type[BaseModel]) -> Walk | None:
    plan = [
        (name, walk)
        for name, info in model.model_fields.items()
        if (walk := _walk(info.annotation, tuple(info.metadata))) is not None
    ]
    if not plan:
        return None

    def walk_model(value: Any, path: KeyPath, known: Known) -> None:
        for name, walk in plan:
            walk(getattr(value, name), (*path, name), known)

    return walk_model


def _walk(annotation: Any, metadata: tuple[Any, ...]) -> Walk | None:
    """How to check a value of `annotation`; None when it can hold no reference."""
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return _walk(base, (*metadata, *extra))
    ref = next((item for item in metadata if isinstance(item, s.Ref)), None)
    if ref is not None:
        return lambda value, path, known: known.check(ref, value, path)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return _optional(annotation, metadata)
    if origin is list:
        (item,) = get_args(annotation)
        return _periods if item is s.Period else _each(_walk(item, ()))
    if origin is dict:
        return _values(_walk(get_args(annotation)[1], ()))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model_walk(annotation)
    return None


def _optional(annotation: Any, metadata: tuple[Any, ...]) -> Walk | None:
    """A union: the walk of the option the value is (a list, or a model class), none for None."""
    walks = [(option, walk) for option in get_args(annotation) if (walk := _walk(option, metadata)) is not None]
    if not walks:
        return None
    kinds = [get_origin(option) or option for option, _ in walks]
    if len(set(kinds)) != len(kinds) or not all(isinstance(kind, type) for kind in kinds):
        raise TypeError(f"{annotation}: the options holding references must be of distinct types")

    def walk_union(value: Any, path: KeyPath, known: Known) -> None:
        for kind, (_, walk) in zip(kinds, walks, strict=True):
            if isinstance(value, kind):
                walk(value, path, known)
                return

    return walk_union


def _each(inner: Walk | None) -> Walk | None:
    if inner is None:
        return None

    def walk_list(values: Any, path: KeyPath, known: Known) -> None:
        for index, value in enumerate(values):
            inner(value, (*path, index), known)

    return walk_list


def _values(inner: Walk | None) -> Walk | None:
    if inner is None:
        return None

    def walk_dict(values: Any, path: KeyPath, known: Known) -> None:
        for key, value in values.items():
            inner(value, (*path, key), known)

    return walk_dict


def _periods(periods: Any, path: KeyPath, known: Known) -> None:
    """The periods of one fact: each cites known sources, and none overlaps another."""
    period_walk = _model_walk(s.Period)
    assert period_walk is not None
    intervals: list[Interval] = []
    for index, period in enumerate(periods):
        period_walk(period, (*path, index), known)
        interval = Interval(period.start, period.end)
        if any(interval.overlaps(other) for other in intervals):
            raise Problem((*path, index), f"period {interval} overlaps another period of the same fact")
        intervals.append(interval)
