"""Request bodies refused before any endpoint reads them: over MAX_BODY (413), and to the API anything not
declared as JSON (415). A licence's attachments are the exception: uploaded as multipart/form-data to UPLOADS, with
a limit of their own (a file of services.licence_files.MAX_BYTES and the form around it)."""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exportctl.http.errors import problem
from exportctl.services.licence_files import MAX_BYTES as MAX_FILE

MAX_BODY = 1 << 20  # 1 MiB: orders and checks are small; an import goes through the CLI
TOO_LARGE = f"request body over {MAX_BODY} bytes"
JSON_TYPES = ("application/json", "application/problem+json")
BODY_METHODS = {"POST", "PUT", "PATCH"}
UPLOADS = re.compile(r"^(?:/api/v1)?/licences/[^/]+/attachments$")  # web and API: POST a file
MAX_UPLOAD_BODY = MAX_FILE + (64 << 10)  # the file, its part's headers, the boundaries and a CSRF field


def limit_of(scope: Scope) -> int:
    """The largest body a request to this path may send."""
    return MAX_UPLOAD_BODY if UPLOADS.match(scope.get("path", "")) else MAX_BODY


def _is_page_upload(scope: Scope) -> bool:
    """An upload from a page (not the API): refused with an error page, not a problem document."""
    path = scope.get("path", "")
    return not path.startswith("/api/") and bool(UPLOADS.match(path))


def _is_upload(scope: Scope, content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "multipart/form-data" and bool(UPLOADS.match(scope["path"]))


class BodyLimit:
    """Refuse request bodies over their limit (`limit_of`) with 413, whether or not Content-Length is sent: a body
    sent without one is cut off as soon as it passes the limit, never read to its end."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_of(scope)
        too_large = TOO_LARGE if limit == MAX_BODY else f"request body over {limit} bytes"
        length = dict(scope.get("headers") or []).get(b"content-length")
        announced = length is not None and length.isdigit() and int(length) > limit
        if announced and not _is_page_upload(scope):
            await problem(413, "Request too large", too_large)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            if announced:  # a page's upload: refused at its first read, so the page answers (in its language)
                raise HTTPException(413, too_large)
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, too_large)
            return message

        await self.app(scope, limited, send)


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
            content_type = headers.get("content-type", "")
            if has_body and not _is_json(content_type) and not _is_upload(scope, content_type):
                sent = headers.get("content-type") or "none"
                detail = f"send the body as application/json (Content-Type was {sent[:80]})"
                await problem(415, "Unsupported media type", detail)(scope, receive, send)
                return
        await self.app(scope, receive, send)
