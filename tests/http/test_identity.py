"""Issue 10, items 7, 12 and 13: who acted is provable, login throttling an attacker cannot use, and the
headers a browser needs. The real CLI (CliRunner, a terminal for the password prompt), the real API over
TestClient, a real uvicorn server for the proxy-header case, and real SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import fcntl
import getpass
import hashlib
import json
import os
import pty
import re
import select as io_select
import statistics
import subprocess
import sys
import termios
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from exportctl.cli import app
from exportctl.cli.serve import UVICORN
from exportctl.http.app import create_app
from exportctl.services import auth, errors
from exportctl.services.actors import SYSTEM
from exportctl.store import db as store
from exportctl.store.models import AuditRecord, User
from tests.support.apiclient import API, PASSWORD, USERS, free_port, make_api

runner = CliRunner()
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "exportctl" / "http" / "web" / "templates"
OFFICER_PASSWORD = "olga-officer-password"
EXPORTCTL = Path(sys.executable).with_name("exportctl")  # the console script, as a user runs it


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh limiter, and none of the settings that change whom the server believes."""
    monkeypatch.setattr(auth, "LIMITER", auth.RateLimiter())
    for name in ("EXPORTCTL_USER", "EXPORTCTL_TOKEN", "EXPORTCTL_TRUSTED_PROXIES", "EXPORTCTL_SECURE_COOKIES"):
        monkeypatch.delenv(name, raising=False)


# --- 7. who acted: the CLI ------------------------------------------------------------------------------------


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'identity.db'}"
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", url)
    return url


def cli(*args: str, token: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"EXPORTCTL_TOKEN": token} if token else {})
    return result.exit_code, result.stdout, result.stderr


def cli_ok(*args: str, token: str | None = None) -> str:
    code, out, err = cli(*args, token=token)
    assert code == 0, err or out
    return out


def actors(url: str, action: str) -> list[str]:
    with store.session(url) as db:
        return list(db.scalars(select(AuditRecord.actor).where(AuditRecord.action == action)))


@pytest.fixture
def officers(cli_database: str) -> dict[str, str]:
    """The demo database (the first command, on an empty database, acts as the bootstrap admin) and a token
    for each of its two officers, made in local admin mode."""
    assert "13 orders" in cli_ok("demo", "load")
    return {name: cli_ok("--local-admin", "users", "token", name).strip() for name in ("olga", "oscar")}


def test_records_commands_need_a_credential(officers: dict[str, str]) -> None:
    code, _out, err = cli("orders", "list")
    assert code == 2 and "EXPORTCTL_TOKEN" in err and "--local-admin" in err
    # The shell: --user alone (no terminal for a password) proves nothing any more.
    code, _out, err = cli("--user", "olga", "orders", "release", "SO-2019-0302", "--reason", "checked")
    assert code == 2 and "no password given" in err
    code, _out, err = cli("--user", "nobody", "orders", "list")
    assert code == 2 and "user 'nobody' does not exist" in err
    code, _out, err = cli("orders", "list", token="xc_not-a-token")
    assert code == 2 and "not a valid token" in err
    code, _out, err = cli("--user", "oscar", "orders", "list", token=officers["olga"])
    assert code == 2 and "acts as olga, not as --user oscar" in err
    assert json.loads(cli_ok("orders", "list", "--format", "json", token=officers["olga"]))


def test_four_eyes_needs_two_proven_officers_and_never_the_local_admin(
    officers: dict[str, str], cli_database: str
) -> None:
    order = "SO-2019-0302"  # Golden Star Trading: a screening hit for an officer to review
    shown = json.loads(cli_ok("--local-admin", "orders", "show", order, "--format", "json"))
    assert shown["status"] == "blocked" and shown["blocking_reasons"] == ["screening-hit"]
    cli_ok("--local-admin", "settings", "four-eyes", "screening-hit")
    cli_ok("orders", "release", order, "--reason", "not the listed entity", token=officers["olga"])
    code, _out, err = cli("--local-admin", "orders", "release", order, "--reason", "agreed")
    assert code == 2 and "local admin mode cannot give a second approval" in err
    code, _out, err = cli("orders", "release", order, "--reason", "agreed again", token=officers["olga"])
    assert code == 2 and "second officer" in err
    assert json.loads(cli_ok("--local-admin", "orders", "show", order, "--format", "json"))["status"] == "blocked"
    cli_ok("orders", "release", order, "--reason", "agreed", token=officers["oscar"])
    assert json.loads(cli_ok("--local-admin", "orders", "show", order, "--format", "json"))["status"] == "released"
    assert actors(cli_database, "order.release") == ["olga", "oscar"]
    # What the local admin did (the fixture's tokens) is recorded as such, under the operating-system account.
    assert actors(cli_database, "user.token") == [f"local-admin:{getpass.getuser()}"] * 2


def test_local_admin_is_explicit_and_cannot_be_a_user_name(officers: dict[str, str]) -> None:
    code, _out, err = cli("--local-admin", "--user", "olga", "orders", "list")
    assert code == 2 and "--local-admin acts without a credential" in err
    code, _out, err = cli("--local-admin", "users", "add", "local-admin:eve", "--role", "officer")
    assert code == 2 and "reserved" in err


def test_tokens_are_listed_and_revoked_one_by_one(officers: dict[str, str], cli_database: str) -> None:
    second = cli_ok("--local-admin", "users", "token", "olga", "--name", "erp").strip()
    listed = json.loads(cli_ok("users", "tokens", "olga", "--format", "json", token=officers["olga"]))
    assert [(t["name"], t["revoked"]) for t in listed] == [("api", False), ("erp", False)]
    assert all(set(t) == {"id", "name", "created_at", "revoked"} for t in listed)  # never the token itself
    code, _out, err = cli("users", "tokens", "oscar", token=officers["olga"])
    assert code == 2 and "olga (officer) may not do this" in err
    erp = next(t["id"] for t in listed if t["name"] == "erp")
    assert f"token {erp} of olga revoked" in cli_ok("users", "revoke-token", str(erp), token=officers["olga"])
    code, _out, err = cli("users", "list", token=second)
    assert code == 2 and "not a valid token" in err
    cli_ok("users", "list", token=officers["olga"])  # the other token was not touched
    assert actors(cli_database, "user.revoke-token") == ["olga"]


def test_role_change_and_deactivation_from_the_cli(officers: dict[str, str], cli_database: str) -> None:
    cli_ok("--local-admin", "users", "role", "oscar", "clerk")
    code, _out, err = cli("orders", "release", "SO-2019-0302", "--reason", "x", token=officers["oscar"])
    assert code == 2 and "oscar (clerk) may not do this" in err
    cli_ok("--local-admin", "users", "deactivate", "oscar")
    code, _out, err = cli("orders", "list", token=officers["oscar"])
    assert code == 2 and "not a valid token" in err
    listed = json.loads(cli_ok("--local-admin", "users", "list", "--format", "json"))
    assert {"name": "oscar", "role": "clerk", "deactivated": True} in listed
    cli_ok("--local-admin", "users", "activate", "oscar")
    cli_ok("orders", "list", token=officers["oscar"])  # deactivation revoked nothing
    local = f"local-admin:{getpass.getuser()}"
    assert [actors(cli_database, a) for a in ("user.role", "user.deactivate", "user.activate")] == [[local]] * 3


def test_user_prompts_for_the_password_in_a_terminal(officers: dict[str, str], cli_database: str) -> None:
    cli_ok("--local-admin", "users", "password", "olga", "--password", OFFICER_PASSWORD)
    right = in_terminal(["--user", "olga", "users", "list", "--format", "json"], OFFICER_PASSWORD, cli_database)
    assert right[0] == 0 and "password for olga" in right[1] and '"name": "olga"' in right[1]
    wrong = in_terminal(["--user", "olga", "users", "list"], "not-her-password", cli_database)
    assert wrong[0] == 2 and "wrong user name or password" in wrong[1]


def in_terminal(args: list[str], typed: str, url: str) -> tuple[int, str]:
    """Run the CLI in a new session whose controlling terminal is a pseudo-terminal (as a person's shell),
    type a line into it, and return the exit status and what the command printed."""
    controller, terminal = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "EXPORTCTL_TOKEN"}
    with subprocess.Popen(
        [str(EXPORTCTL), *args],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=environment | {"EXPORTCTL_DATABASE_URL": url},
        start_new_session=True,
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    ) as process:
        os.close(terminal)
        # Type only once the prompt is on the terminal: getpass discards what was typed before (TCSAFLUSH).
        ready, _, _ = io_select.select([controller], [], [], 120)
        assert ready, "no password prompt on the terminal"
        os.read(controller, 1024)
        os.write(controller, (typed + "\n").encode())
        try:
            output, _ = process.communicate(timeout=120)
        finally:
            process.kill()
    os.close(controller)
    return process.returncode, output.decode()


# --- 7. sessions end: logout, password, role, deactivation --------------------------------------------------


def logged_in(url: str, name: str) -> tuple[TestClient, str, str]:
    """A client logged in over the API, its session cookie (as it could be saved elsewhere) and CSRF token."""
    client = TestClient(create_app(url))
    response = client.post(f"{API}/session", json={"name": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    cookie = client.cookies.get("exportctl")
    assert cookie
    return client, cookie, str(response.json()["csrf_token"])


def with_saved_cookie(url: str, cookie: str) -> int:
    client = TestClient(create_app(url), cookies={"exportctl": cookie})
    return client.get(f"{API}/me").status_code


def test_logout_ends_saved_sessions_and_revokes_nothing_else(database_url: str) -> None:
    api = make_api(database_url, None)
    client, cookie, csrf = logged_in(database_url, USERS["clerk"])
    _other, other_cookie, _csrf = logged_in(database_url, USERS["clerk"])  # the same user in another browser
    assert with_saved_cookie(database_url, cookie) == 200 and with_saved_cookie(database_url, other_cookie) == 200
    assert client.delete(f"{API}/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert with_saved_cookie(database_url, cookie) == 401
    assert with_saved_cookie(database_url, other_cookie) == 401
    assert api.get("/me", "clerk").status_code == 200  # the clerk's token still works


def test_web_logout_ends_a_saved_cookie(database_url: str) -> None:
    make_api(database_url, None)
    browser = TestClient(create_app(database_url), follow_redirects=False)
    page = browser.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    form = {"name": USERS["officer"], "password": PASSWORD, "csrf_token": csrf.group(1)}
    assert browser.post("/login", data=form).status_code == 303
    saved = browser.cookies.get("exportctl") or ""
    token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/").text)
    assert token
    assert browser.post("/logout", data={"csrf_token": token.group(1)}).status_code == 303
    again = TestClient(create_app(database_url), cookies={"exportctl": saved}, follow_redirects=False)
    assert again.get("/orders").status_code == 303  # back to the login page


@pytest.mark.parametrize("change", ["password", "role", "deactivate"])
def test_password_role_and_deactivation_end_sessions(database_url: str, change: str) -> None:
    api = make_api(database_url, None)
    _client, cookie, _csrf = logged_in(database_url, USERS["officer"])
    assert with_saved_cookie(database_url, cookie) == 200
    with store.session(database_url) as db:
        if change == "password":
            auth.set_password(db, SYSTEM, USERS["officer"], "a brand new password")
        elif change == "role":
            auth.set_role(db, SYSTEM, USERS["officer"], "viewer")
        else:
            auth.set_active(db, SYSTEM, USERS["officer"], False)
    assert with_saved_cookie(database_url, cookie) == 401
    time.sleep(2.1)  # the API remembers a token's user for 2 s
    expected = 401 if change == "deactivate" else 200
    assert api.get("/me", "officer").status_code == expected
    if change == "role":
        assert api.get("/me", "officer").json()["role"] == "viewer"  # the token acts in the new role


def test_a_deactivated_user_cannot_log_in_and_the_last_admin_stays(database_url: str) -> None:
    make_api(database_url, None)
    with store.session(database_url) as db:
        auth.set_active(db, SYSTEM, USERS["clerk"], False)
    client = TestClient(create_app(database_url))
    refused = client.post(f"{API}/session", json={"name": USERS["clerk"], "password": PASSWORD})
    assert refused.status_code == 401 and "wrong user name or password" in refused.text
    with store.session(database_url) as db, pytest.raises(errors.RecordError, match="last active admin"):
        auth.set_role(db, SYSTEM, USERS["admin"], "officer")


# --- 7. serve --demo ------------------------------------------------------------------------------------------


def test_serve_demo_refuses_a_database_that_is_not_a_demo_database(cli_database: str) -> None:
    cli_ok("users", "list")  # bootstrap admin
    cli_ok("--local-admin", "parties", "add", "REAL-1", "--name", "Real Customer K.K.", "--country", "JP")
    command = [str(EXPORTCTL), "serve", "--demo", "--port", str(free_port())]
    environment = dict(os.environ) | {"EXPORTCTL_DATABASE_URL": cli_database}
    try:  # a subprocess: a server that did start would otherwise never return
        served = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=180)
    except subprocess.TimeoutExpired:
        pytest.fail("serve --demo started a server on a database that is not a demo database")
    assert served.returncode == 2 and "not a demo database" in served.stderr
    code, _out, err = cli("--local-admin", "demo", "load")
    assert code == 2 and "not a demo database" in err
    with store.session(cli_database) as db:
        assert list(db.scalars(select(User.name))) == ["admin"]  # nobody with the public password


def test_serve_demo_warns_when_bound_beyond_localhost(tmp_path: Path) -> None:
    port = free_port()
    environment = dict(os.environ) | {"EXPORTCTL_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    command = [str(EXPORTCTL), "serve", "--demo", "--host", "0.0.0.0", "--port", str(port)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment) as process:
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/login", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
        finally:
            process.terminate()
        _out, err = process.communicate(timeout=30)
    assert "--demo on 0.0.0.0" in err.decode() and "public demo password" in err.decode()


# --- 12. login throttling -------------------------------------------------------------------------------------


@pytest.fixture
def throttled(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'throttle.db'}"
    make_api(url, None)
    yield url
    store.engine(url).dispose()


def attempt(url: str, address: str, name: str, password: str, **headers: str) -> int:
    client = TestClient(create_app(url), client=(address, 40000))
    response = client.post(f"{API}/session", json={"name": name, "password": password}, headers=headers)
    return response.status_code


def test_a_strangers_wrong_passwords_do_not_lock_the_user_out(throttled: str) -> None:
    victim = USERS["officer"]
    codes = [attempt(throttled, "198.51.100.7", victim, "guess-guess-guess") for _ in range(6)]
    assert codes == [401] * 5 + [429]  # the guesser is slowed down …
    assert attempt(throttled, "203.0.113.20", victim, PASSWORD) == 200  # … the officer, elsewhere, is not


def test_unknown_names_do_not_lock_out_others_behind_the_same_address(throttled: str) -> None:
    office = "192.0.2.50"
    codes = [attempt(throttled, office, "ghost", "guess-guess-guess") for _ in range(6)]
    assert codes == [401] * 5 + [429]
    assert attempt(throttled, office, USERS["clerk"], PASSWORD) == 200  # a colleague behind the same NAT


def test_the_per_address_limit_still_holds_across_names(throttled: str) -> None:
    address = "198.51.100.9"
    limit = auth.PER_ADDRESS.attempts
    codes = [attempt(throttled, address, f"name-{n}", "guess-guess-guess") for n in range(limit)]
    assert set(codes) == {401}
    assert attempt(throttled, address, USERS["clerk"], PASSWORD) == 429
    assert attempt(throttled, "198.51.100.10", USERS["clerk"], PASSWORD) == 200


def test_the_per_user_lockout_needs_many_failures_and_is_short() -> None:
    limiter = auth.RateLimiter()
    for n in range(auth.PER_USER.attempts - 1):
        limiter.failed(f"10.0.{n // 200}.{n % 200}", "olga")
    limiter.check("10.9.9.9", "olga")  # 49 failures from 49 addresses: still not locked
    limiter.failed("10.9.9.8", "olga")
    with pytest.raises(auth.TooManyAttempts) as refused:
        limiter.check("10.9.9.9", "olga")
    assert 0 < refused.value.retry_after <= 61


def test_the_limiter_memory_is_bounded_whatever_names_are_tried() -> None:
    limiter = auth.RateLimiter(max_keys=500)
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for n in range(1000):
        name = f"{n:06d}" + "x" * 100_000
        limiter.failed(f"198.51.100.{n % 250}", name)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert len(limiter) <= 500
    assert grown < 2_000_000  # 1,000 names of 100 kB were tried: 100 MB if they were kept


def test_overlong_names_are_refused_before_any_work(throttled: str) -> None:
    assert attempt(throttled, "198.51.100.11", "x" * 100_000, "guess-guess-guess") == 422


def test_response_time_does_not_say_which_names_exist(throttled: str) -> None:
    def seconds(name: str) -> float:
        times = []
        for _ in range(5):
            with store.session(throttled) as db:
                start = time.perf_counter()
                with pytest.raises(auth.LoginRefused):
                    auth.verify_password(db, name, "guess-guess-guess")
                times.append(time.perf_counter() - start)
        return statistics.median(times)

    known, unknown = seconds(USERS["officer"]), seconds("nobody-by-this-name")
    assert 0.5 < unknown / known < 2.0, (known, unknown)


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(throttled: str, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = USERS["clerk"]
    codes = [
        attempt(throttled, "127.0.0.1", victim, "guess-guess-guess", **{"X-Forwarded-For": f"10.1.1.{n}"})
        for n in range(6)
    ]
    assert codes[-1] == 429  # a new X-Forwarded-For per guess does not make a new address
    monkeypatch.setenv("EXPORTCTL_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    monkeypatch.setattr(auth, "LIMITER", auth.RateLimiter())
    codes = [
        attempt(throttled, "127.0.0.1", victim, "guess-guess-guess", **{"X-Forwarded-For": f"203.0.113.{n}, 10.0.0.1"})
        for n in range(6)
    ]
    assert codes == [401] * 6  # behind a trusted proxy each client is its own address


def test_served_as_by_serve_a_local_forwarded_for_is_ignored(throttled: str) -> None:
    """uvicorn, run with `serve`'s options: a client on 127.0.0.1 cannot name its address in a header."""
    port = free_port()
    config = uvicorn.Config(create_app(throttled), host="127.0.0.1", port=port, lifespan="off", **UVICORN)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        # A new name and a new forwarded address per guess: only the per-address limit can stop this.
        codes = [
            httpx.post(
                f"http://127.0.0.1:{port}{API}/session",
                json={"name": f"ghost-{n}", "password": "guess-guess-guess"},
                headers={"X-Forwarded-For": f"10.2.{n}.1"},
            ).status_code
            for n in range(auth.PER_ADDRESS.attempts + 1)
        ]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert codes == [401] * auth.PER_ADDRESS.attempts + [429]


# --- 13. headers, cookies, docs -------------------------------------------------------------------------------


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def test_every_response_carries_the_security_headers(throttled: str) -> None:
    client = TestClient(create_app(throttled), follow_redirects=False)
    for response in (client.get("/login"), client.get(f"{API}/me"), client.get("/static/htmx.min.js")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        policy = directives(response.headers["content-security-policy"])
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert all(source.startswith("'") for source in policy["script-src"])  # no other host


def test_the_policy_allows_exactly_the_inline_code_the_templates_use(throttled: str) -> None:
    handlers = set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"{template.name}: an inline <script>"
        handlers |= set(re.findall(r'\son[a-z]+="([^"]*)"', text))
    policy = directives(TestClient(create_app(throttled)).get("/login").headers["content-security-policy"])
    assert {csp_hash(handler) for handler in handlers} <= set(policy["script-src"])
    assert "'unsafe-hashes'" in policy["script-src"] and handlers  # the hashes are of event handlers
    assert len([s for s in policy["script-src"] if s.startswith("'sha256-")]) == len(handlers)


def session_cookie(response: httpx.Response) -> str:
    return next(value for value in response.headers.get_list("set-cookie") if value.startswith("exportctl="))


@pytest.mark.parametrize(
    ("base", "setting", "headers", "secure"),
    [
        ("http://testserver", None, {}, False),
        ("https://testserver", None, {}, True),
        ("http://testserver", "1", {}, True),
        ("http://testserver", None, {"X-Forwarded-Proto": "https"}, False),  # said by anyone: not believed
    ],
)
def test_cookies_are_secure_when_served_over_https(
    throttled: str,
    monkeypatch: pytest.MonkeyPatch,
    base: str,
    setting: str | None,
    headers: dict[str, str],
    secure: bool,
) -> None:
    if setting:
        monkeypatch.setenv("EXPORTCTL_SECURE_COOKIES", setting)
    client = TestClient(create_app(throttled), base_url=base)
    response = client.post(f"{API}/session", json={"name": USERS["clerk"], "password": PASSWORD}, headers=headers)
    assert response.status_code == 200
    assert ("; secure" in session_cookie(response).lower()) is secure
    language = client.get("/lang/ja", follow_redirects=False).headers["set-cookie"].lower()
    assert ("; secure" in language) is secure


def test_a_trusted_proxy_says_https(throttled: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCTL_TRUSTED_PROXIES", "127.0.0.1")
    client = TestClient(create_app(throttled), client=("127.0.0.1", 40000))
    body = {"name": USERS["clerk"], "password": PASSWORD}
    response = client.post(f"{API}/session", json=body, headers={"X-Forwarded-Proto": "https"})
    assert "; secure" in session_cookie(response).lower()


def test_the_api_docs_are_behind_login(throttled: str) -> None:
    anonymous = TestClient(create_app(throttled), follow_redirects=False)
    page = anonymous.get(f"{API}/docs", headers={"Accept": "text/html"})
    assert page.status_code == 303 and page.headers["location"] == f"/login?next={API}/docs"
    assert anonymous.get(f"{API}/docs").status_code == 401
    client, _cookie, _csrf = logged_in(throttled, USERS["viewer"])
    docs = client.get(f"{API}/docs", headers={"Accept": "text/html"})
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    policy = directives(docs.headers["content-security-policy"])
    inline = re.findall(r"<script>(.*?)</script>", docs.text, flags=re.DOTALL)
    assert inline and {csp_hash(script) for script in inline} <= set(policy["script-src"])
    assert policy["frame-ancestors"] == ["'none'"] and "'unsafe-inline'" not in policy["script-src"]
