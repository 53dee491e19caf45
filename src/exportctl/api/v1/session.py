"""Logging in for the web application (session cookie) and who am I."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from exportctl.api.deps import Database, Viewer, csrf_token
from exportctl.services import auth

router = APIRouter(tags=["session"])


class Credentials(BaseModel):
    name: str
    password: str


@router.post("/session", summary="Log in: sets the session cookie and returns the CSRF token")
def log_in(body: Credentials, request: Request, db: Database) -> dict[str, Any]:
    client = request.client.host if request.client else ""
    actor = auth.login(db, body.name, body.password, client)
    request.session.clear()
    request.session["user"] = {"name": actor.name, "role": actor.role}
    return {"user": actor.name, "role": actor.role, "csrf_token": csrf_token(request)}


@router.get("/me")
def me(actor: Viewer) -> dict[str, Any]:
    return {"user": actor.name, "role": actor.role}
