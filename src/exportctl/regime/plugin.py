"""What a regime's law decides in code rather than data: the plug-in a pack may keep beside its YAML.

A pack folder `packs/<id>/` may hold a module `rules.py` defining `RULES`, an object of the `RegimeRules`
protocol (as an OpenFisca country package keeps its formulas next to its parameters). The core calls the
protocol and never imports a pack: `rules_of` finds the module by the pack's id. A pack without one has no
sections and no exceptions of its own (`NO_RULES`).

The protocol is small on purpose. Everything a regime can say as data is data: destination groups and how they
derive from the country tables, licence types, what each covers, special measures, catch-all requirements,
screening lists, the entry-id grammar and the texts its reasons cite. What is left is the arithmetic of an
exception (a contract-value limit under which listed goods need no licence, as the US licence exception LVS has),
whose record type the pack declares as a dated section of its own. And, since versions of a pack are kept for
years (`audit replay`), how its files written in an older pack format read in the current one.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from exportctl.regime import schema as s
from exportctl.regime.sections import Section
from exportctl.regime.yamltext import PackError

if TYPE_CHECKING:
    from exportctl.core_types import ExceptionCheck, Line, LineKind, Reason, ScreeningHit, Transaction
    from exportctl.regime.snapshot import Snapshot

RULES_MODULE = "exportctl.packs.{pack_id}.rules"
PACK_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(slots=True)  # not frozen: built for every listed match, and a frozen __init__ costs twice as much
class ListedLine:
    """A line listed under `entry`: what an exception may depend on."""

    transaction: Transaction
    kind: LineKind
    entry: s.Entry
    group: str  # the destination's country group
    same_entry_values: Sequence[int | None]  # the values of every line of the transaction listed under `entry`
    end_user_hits: Sequence[ScreeningHit] | None  # None: the end user could not be checked
    numbers: Sequence[str] = ()  # the control numbers (sub-paragraphs) the line named, when it named one


@dataclass(frozen=True, slots=True)
class ExceptionResult:
    """Whether an exception takes the line out of licensing (`check.applied`), or which facts would decide it."""

    check: ExceptionCheck
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SubjectResult:
    """Whether a line is subject to the regime's law at all: `subject` False takes it out of every control (the EAR:
    an item made abroad whose US content is at or under de minimis); None: the facts in `missing` decide."""

    subject: bool | None
    reason: Reason
    missing: tuple[str, ...] = ()


class RegimeRules(Protocol):
    """A regime's rules that are code: its own dated sections, the exceptions it grants a listed line, and how its
    files of an older pack format upgrade."""

    @property
    def sections(self) -> tuple[Section[Any], ...]:
        """Dated sections of the pack's own (validated, resolved, compared and shown like the core's)."""
        ...

    def exceptions(self, snapshot: Snapshot, line: ListedLine) -> Sequence[ExceptionResult]:
        """The exceptions considered for `line`; one applied means no licence is needed."""
        ...

    def subject(
        self,
        snapshot: Snapshot,
        transaction: Transaction,
        line: Line,
        entries: Sequence[s.Entry],
        end_user_hits: Sequence[ScreeningHit] | None,
    ) -> SubjectResult | None:
        """Whether `line` (classified under `entries`) is subject to the law; None: it is, nothing to say."""
        ...

    def upgrade(self, written_in: int, files: dict[str, Any]) -> dict[str, Any]:
        """The pack's parsed files (name → YAML data) of pack format `written_in`, in format `written_in + 1`: what
        that format moved out of the engine, written with the values the engine had for this regime. The loader owns
        `files` (they may be changed in place) and sets `format`; a problem is a `PackError` (it adds the line)."""
        ...


@dataclass(frozen=True)
class NoRules:
    """A pack without rules of its own: data alone decides. A pack's rules module extends it, keeping what it does
    not decide in code."""

    sections: tuple[Section[Any], ...] = ()

    def exceptions(self, snapshot: Snapshot, line: ListedLine) -> Sequence[ExceptionResult]:
        return ()

    def subject(
        self,
        snapshot: Snapshot,
        transaction: Transaction,
        line: Line,
        entries: Sequence[s.Entry],
        end_user_hits: Sequence[ScreeningHit] | None,
    ) -> SubjectResult | None:
        return None  # a law that does not follow its items abroad: every line of an export is subject to it

    def upgrade(self, written_in: int, files: dict[str, Any]) -> dict[str, Any]:
        raise PackError(
            "pack.yaml",
            ("format",),
            None,
            f"the pack is written in pack format {written_in} and has no rules module to upgrade it: write it in the"
            " current format (docs/pack-format.md)",
        )


NO_RULES = NoRules()


def rules_of(pack_id: str) -> RegimeRules:
    """The rules module of the installed pack `pack_id`, or `NO_RULES` when it has none."""
    if not PACK_ID.match(pack_id):
        return NO_RULES  # not an id a module can have: the pack is data only
    name = RULES_MODULE.format(pack_id=pack_id)
    try:
        found = importlib.util.find_spec(name)
    except ModuleNotFoundError:  # no package packs/<id>/: a pack folder outside the installed registry
        return NO_RULES
    if found is None:
        return NO_RULES
    rules: RegimeRules = importlib.import_module(name).RULES
    return rules
