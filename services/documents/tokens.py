"""HMAC-signed, expiring tokens for the data plane: the RPC that checks a caller's right
issues one; the data plane accepts the bytes (or sends them) on its word alone, so no
second round trip over the bus is needed while bytes flow.

A token is ``<base64url JSON claims>.<base64url HMAC-SHA256>``; the claims carry ``exp``
(epoch seconds) and ``use`` (``upload`` or ``download``) so one kind cannot pass for the
other."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

MAX_TOKEN_LENGTH = 4096


class TokenRefused(Exception):
    """The token is malformed, forged, expired or for another use."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(key: bytes, use: str, claims: dict[str, Any], ttl_seconds: float) -> str:
    body = dict(claims, use=use, exp=int(time.time() + ttl_seconds))
    payload = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
    mac = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}"


def verify(key: bytes, use: str, token: str) -> dict[str, Any]:
    if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        raise TokenRefused("malformed")
    payload, mac = token.split(".")
    expected = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    try:
        given = _unb64(mac)
        claims = json.loads(_unb64(payload))
    except ValueError:
        raise TokenRefused("malformed") from None
    if not hmac.compare_digest(expected, given):
        raise TokenRefused("bad signature")
    if not isinstance(claims, dict) or claims.get("use") != use:
        raise TokenRefused("wrong use")
    if int(claims.get("exp", 0)) < time.time():
        raise TokenRefused("expired")
    return claims
