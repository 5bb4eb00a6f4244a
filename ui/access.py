"""Who is looking and what they may do. (The upload issue replaces this with real accounts.)"""

from __future__ import annotations

ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")


def current_role() -> str | None:
    """The signed-in user's role; anonymous visitors are viewers while viewing is open."""
    return "viewer"


def allowed(role: str | None, needed: str) -> bool:
    return role is not None and ROLES.index(role) >= ROLES.index(needed)
