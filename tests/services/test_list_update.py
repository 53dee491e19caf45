"""`exportctl lists update` (issue 15) against a real HTTP server started here, serving the shipped list files.

The server speaks ETag / If-None-Match and Last-Modified / If-Modified-Since, and can answer 404, cut a body
short (a Content-Length larger than what it sends, then close), answer too slowly, or serve a page that is not
the list. Each test has its own data dir; the lists are read where they are shipped, never copied.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exportctl.cli import app, serve
from exportctl.http.app import create_app
from exportctl.screening.sources import ofac
from exportctl.services import list_update, screening
from tests.conftest import LISTS_DIR, SHARED

runner = CliRunner()
EL_FILE = SHARED / "data" / "us" / "ecfr-title15-part744-2026-07-23.xml"
NOT_A_LIST = b"<html><body><h1>We have moved</h1><p>Please visit our new website.</p></body></html>\n"
MODIFIED = email.utils.formatdate(time.mktime((2026, 7, 23, 0, 0, 0, 0, 0, -1)), usegmt=True)


@dataclass
class Route:
    """What the server answers at one path."""

    file: Path | None = None
    body: bytes | None = None
    mode: str = "ok"  # ok | missing | truncated | slow
    etag: bool = True
    salt: str = ""  # a new ETag for the same content (a publisher re-issuing an unchanged file)
    gzip: bool = False  # Content-Encoding: gzip on the wire

    def content(self) -> bytes:
        return self.body if self.body is not None else self.file.read_bytes() if self.file else b""


class ListServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, int]] = []  # (path, status) of each request answered

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class Handler(BaseHTTPRequestHandler):
    server: ListServer

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:
        route = self.server.routes.get(self.path)
        if route is None or route.mode == "missing":
            return self._answer(404, b"not found")
        if route.mode == "slow":
            time.sleep(3)  # longer than the client's --timeout
        body = route.content()
        etag = '"' + hashlib.sha256(body + route.salt.encode()).hexdigest()[:16] + '"'
        if self._not_modified(route, etag):
            return self._answer(304, b"", {"ETag": etag} if route.etag else {})
        headers = {"Last-Modified": MODIFIED, **({"ETag": etag} if route.etag else {})}
        if route.mode == "truncated":
            return self._answer(200, body[: len(body) // 2], headers, length=len(body))
        if route.gzip:
            body, headers["Content-Encoding"] = gzip.compress(body), "gzip"
        self._answer(200, body, headers)

    def _not_modified(self, route: Route, etag: str) -> bool:
        given = self.headers.get("If-None-Match")
        if given is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            return route.etag and given == etag
        since = self.headers.get("If-Modified-Since")
        return since is not None and email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(
            MODIFIED
        )

    def _answer(
        self, status: int, body: bytes, headers: dict[str, str] | None = None, length: int | None = None
    ) -> None:
        self.server.requests.append((self.path, status))
        try:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body) if length is None else length))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout case)
        self.close_connection = True


@pytest.fixture
def server() -> Iterator[ListServer]:
    httpd = ListServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    monkeypatch.setenv("EXPORTCTL_DATA_DIR", str(folder))
    monkeypatch.delenv("EXPORTCTL_DATABASE_URL", raising=False)
    monkeypatch.delenv("EXPORTCTL_LIST_URLS", raising=False)
    yield folder
    # A re-screen rebuilds the process's screener over this test's lists: later tests must not inherit it.
    screening.screener.cache_clear()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--local-admin", *args])  # a new version re-screens parties: someone acts
    return result.exit_code, result.stdout, result.stderr


def update(server: ListServer, urls: dict[str, str], *extra: str) -> tuple[int, str, str]:
    args = [a for list_id, path in urls.items() for a in ("--url", f"{list_id}={server.url(path)}")]
    return invoke("lists", "update", "--lists", ",".join(urls), *args, *extra)


def manifest(data: Path) -> list[dict[str, object]]:
    path = data / "lists" / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else []


def fetch_state(data: Path) -> dict[str, object]:
    return json.loads((data / "lists" / "fetch.json").read_text())


def no_leftovers(data: Path) -> bool:
    return not list((data / "lists").glob(".fetch-*"))


EVERY_LIST = {
    "us-sdn": "/ofac/SDN.CSV",
    "un": "/un/consolidated.xml",
    "us-csl": "/csl/consolidated.csv",
    "us-dpl": "/bis/dpl.txt",
    "us-el": "/ecfr/title-15.xml",
    "jp-eul": "/meti/eul.xlsx",
    "jp-mof": "/mof/list.xlsx",
}


def serve_every_list(server: ListServer) -> None:
    files = {
        "/ofac/SDN.CSV": LISTS_DIR / "us-ofac-sdn.csv",
        "/ofac/ADD.CSV": LISTS_DIR / "us-ofac-add.csv",
        "/ofac/ALT.CSV": LISTS_DIR / "us-ofac-alt.csv",
        "/un/consolidated.xml": LISTS_DIR / "un-consolidated-2026-02-27.xml",
        "/csl/consolidated.csv": LISTS_DIR / "us-csl-sample-2025.csv",
        "/bis/dpl.txt": LISTS_DIR / "us-bis-dpl.txt",
        "/ecfr/title-15.xml": EL_FILE,
        "/meti/eul.xlsx": LISTS_DIR / "jp-meti-end-user-list-2025-09-29.xlsx",
        "/mof/list.xlsx": LISTS_DIR / "jp-mof-asset-freeze-2026-03-05.xlsx",
    }
    server.routes.update({path: Route(file=file) for path, file in files.items()})


def test_first_update_stores_every_list_then_304_writes_nothing(server: ListServer, data: Path) -> None:
    serve_every_list(server)
    code, out, err = update(server, EVERY_LIST)
    assert code == 0, err
    assert sorted(v["list_id"] for v in manifest(data)) == sorted(EVERY_LIST)
    for version in manifest(data):
        assert version["entities"], version  # every list parsed into entries
        assert str(version["source"]).startswith("http://127.0.0.1:")  # the URL, not the temporary file
    sdn = next(v for v in manifest(data) if v["list_id"] == "us-sdn")
    # read with its add and alt files, as `lists load` reads the shipped copy
    assert sdn["sha256"] == ofac.version_hash(LISTS_DIR / "us-ofac-sdn.csv")
    state = fetch_state(data)
    assert set(state) == set(EVERY_LIST) and len(state["us-sdn"]) == 3  # type: ignore[arg-type]
    assert no_leftovers(data)

    before = (data / "lists" / "manifest.json").read_bytes(), (data / "lists" / "fetch.json").read_bytes()
    server.requests.clear()
    code, out, err = update(server, EVERY_LIST)
    assert code == 0, err
    assert out.count("unchanged (not modified)") == len(EVERY_LIST)
    assert {status for _, status in server.requests} == {304}  # conditional requests, nothing downloaded
    assert before == ((data / "lists" / "manifest.json").read_bytes(), (data / "lists" / "fetch.json").read_bytes())
    assert no_leftovers(data)


def test_a_new_version_is_stored_and_its_parties_rescreened(
    server: ListServer, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXPORTCTL_LISTS_DIR", str(tmp_path / "no-shipped-lists"))  # only what is fetched
    server.routes["/csl.csv"] = Route(file=LISTS_DIR / "us-csl-sample-2019.csv")
    code, out, err = update(server, {"us-csl": "/csl.csv"})
    assert code == 0, err
    old = manifest(data)[0]["version"]
    # A party whose name only the 2025 file lists: no hit against the 2019 version.
    code, _, err = invoke("parties", "add", "AM1", "--name", "Atlas Sanatgaran", "--country", "AM")
    assert code == 0, err

    server.routes["/csl.csv"] = Route(file=LISTS_DIR / "us-csl-sample-2025.csv")
    code, out, err = update(server, {"us-csl": "/csl.csv"})
    assert code == 0, err
    versions = manifest(data)
    assert versions[0]["version"] == old and len(versions) == 2
    assert "us-csl: 13 added" in out and "re-screened 1 part(ies): AM1" in out
    code, shown, _ = invoke("parties", "show", "AM1", "--format", "json")
    assert code == 0 and "Atlas Sanatgaran" in shown and "us-csl" in shown

    # The publisher re-issues the same file under a new ETag: downloaded, same sha256, nothing written.
    server.routes["/csl.csv"].salt = "re-issued"
    before = (data / "lists" / "manifest.json").read_bytes()
    code, out, err = update(server, {"us-csl": "/csl.csv"})
    assert code == 0, err
    assert f"us-csl: unchanged ({versions[-1]['version']})" in out
    assert (data / "lists" / "manifest.json").read_bytes() == before


def test_failures_keep_the_last_good_version_and_the_others_still_update(server: ListServer, data: Path) -> None:
    server.routes["/dpl.txt"] = Route(file=LISTS_DIR / "us-bis-dpl.txt")
    assert update(server, {"us-dpl": "/dpl.txt"})[0] == 0
    kept = manifest(data)[0]["version"]
    state = fetch_state(data)

    server.routes.update(
        {
            "/dpl.txt": Route(file=LISTS_DIR / "us-bis-dpl.txt", mode="truncated", salt="new"),
            "/un.xml": Route(body=NOT_A_LIST),  # a 200 that is not the list
            "/el.xml": Route(mode="missing"),  # 404
            "/mof.xlsx": Route(file=LISTS_DIR / "jp-mof-asset-freeze-2026-03-05.xlsx", mode="slow"),
            "/csl.csv": Route(file=LISTS_DIR / "us-csl-sample-2025.csv"),
        }
    )
    lists = {"us-dpl": "/dpl.txt", "un": "/un.xml", "us-el": "/el.xml", "jp-mof": "/mof.xlsx", "us-csl": "/csl.csv"}
    code, _, err = update(server, lists, "--timeout", "0.5")
    assert code == 1
    lines = err.splitlines()

    def message(list_id: str) -> str:
        found = [line for line in lines if line.startswith(f"{list_id}: kept version ")]
        assert len(found) == 1, err
        assert server.url(lists[list_id]) in found[0], found[0]
        return found[0]

    assert message("us-dpl").startswith(f"us-dpl: kept version {kept}: ") and "RemoteProtocolError" in message("us-dpl")
    assert "kept version (none)" in message("un") and "not a un file" in message("un")
    assert "HTTP 404" in message("us-el")
    assert "timed out" in message("jp-mof")
    assert [v["list_id"] for v in manifest(data)] == ["us-dpl", "us-csl"]  # the good one still updated
    assert fetch_state(data)["us-dpl"] == state["us-dpl"]  # fetch.json changes only for good downloads
    assert set(fetch_state(data)) == {"us-dpl", "us-csl"}
    assert no_leftovers(data)


def test_urls_from_the_environment_and_last_modified_alone(
    server: ListServer, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.routes["/csl.csv"] = Route(file=LISTS_DIR / "us-csl-sample-2025.csv", etag=False)
    server.routes["/dpl.txt"] = Route(file=LISTS_DIR / "us-bis-dpl.txt")
    monkeypatch.setenv("EXPORTCTL_LIST_URLS", f"us-csl={server.url('/csl.csv')},us-dpl={server.url('/nowhere')}")
    # --url wins over the environment
    code, out, err = invoke("lists", "update", "--lists", "us-csl", "--lists", "us-dpl", "--url",
                            f"us-dpl={server.url('/dpl.txt')}")  # fmt: skip
    assert code == 0, err
    assert sorted(v["list_id"] for v in manifest(data)) == ["us-csl", "us-dpl"]
    csl = next(v for v in manifest(data) if v["list_id"] == "us-csl")
    assert csl["published"] == "2026-07-23"  # from Last-Modified
    assert fetch_state(data)["us-csl"] == {server.url("/csl.csv"): {"last_modified": MODIFIED}}
    server.requests.clear()
    code, out, err = invoke("lists", "update", "--lists", "us-csl")
    assert code == 0, err
    assert "us-csl: unchanged (not modified)" in out and server.requests == [("/csl.csv", 304)]


def test_a_gzipped_transfer_is_stored_as_the_file_itself(server: ListServer, data: Path) -> None:
    server.routes["/csl.csv"] = Route(file=LISTS_DIR / "us-csl-sample-2025.csv", gzip=True)
    code, _, err = update(server, {"us-csl": "/csl.csv"})
    assert code == 0, err
    assert (
        manifest(data)[0]["sha256"] == hashlib.sha256((LISTS_DIR / "us-csl-sample-2025.csv").read_bytes()).hexdigest()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lists", "nope"], "unknown list 'nope'"),
        (["--lists", "jp-eul"], "no URL configured for jp-eul"),
        (["--url", "us-csl"], "write ID=URL"),
        (["--url", "nope=https://example.org/x.csv"], "unknown list 'nope'"),
        (["--lists", "us-csl", "--url", "us-csl=ftp://example.org/x.csv"], "not an http(s) URL"),
    ],
)
def test_bad_requests_are_refused_naming_the_list(args: list[str], message: str, data: Path) -> None:
    code, _, err = invoke("lists", "update", *args)
    assert code == 2 and message in err
    assert manifest(data) == []


def test_default_lists_have_official_urls_and_opensanctions_is_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXPORTCTL_LIST_URLS", raising=False)
    chosen = list_update.targets([])
    assert set(chosen) == {"us-sdn", "un", "us-csl", "us-el"}  # no network here: only which URLs would be used
    assert all(url.startswith("https://") for url in chosen.values())
    assert "ftm" in list_update.targets(["ftm"])  # asked for by name, it has a default URL
    monkeypatch.setenv("EXPORTCTL_LIST_URLS", "ftm=https://example.org/entities.ftm.json")
    assert list_update.targets([])["ftm"] == "https://example.org/entities.ftm.json"


def test_the_servers_scheduled_update_stores_logs_and_rescreens(
    server: ListServer, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "--update-lists-hours" in runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"}).stdout
    monkeypatch.setattr(list_update, "DEFAULT_URLS", {})  # the publishers stay out of a test: only the local server
    monkeypatch.setenv("EXPORTCTL_LISTS_DIR", str(tmp_path / "no-shipped-lists"))
    monkeypatch.setenv("EXPORTCTL_LIST_URLS", f"us-csl={server.url('/csl.csv')},un={server.url('/un.xml')}")
    server.routes["/csl.csv"] = Route(file=LISTS_DIR / "us-csl-sample-2019.csv")
    serve.update_lists_once()
    assert [v["list_id"] for v in manifest(data)] == ["us-csl"]
    assert f"un: kept version (none): {server.url('/un.xml')}: HTTP 404" in capsys.readouterr().err
    assert invoke("parties", "add", "AM1", "--name", "Atlas Sanatgaran", "--country", "AM")[0] == 0

    server.routes["/csl.csv"] = Route(file=LISTS_DIR / "us-csl-sample-2025.csv")
    serve.update_lists_once()  # re-screens as the system user
    assert len(manifest(data)) == 2
    code, shown, _ = invoke("parties", "show", "AM1", "--format", "json")
    assert code == 0 and "us-csl" in shown


def test_a_running_server_screens_against_a_version_stored_after_it_started(
    server: ListServer, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail closed: a party listed in a version stored by `lists update` (from cron or the scheduler) while the
    server runs is a hit in that server without a restart — its application's screener follows the stored versions
    (`serve.CurrentLists`), and so does the re-check it runs."""
    monkeypatch.setenv("EXPORTCTL_LISTS_DIR", str(tmp_path / "no-shipped-lists"))
    server.routes["/csl.csv"] = Route(file=LISTS_DIR / "us-csl-sample-2019.csv")
    assert update(server, {"us-csl": "/csl.csv"})[0] == 0
    screening.screener.cache_clear()
    first = screening.screener()
    application = create_app(screener=first)
    current = serve.CurrentLists(first, application)
    assert not current.refresh()  # nothing new: the screener in use stays
    name = "Atlas Sanatgaran"  # in the 2025 sample only (the delta re-screen test above relies on it too)
    assert not first.screen(name).hits

    server.routes["/csl.csv"] = Route(file=LISTS_DIR / "us-csl-sample-2025.csv")
    assert update(server, {"us-csl": "/csl.csv"})[0] == 0
    assert current.refresh()
    assert application.state.screener is current.screener is not first
    assert any(hit.list_id == "us-csl" for hit in application.state.screener.screen(name).hits)
