"""The installed regimes, each loaded once per process: the one registry every service and interface asks for
a regime by its id (an id from `regime/files.builtin_packs()`, never a path)."""

from __future__ import annotations

from functools import cache

from exportctl.regime import Regime
from exportctl.regime.files import load_builtin_pack


@cache
def regime(pack_id: str) -> Regime:
    return Regime(load_builtin_pack(pack_id))
