"""Refresh tokens and the in-process cache of session checks.

A refresh token is 32 random bytes (URL-safe base64); only its SHA-256 is stored. It is
rotated on every refresh; presenting one that was already rotated means two parties hold
the session's tokens (theft), and the whole session is revoked (store.refresh).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SessionState:
    """What a request needs to know about its token's session."""

    active: bool              # not revoked, not expired, account enabled
    grants_version: int


class SessionCheckCache:
    """Session states by id, each trusted for ``ttl`` seconds (0: never cached).

    Sign-out, disabling an account and grant changes therefore reach every request of
    this process within ``ttl`` seconds, and the per-request path touches the database
    at most once per session per ``ttl``.
    """

    MAX_ENTRIES = 50_000

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._entries: dict[str, tuple[float, SessionState]] = {}

    def get(self, session_id: str) -> SessionState | None:
        if self.ttl <= 0:
            return None
        entry = self._entries.get(session_id)
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            self._entries.pop(session_id, None)
            return None
        return entry[1]

    def put(self, session_id: str, state: SessionState) -> None:
        if self.ttl <= 0:
            return
        now = time.monotonic()
        if len(self._entries) >= self.MAX_ENTRIES:
            self._entries = {key: value for key, value in self._entries.items()
                             if value[0] > now}
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
        self._entries[session_id] = (now + self.ttl, state)

    def forget(self, session_id: str) -> None:
        """Drop one entry: this process signed the session out and knows at once."""
        self._entries.pop(session_id, None)
