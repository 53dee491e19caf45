"""Benchmark: how long a CLI answer takes, against starting Python and importing exportctl, in the same run.

Run: `make bench-cli` (or `.venv/bin/python bench/cli_start.py [--repeats N]`).

Measured as a user runs them, each a new process (modules byte-compiled, as an installation has them), every
shipped list configured (warm disk; the screening index and the validated packs already kept in the data
directory, as after the first run following a list update):
- `exportctl check --date 2019-09-01 --to KR --item 1C350 --end-user NAME` (a determination with the end user screened);
- `exportctl screen NAME`;
- the first `screen` after a list update (the index built again), once;
- baseline: `python -c "import exportctl"`.
Target (issue 14): check and screen answer in ≤ 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CHECK = ["check", "--date", "2019-09-01", "--to", "KR", "--item", "1C350", "--end-user", "Korea Mining Development"]
SCREEN = ["screen", "Korea Mining Development Trading", "--format", "json"]


def seconds(command: list[str], environment: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=environment, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="exportctl-bench-cli-"))
    # As installed on a user's machine: modules byte-compiled once (a sandbox setting PYTHONDONTWRITEBYTECODE would
    # make every process compile exportctl's sources again, a fifth of a second that no installation pays).
    environment = {
        **{key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"},
        "EXPORTCTL_LISTS_DIR": f"{SHARED / 'lists'}{os.pathsep}{SHARED / 'us'}",
        "EXPORTCTL_DATA_DIR": str(data),
    }
    cli = [sys.executable, "-m", "exportctl.cli"]
    first = seconds([*cli, *SCREEN], environment)  # builds the index and keeps it
    seconds([*cli, *CHECK], environment)  # keeps the validated pack
    results: dict[str, list[float]] = {"import": [], "check": [], "screen": []}
    for _ in range(args.repeats):
        results["import"].append(seconds([sys.executable, "-c", "import exportctl"], environment))
        results["check"].append(seconds([*cli, *CHECK], environment))
        results["screen"].append(seconds([*cli, *SCREEN], environment))
    shutil.rmtree(data)
    median = {name: statistics.median(values) for name, values in results.items()}
    print(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
                "median_s": {name: round(value, 3) for name, value in median.items()},
                "check_vs_import": round(median["check"] / median["import"], 1),
                "screen_vs_import": round(median["screen"] / median["import"], 1),
                "first_screen_after_a_list_update_s": round(first, 1),
                "targets_met": {"check<=1s": median["check"] <= 1.0, "screen<=1s": median["screen"] <= 1.0},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
