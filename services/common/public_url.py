"""Addresses people follow from outside (a certificate's QR code, a link in an e-mail):
in production they must name the deployment's real public host. A loopback or reserved
host there would be printed into certificates whose hash is recorded, or mailed to
citizens, and could never be corrected afterwards."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# RFC 2606 / RFC 6761 names that can never be a real public host.
RESERVED_SUFFIXES = (".example", ".test", ".invalid", ".localhost", ".local")
RESERVED_NAMES = ("localhost", "example.com", "example.org", "example.net")


def refusal(url: str) -> str | None:
    """Why ``url`` cannot be a production public address, or None when it can."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "must be an https:// address"
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return "has no host"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host in RESERVED_NAMES or host.endswith(RESERVED_SUFFIXES) or any(
                host.endswith("." + name) for name in RESERVED_NAMES):
            return f"names the reserved host {host!r}, not this deployment's"
        return None
    if not address.is_global:
        return f"names the non-public address {host}"
    return None


def ensure_public(setting: str, url: str) -> None:
    """Raise ValueError naming the setting when ``url`` is not a public address."""
    reason = refusal(url)
    if reason:
        raise ValueError(f"{setting} {reason} (ENVIRONMENT=production): set it to the "
                         f"portal's public address")
