from __future__ import annotations

import pytest

from exportctl.regime import Regime
from exportctl.regime.snapshot import Snapshot
from tests.conftest import day

DAY = day("2026-01-15")  # within the verified period of the EU list and after the 500-series came into force


@pytest.fixture(scope="module")
def snapshot(eu: Regime) -> Snapshot:
    return eu.at(DAY)
