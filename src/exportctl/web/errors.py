"""Errors on web pages: a login redirect for 401, a readable page for the rest (the API keeps problem+json).

Each handler the API installed is wrapped: requests under /api/ still get the API's answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from exportctl.determine.engine import InvalidTransaction
from exportctl.regime import OutsideCoverage, PackError
from exportctl.services.records import Actor, PermissionDenied, RecordError
from exportctl.web.templating import flash, render

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]
WRAPPED: tuple[type[Exception], ...] = (
    HTTPException,
    RequestValidationError,
    RecordError,
    PermissionDenied,
    InvalidTransaction,
    OutsideCoverage,
    PackError,
)


def is_web(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def session_actor(request: Request) -> Actor | None:
    user = request.session.get("user")
    return Actor(str(user["name"]), str(user["role"])) if user else None


def login_redirect(request: Request) -> Response:
    target = "/login?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _status(exc: Exception) -> int:
    if isinstance(exc, HTTPException):
        return exc.status_code
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, RecordError):
        text = str(exc)
        return 404 if "does not exist" in text else 409 if "exists" in text else 422
    if isinstance(exc, PackError):
        return 404
    return 422


def _message(exc: Exception) -> str:
    if isinstance(exc, RequestValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    if isinstance(exc, HTTPException):
        return str(exc.detail)
    return str(exc)


def _same_site_referer(request: Request) -> str | None:
    referer = request.headers.get("referer")
    if not referer:
        return None
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.url.netloc:
        return None
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def web_error(request: Request, exc: Exception) -> Response:
    status = _status(exc)
    if status == 401:
        return login_redirect(request)
    back = _same_site_referer(request)
    if request.method == "POST" and back and status in (404, 409, 422) and not request.headers.get("hx-request"):
        # A refused form: back to the page it came from, with the reason on top.
        flash(request, "error.title", "error", detail=_message(exc))
        return RedirectResponse(back, status_code=303)
    return render(
        request,
        "error.html",
        session_actor(request),
        status_code=status,
        status=status,
        message=_message(exc),
        back=back,
    )


def install(app: FastAPI) -> None:
    for kind in WRAPPED:
        api_handler = app.exception_handlers.get(kind)
        app.add_exception_handler(kind, _wrap(api_handler))


def _wrap(api_handler: Handler | None) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if is_web(request) or api_handler is None:
            return web_error(request, exc)
        result = api_handler(request, exc)
        return await result if isinstance(result, Awaitable) else result

    return handle
