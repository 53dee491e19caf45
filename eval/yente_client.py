"""A real yente client against exportctl's yente-compatible API (issue 15): nomenklatura's `YenteEnricher`,
the class OpenSanctions' own pipelines use to match entities against a yente server, unchanged.

    .venv-eval/bin/python eval/yente_client.py [--lists-dir DIR ...]

It starts `exportctl serve` on a free port with a new database and the official list files, creates a viewer
and an API token (sent as yente's clients send it: `Authorization: ApiKey <token>`), then has the enricher
match FollowTheMoney entities — listed names written as users type them, and names on no list — and expand
a match through `/yente/entities/{id}`. It prints what came back and exits non-zero when a listed name is not
matched, an unlisted one is, or a request fails.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from followthemoney import Dataset, StatementEntity
from nomenklatura.cache import Cache
from nomenklatura.db import Session, get_engine
from nomenklatura.enrich.yente import YenteEnricher

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
EXPORTCTL = ROOT / ".venv" / "bin" / "exportctl"
# (schema, properties, whether the name is listed: it must match a listed entity, or none when it is not)
QUERIES: list[tuple[str, dict[str, list[str]], bool]] = [
    ("Person", {"name": ["Vladimir Vladimirovich PUTIN"], "nationality": ["ru"]}, True),
    ("Person", {"name": ["Kim Jong Un"]}, True),
    ("Person", {"name": ["金正恩"]}, True),  # the same name in Han characters
    ("Company", {"name": ["Korea Mining Development Trading Corporation"]}, True),
    ("Organization", {"name": ["Islamic Revolutionary Guard Corps"]}, True),
    ("Person", {"name": ["Margarethe Vandersloot-Hemmings"]}, False),
    ("Company", {"name": ["Kyoto Precision Gearworks Co., Ltd."], "jurisdiction": ["jp"]}, False),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def exportctl(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(EXPORTCTL), *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"exportctl {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def wait_until_serving(url: str, server: subprocess.Popen[bytes], seconds: float = 300.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"exportctl serve exited with {server.returncode}")
        try:
            if requests.get(f"{url}/login", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(1)
    raise SystemExit(f"exportctl serve did not answer within {seconds:.0f} s")


def enricher(api: str, token: str, folder: Path) -> YenteEnricher[Dataset]:
    dataset = Dataset.make({"name": "yente_client_eval", "title": "exportctl yente client evaluation"})
    session = Session(get_engine(f"sqlite:///{folder / 'nomenklatura.db'}"))
    cache = Cache(session, dataset, create=True)
    config: dict[str, Any] = {"api": api, "api_key": token, "dataset": "default", "cache_days": 0}
    return YenteEnricher(dataset, cache, config)


def run(lists_dirs: list[Path]) -> int:
    failures = 0
    with tempfile.TemporaryDirectory(prefix="yente-client-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "EXPORTCTL_DATA_DIR": str(folder / "data")}
        env["EXPORTCTL_LISTS_DIR"] = os.pathsep.join(str(d) for d in lists_dirs)
        env.pop("EXPORTCTL_TOKEN", None)
        env.setdefault("EXPORTCTL_REGIMES", "jp,us")  # the EU's financial sanctions file is not shipped
        exportctl(env, "--local-admin", "users", "add", "yc", "--role", "viewer", "--password", "yente-client-1")
        token = exportctl(env, "--local-admin", "users", "token", "yc", "--name", "yente-client").split()[-1]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(EXPORTCTL), "serve", "--port", str(port), "--recheck-hours", "0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_serving(base, server)
            client = enricher(f"{base}/yente/", token, folder)
            for number, (schema, properties, listed) in enumerate(QUERIES):
                query = StatementEntity.from_data(
                    client.dataset, {"id": f"q{number}", "schema": schema, "properties": properties}
                )
                found = list(client.match(query))
                shown = ", ".join(f"{match.id} {match.caption!r}" for match in found[:3]) or "nothing"
                print(f"{schema:12} {properties['name'][0]!r:50} → {shown}")
                if bool(found) != listed:
                    print(f"  FAIL: {'a listed name was not matched' if listed else 'a name on no list matched'}")
                    failures += 1
                if number == 0 and found:
                    expanded = list(client.expand(query, found[0]))
                    print(f"  expanded {found[0].id}: {len(expanded)} entities via /yente/entities/{{id}}")
                    failures += 0 if expanded else 1
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("yente client (nomenklatura YenteEnricher):", "all as expected" if not failures else f"{failures} failures")
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--lists-dir", type=Path, action="append", help="official list files (default: ../shared/data/lists, us)"
    )
    args = parser.parse_args()
    sys.exit(run(args.lists_dir or [SHARED / "lists", SHARED / "us"]))


if __name__ == "__main__":
    main()
