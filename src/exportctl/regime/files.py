"""Reading pack folders from disk: the only I/O of the regime package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from exportctl.regime.loader import Pack, parse_pack
from exportctl.regime.yamltext import PackError

PACK_SUFFIX = ".yaml"


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


def builtin_pack_dir(pack_id: str) -> Path:
    if pack_id not in builtin_packs():
        # A regime is an id from the installed registry, never a path: nothing else reaches the file system.
        shown = pack_id if len(pack_id) <= 40 else pack_id[:40] + "…"
        raise PackError("regime", (), None, f"'{shown}' is not an installed regime ({', '.join(builtin_packs())})")
    return Path(str(resources.files("exportctl") / "packs" / pack_id))


def load_builtin_pack(pack_id: str) -> Pack:
    return parse_pack(read_pack_dir(builtin_pack_dir(pack_id)))
