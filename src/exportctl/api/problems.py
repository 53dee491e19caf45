"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status, detail, and for
validation errors the fields that failed."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from exportctl.determine.engine import InvalidTransaction
from exportctl.regime import OutsideCoverage, PackError
from exportctl.services.auth import LoginRefused, TooManyAttempts
from exportctl.services.records import Busy, Conflict, Invalid, PermissionDenied, RecordError

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str = "", **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": f"https://exportctl.org/problems/{title.lower().replace(' ', '-')}"}
    body |= {"title": title, "status": status, "detail": detail, **extra}
    headers = {"Retry-After": str(extra["retry_after"])} if "retry_after" in extra else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def record_status(exc: RecordError) -> int:
    if isinstance(exc, Invalid):
        return 422
    if isinstance(exc, Conflict):
        return 409
    text = str(exc)
    return 404 if "does not exist" in text else 409 if "exists" in text else 422


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, "Invalid request", detail, errors=errors, instance=str(request.url.path))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        titles = {
            401: "Not authenticated",
            403: "Forbidden",
            404: "Not found",
            400: "Bad request",
            405: "Method not allowed",
            413: "Request too large",
        }
        response = problem(
            exc.status_code, titles.get(exc.status_code, "Error"), str(exc.detail), instance=str(request.url.path)
        )
        if exc.status_code == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(TooManyAttempts)
    async def _throttled(request: Request, exc: TooManyAttempts) -> JSONResponse:
        return problem(429, "Too many attempts", str(exc), retry_after=exc.retry_after)

    @app.exception_handler(LoginRefused)
    async def _refused(request: Request, exc: LoginRefused) -> JSONResponse:
        return problem(401, "Not authenticated", str(exc))

    @app.exception_handler(PermissionDenied)
    async def _forbidden(request: Request, exc: PermissionDenied) -> JSONResponse:
        return problem(403, "Forbidden", str(exc), instance=str(request.url.path))

    @app.exception_handler(RecordError)
    async def _refused_record(request: Request, exc: RecordError) -> JSONResponse:
        return problem(record_status(exc), "Request refused", str(exc), instance=str(request.url.path))

    @app.exception_handler(Busy)
    async def _busy(request: Request, exc: Busy) -> JSONResponse:
        return problem(503, "Try again", str(exc), instance=str(request.url.path), retry_after=1)

    @app.exception_handler(InvalidTransaction)
    async def _invalid_transaction(request: Request, exc: InvalidTransaction) -> JSONResponse:
        return problem(422, "Invalid request", str(exc), errors=[{"field": exc.field, "message": str(exc)}])

    @app.exception_handler(OutsideCoverage)
    async def _coverage(request: Request, exc: OutsideCoverage) -> JSONResponse:
        return problem(422, "Invalid request", str(exc))

    @app.exception_handler(PackError)
    async def _pack(request: Request, exc: PackError) -> JSONResponse:
        return problem(404, "Not found", str(exc))


JSON_TYPES = ("application/json", "application/problem+json")
BODY_METHODS = {"POST", "PUT", "PATCH"}


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in JSON_TYPES or (media.startswith("application/") and media.endswith("+json"))


class JsonOnly:
    """415 for a request body to the JSON API that is not declared as JSON: FastAPI would otherwise try to
    read a form or plain text as the model and answer with a confusing 422 (or accept it)."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in BODY_METHODS and scope["path"].startswith(self.prefix):
            headers = Headers(scope=scope)
            has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
            if has_body and not _is_json(headers.get("content-type", "")):
                sent = headers.get("content-type") or "none"
                detail = f"send the body as application/json (Content-Type was {sent[:80]})"
                await problem(415, "Unsupported media type", detail)(scope, receive, send)
                return
        await self.app(scope, receive, send)
