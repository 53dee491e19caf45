"""What the server learns from the connection and tells the browser: the client's address, whether the
request came over HTTPS, and the security headers on every response.

`X-Forwarded-For` and `X-Forwarded-Proto` are believed only from a proxy named in EXPORTCTL_TRUSTED_PROXIES
(addresses or networks, comma-separated); from anyone else they are the client's own words, and a client
that could choose its address would choose a fresh one for every guessed password.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import os
import re
from functools import cache
from pathlib import Path

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TRUSTED_PROXIES_ENV = "EXPORTCTL_TRUSTED_PROXIES"
SECURE_COOKIES_ENV = "EXPORTCTL_SECURE_COOKIES"  # "1": served over HTTPS whatever the request says
ADDRESS_MAX = 64  # an address as the limiter keys it; a longer "address" is a forged header, cut short

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(setting: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip())


def _trusted(address: str) -> bool:
    networks = _networks(os.environ.get(TRUSTED_PROXIES_ENV, ""))
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(connection: HTTPConnection) -> str:
    """The address a login attempt is counted against: the peer, or behind trusted proxies the last address
    in X-Forwarded-For that is not one of them (the nearest hop the proxies vouch for)."""
    peer = connection.client.host if connection.client else ""
    if not _trusted(peer):
        return peer[:ADDRESS_MAX]
    hops = [hop.strip() for hop in connection.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    while hops and _trusted(hops[-1]):
        hops.pop()
    return (hops[-1] if hops else peer)[:ADDRESS_MAX]


def over_https(connection: HTTPConnection) -> bool:
    if os.environ.get(SECURE_COOKIES_ENV, "").strip().lower() in {"1", "true", "yes"}:
        return True
    if connection.url.scheme in {"https", "wss"}:
        return True
    peer = connection.client.host if connection.client else ""
    return _trusted(peer) and connection.headers.get("x-forwarded-proto", "").strip().lower() == "https"


# --- Content-Security-Policy ----------------------------------------------------------------------------------

STATIC = Path(__file__).resolve().parent / "web" / "static"
# Inline event handlers the templates use (CSP 'unsafe-hashes' allows exactly these texts, nothing else);
# tests/http/test_identity.py fails when a template adds one that is not here.
INLINE_HANDLERS = ("window.print()", "this.form.submit()")
# The <style> the vendored htmx adds for its request indicators (htmx.config.includeIndicatorStyles).
HTMX_INDICATOR_STYLE = (
    ".htmx-indicator{opacity:0;visibility: hidden} "
    ".htmx-request .htmx-indicator, .htmx-request.htmx-indicator{opacity:1;visibility: visible;"
    "transition: opacity 200ms ease-in}"
)


def source_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def page_policy() -> str:
    """Scripts and styles from this site only (the vendored htmx); no plugins, no framing, forms post here."""
    handlers = " ".join(source_hash(handler) for handler in INLINE_HANDLERS)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'unsafe-hashes' {handlers}",
            f"style-src 'self' {source_hash(HTMX_INDICATOR_STYLE)}",
            "style-src-attr 'unsafe-inline'",  # the bar charts' widths (style="width: …%"); no <style> element
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def docs_policy(page: bytes) -> str:
    """The API docs page (behind login): the vendored Swagger UI (static files) and its one inline script."""
    inline = re.findall(rb"<script>(.*?)</script>", page, flags=re.DOTALL)
    scripts = " ".join(source_hash(script.decode()) for script in inline)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {scripts}",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeaders:
    """On every response: a CSP (unless the endpoint set its own), no MIME sniffing, no framing, the referrer
    only to this site; and over HTTPS every cookie is marked Secure."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.fixed = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
        ]
        self.policy = page_policy().encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = over_https(HTTPConnection(scope))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self._headers(list(message.get("headers", [])), secure)
            await send(message)

        await self.app(scope, receive, with_headers)

    def _headers(self, headers: list[tuple[bytes, bytes]], secure: bool) -> list[tuple[bytes, bytes]]:
        names = {name.lower() for name, _value in headers}
        if secure:
            headers = [_secure_cookie(name, value) for name, value in headers]
        headers += [(name, value) for name, value in self.fixed if name not in names]
        if b"content-security-policy" not in names:
            headers.append((b"content-security-policy", self.policy))
        return headers


def _secure_cookie(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    if name.lower() != b"set-cookie" or re.search(rb";\s*secure\b", value, flags=re.IGNORECASE):
        return name, value
    return name, value + b"; Secure"
