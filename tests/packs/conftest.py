from __future__ import annotations

from typing import Any

import pytest

from exportctl.core_types import LineDetermination, Transaction
from exportctl.determine.engine import determine
from exportctl.regime import Regime
from exportctl.regime.snapshot import Snapshot
from tests.conftest import day

DAY = day("2026-01-15")  # within the verified period of the EU list and after the 500-series came into force


@pytest.fixture(scope="module")
def snapshot(eu: Regime) -> Snapshot:
    return eu.at(DAY)


def spec_line(eu: Regime, product: str, params: dict[str, Any]) -> LineDetermination:
    """The engine's determination of one line given by its specification: an export from Germany to China, with no
    weapons end use declared (yes or no), so that only the classification decides."""
    transaction = Transaction.model_validate(
        {
            "regime": "eu",
            "date": DAY.isoformat(),
            "origin": "DE",
            "destination": "CN",
            "end_use": "x",
            "wmd_end_use": False,
            "conventional_end_use": False,
            "repression_end_use": False,
            "lines": [{"spec": {"product": product, "params": params}}],
        }
    )
    return determine(eu.at(transaction.date), transaction).lines[0]
