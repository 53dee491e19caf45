"""The one place that says which regime is meant when none is named: commands, pages, imports and records.

`EXPORTCTL_DEFAULT_REGIME` overrides it (an installed pack id; anything else is refused where it is used, as any
unknown regime is). Read once, at import.
"""

from __future__ import annotations

import os

DEFAULT_REGIME = os.environ.get("EXPORTCTL_DEFAULT_REGIME", "jp")


def served_regimes() -> str | None:
    """EXPORTCTL_REGIMES: the regimes a server answers for, comma-separated (`jp,us`); unset: every installed one.
    `serve` refuses to start while one of them lacks a screening list it requires. Read when asked."""
    return os.environ.get("EXPORTCTL_REGIMES")


# The demo data set (a Japanese exporter's items, licences and orders) and the Korea timeline are written for the
# Japan pack, whatever the default.
DEMO_REGIME = "jp"
