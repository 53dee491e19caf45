"""One-shot checks: the built-in packs and the configured End User List, loaded once per process."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from exportctl.determine.engine import determine
from exportctl.model import Determination, Transaction
from exportctl.regime import Regime
from exportctl.regime.files import load_builtin_pack
from exportctl.screening.end_user_list import EndUserList
from exportctl.screening.sources.jp_eul import read_end_user_list

EUL_ENV = "EXPORTCTL_EUL"
LISTS_DIR_ENV = "EXPORTCTL_LISTS_DIR"
EUL_PATTERN = "jp-meti-end-user-list-*.xlsx"


@cache
def regime(pack_id: str) -> Regime:
    return Regime(load_builtin_pack(pack_id))


def configured_end_user_list_path() -> Path | None:
    """EXPORTCTL_EUL names the file; else the newest METI list in EXPORTCTL_LISTS_DIR; else none."""
    explicit = os.environ.get(EUL_ENV)
    if explicit:
        return Path(explicit)
    folder = os.environ.get(LISTS_DIR_ENV)
    if folder:
        candidates = sorted(Path(folder).glob(EUL_PATTERN))
        if candidates:
            return candidates[-1]
    return None


@cache
def end_user_list(path: Path) -> EndUserList:
    return EndUserList(read_end_user_list(path))


@dataclass
class Checker:
    end_user_list_path: Path | None = None
    _list: EndUserList | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        path = self.end_user_list_path or configured_end_user_list_path()
        self._list = end_user_list(path) if path is not None else None

    @property
    def list(self) -> EndUserList | None:
        return self._list

    def check(self, transaction: Transaction) -> Determination:
        return determine(regime(transaction.regime).at(transaction.date), transaction, self._list)
