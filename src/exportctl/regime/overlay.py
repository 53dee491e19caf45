"""A proposed change of the rules as an overlay: partial pack files merged over a pack's files, validated as a
whole, with errors that name the overlay file and its key path (the impact analysis of a draft amendment)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from exportctl.regime.loader import parse_pack
from exportctl.regime.yamltext import PackError, parse_yaml


def deep_merge(base: Any, overlay: Any) -> Any:
    """Mappings merge key by key; anything else (lists, scalars) in the overlay replaces the base."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        merged = dict(base)
        for key, value in overlay.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return overlay


def overlay_pack_files(base: Mapping[str, str], overlay_name: str, overlay_text: str) -> dict[str, str]:
    """The pack's files with the overlay merged in. Errors name the overlay file and the key path."""
    doc = parse_yaml(overlay_name, overlay_text)
    if not isinstance(doc.data, dict) or not doc.data:
        raise doc.error((), "an overlay is a mapping of pack file names (e.g. destinations.yaml) to partial documents")
    files = dict(base)
    for name, partial in doc.data.items():
        if not isinstance(name, str) or not name.endswith(".yaml"):
            raise doc.error((str(name),), "not a pack file name (e.g. destinations.yaml)")
        if not isinstance(partial, dict):
            raise doc.error((name,), "must hold a mapping (a partial document of that pack file)")
        current = yaml.safe_load(files[name]) if name in files else {}
        merged = deep_merge(current if isinstance(current, dict) else {}, partial)
        files[name] = yaml.safe_dump(merged, allow_unicode=True, sort_keys=False)
    try:
        parse_pack(files)
    except PackError as exc:
        path = (exc.file, *exc.path)
        touched = exc.file in doc.data
        raise PackError(
            overlay_name,
            path,
            doc.line_of(path) if touched else None,
            exc.message + ("" if touched else " (in the pack)"),
        ) from exc
    return files
