"""The three roles, in order of what they may do. The one home of this rule."""

from __future__ import annotations

ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")


def allowed(role: str | None, needed: str) -> bool:
    """True when ``role`` may do what ``needed`` may (viewer < analyst < admin)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)
