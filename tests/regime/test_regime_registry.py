"""A regime is an id from the installed registry, never a path (issue 10, item 6): the edited copy of a pack, a
probe of the file system or an endless stream of new strings is refused in every interface."""

from __future__ import annotations

from pathlib import Path

import pytest

from exportctl.regime import PackError
from exportctl.regime.files import builtin_packs
from exportctl.services import regimes
from tests.cli.test_cli import invoke
from tests.http.test_api import api, problem_of  # noqa: F401 (the api fixture)
from tests.support.apiclient import Api

PACK_DIR = Path(__file__).parents[2] / "src" / "exportctl" / "packs" / "jp"
HOSTILE = ["../jp", "jp/../jp", str(PACK_DIR), "/etc", "..", "JP", "jp ", "xx", "a" * 500]


def test_the_registry_lists_the_installed_packs() -> None:
    assert "jp" in builtin_packs()


@pytest.mark.parametrize("regime_id", HOSTILE)
def test_a_regime_that_is_not_installed_is_refused(regime_id: str) -> None:
    with pytest.raises(PackError, match="not an installed regime"):
        regimes.regime(regime_id)


def test_refused_ids_are_not_cached() -> None:
    before = regimes.regime.cache_info().currsize
    for index in range(50):
        with pytest.raises(PackError):
            regimes.regime(f"probe-{index}")
    assert regimes.regime.cache_info().currsize == before


@pytest.mark.parametrize("regime_id", ["../jp", str(PACK_DIR)])
def test_cli_check_refuses_a_path(regime_id: str) -> None:
    code, _, err = invoke(
        "check", "--regime", regime_id, "--date", "2024-06-01", "--to", "CN", "--item", "3C002", "--value-jpy", "5"
    )
    assert code == 2
    assert "not an installed regime" in err


def test_api_check_refuses_a_path(api: Api) -> None:  # noqa: F811
    body = {"regime": str(PACK_DIR), "date": "2024-06-01", "destination": "CN", "lines": [{"item": "3C002"}]}
    problem = problem_of(api.post("/check", "viewer", body), 404)
    assert "not an installed regime" in problem["detail"]
    problem_of(api.get("/regime/..%2Fjp", params={"date": "2024-06-01"}), 404)
