"""A throwaway PostgreSQL 15 server for tests and benchmarks: initdb into a temporary folder, start it on a free
127.0.0.1 port (its unix socket inside that folder), stop it and remove the folder at the end.

initdb refuses to run as root, so when the process is root the server binaries run as the `postgres` OS user
(`runuser -u postgres --`) and the folder is handed to that user. Set EXPORTCTL_TEST_DATABASE_URL to use an
existing server instead (tests then create their databases there).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

PG_BIN = Path(os.environ.get("EXPORTCTL_PG_BIN", "/usr/lib/postgresql/15/bin"))
SERVER_URL_ENV = "EXPORTCTL_TEST_DATABASE_URL"
OS_USER = "postgres"

# Tests do not need durability; benchmarks keep PostgreSQL's defaults (fsync on, synchronous commit).
FAST = ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]


class ServerError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        raise ServerError("running as root, and `runuser` is missing: cannot run the PostgreSQL binaries as 'postgres'")
    return ["runuser", "-u", OS_USER, "--", *command]


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ServerError(f"{what} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


@contextmanager
def throwaway_server(*, durable: bool = False, max_connections: int = 300) -> Iterator[str]:
    """Start a PostgreSQL server; yield the URL of its `postgres` database; stop it and remove its files."""
    for binary in ("initdb", "pg_ctl"):
        if not (PG_BIN / binary).exists():
            raise ServerError(
                f"{PG_BIN / binary} not found: install PostgreSQL 15 (apt-get install -y postgresql-15) or set "
                f"{SERVER_URL_ENV} to a server the tests may create databases on"
            )
    folder = Path(tempfile.mkdtemp(prefix="exportctl-pg-"))
    data, sockets, log = folder / "data", folder / "sock", folder / "server.log"
    sockets.mkdir()
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(OS_USER)
        except KeyError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise ServerError(f"running as root and there is no '{OS_USER}' OS user to run PostgreSQL as") from exc
        for path in (folder, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
    port = _free_port()
    started = False
    try:
        _run(
            [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"],
            "initdb",
        )
        options = [f"-p {port}", f"-k {sockets}", "-c listen_addresses=127.0.0.1"]
        options.append(f"-c max_connections={max_connections}")
        if not durable:
            options += FAST
        pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", " ".join(options), "-w", "start"]
        _run(pg_ctl, "pg_ctl start")
        started = True
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    except ServerError as exc:
        if log.exists():
            raise ServerError(f"{exc}\n--- server log ---\n{log.read_text()[-2000:]}") from exc
        raise
    finally:
        if started:
            _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], "pg_ctl stop")
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def server(*, durable: bool = False) -> Iterator[str]:
    """The server named by EXPORTCTL_TEST_DATABASE_URL, else a throwaway one."""
    given = os.environ.get(SERVER_URL_ENV)
    if given:
        yield given
        return
    with throwaway_server(durable=durable) as url:
        yield url


def _conninfo(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def create_database(server_url: str, prefix: str = "exportctl") -> str:
    """CREATE DATABASE with a fresh name on the server; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_conninfo(server_url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return _conninfo(make_url(server_url).set(database=name).render_as_string(hide_password=False))


def drop_database(server_url: str, database_url: str) -> None:
    name = make_url(database_url).database
    with psycopg.connect(_conninfo(server_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
