"""Accounts: bcrypt hashes only, roles, server-side lockout, and the `python -m auth` CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from auth import accounts
from auth.passwords import PasswordPolicyError, check_policy, hash_password, verify_password
from auth.roles import ROLES, allowed
from core.schema import ensure_database
from tests.uploadkit import PASSWORD, make_user

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_db: Path) -> Path:
    return ensure_database(tmp_db)


def test_roles_are_ordered():
    assert ROLES == ("viewer", "analyst", "admin")
    assert allowed("admin", "analyst") and allowed("analyst", "analyst") and allowed("viewer", "viewer")
    assert not allowed("viewer", "analyst") and not allowed("analyst", "admin")
    assert not allowed(None, "viewer") and not allowed("root", "viewer")


def test_hash_is_bcrypt_and_verifies_only_the_password():
    h = hash_password("đúng rồi 12345", rounds=4)
    assert h.startswith("$2b$04$") and "đúng" not in h
    assert verify_password("đúng rồi 12345", h)
    assert not verify_password("đúng rồi 1234", h)
    assert not verify_password("anything", None)
    assert not verify_password("anything", "not a hash")
    assert hash_password("same password", rounds=4) != hash_password("same password", rounds=4)  # salted


@pytest.mark.parametrize(
    "password,username",
    [("short", ""), ("x" * 73, ""), ("ă" * 37, ""), ("Analyst.One", "analyst.one")],
)
def test_policy_refuses(password, username):
    with pytest.raises(PasswordPolicyError):
        check_policy(password, username)


def test_fresh_database_has_no_accounts_and_no_default_password(db):
    assert accounts.list_users(db) == []
    for name, pw in [("admin", "admin"), ("admin", "password"), ("root", "root"), ("admin", "")]:
        assert accounts.authenticate(name, pw, db).status == "invalid"


def test_password_is_stored_only_as_a_hash(db):
    make_user(db, "ana", "analyst")
    with duckdb.connect(str(db), read_only=True) as con:
        rows = (
            con.execute("SELECT * FROM users").fetchall()
            + con.execute("SELECT * FROM login_events").fetchall()
        )
        stored = con.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$2b$") and PASSWORD not in json.dumps(rows, default=str, ensure_ascii=False)
    accounts.authenticate("ana", PASSWORD, db)
    accounts.authenticate("ana", PASSWORD + "x", db)
    raw = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    assert PASSWORD.encode() not in raw and (PASSWORD + "x").encode() not in raw


def test_create_user_normalises_and_refuses_duplicates_and_bad_input(db):
    made = accounts.create_user(" Ana.Le ", PASSWORD, "analyst", db, display_name="Lê Thị Ánh", rounds=4)
    assert made.username == "ana.le" and made.display_name == "Lê Thị Ánh" and made.role == "analyst"
    with pytest.raises(accounts.AccountError):
        accounts.create_user("ANA.LE", PASSWORD, "analyst", db, rounds=4)
    with pytest.raises(accounts.AccountError):
        accounts.create_user("x", PASSWORD, "analyst", db, rounds=4)  # too short
    with pytest.raises(accounts.AccountError):
        accounts.create_user("../etc", PASSWORD, "analyst", db, rounds=4)
    with pytest.raises(accounts.AccountError):
        accounts.create_user("bob", PASSWORD, "superuser", db, rounds=4)
    with pytest.raises(PasswordPolicyError):
        accounts.create_user("bob", "bob", "viewer", db, rounds=4)
    assert [u.username for u in accounts.list_users(db)] == ["ana.le"]


def test_sign_in_ok_case_insensitive_username(db):
    make_user(db, "ana", "analyst")
    result = accounts.authenticate("  ANA ", PASSWORD, db)
    assert result.ok and result.user is not None and result.user.role == "analyst"
    assert result.user.last_login_at is not None


def test_repeated_failures_lock_the_account_then_it_opens_again(db, monkeypatch):
    monkeypatch.setenv("ISO18091_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("ISO18091_LOGIN_LOCK_MINUTES", "10")
    make_user(db, "ana", "analyst")
    t0 = dt.datetime(2026, 1, 1, 8, 0)
    assert accounts.authenticate("ana", "wrong-1", db, now=t0).status == "invalid"
    assert accounts.authenticate("ana", "wrong-2", db, now=t0).status == "invalid"
    third = accounts.authenticate("ana", "wrong-3", db, now=t0)
    assert third.status == "locked" and third.locked_until == t0 + dt.timedelta(minutes=10)
    # While locked, even the right password is refused: the lock is in the database.
    assert accounts.authenticate("ana", PASSWORD, db, now=t0 + dt.timedelta(minutes=9)).status == "locked"
    user = accounts.get_user("ana", db)
    assert user is not None and user.locked(t0 + dt.timedelta(minutes=5)) and user.failed_count == 3
    # After the lock one failure does not lock again: counting starts afresh.
    later = t0 + dt.timedelta(minutes=11)
    assert accounts.authenticate("ana", "wrong-4", db, now=later).status == "invalid"
    assert accounts.get_user("ana", db).failed_count == 1
    assert accounts.authenticate("ana", PASSWORD, db, now=later).ok
    assert accounts.get_user("ana", db).failed_count == 0
    outcomes = [o for _, _, o in accounts.recent_sign_ins(db)]
    assert outcomes.count("bad-password") == 4 and outcomes.count("locked") == 1 and outcomes[0] == "ok"


def test_success_resets_the_failure_count(db, monkeypatch):
    monkeypatch.setenv("ISO18091_LOGIN_MAX_FAILURES", "3")
    make_user(db, "ana", "analyst")
    for _ in range(2):
        accounts.authenticate("ana", "wrong", db)
    assert accounts.authenticate("ana", PASSWORD, db).ok
    for _ in range(2):
        assert accounts.authenticate("ana", "wrong", db).status == "invalid"


def test_unknown_and_disabled_accounts_are_refused_alike(db):
    make_user(db, "ana", "analyst")
    make_user(db, "boss", "admin")
    accounts.set_disabled("ana", True, db)
    assert accounts.authenticate("ana", PASSWORD, db).status == "invalid"
    assert accounts.authenticate("nobody", PASSWORD, db).status == "invalid"
    accounts.set_disabled("ana", False, db)
    assert accounts.authenticate("ana", PASSWORD, db).ok


def test_unlock_and_set_password(db, monkeypatch):
    monkeypatch.setenv("ISO18091_LOGIN_MAX_FAILURES", "1")
    make_user(db, "ana", "analyst")
    assert accounts.authenticate("ana", "wrong", db).status == "locked"
    accounts.unlock("ana", db)
    assert accounts.authenticate("ana", PASSWORD, db).ok
    assert accounts.authenticate("ana", "wrong", db).status == "locked"
    accounts.set_password("ana", "một mật khẩu mới", db, rounds=4)  # also clears the lock
    assert accounts.authenticate("ana", "một mật khẩu mới", db).ok
    assert not accounts.authenticate("ana", PASSWORD, db).ok


def test_the_last_admin_cannot_be_demoted_or_disabled(db):
    make_user(db, "boss", "admin")
    with pytest.raises(accounts.AccountError):
        accounts.set_role("boss", "analyst", db)
    with pytest.raises(accounts.AccountError):
        accounts.set_disabled("boss", True, db)
    make_user(db, "boss2", "admin")
    accounts.set_role("boss", "analyst", db)
    assert accounts.get_user("boss", db).role == "analyst"
    assert accounts.admin_count(db) == 1


def _cli(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auth", "--db", str(db), *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_creates_the_first_admin_from_stdin_and_manages_accounts(tmp_db):
    r = _cli(
        tmp_db,
        "create-admin",
        "Chief",
        "--display-name",
        "Nguyễn Văn Trưởng",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert r.returncode == 0, r.stderr
    assert PASSWORD not in r.stdout + r.stderr
    assert accounts.authenticate("chief", PASSWORD, tmp_db).user.role == "admin"
    r = _cli(tmp_db, "add-user", "ana", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert _cli(tmp_db, "set-role", "ana", "viewer").returncode == 0
    listed = json.loads(_cli(tmp_db, "list", "--format", "json").stdout)
    assert {(u["username"], u["role"]) for u in listed} == {("chief", "admin"), ("ana", "viewer")}
    assert (
        listed[0]["display_name"] == "Nguyễn Văn Trưởng" or listed[1]["display_name"] == "Nguyễn Văn Trưởng"
    )


def test_cli_refuses_without_a_password_weak_passwords_and_duplicates(tmp_db):
    # No terminal and no --password-stdin: refused, nothing created (there is no default password).
    r = _cli(tmp_db, "create-admin", "chief", stdin="")
    assert r.returncode == 1 and "--password-stdin" in r.stderr
    r = _cli(tmp_db, "create-admin", "chief", "--password-stdin", stdin="\n")
    assert r.returncode == 1
    r = _cli(tmp_db, "create-admin", "chief", "--password-stdin", stdin="short\n")
    assert r.returncode == 1 and "10" in r.stderr
    assert accounts.list_users(tmp_db) == []
    assert _cli(tmp_db, "create-admin", "chief", "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    r = _cli(tmp_db, "create-admin", "chief", "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 1 and "already exists" in r.stderr
    assert _cli(tmp_db, "set-role", "chief", "viewer").returncode == 1  # the last admin
    assert _cli(tmp_db, "set-role", "nobody", "viewer").returncode == 1
