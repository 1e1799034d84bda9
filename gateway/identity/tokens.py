"""Signed access tokens (JWT, HS256) and the short-lived password-change token.

Keys come from ``GATEWAY_JWT_KEYS`` (kid -> secret) and ``GATEWAY_JWT_ACTIVE_KID``. New
tokens are signed with the active key and carry its ``kid`` in the header; any configured
key verifies. Rotation: add the new key, switch the active kid, remove the old key once
the access-token lifetime has passed. Without keys (development only) the process makes
an ephemeral random key and says so.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jwt

log = logging.getLogger(__name__)

ALGORITHM = "HS256"
ACCESS = "access"
PASSWORD_CHANGE = "password_change"  # noqa: S105 - a purpose name, not a secret
_REQUIRED = ["exp", "iat", "iss", "aud", "sub"]


class TokenInvalid(Exception):
    """The token is expired, tampered with, signed by an unknown key or not for us. The
    reason is for the log only; the client hears just that it is not valid."""


@dataclass(frozen=True)
class Grant:
    role: str
    scope: str | None = None

    @property
    def scope_pair(self) -> tuple[str, str] | None:
        if not self.scope:
            return None
        kind, _, ident = self.scope.partition(":")
        return kind, ident

    def wire(self) -> dict[str, Any]:
        return {"role": self.role, "scope": self.scope}


@dataclass(frozen=True)
class Principal:
    """Who a verified token speaks for."""

    account_id: str
    session_id: str | None
    grants: tuple[Grant, ...] = ()
    grants_version: int = 0
    purpose: str = ACCESS
    expires_at: int = 0
    claims: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


class KeyRing:
    """The signing keys: one active, all usable for verifying."""

    def __init__(self, keys: Mapping[str, bytes], active_kid: str):
        if active_kid not in keys:
            raise ValueError("the active key id must be one of the keys")
        self._keys = dict(keys)
        self.active_kid = active_kid

    @classmethod
    def from_settings(cls, settings: Any) -> KeyRing:
        if settings.jwt_keys:
            return cls({kid: secret.get_secret_value().encode()
                        for kid, secret in settings.jwt_keys.items()},
                       settings.jwt_active_kid)
        if settings.environment == "production":  # the settings refuse this already
            raise RuntimeError("GATEWAY_JWT_KEYS is required in production")
        log.warning("GATEWAY_JWT_KEYS is not set: signing tokens with an ephemeral key; "
                    "tokens die with this process and other replicas refuse them "
                    "(development only)")
        return cls({"dev-ephemeral": secrets.token_bytes(32)}, "dev-ephemeral")

    def signing_key(self) -> tuple[str, bytes]:
        return self.active_kid, self._keys[self.active_kid]

    def key(self, kid: str) -> bytes | None:
        return self._keys.get(kid)

    @property
    def kids(self) -> tuple[str, ...]:
        return tuple(self._keys)


class TokenIssuer:
    """Mints and verifies the gateway's tokens."""

    def __init__(self, keys: KeyRing, *, issuer: str, audience: str, access_seconds: int,
                 password_change_seconds: int = 300):
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.access_seconds = access_seconds
        self.password_change_seconds = password_change_seconds

    @property
    def password_change_audience(self) -> str:
        # A different audience: a password-change token is never an access token.
        return f"{self.audience}/password-change"

    def _encode(self, claims: dict[str, Any]) -> str:
        kid, key = self.keys.signing_key()
        return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": kid})

    def issue_access(self, *, account_id: str, session_id: str, grants: tuple[Grant, ...],
                     grants_version: int, now: float | None = None) -> tuple[str, int]:
        """An access token and its lifetime in seconds."""
        issued = int(now if now is not None else time.time())
        claims = {
            "iss": self.issuer, "aud": self.audience, "sub": account_id, "sid": session_id,
            "grants": [grant.wire() for grant in grants], "gv": grants_version,
            "iat": issued, "exp": issued + self.access_seconds,
        }
        return self._encode(claims), self.access_seconds

    def issue_password_change(self, *, account_id: str,
                              now: float | None = None) -> tuple[str, int]:
        issued = int(now if now is not None else time.time())
        claims = {"iss": self.issuer, "aud": self.password_change_audience, "sub": account_id,
                  "purpose": PASSWORD_CHANGE, "iat": issued,
                  "exp": issued + self.password_change_seconds}
        return self._encode(claims), self.password_change_seconds

    def verify(self, token: str, *, purpose: str = ACCESS) -> Principal:
        """The principal of a valid token of ``purpose``; TokenInvalid otherwise."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise TokenInvalid(f"malformed: {exc}") from None
        kid = header.get("kid")
        if header.get("alg") != ALGORITHM or not isinstance(kid, str):
            raise TokenInvalid("wrong algorithm or no key id")
        key = self.keys.key(kid)
        if key is None:
            raise TokenInvalid("unknown key id")
        audience = self.audience if purpose == ACCESS else self.password_change_audience
        required = [*_REQUIRED, "sid", "grants"] if purpose == ACCESS else _REQUIRED
        try:
            claims = jwt.decode(token, key, algorithms=[ALGORITHM], audience=audience,
                                issuer=self.issuer, options={"require": required})
        except jwt.InvalidTokenError as exc:
            raise TokenInvalid(type(exc).__name__) from None
        if purpose == ACCESS:
            try:
                grants = tuple(Grant(str(item["role"]), item.get("scope"))
                               for item in claims["grants"])
                return Principal(str(claims["sub"]), str(claims["sid"]), grants,
                                 int(claims.get("gv", 0)), ACCESS, int(claims["exp"]), claims)
            except (KeyError, TypeError, ValueError, AttributeError):
                raise TokenInvalid("malformed claims") from None
        if claims.get("purpose") != purpose:
            raise TokenInvalid("wrong purpose")
        return Principal(str(claims["sub"]), None, (), 0, purpose, int(claims["exp"]), claims)
