"""`check` under the US regime and under several regimes at once: the contract of issue 13."""

from __future__ import annotations

import json
import shlex
from typing import Any

from typer.testing import CliRunner

from exportctl.cli import app
from tests.conftest import CHECK_CONTRACT

runner = CliRunner()
CIVIL = "--no-wmd-end-use --no-military-end-use"


def check(args: str) -> tuple[int, dict[str, Any] | None, str]:
    result = runner.invoke(app, ["check", *shlex.split(args), "--format", "json"])
    return result.exit_code, json.loads(result.stdout) if result.exit_code == 0 else None, result.stderr


def test_us_lines_add_reasons_for_control_and_review_policy() -> None:
    code, data, err = check(f"--regime us --date 2026-08-01 --to CN --item 1C009 {CIVIL}")
    assert code == 0 and data is not None, err
    assert data.keys() >= CHECK_CONTRACT
    line = data["lines"][0]
    # 1C009: "NS applies to entire entry — NS Column 2"; the Country Chart marks NS 2 for China.
    assert (line["outcome"], line["reasons_for_control"]) == ("licence_required", ["NS2"])
    assert "review_policy" in line and "license" in data["eligible_licences"]
    code, data, err = check(f"--regime us --date 2026-08-01 --to CU --item EAR99 {CIVIL}")
    assert data is not None and "denial" in data["lines"][0]["review_policy"], err  # § 746.2(b)


def test_several_regimes_give_one_determination_each_and_the_most_restrictive_outcome() -> None:
    args = "--regime jp --regime us --date 2026-08-01 --from JP --to CN --item 1C009 --us-content-pct 20"
    args += f" --value-jpy 5000000 {CIVIL}"
    code, data, err = check(args)
    assert code == 0 and data is not None, err
    assert set(data) == {"determinations", "outcome", "licence_required"}
    by_regime = {d["regime"]: d for d in data["determinations"]}
    assert list(by_regime) == ["jp", "us"]
    # Under the EAR a Japanese-made item with 20 % US content is not subject (de minimis 25 %, § 734.4(c)); under
    # FEFTA 1C009 (fluorinated compounds: Appended Table 1 row 5) over the small-value limit needs a licence to China.
    assert by_regime["us"]["outcome"] == "no_licence_required"
    assert by_regime["jp"]["outcome"] == "licence_required"
    assert (data["outcome"], data["licence_required"]) == ("licence_required", True)


def test_a_foreign_origin_needs_the_us_content() -> None:
    code, data, err = check(f"--regime us --date 2026-08-01 --from JP --to CN --item 1C009 {CIVIL}")
    assert data is not None and data["outcome"] == "indeterminate" and "us_content_pct" in data["missing"], err
    code, _, err = check(f"--regime us --date 2026-08-01 --from JP --to CN --item 1C009 --us-content-pct 101 {CIVIL}")
    assert code == 2 and "us_content_pct" in err
    code, _, err = check(f"--regime us --regime xx --date 2026-08-01 --to CN --item 1C009 {CIVIL}")
    assert code == 2 and "xx" in err


def test_the_region_of_ukraine_decides_under_the_ear() -> None:
    base = f"--regime us --date 2026-08-01 --to UA --item EAR99 {CIVIL}"
    code, data, err = check(f"{base} --to-region ua-43")
    assert code == 0 and data is not None and data["outcome"] == "licence_required", err  # § 746.6: Crimea
    code, data, err = check(base)
    assert data is not None and data["outcome"] == "indeterminate" and "destination_region" in data["missing"], err
    code, data, err = check(f"{base} --to-region RU-MOW")
    assert code == 2 and "not a region of UA" in err
    code, data, err = check(f"{base} --to-region crimea")
    assert code == 2 and "--to-region" in err and "ISO 3166-2" in err
