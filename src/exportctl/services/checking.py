"""One-shot checks: the built-in packs and the configured screening lists, loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from exportctl.determine.engine import determine
from exportctl.model import Determination, PartyScreener, Transaction
from exportctl.regime import Regime
from exportctl.regime.files import load_builtin_pack
from exportctl.screening.end_user_list import EndUserList
from exportctl.screening.sources.jp_eul import read_end_user_list
from exportctl.services import screening


@cache
def regime(pack_id: str) -> Regime:
    return Regime(load_builtin_pack(pack_id))


@cache
def end_user_list(path: Path) -> EndUserList:
    return EndUserList(read_end_user_list(path))


@dataclass
class Checker:
    """Determines transactions, screening their parties.

    With `end_user_list_path` the end user is matched exactly against that End User List file only;
    otherwise parties are screened against every configured list (stored versions, else the files in
    EXPORTCTL_LISTS_DIR). With no list at all, end-user questions come back indeterminate.
    """

    end_user_list_path: Path | None = None
    screener: PartyScreener | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.end_user_list_path is not None:
            self.screener = end_user_list(self.end_user_list_path)
        else:
            configured = screening.screener()
            self.screener = configured if configured.index.lists else None

    def check(self, transaction: Transaction) -> Determination:
        return determine(regime(transaction.regime).at(transaction.date), transaction, self.screener)
