"""Errors on web pages: a login redirect for 401, a readable page for the rest, with the status the one table in
http/errors.py gives (which installs this for every path outside /api/)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from exportctl.http.deps import signed_in
from exportctl.http.errors import message_of, status_of
from exportctl.http.web.templating import flash, render


def login_redirect(request: Request) -> Response:
    target = "/login?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _same_site_referer(request: Request) -> str | None:
    referer = request.headers.get("referer")
    if not referer:
        return None
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.url.netloc:
        return None
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


# The sentence a page shows for each status, in the page's language: the kind of refusal (http/errors.py's one
# table), never a translation of the service's English message, which is shown below it as the details.
SUMMARIES = {
    400: "error.bad_request",
    403: "error.forbidden",
    404: "error.not_found",
    409: "error.conflict",
    413: "error.too_large",
    422: "error.invalid",
    503: "error.busy",
}


async def web_error(request: Request, exc: Exception) -> Response:
    status, _title = status_of(exc)
    if status == 401:
        return login_redirect(request)
    back = _same_site_referer(request)
    if request.method == "POST" and back and status in (404, 409, 422) and not request.headers.get("hx-request"):
        # A refused form: back to the page it came from, with the reason on top.
        flash(request, "error.title", "error", detail=message_of(exc))
        return RedirectResponse(back, status_code=303)
    return render(
        request,
        "error.html",
        await signed_in(request),
        status_code=status,
        status=status,
        summary=SUMMARIES.get(status),
        message=message_of(exc),
        back=back,
    )
