"""The installed regimes, each loaded once per process: the one registry every service and interface asks for
a regime by its id (an id from `regime/files.builtin_packs()`, never a path).

Parsing and validating a pack takes most of a second; a validated pack is kept in the data directory
(`<data dir>/packs/`, services/derived_files.py), named by a hash of the pack's files and of exportctl's code,
so that the next process loads it in a few milliseconds. An unreadable kept file is parsed again from the pack.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping
from functools import cache, lru_cache

from exportctl.regime import Regime
from exportctl.regime.files import builtin_pack_dir, read_pack_dir
from exportctl.regime.loader import Pack, pack_version, parse_pack
from exportctl.regime.overlay import overlay_pack_files
from exportctl.services.derived_files import code_fingerprint, derived_dir, remove_older, write_atomically

KEEP_FILES = 3  # per pack


@cache
def regime(pack_id: str) -> Regime:
    return Regime(load_pack(pack_id))


def load_pack(pack_id: str) -> Pack:
    files = read_pack_dir(builtin_pack_dir(pack_id))
    version = pack_version(pack_id, files)
    key = hashlib.sha256(f"{version} {code_fingerprint()}".encode()).hexdigest()[:32]
    path = derived_dir("packs") / f"{pack_id}-{key}.pickle"
    try:
        kept = pickle.loads(path.read_bytes())
        # Whatever lies under the key, only the pack of these very files is used.
        if isinstance(kept, Pack) and kept.meta.id == pack_id and kept.version == version:
            return kept
    except Exception:  # none kept yet, or damaged, or of another program: only a lost shortcut
        pass
    pack = parse_pack(files)
    try:
        write_atomically(path, pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL))
        remove_older(path, f"{pack_id}-*.pickle", KEEP_FILES)
    except OSError:
        pass  # a read-only data directory: the next process parses the pack again
    return pack


def kept_version(files: Mapping[str, str]) -> Regime:
    """The regime of a pack version kept in the database (`PackVersion.files`): what an audit replay and a
    re-check after a pack update compare with. Parsed once per process for the same files (it takes over a
    second; an auditor replays many records of one version)."""
    return _parsed(tuple(sorted(files.items())))


@lru_cache(maxsize=4)
def _parsed(files: tuple[tuple[str, str], ...]) -> Regime:
    # Keyed by the files themselves, not the version's name: a row whose files were changed is parsed as it is.
    return Regime(parse_pack(dict(files)))


@lru_cache(maxsize=8)
def overlaid(regime_id: str, overlay_name: str, overlay_text: str) -> Regime:
    """The installed regime with a what-if overlay (YAML keyed by pack file name) merged in and validated like a
    pack: the rules a proposed change would make (`impact --overlay`). Kept per overlay text."""
    files = overlay_pack_files(read_pack_dir(builtin_pack_dir(regime_id)), overlay_name, overlay_text)
    return Regime(parse_pack(files))
