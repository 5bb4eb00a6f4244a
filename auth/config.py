"""Sign-in settings, read from the environment at call time (so a restart or a test can change them).

- ``ISO18091_REQUIRE_LOGIN``: ``1``/``true`` makes viewing require a signed-in account; otherwise
  anonymous visitors are viewers (the UI also reads ``[auth] require_login`` in .streamlit/secrets.toml).
- ``ISO18091_LOGIN_MAX_FAILURES`` (default 5) consecutive failed sign-ins lock the account for
- ``ISO18091_LOGIN_LOCK_MINUTES`` (default 15) minutes.
"""

from __future__ import annotations

import os

BCRYPT_ROUNDS = 12
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; longer ones are refused, not silently cut


def _env_int(name: str, default: int, low: int) -> int:
    try:
        return max(low, int(os.environ.get(name, default)))
    except ValueError:
        return default


def truthy(value: object) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def require_login_env() -> bool:
    return truthy(os.environ.get("ISO18091_REQUIRE_LOGIN", ""))


def max_failures() -> int:
    return _env_int("ISO18091_LOGIN_MAX_FAILURES", 5, 1)


def lock_minutes() -> int:
    return _env_int("ISO18091_LOGIN_LOCK_MINUTES", 15, 1)
