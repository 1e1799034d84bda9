"""Addresses of recipients: e-mail and mobile numbers checked and put in one form, and
masked for answers and records that must not show them whole."""

from __future__ import annotations

import re

_EMAIL = re.compile(
    r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,187}[A-Za-z0-9])?\.[A-Za-z]{2,24}$")
_PHONE_JUNK = re.compile(r"[\s().-]")
_INDIAN_MOBILE = re.compile(r"^\+91[6-9][0-9]{9}$")
_E164 = re.compile(r"^\+[1-9][0-9]{9,14}$")


class BadAddress(ValueError):
    """The address is missing or not usable on its channel; the text says why."""


def normalise_email(value: str | None) -> str:
    if not value or not value.strip():
        raise BadAddress("no e-mail address")
    email = value.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise BadAddress("not an e-mail address")
    return email


def normalise_phone(value: str | None) -> str:
    """E.164; ten digits are an Indian mobile number (+91), which must start with 6-9."""
    if not value or not value.strip():
        raise BadAddress("no mobile number")
    digits = _PHONE_JUNK.sub("", value.strip())
    if re.fullmatch(r"[0-9]{10}", digits):
        digits = "+91" + digits
    elif re.fullmatch(r"(?:0|91)[0-9]{10}", digits):
        digits = "+91" + digits[-10:]
    if not _E164.match(digits) or (digits.startswith("+91") and
                                   not _INDIAN_MOBILE.match(digits)):
        raise BadAddress("not a mobile number")
    return digits


def normalise(channel: str, value: str | None) -> str:
    return normalise_email(value) if channel == "email" else normalise_phone(value)


def mask(destination: str) -> str:
    """Enough of an address for a person to recognise it."""
    if not destination:
        return ""
    if "@" in destination:
        local, _, domain = destination.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"{destination[:3]}******{destination[-2:]}"
