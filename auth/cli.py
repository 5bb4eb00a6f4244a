"""``python -m auth``: create-admin, add-user, set-role, set-password, unlock, disable, enable, list.

Passwords are typed at a hidden prompt (twice) or read from standard input with
``--password-stdin`` (one line), for scripts; there is no default password and none on the
command line. Exit status: 0 done, 1 refused (the reason is printed), 2 usage error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from auth import accounts
from auth.passwords import PasswordPolicyError
from auth.roles import ROLES
from core.config import db_path
from core.schema import ensure_database


class RefusedError(Exception):
    pass


def _password(a: argparse.Namespace) -> str:
    if a.password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise RefusedError("no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise RefusedError("standard input is not a terminal: pass --password-stdin and pipe the password")
    first = getpass.getpass("Mật khẩu / password: ")
    second = getpass.getpass("Nhập lại / repeat: ")
    if first != second:
        raise RefusedError("the two passwords differ")
    return first


def _create(a: argparse.Namespace, role: str) -> int:
    db = ensure_database(a.db)
    name = accounts.normalise_username(a.username)
    if accounts.get_user(name, db) is not None:
        raise RefusedError(f"the account '{name}' already exists")
    user = accounts.create_user(
        name, _password(a), role, db, display_name=a.display_name, created_by="cli:" + getpass.getuser()
    )
    print(f"Đã tạo tài khoản / account created: {user.username} ({user.role}) in {db}")
    return 0


def cmd_create_admin(a: argparse.Namespace) -> int:
    return _create(a, "admin")


def cmd_add_user(a: argparse.Namespace) -> int:
    return _create(a, a.role)


def cmd_set_role(a: argparse.Namespace) -> int:
    accounts.set_role(a.username, a.role, ensure_database(a.db))
    print(f"{accounts.normalise_username(a.username)}: {a.role}")
    return 0


def cmd_set_password(a: argparse.Namespace) -> int:
    db = ensure_database(a.db)
    if accounts.get_user(a.username, db) is None:
        raise RefusedError(f"there is no account '{a.username}'")
    accounts.set_password(a.username, _password(a), db)
    print(f"Đã đổi mật khẩu / password changed: {accounts.normalise_username(a.username)}")
    return 0


def cmd_unlock(a: argparse.Namespace) -> int:
    accounts.unlock(a.username, ensure_database(a.db))
    print(f"Đã mở khóa / unlocked: {accounts.normalise_username(a.username)}")
    return 0


def _set_disabled(a: argparse.Namespace, disabled: bool) -> int:
    accounts.set_disabled(a.username, disabled, ensure_database(a.db))
    print(f"{accounts.normalise_username(a.username)}: {'disabled' if disabled else 'enabled'}")
    return 0


def cmd_list(a: argparse.Namespace) -> int:
    users = accounts.list_users(ensure_database(a.db))
    now = accounts.utcnow()
    if a.format == "json":
        print(
            json.dumps(
                [
                    {
                        "username": u.username,
                        "display_name": u.display_name,
                        "role": u.role,
                        "locked": u.locked(now),
                        "disabled": u.disabled,
                        "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
                    }
                    for u in users
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not users:
        print("Chưa có tài khoản / no accounts yet: python -m auth create-admin USERNAME")
    for u in users:
        flags = ", ".join(f for f, on in (("locked", u.locked(now)), ("disabled", u.disabled)) if on)
        print(f"{u.username:<20} {u.role:<8} {u.display_name}{'  [' + flags + ']' if flags else ''}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", default=argparse.SUPPRESS, help=f"database file (default: $ISO18091_DB or {db_path()})"
    )
    ap = argparse.ArgumentParser(prog="python -m auth", description=__doc__)
    ap.add_argument("--db", default=None, help=argparse.SUPPRESS)
    sub = ap.add_subparsers(dest="command", required=True)

    def user_cmd(name: str, func, help_: str, password: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_)
        p.add_argument("username")
        if password:
            p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        p.set_defaults(func=func)
        return p

    for name, func, help_ in (
        ("create-admin", cmd_create_admin, "create an admin account (the first one, or another)"),
        ("add-user", cmd_add_user, "create an account with a role"),
    ):
        p = user_cmd(name, func, help_, password=True)
        p.add_argument("--display-name", default=None)
        if name == "add-user":
            p.add_argument("--role", choices=ROLES, default="analyst")
    p = user_cmd("set-role", cmd_set_role, "change an account's role")
    p.add_argument("role", choices=ROLES)
    user_cmd("set-password", cmd_set_password, "replace an account's password", password=True)
    user_cmd("unlock", cmd_unlock, "clear a lock after repeated failed sign-ins")
    user_cmd("disable", lambda a: _set_disabled(a, True), "refuse sign-in to an account")
    user_cmd("enable", lambda a: _set_disabled(a, False), "allow sign-in again")
    ls = sub.add_parser("list", parents=[common], help="list the accounts")
    ls.add_argument("--format", choices=("text", "json"), default="text")
    ls.set_defaults(func=cmd_list)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
    try:
        return args.func(args)
    except (RefusedError, accounts.AccountError, PasswordPolicyError) as exc:
        print(f"Lỗi / refused: {exc}", file=sys.stderr)
        return 1
