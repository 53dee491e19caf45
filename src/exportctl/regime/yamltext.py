"""YAML parsing that remembers where every key came from, so pack errors can name a line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

KeyPath = tuple[str | int, ...]


class PackError(Exception):
    """A pack problem located by file, key path and line."""

    def __init__(self, file: str, path: KeyPath, line: int | None, message: str) -> None:
        super().__init__(file, path, line, message)
        self.file = file
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        key = format_path(self.path)
        return f"{where}: {key + ': ' if key else ''}{self.message}"


def format_path(path: Sequence[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class ParsedYaml:
    file: str
    data: Any
    node: yaml.Node | None = field(default=None, repr=False)

    @cached_property
    def lines(self) -> dict[KeyPath, int]:
        """Key path → line, worked out from the YAML nodes only when an error needs a line."""
        found: dict[KeyPath, int] = {}
        if self.node is not None:
            _record_lines(self.node, (), found)
        return found

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of the deepest known key on `path` (pydantic paths may go below what YAML spelt out)."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)

    def error(self, path: Sequence[str | int], message: str) -> PackError:
        return PackError(self.file, tuple(path), self.line_of(path), message)


# libyaml's loader is about six times faster and keeps the same marks; fall back where PyYAML lacks it.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(file: str, text: str) -> ParsedYaml:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return ParsedYaml(file, None)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise PackError(file, (), line, f"invalid YAML: {exc.problem}") from exc
    finally:
        loader.dispose()
    return ParsedYaml(file, data, node)


def _record_lines(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*path, key)] = key_node.start_mark.line + 1
            _record_lines(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)
