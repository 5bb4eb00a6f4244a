"""bcrypt hashing and the password policy. Nothing here keeps or prints a password."""

from __future__ import annotations

import secrets
from functools import cache

import bcrypt

from auth.config import BCRYPT_ROUNDS, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS
from i18n import N_


@cache
def _dummy_hash() -> bytes:
    """A hash of a random secret, checked when a username is unknown, so that a wrong username
    costs the same time as a wrong password."""
    return bcrypt.hashpw(secrets.token_hex(16).encode("ascii"), bcrypt.gensalt(BCRYPT_ROUNDS))


class PasswordPolicyError(ValueError):
    """The password does not meet the policy; ``msgid`` is the English message to translate."""

    def __init__(self, msgid: str, **kwargs: object) -> None:
        super().__init__(msgid.format(**kwargs))
        self.msgid = msgid
        self.kwargs = kwargs


def check_policy(password: str, username: str = "") -> None:
    """Raise PasswordPolicyError when ``password`` is too short, too long or is the username."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise PasswordPolicyError(N_("The password needs at least {n} characters."), n=MIN_PASSWORD_CHARS)
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise PasswordPolicyError(N_("The password is too long (at most {n} bytes)."), n=MAX_PASSWORD_BYTES)
    if username and password.strip().lower() == username.strip().lower():
        raise PasswordPolicyError(N_("The password must not be the username."))


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    """A bcrypt hash ($2b$...) with a fresh salt."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, hashed: str | None) -> bool:
    """True when ``password`` matches ``hashed``; spends the same time when there is no hash."""
    data = password.encode("utf-8")
    if len(data) > MAX_PASSWORD_BYTES:
        data = data[:MAX_PASSWORD_BYTES]  # cannot match a stored hash (the policy refused it); keep timing
    try:
        return bcrypt.checkpw(data, (hashed or "").encode("ascii")) if hashed else _dummy(data)
    except ValueError:  # malformed hash
        return _dummy(data)


def _dummy(data: bytes) -> bool:
    bcrypt.checkpw(data, _dummy_hash())
    return False
