"""Regime packs: schema, loading, as-of snapshots and diffs."""

from exportctl.regime.loader import Pack, parse_pack
from exportctl.regime.regime import OutsideCoverage, Regime
from exportctl.regime.snapshot import Snapshot
from exportctl.regime.yamltext import PackError

__all__ = ["OutsideCoverage", "Pack", "PackError", "Regime", "Snapshot", "parse_pack"]
