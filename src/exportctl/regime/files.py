"""Reading pack folders from disk: the only I/O of the regime package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from exportctl.regime.loader import Pack, parse_pack
from exportctl.regime.yamltext import PackError

PACK_SUFFIX = ".yaml"
SHOWN_MAX = 40  # characters of a refused regime id a message repeats


def read_pack_dir(folder: Path) -> dict[str, str]:
    """{path relative to the pack folder, with '/' separators: text} for every YAML file in it."""
    if not folder.is_dir():
        raise PackError(str(folder), (), None, "pack folder not found")
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob(f"*{PACK_SUFFIX}"))
    }


def builtin_packs() -> tuple[str, ...]:
    """The ids of the packs installed with the package: a folder of `packs/` holding a pack.yaml."""
    root = Path(str(resources.files("exportctl") / "packs"))
    return tuple(sorted(folder.name for folder in root.iterdir() if (folder / "pack.yaml").is_file()))


def not_installed(value: str) -> str:
    """Why `value` is no regime: it is named, cut short, with the installed ones."""
    shown = value if len(value) <= SHOWN_MAX else value[:SHOWN_MAX] + "…"
    return f"'{shown}' is not an installed regime ({', '.join(builtin_packs())})"


def builtin_pack_dir(pack_id: str) -> Path:
    if pack_id not in builtin_packs():
        # A regime is an id from the installed registry, never a path: nothing else reaches the file system.
        raise PackError("regime", (), None, not_installed(pack_id))
    return Path(str(resources.files("exportctl") / "packs" / pack_id))


def load_builtin_pack(pack_id: str) -> Pack:
    return parse_pack(read_pack_dir(builtin_pack_dir(pack_id)))
