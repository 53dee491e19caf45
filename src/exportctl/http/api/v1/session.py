"""Logging in for the web application (session cookie) and who am I."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse

from exportctl.http.api.v1 import schemas
from exportctl.http.deps import Database, Viewer, csrf_token, current_actor
from exportctl.http.edge import client_address, docs_policy
from exportctl.services import auth

router = APIRouter(tags=["session"])


class Credentials(BaseModel):
    name: str = Field(max_length=100)  # as the users table; longer is never a user
    password: str = Field(max_length=500)


@router.post(
    "/session", response_model=schemas.LoggedIn, summary="Log in: sets the session cookie and returns the CSRF token"
)
def log_in(body: Credentials, request: Request, db: Database) -> dict[str, Any]:
    actor = auth.login(db, body.name, body.password, client_address(request))
    request.session.clear()
    request.session["user"] = auth.session_user(db, actor)
    return {"user": actor.name, "role": actor.role, "csrf_token": csrf_token(request)}


@router.delete("/session", status_code=204, summary="Log out: ends every session of the user (tokens stay)")
def log_out(request: Request, actor: Viewer, db: Database) -> Response:
    auth.log_out(db, actor)
    request.session.clear()
    return Response(status_code=204)


@router.get("/me", response_model=schemas.Me)
def me(actor: Viewer) -> dict[str, Any]:
    return {"user": actor.name, "role": actor.role}


@router.get("/docs", include_in_schema=False)
async def docs(request: Request) -> Response:
    """The interactive API docs, for a logged-in user (or a token). Swagger UI is vendored in the static files
    (no CDN: the page works offline), and its page gets a CSP naming this site and its one inline script."""
    try:
        await current_actor(request)
    except HTTPException:
        if "text/html" not in request.headers.get("accept", ""):
            raise  # a program gets the API's 401
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    page = get_swagger_ui_html(
        openapi_url=str(request.app.openapi_url),
        title="exportctl API",
        swagger_js_url="/static/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )
    page.headers["Content-Security-Policy"] = docs_policy(bytes(page.body))
    return page
