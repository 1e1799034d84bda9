"""Brute-force limits: sliding windows counted in the ``auth_attempt`` table, so every
gateway replica shares them. Keys are HMACs of the account name, address or destination.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.common.errors import RateLimited

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Limit:
    kind: str           # the auth_attempt.kind counted
    limit: int          # attempts allowed inside the window
    window: timedelta = WINDOW
    what: str = ""      # for the message: "for this account"


PASSWORD_ACCOUNT = Limit("password_fail_account", 5, what="for this account")
PASSWORD_ADDRESS = Limit("password_fail_address", 20, what="from this address")
OTP_DESTINATION = Limit("otp_request_destination", 3, what="for this destination")
OTP_ADDRESS = Limit("otp_request_address", 10, what="from this address")
OTP_VERIFY_ADDRESS = Limit("otp_verify_fail_address", 20, what="from this address")
LIMITS = (PASSWORD_ACCOUNT, PASSWORD_ADDRESS, OTP_DESTINATION, OTP_ADDRESS, OTP_VERIFY_ADDRESS)


def window_start(now: datetime, limit: Limit) -> datetime:
    return now - limit.window


def retry_after(times: Sequence[datetime], *, now: datetime, limit: Limit) -> int | None:
    """Seconds until one more attempt fits in the window, or None if it fits now.

    ``times`` are the counted attempts (any order). With ``n >= limit`` of them inside the
    window, the next attempt fits once the ``n - limit + 1`` oldest have left it, i.e. at
    ``sorted(times)[n - limit] + window``.
    """
    start = window_start(now, limit)
    inside = sorted(t for t in times if t > start)
    if len(inside) < limit.limit:
        return None
    frees_at = inside[len(inside) - limit.limit] + limit.window
    return max(1, math.ceil((frees_at - now).total_seconds()))


def refuse(limit: Limit, seconds: int) -> RateLimited:
    return RateLimited(f"Too many attempts {limit.what}; try again in {seconds} s.",
                       {"retry_after_seconds": seconds, "limit": limit.kind})


def attempt_key(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


def client_address(peer: str | None, forwarded_for: str | None,
                   trusted: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> str:
    """The client's address: the TCP peer, unless the peer is a trusted proxy; then the
    right-most address of ``X-Forwarded-For`` that is not itself a trusted proxy."""
    networks = tuple(trusted)
    peer = peer or "unknown"

    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in networks)

    if not forwarded_for or not is_trusted(peer):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a forged or broken header: trust only what we saw
        if not is_trusted(hop):
            return hop
    return hops[0] if hops else peer
