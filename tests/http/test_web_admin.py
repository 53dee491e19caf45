"""Administration pages (users, roles, passwords, API tokens, release settings) and the audit trail pages: each
action through the web with its CSRF token, the roles each page admits, and what an attacker tries."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update

from exportctl import ledger
from exportctl.demo import DEMO_PASSWORD
from exportctl.http import deps
from exportctl.http.app import create_app
from exportctl.screening.screener import Screener
from exportctl.services import actors, auth, orders, records
from exportctl.store import db as store
from exportctl.store.models import ApiToken, AuditRecord, User
from tests.support.demo_db import demo_database
from tests.support.web_client import VIEWER, client, csrf_of, logged_in

TOKEN = re.compile(r"\bxc_[A-Za-z0-9_-]{20,}")
ADMIN = ("ada", "admin-password-1")
ROOT = ("root", "root-password-1")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[str]:
    """The demo data set (clerk alice, officers olga and oscar), one admin and one viewer."""
    url = demo_database(tmp_path_factory.mktemp("admin"), screener)
    with store.session(url) as db:
        for (name, password), role in ((ADMIN, "admin"), (VIEWER, "viewer")):
            records.add_user(db, actors.SYSTEM, name, role)
            auth.set_password(db, actors.SYSTEM, name, password)
    yield url
    store.engine(url).dispose()


@pytest.fixture(scope="module")
def app_for(database: str, screener: Screener) -> object:
    return create_app(database_url=database, screener=screener)


@pytest.fixture
def lone_admin(database_url: str) -> object:
    """A new database (SQLite and PostgreSQL) whose only user is one admin: the last active admin."""
    with store.session(database_url) as db:
        records.add_user(db, actors.SYSTEM, ROOT[0], "admin")
        auth.set_password(db, actors.SYSTEM, ROOT[0], ROOT[1])
    return create_app(database_url=database_url)


@pytest.fixture(autouse=True)
def no_token_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    # A revoked token may work for TOKEN_CACHE_SECONDS by design; the tests ask right after revoking.
    monkeypatch.setattr(deps, "TOKEN_CACHE_SECONDS", 0.0)


def login_status(app: object, name: str, password: str) -> int:
    browser = client(app)
    token = csrf_of(browser.get("/login").text)
    return browser.post("/login", data={"name": name, "password": password, "csrf_token": token}).status_code


def post(browser: TestClient, path: str, data: dict[str, Any], page: str = "/admin/users") -> Any:
    """A form post as the page sends it: with the session's CSRF token."""
    return browser.post(path, data={**data, "csrf_token": csrf_of(browser.get(page).text)})


def user_row(url: str, name: str) -> User | None:
    with store.session(url, readonly=True) as db:
        return db.scalars(select(User).where(User.name == name)).first()


def ledger_records(url: str, subject: str) -> list[AuditRecord]:
    with store.session(url, readonly=True) as db:
        return list(db.scalars(select(AuditRecord).where(AuditRecord.subject == subject).order_by(AuditRecord.id)))


# --- who may -----------------------------------------------------------------------------------------------------

ADMIN_POSTS = [
    ("/admin/users", {"name": "mallory", "role": "admin", "password": "mallory-password"}),
    ("/admin/users/role", {"name": "alice", "role": "admin"}),
    ("/admin/users/active", {"name": "ada", "active": "false"}),
    ("/admin/users/password", {"name": "ada", "password": "taken-over-password"}),
    ("/admin/users/token", {"name": "ada", "label": "stolen"}),
    ("/admin/tokens/revoke", {"token_id": "1"}),
    ("/admin/settings", {"four_eyes": "indeterminate"}),
]


@pytest.mark.parametrize("who", [("vera", VIEWER[1]), ("alice", DEMO_PASSWORD), ("olga", DEMO_PASSWORD)])
def test_only_admins_open_or_post_to_the_admin_pages(app_for: object, database: str, who: tuple[str, str]) -> None:
    browser = logged_in(app_for, *who)
    home = browser.get("/").text
    assert 'href="/admin/users"' not in home  # no Admin link in the header
    for path in ("/admin/users", "/admin/settings"):
        assert browser.get(path).status_code == 403
    for path, data in ADMIN_POSTS:
        assert post(browser, path, data, page="/").status_code == 403, path
    assert user_row(database, "mallory") is None
    assert user_row(database, "alice").role == "clerk"  # type: ignore[union-attr]
    assert ledger_records(database, "settings") == []

    admin = logged_in(app_for, *ADMIN)
    assert 'href="/admin/users"' in admin.get("/").text
    assert admin.get("/admin/users").status_code == 200 and admin.get("/admin/settings").status_code == 200


def test_nobody_signed_in_is_sent_to_log_in(app_for: object, database: str) -> None:
    anonymous = client(app_for)
    response = anonymous.get("/admin/users")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/admin/users"
    assert anonymous.get("/audit/order/SO-2019-0101").headers["location"].startswith("/login?next=/audit/order/")
    for path, data in ADMIN_POSTS:
        assert anonymous.post(path, data=data).status_code == 303, path
    assert user_row(database, "mallory") is None


def test_an_admin_post_without_or_with_a_wrong_csrf_token_is_refused(app_for: object, database: str) -> None:
    admin = logged_in(app_for, *ADMIN)
    form = {"name": "csrf-victim", "role": "admin", "password": "a-long-password"}
    assert admin.post("/admin/users", data=form).status_code == 403
    assert admin.post("/admin/users", data={**form, "csrf_token": "forged"}).status_code == 403
    assert admin.post("/admin/settings", data={"csrf_token": "forged"}).status_code == 403
    assert user_row(database, "csrf-victim") is None


# --- users ---------------------------------------------------------------------------------------------------------


def test_an_admin_adds_a_user_changes_the_role_resets_the_password_and_deactivates(
    app_for: object, database: str
) -> None:
    admin = logged_in(app_for, *ADMIN)
    added = post(admin, "/admin/users", {"name": "nina", "role": "clerk", "password": "nina-password-1"})
    assert added.status_code == 303 and added.headers["location"] == "/admin/users"
    page = admin.get("/admin/users").text
    assert "User nina added" in page and "<td>nina</td>" in page

    nina = logged_in(app_for, "nina", "nina-password-1")
    assert post(admin, "/admin/users/role", {"name": "nina", "role": "officer"}).status_code == 303
    assert user_row(database, "nina").role == "officer"  # type: ignore[union-attr]
    assert nina.get("/").status_code == 303  # the session in the old role has ended

    assert post(admin, "/admin/users/password", {"name": "nina", "password": "nina-password-2"}).status_code == 303
    assert login_status(app_for, "nina", "nina-password-1") == 401
    assert login_status(app_for, "nina", "nina-password-2") == 303

    assert post(admin, "/admin/users/active", {"name": "nina", "active": "false"}).status_code == 303
    assert "deactivated" in admin.get("/admin/users").text
    assert login_status(app_for, "nina", "nina-password-2") == 401  # a deactivated user cannot log in
    assert post(admin, "/admin/users/active", {"name": "nina", "active": "true"}).status_code == 303
    assert login_status(app_for, "nina", "nina-password-2") == 303

    actions = [r.action for r in ledger_records(database, "user:nina")]
    assert actions == [
        "user.add",
        "user.password",
        "user.role",
        "user.password",
        "user.deactivate",
        "user.activate",
    ]
    assert all(r.actor == "ada" for r in ledger_records(database, "user:nina"))


def test_a_refused_user_leaves_nothing_behind_and_the_form_keeps_what_was_typed(app_for: object, database: str) -> None:
    admin = logged_in(app_for, *ADMIN)
    short = post(admin, "/admin/users", {"name": "shorty", "role": "officer", "password": "too-short"})
    assert short.status_code == 422
    assert "at least 10 characters" in short.text
    assert 'value="shorty"' in short.text and '<option value="officer" selected>' in short.text
    assert "too-short" not in short.text  # the password is never echoed back
    assert user_row(database, "shorty") is None and ledger_records(database, "user:shorty") == []

    taken = post(admin, "/admin/users", {"name": "olga", "role": "viewer", "password": "a-long-password"})
    assert taken.status_code == 409 and "exists" in taken.text
    assert user_row(database, "olga").role == "officer"  # type: ignore[union-attr]

    bad_role = post(admin, "/admin/users", {"name": "rolf", "role": "superuser", "password": "a-long-password"})
    assert bad_role.status_code == 422 and user_row(database, "rolf") is None


# --- tokens --------------------------------------------------------------------------------------------------------


def test_a_token_is_shown_once_works_on_the_api_and_stops_when_revoked(lone_admin: object, database_url: str) -> None:
    root = logged_in(lone_admin, *ROOT)
    assert (
        post(root, "/admin/users", {"name": "robot", "role": "viewer", "password": "robot-password"}).status_code == 303
    )
    issued = post(root, "/admin/users/token", {"name": "robot", "label": "erp"})
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    assert "only this once" in issued.text
    tokens = set(TOKEN.findall(issued.text))
    assert len(tokens) == 1
    token = tokens.pop()

    # Never stored in clear, never shown again.
    with store.session(database_url, readonly=True) as db:
        stored = db.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() and stored.name == "erp"
    listing = root.get("/admin/users").text
    assert token not in listing and not TOKEN.search(listing)
    assert '<td class="num">1</td>' in listing  # robot's valid tokens

    api = client(lone_admin)
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/audit/records?limit=1", headers=bearer).status_code == 200

    revoked = post(root, "/admin/tokens/revoke", {"token_id": str(stored.id)})
    assert revoked.status_code == 303
    assert api.get("/api/v1/audit/records?limit=1", headers=bearer).status_code == 401
    again = post(root, "/admin/tokens/revoke", {"token_id": str(stored.id)})
    assert again.status_code == 422 and "already revoked" in again.text
    actions = [r.action for r in ledger_records(database_url, "user:robot")]
    assert actions[-2:] == ["user.token", "user.revoke-token"]


def test_a_deactivated_users_token_does_not_work(lone_admin: object) -> None:
    root = logged_in(lone_admin, *ROOT)
    post(root, "/admin/users", {"name": "sleeper", "role": "clerk", "password": "sleeper-password"})
    token = TOKEN.findall(post(root, "/admin/users/token", {"name": "sleeper"}).text)[0]
    bearer = {"Authorization": f"Bearer {token}"}
    api = client(lone_admin)
    assert api.get("/api/v1/audit/records?limit=1", headers=bearer).status_code == 200
    assert post(root, "/admin/users/active", {"name": "sleeper", "active": "false"}).status_code == 303
    assert api.get("/api/v1/audit/records?limit=1", headers=bearer).status_code == 401
    assert login_status(lone_admin, "sleeper", "sleeper-password") == 401


# --- the last admin ------------------------------------------------------------------------------------------------


def test_the_last_active_admin_is_neither_demoted_nor_deactivated(lone_admin: object, database_url: str) -> None:
    root = logged_in(lone_admin, *ROOT)
    demoted = post(root, "/admin/users/role", {"name": "root", "role": "viewer"})
    assert demoted.status_code == 422
    assert "last active admin" in demoted.text
    assert '<option value="viewer" selected>' in demoted.text  # the choice typed stays on the page
    deactivated = post(root, "/admin/users/active", {"name": "root", "active": "false"})
    assert deactivated.status_code == 422 and "last active admin" in deactivated.text
    assert user_row(database_url, "root").role == "admin"  # type: ignore[union-attr]
    assert login_status(lone_admin, *ROOT) == 303
    assert [r.action for r in ledger_records(database_url, "user:root")] == ["user.add", "user.password"]

    # With a second admin, the first may step down.
    post(root, "/admin/users", {"name": "deputy", "role": "admin", "password": "deputy-password"})
    assert post(root, "/admin/users/role", {"name": "root", "role": "officer"}).status_code == 303
    assert user_row(database_url, "root").role == "officer"  # type: ignore[union-attr]


# --- settings ------------------------------------------------------------------------------------------------------


def test_release_settings_are_saved_through_the_services_and_recorded(lone_admin: object, database_url: str) -> None:
    root = logged_in(lone_admin, *ROOT)
    page = root.get("/admin/settings").text
    # Never set: every releasable reason may be overridden, and each needs two officers.
    assert page.count("checked") == 6
    assert 'value="licence-needed"' not in page and 'value="prohibited"' not in page

    saved = post(
        root,
        "/admin/settings",
        {"four_eyes": ["screening-hit"], "overridable": ["screening-hit", "indeterminate"]},
        page="/admin/settings",
    )
    assert saved.status_code == 303
    page = root.get("/admin/settings").text
    assert "Settings saved" in page and page.count("checked") == 3
    with store.session(database_url, readonly=True) as db:
        assert orders.four_eyes_reasons(db) == {"screening-hit"}
        assert not orders.may_override(db, "recheck-review") and orders.may_override(db, "indeterminate")
    recorded = [(r.action, r.actor, r.payload) for r in ledger_records(database_url, "settings")]
    assert recorded == [
        ("settings.four_eyes", "root", {"reasons": ["screening-hit"]}),
        ("settings.overridable", "root", {"reasons": ["indeterminate", "screening-hit"]}),
    ]

    unchanged = post(
        root,
        "/admin/settings",
        {"four_eyes": ["screening-hit"], "overridable": ["indeterminate", "screening-hit"]},
        page="/admin/settings",
    )
    assert unchanged.status_code == 303 and "Nothing changed" in root.get("/admin/settings").text
    assert len(ledger_records(database_url, "settings")) == 2


def test_settings_refuse_reasons_an_officer_never_lifts_and_hostile_values(
    lone_admin: object, database_url: str
) -> None:
    root = logged_in(lone_admin, *ROOT)
    for hostile in ("prohibited", "licence-needed", "<script>alert(1)</script>"):
        refused = post(
            root, "/admin/settings", {"four_eyes": ["indeterminate"], "overridable": [hostile]}, page="/admin/settings"
        )
        assert refused.status_code == 422, hostile
        assert "<script>alert(1)</script>" not in refused.text
        assert 'value="indeterminate" checked' in refused.text  # the boxes as they were ticked
    assert "&lt;script&gt;" in refused.text
    assert ledger_records(database_url, "settings") == []


# --- the audit trail -----------------------------------------------------------------------------------------------


def test_the_audit_trail_of_an_order_shows_its_release_newest_first(app_for: object) -> None:
    olga, oscar = logged_in(app_for, "olga", DEMO_PASSWORD), logged_in(app_for, "oscar", DEMO_PASSWORD)
    order_page = olga.get("/orders/SO-2019-0301").text
    assert 'href="/audit/order/SO-2019-0301"' in order_page
    for officer, reason in ((olga, "End use confirmed in writing"), (oscar, "Letter checked")):
        page = officer.get("/orders/SO-2019-0301").text
        released = officer.post("/orders/SO-2019-0301/release", data={"reason": reason, "csrf_token": csrf_of(page)})
        assert released.status_code == 303
    assert "Order released" in oscar.get("/orders/SO-2019-0301").text

    trail = olga.get("/audit/order/SO-2019-0301")
    assert trail.status_code == 200
    text = trail.text
    assert "Audit trail intact" in text and "fails verification" not in text
    rows = re.findall(
        r'<tr class="record-(\w+)">.*?<td>(\d+)</td>.*?<td>([^<]+)</td>\s*<td><code>([^<]+)</code>', text, re.S
    )
    assert [(who, action) for _state, _id, who, action in rows[:2]] == [
        ("oscar", "order.release"),
        ("olga", "order.release"),
    ]
    assert rows[-1][2:] == ("system", "order.determine")  # entered by the demo loader, first
    assert all(state == "verified" for state, *_ in rows)
    assert [int(i) for _s, i, *_ in rows] == sorted((int(i) for _s, i, *_ in rows), reverse=True)
    assert "Letter checked" in text  # what was recorded


def test_the_audit_trail_is_for_officers_and_admins(app_for: object) -> None:
    for name, password in (("alice", DEMO_PASSWORD), VIEWER):
        browser = logged_in(app_for, name, password)
        assert browser.get("/audit/order/SO-2019-0101").status_code == 403
        assert "/audit/order/" not in browser.get("/orders/SO-2019-0101").text  # no link they cannot follow
        assert "/audit/licence/" not in browser.get("/licences/IND-2019-KR-0815").text
    admin = logged_in(app_for, *ADMIN)
    assert admin.get("/audit/order/SO-2019-0101").status_code == 200
    licence = admin.get("/licences/IND-2019-KR-0815").text
    assert 'href="/audit/licence/IND-2019-KR-0815"' in licence
    trail = admin.get("/audit/licence/IND-2019-KR-0815").text
    assert "licence.add" in trail
    assert admin.get("/audit/party/KR-HANBIT").status_code == 200
    # Only orders, parties and licences; only ones that exist.
    for path in ("/audit/user/ada", "/audit/settings/x", "/audit/order/NO-SUCH-ORDER", "/audit/licence/%3Cb%3E"):
        assert admin.get(path).status_code == 404, path


def test_a_tampered_record_is_shown_in_red_with_the_reason(database_url: str, screener: Screener) -> None:
    with store.session(database_url) as db:
        records.add_user(db, actors.SYSTEM, ROOT[0], "admin")
        auth.set_password(db, actors.SYSTEM, ROOT[0], ROOT[1])
        records.add_party(db, actors.SYSTEM, "P-ONE", "First Trading <b>Co</b>", "DE", ["consignee"], None)
        records.add_party(db, actors.SYSTEM, "P-TWO", "Second Trading Co", "DE", ["consignee"], None)
    app = create_app(database_url=database_url)
    root = logged_in(app, *ROOT)
    intact = root.get("/audit/party/P-ONE").text
    assert "Audit trail intact" in intact and "<b>Co</b>" not in intact  # the recorded name is escaped

    with store.session(database_url) as db:  # someone with the database rewrites the first party's record
        db.execute(
            update(AuditRecord)
            .where(AuditRecord.subject == "party:P-ONE", AuditRecord.action == "party.add")
            .values(payload={"name": "Forged Trading Co", "country": "DE", "roles": ["consignee"]})
        )
    page = root.get("/audit/party/P-ONE").text
    assert 'id="chain-state"' in page and "Audit trail broken at record" in page
    assert '<tr class="record-broken">' in page and "the record was modified" in page
    later = root.get("/audit/party/P-TWO").text  # untouched: its own checks hold
    assert "Audit trail intact" in later and '<tr class="record-verified">' in later

    with store.session(database_url) as db:  # the forger recomputes the record's hash too
        forged = db.scalars(
            select(AuditRecord).where(AuditRecord.subject == "party:P-ONE", AuditRecord.action == "party.add")
        ).one()
        forged.hash = ledger.record_hash(
            forged.id, forged.at, forged.actor, forged.action, forged.subject, forged.payload,
            forged.pack_version, forged.list_versions, forged.prev_hash,
        )  # fmt: skip
    rehashed = root.get("/audit/party/P-ONE").text
    assert '<tr class="record-broken">' in rehashed and "does not link to it" in rehashed


# --- languages and hostile input -----------------------------------------------------------------------------------


def test_the_pages_render_in_japanese(app_for: object) -> None:
    admin = logged_in(app_for, *ADMIN)
    switched = admin.get("/lang/ja?next=/admin/users")
    assert switched.status_code == 303
    admin.cookies.set("exportctl_lang", "ja")
    assert "ユーザーとAPIトークン" in admin.get("/admin/users").text
    assert "二人目の責任者の承認が必要な保留理由" in admin.get("/admin/settings").text
    assert "監査証跡" in admin.get("/audit/order/SO-2019-0101").text
    admin.cookies.set("exportctl_lang", "en")
    assert "Users and API tokens" in admin.get("/admin/users").text


def test_hostile_names_are_refused_or_escaped(app_for: object, database: str) -> None:
    admin = logged_in(app_for, *ADMIN)
    huge = post(admin, "/admin/users", {"name": "x" * 100_000, "role": "viewer", "password": "a-long-password"})
    assert huge.status_code in (413, 422) and user_row(database, "x" * 100) is None
    long_code = post(admin, "/admin/users", {"name": "y" * 100, "role": "viewer", "password": "a-long-password"})
    assert long_code.status_code == 422 and user_row(database, "y" * 100) is None

    html = "<img src=x onerror=alert(1)>"
    added = post(admin, "/admin/users", {"name": html, "role": "viewer", "password": "a-long-password"})
    assert added.status_code == 303
    issued = post(admin, "/admin/users/token", {"name": html, "label": "<script>alert(2)</script>"})
    assert issued.status_code == 200
    for page in (issued.text, admin.get("/admin/users").text):
        assert html not in page and "<script>alert(2)</script>" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
    unknown = post(admin, "/admin/users/role", {"name": "no-such-user", "role": "viewer"})
    assert unknown.status_code == 404
    not_a_number = post(admin, "/admin/tokens/revoke", {"token_id": "1 OR 1=1"})
    assert not_a_number.status_code == 422


def test_a_record_deleted_after_a_subjects_record_is_shown(database_url: str, screener: Screener) -> None:
    """Deleting the record that follows one of the subject's records (and nothing else) leaves the subject's own
    record intact but its successor gone: the trail must say so, not call the record verified."""
    with store.session(database_url) as db:
        records.add_user(db, actors.SYSTEM, ROOT[0], "admin")
        auth.set_password(db, actors.SYSTEM, ROOT[0], ROOT[1])
        records.add_party(db, actors.SYSTEM, "P-ONE", "First Trading Co", "DE", ["consignee"], None)
        records.add_party(db, actors.SYSTEM, "P-TWO", "Second Trading Co", "DE", ["consignee"], None)
    app = create_app(database_url=database_url)
    root = logged_in(app, *ROOT)
    assert "Audit trail intact" in root.get("/audit/party/P-ONE").text
    with store.session(database_url) as db:
        db.execute(delete(AuditRecord).where(AuditRecord.subject == "party:P-TWO"))
    page = root.get("/audit/party/P-ONE").text
    assert '<tr class="record-broken">' in page and "after it, is missing" in page
