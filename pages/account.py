"""Account: sign in and out, change one's password; admins manage accounts and roles here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from auth import accounts
from auth.passwords import PasswordPolicyError
from auth.roles import ROLES
from core.config import db_path
from i18n import t
from ui import app
from ui.access import current_user, login_required, role_label, sign_in_form, sign_out


def _refused(exc: accounts.AccountError | PasswordPolicyError) -> None:
    st.error(t(exc.msgid, **exc.kwargs))


def _when(ts: object) -> str:
    return "–" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M")


def _change_own_password(user: accounts.User, db: str) -> None:
    with st.expander(t("Change my password")), st.form("own_password", clear_on_submit=True):
        old = st.text_input(t("Current password"), type="password", autocomplete="current-password")
        new = st.text_input(t("New password"), type="password", autocomplete="new-password")
        again = st.text_input(t("New password again"), type="password", autocomplete="new-password")
        if not st.form_submit_button(t("Change password")):
            return
        if new != again:
            st.error(t("The two new passwords differ."))
            return
        if not accounts.authenticate(user.username, old, db).ok:
            st.error(t("The current password is wrong."))
            return
        try:
            accounts.set_password(user.username, new, db)
        except PasswordPolicyError as exc:
            _refused(exc)
            return
        st.success(t("Password changed."))


def _manage(me: accounts.User, db: str) -> None:
    st.header(t("Accounts"))
    if message := st.session_state.pop("account_message", None):
        st.success(message)
    users = accounts.list_users(db)
    now = accounts.utcnow()
    st.dataframe(
        pd.DataFrame(
            {
                t("Username"): [u.username for u in users],
                t("Name"): [u.display_name for u in users],
                t("Role"): [role_label(u.role) for u in users],
                t("Locked until (UTC)"): [_when(u.locked_until) if u.locked(now) else "" for u in users],
                t("Disabled"): ["✕" if u.disabled else "" for u in users],
                t("Last sign-in (UTC)"): [_when(u.last_login_at) for u in users],
            }
        ),
        hide_index=True,
        key="accounts_table",
    )
    left, right = st.columns(2)
    with left, st.form("add_account", clear_on_submit=True):
        st.subheader(t("Add an account"))
        username = st.text_input(t("Username"), autocomplete="off", key="add_username")
        name = st.text_input(t("Name"), key="add_name")
        role = st.selectbox(t("Role"), ROLES, index=1, format_func=role_label, key="add_role")
        password = st.text_input(
            t("Password"), type="password", autocomplete="new-password", key="add_password"
        )
        again = st.text_input(
            t("Password again"), type="password", autocomplete="new-password", key="add_password_again"
        )
        if st.form_submit_button(t("Add account"), type="primary", key="add_submit"):
            if password != again:
                st.error(t("The two passwords differ."))
            else:
                try:
                    made = accounts.create_user(
                        username, password, role, db, display_name=name, created_by=me.username
                    )
                    st.session_state["account_message"] = t(
                        "Account {username} created.", username=made.username
                    )
                    st.rerun()
                except (accounts.AccountError, PasswordPolicyError) as exc:
                    _refused(exc)
    with right:
        st.subheader(t("Change an account"))
        names = [u.username for u in users]
        chosen = st.selectbox(t("Account"), names, key="manage_user")
        target = next((u for u in users if u.username == chosen), None)
        if target is None:
            return
        new_role = st.selectbox(
            t("Role"), ROLES, index=ROLES.index(target.role), format_func=role_label, key="manage_role"
        )
        c1, c2, c3 = st.columns(3)
        try:
            if c1.button(t("Save role"), key="manage_save_role", disabled=new_role == target.role):
                accounts.set_role(target.username, new_role, db)
                st.rerun()
            if c2.button(t("Unlock"), key="manage_unlock", disabled=not target.locked(now)):
                accounts.unlock(target.username, db)
                st.rerun()
            label = t("Enable") if target.disabled else t("Disable")
            if c3.button(label, key="manage_disable", disabled=target.username == me.username):
                accounts.set_disabled(target.username, not target.disabled, db)
                st.rerun()
        except accounts.AccountError as exc:
            _refused(exc)
        with st.form("reset_password", clear_on_submit=True):
            password = st.text_input(t("New password"), type="password", autocomplete="new-password")
            if st.form_submit_button(t("Set a new password")):
                try:
                    accounts.set_password(target.username, password, db)
                    st.success(t("Password of {username} replaced.", username=target.username))
                except PasswordPolicyError as exc:
                    _refused(exc)


def render() -> None:
    db = str(db_path())
    user = current_user()
    st.title(t("Account"))
    if user is None:
        if not login_required():
            st.caption(
                t(
                    "Viewing needs no account. Analysts sign in to upload files; admins to roll back and manage accounts."
                )
            )
        sign_in_form()
        st.stop()

    st.write(
        t(
            "Signed in as **{name}** ({username}), role: {role}.",
            name=user.display_name,
            username=user.username,
            role=role_label(user.role),
        )
    )
    if st.button(t("Sign out"), key="sign_out"):
        sign_out()
        st.rerun()
    _change_own_password(user, db)
    if user.role == "admin":
        _manage(user, db)


if __name__ == "__main__":  # Streamlit runs a page as __main__; a worker process imports it otherwise
    app.page(render)
