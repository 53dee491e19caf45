"""The language of an API answer: `Accept-Language` (with q-values) picks English or Japanese for the
human-readable texts only; keys, codes and enum values never change. Unknown or absent: English.

Texts are translated by what they are, never by pattern-matching English: a reason by the Japanese text the engine
wrote with it (`text_ja`), else (a determination stored before the engine wrote Japanese) by its rule code (a fixed
sentence in the UI catalogue) or, when its text is one of the pack's bilingual facts, by that fact's Japanese
text; a problem's title by its status title. A text with no Japanese counterpart stays English. The missing facts
keep their names (`missing`, a contract) and are labelled in the language asked for (`missing_labels`).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exportctl.http.web.fact_labels import fact_label
from exportctl.http.web.i18n import LANGUAGES, MESSAGES
from exportctl.regime import PackError
from exportctl.regime import schema as s
from exportctl.regime.sections import SECTIONS
from exportctl.services import regimes

DEFAULT = "en"
MAX_RANGES = 20  # a header of thousands of ranges is read no further than this


def negotiate(header: str | None) -> str:
    """The best of en/ja by RFC 9110 q-values (ties: the earlier range); `*` means English; q=0 refuses."""
    best, best_q = DEFAULT, 0.0
    for part in (header or "").split(",")[:MAX_RANGES]:
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower().split("-")[0]
        if code == "*":
            code = DEFAULT
        if code not in LANGUAGES:
            continue
        q = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value)
            except ValueError:
                continue  # a malformed weight: the range is ignored, not trusted as q=1
        if not 0 < q <= 1:
            continue
        if q > best_q:
            best, best_q = code, q
    return best


def of(connection: HTTPConnection) -> str:
    return negotiate(connection.headers.get("accept-language"))


def message(key: str, lang: str, **values: Any) -> str | None:
    """A catalogue text in `lang`, or None when the catalogue has no such key."""
    pair = MESSAGES.get(key)
    if pair is None:
        return None
    text = pair[1] if lang == "ja" else pair[0]
    return text.format(**values) if values else text


@lru_cache(maxsize=64)
def _pack_texts(regime_id: str, date: dt.date) -> Mapping[str, str]:
    """English → Japanese of every fact of the pack in force on `date` that has a Japanese text."""
    try:
        snapshot = regimes.regime(regime_id).at(date)
    except (PackError, ValueError, KeyError):
        return {}  # a regime no longer installed, or a date outside it: its texts stay English
    texts: dict[str, str] = {}
    for section in SECTIONS:
        for active in snapshot.active(section):
            _collect(active.record, texts)
    texts.update((fact.title.en, fact.title.ja) for fact in snapshot.facts.values())
    return texts


def _collect(value: Any, texts: dict[str, str], depth: int = 0) -> None:
    """Every bilingual text (`s.Text`) in a pack record, its fields and lists walked (a few levels deep)."""
    if isinstance(value, s.Text):
        texts[value.en] = value.ja
    elif depth < 4 and isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _collect(getattr(value, name), texts, depth + 1)
    elif depth < 4 and isinstance(value, (list, tuple)):
        for item in value:
            _collect(item, texts, depth + 1)


def reason_text(reason: Mapping[str, Any], lang: str, pack: Mapping[str, str]) -> str:
    text = str(reason.get("text", ""))
    if lang == "en":
        return text
    japanese = reason.get("text_ja")
    if isinstance(japanese, str) and japanese:
        return japanese
    fixed = message(f"reason.{reason.get('rule')}", lang)
    if fixed is not None:
        return fixed
    return pack.get(text, text)


def _localise_reasons(holder: dict[str, Any], lang: str, pack: Mapping[str, str]) -> None:
    for reason in holder.get("reasons", ()):
        if isinstance(reason, dict):
            reason["text"] = reason_text(reason, lang, pack)


def missing_labels(encoded: Mapping[str, Any], lang: str) -> dict[str, str]:
    """Each missing fact's label in `lang`, by name (a name without a label of its own is its label)."""
    regime_id = encoded.get("regime")
    return {str(name): fact_label(str(name), lang, regime_id) for name in encoded.get("missing", ())}


def localise_determination(encoded: dict[str, Any], lang: str) -> dict[str, Any]:
    """An encoded determination (determination_json.encode) with its reason texts in `lang` and, when it names
    missing facts, their labels (`missing_labels`, in either language: the keys do not depend on it), in place."""
    if encoded.get("missing"):
        encoded["missing_labels"] = missing_labels(encoded, lang)
    if lang == "en":
        return encoded
    try:
        pack = _pack_texts(str(encoded["regime"]), dt.date.fromisoformat(str(encoded["date"])))
    except (KeyError, ValueError):
        pack = {}
    _localise_reasons(encoded, lang, pack)
    for line in encoded.get("lines", ()):
        if isinstance(line, dict):
            _localise_reasons(line, lang, pack)
    return encoded


def localise_order(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """An order's answer (records_json.order_dict) with its reason texts, and each other regime's, in `lang`."""
    if lang == "en":
        return data
    try:
        pack = _pack_texts(str(data["regime"]), dt.date.fromisoformat(str(data["ship_date"])))
    except (KeyError, ValueError):
        pack = {}
    _localise_reasons(data, lang, pack)
    for line in data.get("lines", ()):
        if isinstance(line, dict):
            _localise_reasons(line, lang, pack)
    # A copy: the other regimes' determinations are the stored order's own objects.
    others = copy.deepcopy(data.get("other_determinations") or {})
    data["other_determinations"] = {
        regime: localise_determination(other, lang) if isinstance(other, dict) else other
        for regime, other in others.items()
    }
    return data


def localise_several(encoded: dict[str, Any], lang: str) -> dict[str, Any]:
    """determination_json.encode_several's answer, each determination's reasons in `lang`."""
    for determination in encoded.get("determinations", ()):
        if isinstance(determination, dict):
            localise_determination(determination, lang)
    return encoded


def problem_title(title: str, lang: str) -> str:
    """A problem detail's title (one of http/errors.py's fixed titles) in `lang`."""
    key = "problem." + title.lower().replace(" ", "-")
    return message(key, lang) or title


class ContentLanguage:
    """Every /api/ answer says which language its texts are in (`Content-Language`), so a cache and a client
    can tell a Japanese answer from an English one (with `Vary: Accept-Language`)."""

    def __init__(self, app: ASGIApp, prefix: str = "/api/") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        lang = negotiate(Headers(scope=scope).get("accept-language")).encode()

        async def with_language(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = [(k, v) for k, v in msg.get("headers", []) if k.lower() != b"content-language"]
                msg["headers"] = [*headers, (b"content-language", lang), (b"vary", b"Accept-Language")]
            await send(msg)

        await self.app(scope, receive, with_language)
