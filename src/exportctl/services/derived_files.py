"""Files derived from sources and kept in the data directory to spare later processes the work: the screening index
(services/index_file.py) and the validated regime packs (services/regimes.py).

A derived file is named by a key that hashes everything it depends on: its sources' content and the source code of
exportctl that derives it. A changed list, pack or program therefore never opens an old file; a stale derivation
would mean a determination under rules or lists other than those shipped (the failure this design prevents).
Files are written whole under a temporary name and renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

import exportctl
from exportctl.services.lists import data_dir


@cache
def code_fingerprint() -> str:
    """A hash of every module of the installed exportctl (the derivations' code, and everything it calls)."""
    package = Path(exportctl.__file__).parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def derived_dir(kind: str) -> Path:
    return data_dir() / kind


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_older(kept: Path, pattern: str, keep: int) -> None:
    """Other files of `pattern` beside `kept`, all but the `keep` - 1 newest (another configuration may use them)."""
    others = sorted((p for p in kept.parent.glob(pattern) if p != kept), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[keep - 1 :]:
        old.unlink(missing_ok=True)
