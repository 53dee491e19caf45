"""Errors as HTTP answers, by their type and never by their message: one table of statuses for the API and the
pages. Under /api/ an error is an RFC 9457 problem detail (`application/problem+json`: type, title, status,
detail, instance, and for invalid fields which failed); a page shows the same status as HTML (web/errors.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from exportctl.determine.engine import InvalidTransaction
from exportctl.regime import OutsideCoverage, PackError
from exportctl.services.auth import LoginRefused, TooManyAttempts
from exportctl.services.errors import Busy, Conflict, NotFound, PermissionDenied, RecordError, TooLarge

PROBLEM = "application/problem+json"

# Each kind of error, its status and its problem title. The first kind the error is an instance of decides, so
# a subclass comes before its base (TooManyAttempts is a LoginRefused, every record error a RecordError).
STATUSES: tuple[tuple[type[Exception], int, str], ...] = (
    (RequestValidationError, 422, "Invalid request"),
    (TooManyAttempts, 429, "Too many attempts"),
    (LoginRefused, 401, "Not authenticated"),
    (PermissionDenied, 403, "Forbidden"),
    (NotFound, 404, "Request refused"),
    (Conflict, 409, "Request refused"),
    (Busy, 503, "Try again"),
    (TooLarge, 413, "Request too large"),  # an uploaded file over its limit (services/licence_files.py)
    (RecordError, 422, "Request refused"),  # an Invalid value, or a record whose state does not allow it
    (InvalidTransaction, 422, "Invalid request"),
    (OutsideCoverage, 422, "Invalid request"),
    (PackError, 404, "Not found"),  # no such regime
)
HTTP_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Request too large",
}
HANDLED: tuple[type[Exception], ...] = (HTTPException, *(kind for kind, _status, _title in STATUSES))
BUSY_RETRY_AFTER = 1  # seconds: a lock or serialisation failure is over by then, or the client asks again


def status_of(exc: Exception) -> tuple[int, str]:
    """The HTTP status and problem title of an error the application answers (one of HANDLED)."""
    if isinstance(exc, HTTPException):
        return exc.status_code, HTTP_TITLES.get(exc.status_code, "Error")
    return next((status, title) for kind, status, title in STATUSES if isinstance(exc, kind))


def message_of(exc: Exception) -> str:
    if isinstance(exc, RequestValidationError):
        return "; ".join(f"{e['field']}: {e['message']}" for e in field_errors(exc))
    if isinstance(exc, HTTPException):
        return str(exc.detail)
    return str(exc)


def field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    return [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]


def problem(status: int, title: str, detail: str = "", *, shown_title: str | None = None, **extra: Any) -> JSONResponse:
    """A problem detail: `type` is made of the English title (a code clients match on); `shown_title` is the
    title in the asked language, when not English."""
    body: dict[str, Any] = {"type": f"https://exportctl.org/problems/{title.lower().replace(' ', '-')}"}
    body |= {"title": shown_title or title, "status": status, "detail": detail, **extra}
    headers = {"Retry-After": str(extra["retry_after"])} if "retry_after" in extra else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def problem_for(request: Request, exc: Exception) -> JSONResponse:
    status, title = status_of(exc)
    extra: dict[str, Any] = {"instance": str(request.url.path)}
    if isinstance(exc, RequestValidationError):
        extra["errors"] = field_errors(exc)
    elif isinstance(exc, InvalidTransaction):
        extra["errors"] = [{"field": exc.field, "message": str(exc)}]
    elif isinstance(exc, TooManyAttempts):
        extra["retry_after"] = exc.retry_after
    elif isinstance(exc, Busy):
        extra["retry_after"] = BUSY_RETRY_AFTER
    # Imported here: the language module reads the web catalogue, whose package imports this module.
    from exportctl.http.api.v1 import language

    # The title in the asked language (Accept-Language); the detail stays as the service wrote it (it names fields
    # and values), and type, status and errors are codes a client matches on.
    shown = language.problem_title(title, language.of(request))
    response = problem(status, title, message_of(exc), shown_title=shown, **extra)
    if isinstance(exc, HTTPException) and status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install(app: FastAPI, page: Callable[[Request, Exception], Awaitable[Response]]) -> None:
    """Every error the application answers: a problem detail under /api/, else the page `page` makes of it."""

    async def handle(request: Request, exc: Exception) -> Response:
        return problem_for(request, exc) if is_api(request) else await page(request, exc)

    for kind in HANDLED:
        app.add_exception_handler(kind, handle)
    app.add_exception_handler(ClientDisconnect, gone)


CLIENT_CLOSED = 499  # nginx's code: nobody reads the answer, so the log need not show a server error


async def gone(request: Request, exc: Exception) -> Response:
    """The client left before its body was read (the web form's live check, superseded by a newer keystroke
    or by the submit): nothing was done, and there is nobody to answer."""
    return Response(status_code=CLIENT_CLOSED)
