"""Administration pages (admins only): users and their roles, passwords and API tokens; the release settings.

Every route takes the `Admin` dependency, so every other role gets 403 and nobody signed in is sent to log in;
every POST carries the session's CSRF token (checked by deps.current_actor). Changes go through the services,
which record them in the ledger. A refused change (the last active admin, a short password, a name taken)
comes back on the same page with the reason and what was typed, and leaves nothing behind (a savepoint).

A new token is shown once, in the answer to the POST that made it (never in a URL, a redirect or the session,
which is signed but not encrypted); only its SHA-256 is stored, and the page is not cached.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from exportctl.http.deps import Database, role
from exportctl.http.errors import status_of
from exportctl.http.web.templating import flash, render
from exportctl.services import accounts, auth
from exportctl.services.actors import Actor, Role
from exportctl.services.errors import RecordError

router = APIRouter()
Admin = Annotated[Actor, Depends(role(Role.ADMIN))]

Name = Annotated[str, Form(max_length=100)]
Password = Annotated[str, Form(max_length=500)]
Label = Annotated[str, Form(max_length=100)]
ROLES = tuple(Role)


def _users_page(
    request: Request,
    db: Session,
    actor: Actor,
    status_code: int = 200,
    error: str | None = None,
    typed: dict[str, Any] | None = None,
    new_token: dict[str, str] | None = None,
) -> Response:
    response = render(
        request,
        "admin_users.html",
        actor,
        status_code=status_code,
        accounts=accounts.accounts(db),
        tokens=accounts.all_tokens(db, actor),
        roles=ROLES,
        error=error,
        typed=typed or {},
        new_token=new_token,
        min_password=auth.MIN_PASSWORD,
    )
    response.headers["Cache-Control"] = "no-store"  # a token shown once must not be kept by a cache either
    return response


def _refused(request: Request, db: Session, actor: Actor, exc: RecordError, typed: dict[str, Any]) -> Response:
    return _users_page(request, db, actor, status_of(exc)[0], str(exc), typed)


@router.get("/admin/users")
def users_page(request: Request, db: Database, actor: Admin) -> Response:
    return _users_page(request, db, actor)


@router.post("/admin/users")
def add_user(
    request: Request,
    db: Database,
    actor: Admin,
    name: Name = "",
    role: Annotated[str, Form()] = "",
    password: Password = "",
) -> Response:
    try:
        with db.begin_nested():
            accounts.add_account(db, actor, name, role, password)
    except RecordError as exc:  # the password is not echoed back: it is typed again
        return _refused(request, db, actor, exc, {"form": "add", "name": name, "role": role})
    flash(request, "admin.user_added", name=name)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/role")
def change_role(request: Request, db: Database, actor: Admin, name: Name, role: Annotated[str, Form()]) -> Response:
    try:
        with db.begin_nested():
            auth.set_role(db, actor, name, role)
    except RecordError as exc:
        return _refused(request, db, actor, exc, {"form": "role", "name": name, "role": role})
    flash(request, "admin.role_changed", name=name, role=role)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/active")
def set_active(request: Request, db: Database, actor: Admin, name: Name, active: Annotated[bool, Form()]) -> Response:
    try:
        with db.begin_nested():
            auth.set_active(db, actor, name, active)
    except RecordError as exc:
        return _refused(request, db, actor, exc, {"form": "active", "name": name})
    flash(request, "admin.activated" if active else "admin.deactivated", name=name)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/password")
def reset_password(request: Request, db: Database, actor: Admin, name: Name, password: Password = "") -> Response:
    try:
        with db.begin_nested():
            auth.set_password(db, actor, name, password)
    except RecordError as exc:
        return _refused(request, db, actor, exc, {"form": "password", "name": name})
    flash(request, "admin.password_set", name=name)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/token")
def issue_token(request: Request, db: Database, actor: Admin, name: Name, label: Label = "api") -> Response:
    label = label.strip() or "api"
    try:
        with db.begin_nested():
            token = auth.create_token(db, actor, name, label)
    except RecordError as exc:
        return _refused(request, db, actor, exc, {"form": "token", "name": name, "label": label})
    # Rendered, not redirected: this answer is the only place the token ever appears.
    return _users_page(request, db, actor, new_token={"user": name, "label": label, "token": token})


@router.post("/admin/tokens/revoke")
def revoke_token(request: Request, db: Database, actor: Admin, token_id: Annotated[int, Form(ge=1)]) -> Response:
    try:
        with db.begin_nested():
            owner = auth.revoke_token(db, actor, token_id)
    except RecordError as exc:
        return _refused(request, db, actor, exc, {"form": "revoke"})
    flash(request, "admin.token_revoked", id=token_id, name=owner)
    return RedirectResponse("/admin/users", status_code=303)


# --- settings -------------------------------------------------------------------------------------------------


def _settings_page(
    request: Request,
    actor: Actor,
    settings: accounts.ReleaseSettings,
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    return render(
        request,
        "admin_settings.html",
        actor,
        status_code=status_code,
        settings=settings,
        reasons=accounts.RELEASABLE,
        error=error,
    )


@router.get("/admin/settings")
def settings_page(request: Request, db: Database, actor: Admin) -> Response:
    return _settings_page(request, actor, accounts.release_settings(db))


@router.post("/admin/settings")
def save_settings(
    request: Request,
    db: Database,
    actor: Admin,
    four_eyes: Annotated[list[str] | None, Form(max_length=10)] = None,
    overridable: Annotated[list[str] | None, Form(max_length=10)] = None,
) -> Response:
    try:
        with db.begin_nested():
            changed = accounts.save_release_settings(db, actor, four_eyes or [], overridable or [])
    except RecordError as exc:  # the boxes come back as they were ticked
        typed = accounts.ReleaseSettings(frozenset(four_eyes or []), frozenset(overridable or []))
        return _settings_page(request, actor, typed, status_of(exc)[0], str(exc))
    flash(request, "admin.settings_saved" if changed else "admin.settings_unchanged")
    return RedirectResponse("/admin/settings", status_code=303)
