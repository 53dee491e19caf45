"""Benchmark: POST /api/v1/check under load from 16 concurrent clients over loopback.

Run: `make bench-api` (or `.venv/bin/python bench/api.py [--requests N] [--clients 16] [--workers W]`).

A fresh SQLite database in a temporary folder gets one viewer with an API token; `exportctl serve` (uvicorn,
real sockets on 127.0.0.1, every shipped screening list loaded so end users are screened) runs in a
subprocess. 16 clients, each one keep-alive HTTP/1.1 connection, send a reproducible mix of transactions
(the mix of bench/determine.py: 1-5 lines, entry ids, international numbers, HS codes, specifications,
technology; 15 destinations; end users to screen) as fast as answers come back. Reported: determinations
(requests) per second, line determinations per second, p50/p99 latency as the client sees it.

Baselines in the same run:
- the HTTP stack's own ceiling: the same load on GET /api/v1/me (token check, tiny JSON answer);
- the engine in-process, one core: validate + determine + render the same transactions to JSON, no HTTP.

The load generator is a minimal asyncio HTTP/1.1 client in this process (cheap per request, so most of the
2 cores go to the server); latency includes queueing at the server, as a client would see it.
Target (issue 5): ≥ 500 requests/s with p99 ≤ 50 ms on the 2-core benchmark machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from determine import mix  # the same transaction mix as the engine benchmark
from exportctl import determination_json
from exportctl.core_types import Transaction
from exportctl.determine.engine import determine
from exportctl.services import actors, auth, records, regimes, screening
from exportctl.store import db as store

REPO = Path(__file__).resolve().parents[1]
LISTS_DIR = REPO.parent / "shared/data/lists"
EXPORTCTL = Path(sys.executable).parent / "exportctl"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Connection:
    """One keep-alive HTTP/1.1 connection: send a request, read the status and the Content-Length body."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAuthorization: Bearer {self.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return int(status_line.split()[1]), await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def load(port: int, token: str, clients: int, work: list[tuple[str, str, bytes]]) -> dict[str, Any]:
    """Send `work` (method, path, body) from `clients` connections at once; latencies in seconds."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    next_index = 0

    async def client() -> None:
        nonlocal next_index
        connection = Connection(port, token)
        await connection.open()
        try:
            while next_index < len(work):
                method, path, body = work[next_index]
                next_index += 1
                start = time.perf_counter()
                status, _ = await connection.request(method, path, body)
                latencies.append(time.perf_counter() - start)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "per_second": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "statuses": statuses,
    }


def engine_rate(transactions: list[dict[str, Any]]) -> float:
    """Determinations per second in-process, one core: what /check does minus HTTP and authentication."""
    screener = screening.screener()
    regime = regimes.regime("jp")
    for body in transactions[:200]:  # warm the snapshot cache, like the warmed server
        transaction = Transaction.model_validate(body)
        determine(regime.at(transaction.date), transaction, screener)
    start = time.perf_counter()
    for body in transactions:
        transaction = Transaction.model_validate(body)
        snapshot = regime.at(transaction.date)
        json.dumps(determination_json.encode(determine(snapshot, transaction, screener)))
    return len(transactions) / (time.perf_counter() - start)


def start_server(folder: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "EXPORTCTL_DATA_DIR": str(folder),
        "EXPORTCTL_LISTS_DIR": str(LISTS_DIR),
        "EXPORTCTL_SECRET": "bench-secret",
    }
    command = [str(EXPORTCTL), "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"exportctl serve exited with {server.returncode}")
        try:
            import http.client

            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/openapi.json")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("exportctl serve did not answer within 180 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000, help="POST /check requests per repeat")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (exportctl serve)")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs of each load")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="exportctl-bench-api-"))
    url = f"sqlite:///{folder / 'exportctl.db'}"
    with store.session(url) as db:
        records.add_user(db, actors.SYSTEM, "admin", "admin")
        records.add_user(db, actors.SYSTEM, "loadgen", "viewer")
        token = auth.create_token(db, actors.SYSTEM, "loadgen", "bench")
    store.engine(url).dispose()

    transactions = mix(regimes.regime("jp"), 2_000)
    bodies = [json.dumps(t).encode() for t in transactions]
    lines = [len(t["lines"]) for t in transactions]
    checks = [("POST", "/api/v1/check", bodies[i % len(bodies)]) for i in range(args.requests)]
    line_count = sum(lines[i % len(lines)] for i in range(args.requests))
    trivial = [("GET", "/api/v1/me", b"")] * args.requests

    port = free_port()
    server = start_server(folder, port, args.workers)
    try:
        warm = [("POST", "/api/v1/check", body) for body in bodies] + trivial[:500]
        asyncio.run(load(port, token, args.clients, warm))  # every worker: snapshots cached, connections warm
        best_check: dict[str, Any] | None = None
        best_me: dict[str, Any] | None = None
        for _ in range(args.repeats):
            me = asyncio.run(load(port, token, args.clients, trivial))
            check = asyncio.run(load(port, token, args.clients, checks))
            if best_me is None or me["per_second"] > best_me["per_second"]:
                best_me = me
            if best_check is None or check["per_second"] > best_check["per_second"]:
                best_check = check
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    assert best_check is not None and best_me is not None
    if set(best_check["statuses"]) != {200}:
        raise SystemExit(f"/check answered {best_check['statuses']}")
    engine = max(engine_rate(transactions) for _ in range(args.repeats))

    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}",
        "clients": args.clients,
        "workers": args.workers,
        "requests": args.requests,
        "lines": line_count,
        "check_per_second": round(best_check["per_second"]),
        "lines_per_second": round(line_count / best_check["seconds"]),
        "check_p50_ms": round(best_check["p50_ms"], 2),
        "check_p99_ms": round(best_check["p99_ms"], 2),
        "me_per_second": round(best_me["per_second"]),
        "me_p50_ms": round(best_me["p50_ms"], 2),
        "me_p99_ms": round(best_me["p99_ms"], 2),
        "engine_per_second": round(engine),
        "check_vs_me": round(best_check["per_second"] / best_me["per_second"], 3),
        "check_vs_engine": round(best_check["per_second"] / engine, 3),
    }
    print(json.dumps(result, indent=2))
    met = result["check_per_second"] >= 500 and result["check_p99_ms"] <= 50
    print(
        f"POST /check: {result['check_per_second']:,} determinations/s ({result['lines_per_second']:,} lines/s), "
        f"p50 {result['check_p50_ms']} ms, p99 {result['check_p99_ms']} ms — target ≥ 500/s, p99 ≤ 50 ms: "
        f"{'met' if met else 'NOT met'}; GET /me {result['me_per_second']:,}/s; engine in-process "
        f"{result['engine_per_second']:,}/s"
    )


if __name__ == "__main__":
    main()
