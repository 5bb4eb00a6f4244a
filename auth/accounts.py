"""The accounts store (table ``users``, migration v003) and sign-in with server-side lockout.

Writes are short transactions through core.db, so they queue behind an ETL load like any other
writer. bcrypt checks run outside any transaction: a sign-in never holds the write lock for the
~0.25 s a hash costs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from auth import config
from auth.passwords import check_policy, hash_password, verify_password
from auth.roles import ROLES
from core.db import connect, transaction
from core.text import nfc
from i18n import N_

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
_COLUMNS = "username, display_name, role, failed_count, locked_until, created_at, last_login_at, disabled"


class AccountError(ValueError):
    """A refused account change; ``msgid`` is the English message for the UI to translate."""

    def __init__(self, msgid: str, **kwargs: object) -> None:
        super().__init__(msgid.format(**kwargs))
        self.msgid = msgid
        self.kwargs = kwargs


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str
    failed_count: int
    locked_until: dt.datetime | None
    created_at: dt.datetime | None
    last_login_at: dt.datetime | None
    disabled: bool

    def locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: ``ok``, ``invalid`` (unknown user or wrong password) or ``locked``."""

    status: str
    user: User | None = None
    locked_until: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def utcnow() -> dt.datetime:
    """Naive UTC, as stored in the users table."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def normalise_username(username: str) -> str:
    """Lower-case, trimmed; raises AccountError unless it is 2-32 of a-z 0-9 . _ -."""
    name = nfc(username or "").strip().lower()
    if not _USERNAME.match(name):
        raise AccountError(
            N_("A username is 2 to 32 characters: letters a-z, digits, dot, dash or underscore.")
        )
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(N_("'{role}' is not a role. Expected viewer, analyst or admin."), role=role)
    return role


def _user(row: tuple | None) -> User | None:
    return None if row is None else User(*row[:7], bool(row[7]))


def get_user(username: str, db: str | Path | None = None) -> User | None:
    """The account, or None (also for a malformed name)."""
    try:
        name = normalise_username(username)
    except AccountError:
        return None
    with connect(db, read_only=True) as con:
        return _user(con.execute(f"SELECT {_COLUMNS} FROM users WHERE username = ?", [name]).fetchone())


def list_users(db: str | Path | None = None) -> list[User]:
    with connect(db, read_only=True) as con:
        rows = con.execute(f"SELECT {_COLUMNS} FROM users ORDER BY username").fetchall()
    return [u for u in map(_user, rows) if u is not None]


def admin_count(db: str | Path | None = None) -> int:
    with connect(db, read_only=True) as con:
        return con.execute("SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled").fetchone()[0]


def create_user(
    username: str,
    password: str,
    role: str,
    db: str | Path | None = None,
    *,
    display_name: str | None = None,
    created_by: str | None = None,
    rounds: int = config.BCRYPT_ROUNDS,
) -> User:
    """Add an account; the password must meet the policy and is stored only as a bcrypt hash."""
    name = normalise_username(username)
    _check_role(role)
    check_policy(password, name)
    hashed = hash_password(password, rounds)
    with transaction(db) as con:
        if con.execute("SELECT 1 FROM users WHERE username = ?", [name]).fetchone():
            raise AccountError(N_("The account '{username}' already exists."), username=name)
        con.execute(
            """INSERT INTO users (username, display_name, role, password_hash, created_at, created_by)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [name, nfc(display_name or name).strip() or name, role, hashed, utcnow(), created_by],
        )
    user = get_user(name, db)
    assert user is not None
    return user


def _existing(con: duckdb.DuckDBPyConnection, username: str) -> tuple:
    name = normalise_username(username)
    row = con.execute("SELECT role, disabled FROM users WHERE username = ?", [name]).fetchone()
    if row is None:
        raise AccountError(N_("There is no account '{username}'."), username=name)
    return name, row[0], bool(row[1])


def _other_admins(con: duckdb.DuckDBPyConnection, name: str) -> int:
    return con.execute(
        "SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled AND username <> ?", [name]
    ).fetchone()[0]


def set_role(username: str, role: str, db: str | Path | None = None) -> None:
    """Change an account's role; the last active admin cannot be demoted."""
    _check_role(role)
    with transaction(db) as con:
        name, old, disabled = _existing(con, username)
        if old == "admin" and role != "admin" and not disabled and _other_admins(con, name) == 0:
            raise AccountError(N_("'{username}' is the last admin; make another admin first."), username=name)
        con.execute("UPDATE users SET role = ? WHERE username = ?", [role, name])


def set_disabled(username: str, disabled: bool, db: str | Path | None = None) -> None:
    """Disable (or re-enable) an account; the last active admin cannot be disabled."""
    with transaction(db) as con:
        name, role, _ = _existing(con, username)
        if disabled and role == "admin" and _other_admins(con, name) == 0:
            raise AccountError(N_("'{username}' is the last admin; make another admin first."), username=name)
        con.execute("UPDATE users SET disabled = ? WHERE username = ?", [disabled, name])


def set_password(
    username: str, password: str, db: str | Path | None = None, *, rounds: int = config.BCRYPT_ROUNDS
) -> None:
    """Replace the password (policy checked) and clear any lock."""
    name = normalise_username(username)
    check_policy(password, name)
    hashed = hash_password(password, rounds)
    with transaction(db) as con:
        _existing(con, name)
        con.execute(
            "UPDATE users SET password_hash = ?, failed_count = 0, locked_until = NULL WHERE username = ?",
            [hashed, name],
        )


def unlock(username: str, db: str | Path | None = None) -> None:
    with transaction(db) as con:
        name, _, _ = _existing(con, username)
        con.execute("UPDATE users SET failed_count = 0, locked_until = NULL WHERE username = ?", [name])


def _log(con: duckdb.DuckDBPyConnection, username: str, outcome: str, now: dt.datetime) -> None:
    con.execute(
        "INSERT INTO login_events (username, attempted_at, outcome) VALUES (?, ?, ?)",
        [username[:64], now, outcome],
    )


def authenticate(
    username: str, password: str, db: str | Path | None = None, *, now: dt.datetime | None = None
) -> SignIn:
    """Check a sign-in. After ``max_failures()`` wrong passwords in a row the account is locked for
    ``lock_minutes()``; while locked even the right password is refused. Every attempt is logged
    (never the password)."""
    now = now or utcnow()
    try:
        name = normalise_username(username)
    except AccountError:
        verify_password(password, None)
        return SignIn("invalid")
    with connect(db, read_only=True) as con:
        row = con.execute(
            "SELECT password_hash, disabled, locked_until FROM users WHERE username = ?", [name]
        ).fetchone()
    if row is None or row[1]:
        verify_password(password, None)
        with transaction(db) as con:
            _log(con, name, "unknown-user" if row is None else "disabled", now)
        return SignIn("invalid")
    if row[2] is not None and row[2] > now:
        with transaction(db) as con:
            _log(con, name, "locked", now)
        return SignIn("locked", locked_until=row[2])
    good = verify_password(password, row[0])
    with transaction(db) as con:
        # Re-read inside the transaction: a parallel attempt may have locked the account meanwhile.
        failed, locked_until = con.execute(
            "SELECT failed_count, locked_until FROM users WHERE username = ?", [name]
        ).fetchone()
        if locked_until is not None and locked_until > now:
            _log(con, name, "locked", now)
            return SignIn("locked", locked_until=locked_until)
        if good:
            con.execute(
                "UPDATE users SET failed_count = 0, locked_until = NULL, last_login_at = ? WHERE username = ?",
                [now, name],
            )
            _log(con, name, "ok", now)
        else:
            count = 1 if locked_until is not None else failed + 1  # a lock that ran out starts afresh
            until = (
                now + dt.timedelta(minutes=config.lock_minutes()) if count >= config.max_failures() else None
            )
            con.execute(
                "UPDATE users SET failed_count = ?, locked_until = ? WHERE username = ?", [count, until, name]
            )
            _log(con, name, "bad-password", now)
    if not good:
        return SignIn("locked", locked_until=until) if until else SignIn("invalid")
    return SignIn("ok", user=get_user(name, db))


def recent_sign_ins(db: str | Path | None = None, limit: int = 200) -> list[tuple]:
    """(username, at, outcome) of the latest sign-in attempts, newest first."""
    with connect(db, read_only=True) as con:
        return con.execute(
            "SELECT username, attempted_at, outcome FROM login_events ORDER BY event_id DESC LIMIT ?", [limit]
        ).fetchall()
