"""Every web and API test starts with a fresh login rate limiter, so one test's failed logins never lock out the
next test's users."""

from __future__ import annotations

import pytest

from exportctl.services import auth


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "LIMITER", auth.RateLimiter())
