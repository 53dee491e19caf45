"""Request bodies refused before any endpoint reads them: over MAX_BODY (413), and to the API anything not
declared as JSON (415)."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exportctl.http.errors import problem

MAX_BODY = 1 << 20  # 1 MiB: orders and checks are small; an import goes through the CLI
TOO_LARGE = f"request body over {MAX_BODY} bytes"
JSON_TYPES = ("application/json", "application/problem+json")
BODY_METHODS = {"POST", "PUT", "PATCH"}


class BodyLimit:
    """Refuse request bodies over MAX_BODY with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY:
            await problem(413, "Request too large", TOO_LARGE)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise HTTPException(413, TOO_LARGE)
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
            if has_body and not _is_json(headers.get("content-type", "")):
                sent = headers.get("content-type") or "none"
                detail = f"send the body as application/json (Content-Type was {sent[:80]})"
                await problem(415, "Unsupported media type", detail)(scope, receive, send)
                return
        await self.app(scope, receive, send)
