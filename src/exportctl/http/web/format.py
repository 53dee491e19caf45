"""Numbers for people: yen, quantities, utilisation shares."""

from __future__ import annotations


def yen(value: int | float | None) -> str:
    return "—" if value is None else f"¥{value:,.0f}"


def number(value: int | float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def share(used: float | None, limit: float | None) -> float | None:
    """Used as a share of the limit (0–1, capped), or None without a limit."""
    if not limit:
        return None
    return max(0.0, min(1.0, (used or 0) / limit))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"
