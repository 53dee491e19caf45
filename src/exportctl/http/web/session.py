"""Logging in and out of the web application, and the language and regime switches."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from exportctl.http.deps import Database, Viewer, csrf_token
from exportctl.http.edge import client_address
from exportctl.http.web import regime_choice
from exportctl.http.web.i18n import COOKIE, LANGUAGES
from exportctl.http.web.templating import flash, render
from exportctl.services import auth

router = APIRouter()


def local(target: str | None) -> str:
    """Only a path on this site: never redirect elsewhere after a login or a switch."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=local(next), error=None, name="")


@router.post("/login")
def log_in(
    request: Request,
    db: Database,
    name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=500)] = "",
    csrf_token_field: Annotated[str, Form(alias="csrf_token")] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    if not csrf_token_field or not secrets.compare_digest(csrf_token_field, csrf_token(request)):
        return render(request, "login.html", status_code=403, next=local(next), error=("login.csrf", {}), name=name)
    try:
        actor = auth.login(db, name, password, client_address(request))
    except auth.TooManyAttempts as exc:
        error = ("login.throttled", {"seconds": exc.retry_after})
        response = render(request, "login.html", status_code=429, next=local(next), error=error, name=name)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except auth.LoginRefused:
        return render(request, "login.html", status_code=401, next=local(next), error=("login.refused", {}), name=name)
    request.session.clear()  # a new session (and CSRF token) on every login
    request.session["user"] = auth.session_user(db, actor)
    return RedirectResponse(local(next), status_code=303)


@router.post("/logout")
def log_out(request: Request, actor: Viewer, db: Database) -> Response:
    auth.log_out(db, actor)  # every session of the user ends, not only this cookie (a copy may be saved)
    request.session.clear()
    flash(request, "login.logged_out")
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}")
def switch_language(code: str, next: str = "/") -> Response:
    response = RedirectResponse(local(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


@router.get("/regime/choose")
def choose_regime(regime: str, next: str = "/") -> Response:
    """Remember the regime picked in the header (an installed one, else 422) and go back to the page. The page's
    own `regime` parameter is dropped from it: it would outrank the choice just made."""
    chosen = regime_choice.installed(regime)
    target = urlsplit(local(next))
    query = urlencode([(k, v) for k, v in parse_qsl(target.query, keep_blank_values=True) if k != regime_choice.PARAM])
    response = RedirectResponse(local(target.path + (f"?{query}" if query else "")), status_code=303)
    response.set_cookie(
        regime_choice.COOKIE, chosen, max_age=regime_choice.COOKIE_SECONDS, samesite="lax", httponly=True
    )
    return response
