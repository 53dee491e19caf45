"""One-shot checks: the built-in packs and the configured screening lists, loaded once per process."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from exportctl import settings
from exportctl.core_types import Determination, PartyScreener, ScreeningHit, Transaction
from exportctl.determine.engine import determine
from exportctl.determine.parties import ListGap, list_gaps
from exportctl.regime.files import builtin_packs
from exportctl.regime.sections import LIST_POLICIES
from exportctl.screening.end_user_list import EndUserList
from exportctl.services import screening
from exportctl.services.lists import file_as_of
from exportctl.services.regimes import regime


@cache
def end_user_list(path: Path) -> EndUserList:
    # Imported on use: the spreadsheet reader takes a fifth of a second to import, and most commands never read it.
    from exportctl.screening.sources.jp_eul import read_end_user_list

    return EndUserList(read_end_user_list(path))


@dataclass(frozen=True)
class PinnedEndUserList:
    """An End User List file matched exactly (`check --eul FILE`) in place of the configured End User List;
    the parties are also screened against the other lists the regime requires (`required`, e.g. the
    asset-freeze lists), from the configured screener, so that they can be cleared at all."""

    eul: EndUserList
    as_of: dt.date
    others: screening.ConfiguredScreener
    required: frozenset[str]

    def screen_party(self, name: str, country: str | None) -> tuple[ScreeningHit, ...]:
        others = self.others.screen(name, country, lists=self.required - {self.eul.list_id}).hits
        return (*self.eul.screen_party(name, country), *others)

    def has_list(self, list_id: str) -> bool:
        if list_id == self.eul.list_id:
            return True
        return list_id in self.required and self.others.has_list(list_id)

    def list_age_days(self, list_id: str) -> int | None:
        if list_id == self.eul.list_id:
            return (dt.datetime.now(dt.UTC).date() - self.as_of).days
        return self.others.list_age_days(list_id)

    def max_list_age_days(self, pack_limit: int | None) -> int | None:
        return self.others.max_list_age_days(pack_limit)

    @property
    def versions(self) -> dict[str, str]:
        searched = {k: v for k, v in self.others.versions.items() if k in self.required}
        return {**searched, **self.eul.versions}


def served_regimes() -> tuple[str, ...]:
    """The regimes a server answers for (EXPORTCTL_REGIMES, else every installed one); an unknown id is refused."""
    named = settings.served_regimes()
    if named is None:
        return builtin_packs()
    ids = tuple(dict.fromkeys(part.strip() for part in named.split(",") if part.strip()))
    unknown = [pack_id for pack_id in ids if pack_id not in builtin_packs()]
    if unknown or not ids:
        shown = ", ".join(repr(u[:40]) for u in unknown) or "none given"
        raise ValueError(f"EXPORTCTL_REGIMES: {shown} (installed: {', '.join(builtin_packs())})")
    return ids


def required_gaps(
    screener: PartyScreener | None, day: dt.date, regimes: tuple[str, ...] | None = None
) -> dict[str, tuple[ListGap, ...]]:
    """By regime (every installed one unless named): the lists it requires on a day that the screener lacks or holds
    too old."""
    gaps = {pack_id: list_gaps(regime(pack_id).at(day), screener) for pack_id in regimes or builtin_packs()}
    return {pack_id: found for pack_id, found in gaps.items() if found}


def required_lists(pack_id: str) -> frozenset[str]:
    """The lists a regime requires on any date (their policies are dated; the engine applies the dates)."""
    return frozenset(list_id for list_id, policy in regime(pack_id).pack.records(LIST_POLICIES) if policy.required)


@dataclass
class Checker:
    """Determines transactions, screening their parties.

    Parties are screened against every configured list (stored versions, else the files in
    EXPORTCTL_LISTS_DIR); with `end_user_list_path`, that End User List file is matched exactly in place of the
    configured one. A list the regime requires that is missing or too old makes a determination naming a
    party indeterminate (`screening` missing): the engine decides that from the screener.
    """

    end_user_list_path: Path | None = None
    configured: screening.ConfiguredScreener = field(init=False)

    def __post_init__(self) -> None:
        self.configured = screening.screener()

    def screener(self, pack_id: str) -> PartyScreener:
        if self.end_user_list_path is None:
            return self.configured
        eul = end_user_list(self.end_user_list_path)
        as_of = file_as_of(eul.source, self.end_user_list_path)
        return PinnedEndUserList(eul, as_of, self.configured, required_lists(pack_id))

    def check(self, transaction: Transaction) -> Determination:
        return check(transaction, self.screener(transaction.regime))


def check(transaction: Transaction, screener: PartyScreener | None) -> Determination:
    """The one way a transaction is determined: the CLI, the API, the web's live form and stored orders.
    The regime on the transaction's date decides; the determination carries the citations it renders."""
    return determine(regime(transaction.regime).at(transaction.date), transaction, screener)
