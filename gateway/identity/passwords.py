"""Passwords: argon2id hashes, a dummy verify for unknown accounts, and the policy."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from services.common.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 256


def check_policy(password: str, *, username: str | None = None,
                 field: str = "new_password") -> None:
    """12-256 characters, not containing the username (case-insensitively)."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise InvalidInput("The password does not meet the policy.",
                           fields={field: f"must be {MIN_LENGTH} to {MAX_LENGTH} characters"})
    if username and username.lower() in password.lower():
        raise InvalidInput("The password does not meet the policy.",
                           fields={field: "must not contain the username"})


def temporary_password() -> str:
    """A one-time password for a new account: 24 URL-safe characters (144 random bits)."""
    return secrets.token_urlsafe(18)


class Passwords:
    """argon2id hashing with the configured cost.

    ``verify(None, password)`` checks against a dummy hash made with the same cost, so an
    unknown username costs as much time as a known one and timing does not reveal
    which accounts exist.
    """

    def __init__(self, *, time_cost: int = 3, memory_kib: int = 65536, parallelism: int = 4):
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib,
                                      parallelism=parallelism, type=Type.ID)
        self._dummy = self._hasher.hash(secrets.token_urlsafe(32))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        try:
            ok = self._hasher.verify(stored_hash or self._dummy, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return ok and stored_hash is not None

    def needs_rehash(self, stored_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True
