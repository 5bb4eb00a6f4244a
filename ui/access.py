"""Who is looking and what they may do: sign-in, the signed-in account's role, the login gate.

Roles (auth/roles.py): viewer < analyst (may upload) < admin (may roll back, manage accounts).
Anonymous visitors are viewers, unless viewing requires login: set ``ISO18091_REQUIRE_LOGIN=1``
or, in .streamlit/secrets.toml, ``[auth]`` ``require_login = true``. Then ``current_role()``
shows only the sign-in form until someone signs in.

A sign-in lasts for the browser tab's Streamlit session (a reload asks again). The session keeps
only the username; the role is read from the database on every run, so a role change, a
disabled account or a deleted one takes effect at once.
"""

from __future__ import annotations

import math

import streamlit as st

from auth import accounts
from auth.config import require_login_env, truthy
from auth.roles import ROLES, allowed
from core.config import db_path
from i18n import N_, t

__all__ = ["ROLES", "allowed", "current_role", "current_user", "require", "sign_in_form", "sign_out"]

SESSION_KEY = "auth_username"
ROLE_LABELS = {"viewer": N_("Viewer"), "analyst": N_("Analyst"), "admin": N_("Admin")}


def role_label(role: str | None) -> str:
    return t(ROLE_LABELS[role]) if role in ROLE_LABELS else "–"


def login_required() -> bool:
    """Viewing requires a signed-in account ($ISO18091_REQUIRE_LOGIN, or secrets [auth] require_login)."""
    if require_login_env():
        return True
    try:
        section = st.secrets.get("auth") if "auth" in st.secrets else None
    except Exception:  # no secrets file: Streamlit raises its own not-found error
        return False
    return bool(section) and truthy(section.get("require_login", False))


def current_user() -> accounts.User | None:
    """The signed-in account, fresh from the database; None when anonymous or no longer valid."""
    name = st.session_state.get(SESSION_KEY)
    if not name:
        return None
    user = accounts.get_user(name, db_path())
    if user is None or user.disabled:
        st.session_state.pop(SESSION_KEY, None)
        return None
    return user


def current_role() -> str | None:
    """The signed-in account's role; anonymous visitors are viewers while viewing is open.

    When viewing requires login and nobody is signed in, this shows the sign-in page and stops
    the script run (it does not return).
    """
    user = current_user()
    if user is not None:
        return user.role
    if login_required():
        # The sign-in form answers at every address of the app, so a shared link shows it (and
        # not a 'page not found' box) until the visitor signs in.
        from ui.nav import PAGES

        gate = [st.Page(_gate_page, title=t("Sign in"), url_path="login", icon="🔑", default=True)]
        gate += [st.Page(_gate_page, title=t("Sign in"), url_path=path) for path, *_ in PAGES]
        st.navigation(gate, position="hidden").run()
        st.stop()
    return "viewer"


def require(needed: str) -> accounts.User | None:
    """Stop the page unless the visitor's role reaches ``needed``; returns the signed-in account."""
    user = current_user()
    role = user.role if user else ("viewer" if not login_required() else None)
    if not allowed(role, needed):
        st.warning(
            t(
                "This page is for the {role} role and above. Sign in on the Account page.",
                role=role_label(needed),
            )
        )
        st.stop()
    return user


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)


def sign_in_form(key: str = "sign_in") -> None:
    """Username and password; on success the session is signed in and the app reruns."""
    with st.form(key, clear_on_submit=True):
        username = st.text_input(t("Username"), key=f"{key}_username", autocomplete="username")
        password = st.text_input(
            t("Password"), type="password", key=f"{key}_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("Sign in"), type="primary")
    if not submitted:
        return
    result = accounts.authenticate(username or "", password or "", db_path())
    if result.ok and result.user is not None:
        st.session_state[SESSION_KEY] = result.user.username
        st.rerun()
    elif result.status == "locked" and result.locked_until is not None:
        minutes = max(1, math.ceil((result.locked_until - accounts.utcnow()).total_seconds() / 60))
        st.error(
            t("Too many failed sign-ins: this account is locked for {minutes} more minutes.", minutes=minutes)
        )
    else:
        st.error(t("Wrong username or password."))


def _gate_page() -> None:
    from ui.shell import language_switch

    language_switch()
    st.title("TCVN ISO 18091")
    st.info(t("Viewing this dashboard requires an account. Please sign in."))
    sign_in_form("gate_sign_in")
