"""Which regime a page shows: the user's choice among the installed packs.

The `regime` query parameter when given, else the `exportctl_regime` cookie (set by the picker in the page
header, GET /regime/choose), else the default regime (settings.DEFAULT_REGIME). A value is an id of
`regime/files.builtin_packs()` or it is refused (422) naming it, cut short: it is never read as a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Cookie, Depends, HTTPException, Query
from starlette.requests import Request

from exportctl.http.web.i18n import Translator
from exportctl.regime.files import builtin_packs, not_installed
from exportctl.services import regimes
from exportctl.settings import DEFAULT_REGIME

PARAM = "regime"
COOKIE = "exportctl_regime"
COOKIE_SECONDS = 365 * 24 * 3600


def refusal(value: str) -> str:
    """Why `value` is not a regime: it is named, cut short, with the installed ones."""
    return f"regime: {not_installed(value)}"


def installed(value: str) -> str:
    """`value` if it is an installed regime's id, else a 422."""
    if value not in builtin_packs():
        raise HTTPException(422, refusal(value))
    return value


def _asked(query: str | None, cookie: str | None) -> str:
    return query or cookie or DEFAULT_REGIME


def chosen_regime(
    regime: Annotated[str | None, Query()] = None,
    cookie: Annotated[str | None, Cookie(alias=COOKIE)] = None,
) -> str:
    return installed(_asked(regime, cookie))


ChosenRegime = Annotated[str, Depends(chosen_regime)]


@dataclass(frozen=True)
class Picker:
    """The header's regime picker: the installed regimes by title, and the one the request chose (None when it
    chose none that is installed: the page then answers 422)."""

    current: str | None
    choices: list[tuple[str, str]]  # (id, title in the page's language)


def picker(request: Request, t: Translator) -> Picker:
    asked = _asked(request.query_params.get(PARAM), request.cookies.get(COOKIE))
    ids = builtin_packs()
    return Picker(asked if asked in ids else None, [(i, t.text(regimes.regime(i).pack.meta.title)) for i in ids])
