"""Rendering pages: the Jinja2 environment, and the context every page gets (user, language, CSRF token)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from exportctl.http.deps import csrf_token
from exportctl.http.web import format as fmt
from exportctl.http.web.fact_labels import fact_label
from exportctl.http.web.i18n import Translator, translator
from exportctl.http.web.regime_choice import picker
from exportctl.regime.files import builtin_packs
from exportctl.services import regimes
from exportctl.services.actors import Actor, Role
from exportctl.services.orders import base_reason

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.filters.update(yen=fmt.yen, number=fmt.number, percent=fmt.percent, base_reason=base_reason)


def licence_title(t: Translator, kind: str, regime_id: object) -> str:
    """A licence type's name in the page's language, looked up in the regime of the licence, order or page that
    names it (the key when that regime is not installed or does not know the type)."""
    if not isinstance(regime_id, str) or regime_id not in builtin_packs():
        return kind
    found = regimes.regime(regime_id).pack.licences.types.get(kind)
    return t.text(found.title) if found else kind


TEMPLATES.env.globals.update(share=fmt.share, licence_title=licence_title)
TEMPLATES.env.globals.update(fact_label=fact_label)  # a missing fact's label in the page's language


def flash(request: Request, key: str, kind: str = "ok", detail: str = "", **values: Any) -> None:
    """A message for the next page (after a redirect): an i18n key, its values, and a detail as it is."""
    request.session["flash"] = {
        "key": key,
        "kind": kind,
        "detail": detail,
        "values": {name: str(value) for name, value in values.items()},
    }


def render(
    request: Request, template: str, actor: Actor | None = None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    t = translator(request)
    message = request.session.pop("flash", None)
    context |= {
        "t": t,
        "lang": t.lang,
        "user": actor,
        "can_write": actor is not None and actor.role.at_least(Role.CLERK),
        "can_decide": actor is not None and actor.role.at_least(Role.OFFICER),
        "csrf": csrf_token(request),
        "regime_picker": picker(request, t) if actor is not None else None,  # in the header of a signed-in page
        "flash": message,
        "path": request.url.path,
        "query": str(request.url.query),
    }
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)
