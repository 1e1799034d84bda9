"""One-time passwords: codes, their keyed hashes, destinations and delivery channels.

A code is 6 digits from ``secrets``; the database keeps only
HMAC-SHA256(pepper, challenge id + ":" + code), so a copy of the database does not give
the codes away (the pepper lives in configuration, ``GATEWAY_OTP_PEPPER``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any, Protocol

from services.common.errors import InvalidInput

log = logging.getLogger(__name__)

CODE_DIGITS = 6
CHANNELS = ("sms", "email")
EMAIL_PATTERN = (
    r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,187}[A-Za-z0-9])?\.[A-Za-z]{2,24}$")
_EMAIL = re.compile(EMAIL_PATTERN)
_PHONE_JUNK = re.compile(r"[\s().-]")
_PHONE = re.compile(r"^\+[1-9][0-9]{9,14}$")
# What ``normalise_destination`` takes as a phone number, as one pattern for the request
# schema: E.164, ten digits, or 91 and ten digits, with separators between the digits.
_SEPARATORS = r"[ ().-]*"
PHONE_PATTERN = (
    rf"^{_SEPARATORS}(?:\+{_SEPARATORS}[1-9]{_SEPARATORS}(?:[0-9]{_SEPARATORS}){{9,14}}"
    rf"|(?:[0-9]{_SEPARATORS}){{10}}|9{_SEPARATORS}1{_SEPARATORS}(?:[0-9]{_SEPARATORS}){{10}})$")


class OtpDeliveryFailed(Exception):
    """The channel could not take the code; no code went out."""


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(pepper: bytes, challenge_id: str, code: str) -> str:
    return hmac.new(pepper, f"{challenge_id}:{code}".encode(), hashlib.sha256).hexdigest()


def code_matches(pepper: bytes, challenge_id: str, code: str, stored: str) -> bool:
    return hmac.compare_digest(code_hash(pepper, challenge_id, code), stored)


def normalise_destination(channel: str, destination: str) -> str:
    """The canonical form of an address: e-mail in lower case; a phone number in E.164,
    ten digits taken as an Indian mobile number (+91)."""
    value = destination.strip()
    if channel == "email":
        value = value.lower()
        if len(value) > 254 or not _EMAIL.match(value):
            raise InvalidInput("Not an e-mail address.",
                               fields={"destination": "must be an e-mail address"})
        return value
    digits = _PHONE_JUNK.sub("", value)
    if re.fullmatch(r"[0-9]{10}", digits):
        digits = "+91" + digits
    elif re.fullmatch(r"91[0-9]{10}", digits):
        digits = "+" + digits
    if not _PHONE.match(digits):
        raise InvalidInput("Not a phone number.",
                           fields={"destination": "must be a mobile number, e.g. +919812345678"})
    return digits


def masked(destination: str) -> str:
    """Enough of an address for a person to recognise it, in logs and answers."""
    if "@" in destination:
        local, _, domain = destination.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"{destination[:3]}******{destination[-2:]}"


class OtpChannel(Protocol):
    async def send(self, *, channel: str, destination: str, code: str, language: str,
                   purpose: str, challenge_id: str, context: Any) -> None: ...


class LogChannel:
    """Development only (the settings refuse it in production): the code goes to the log
    as one WARNING line marked DEVELOPMENT OTP. The only place a code is ever logged."""

    async def send(self, *, channel: str, destination: str, code: str, language: str,
                   purpose: str, challenge_id: str, context: Any) -> None:
        log.warning("DEVELOPMENT OTP %s for %s %s (challenge %s); not delivered",
                    code, channel, masked(destination), challenge_id,
                    extra={"challenge_id": challenge_id})


class NotifyChannel:
    """Delivery by the notify service: RPC ``notify.send_otp`` with
    ``{channel, destination, code, language, purpose}``. The call is marked so the
    gateway's logs never print its payload; any failure is OtpDeliveryFailed."""

    def __init__(self, rpc: Callable[[], Any], *, timeout: float = 5.0):
        self._rpc = rpc
        self.timeout = timeout

    async def send(self, *, channel: str, destination: str, code: str, language: str,
                   purpose: str, challenge_id: str, context: Any) -> None:
        from gateway.rpc import (
            BrokerUnavailable,
            RemoteMethodNotFound,
            RemoteServiceError,
            RpcTimeout,
            ServiceUnavailable,
        )
        from services.common.errors import PlatformError

        payload = {"channel": channel, "destination": destination, "code": code,
                   "language": language, "purpose": purpose}
        try:
            await self._rpc().call("notify", "send_otp", payload, timeout=self.timeout,
                                   context=context)
        except (RpcTimeout, BrokerUnavailable, ServiceUnavailable, RemoteMethodNotFound,
                RemoteServiceError, PlatformError) as exc:
            # The exception's text never carries the payload; the code stays out of logs.
            log.warning("notify.send_otp failed: %s", type(exc).__name__)
            raise OtpDeliveryFailed(type(exc).__name__) from None
