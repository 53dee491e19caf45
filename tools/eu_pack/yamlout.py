"""YAML as the pack writes it: short lists and mappings on one line, multi-line notes as literal blocks."""

from __future__ import annotations

import textwrap
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a value written twice is written out twice: the pack's files have no anchors


def _sequence(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    scalars = all(map(_scalar, data))
    short_mappings = all(isinstance(item, dict) and _flat(item) for item in data) and len(str(data)) < 100
    flow = scalars or short_mappings
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _scalar(value: object) -> bool:
    return not isinstance(value, dict | list)


def _flat(data: dict[str, Any]) -> bool:
    """Scalars, or lists of scalars: short enough mappings of them go on one line."""
    return all(_scalar(value) or (isinstance(value, list) and all(map(_scalar, value))) for value in data.values())


def _mapping(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    flow = _flat(data) and len(str(data)) < 100
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow)


def _string(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


_Dumper.add_representer(list, _sequence)
_Dumper.add_representer(dict, _mapping)
_Dumper.add_representer(str, _string)


def dump(data: object, indent: int = 0) -> str:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
    return "".join(" " * indent + line if line.strip() else line for line in text.splitlines(keepends=True))


def comments(*paragraphs: str) -> str:
    """A file header: each paragraph wrapped to the line length, as YAML comments."""
    lines = [line for paragraph in paragraphs for line in textwrap.wrap(paragraph, 118)]
    return "".join(f"# {line}\n" for line in lines)
