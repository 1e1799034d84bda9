"""The candidate's identity: an Aadhaar number checked (12 digits, first 2-9, Verhoeff
check digit) and digested with the service's HMAC key. The number itself is never
stored; the digest lets a disqualification follow the person to any society."""

from __future__ import annotations

import hashlib
import hmac

from services.common.errors import InvalidInput
from services.elections.settings import elections_settings

_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6), (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4), (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2), (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 8, 7, 6, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)


def _checksum(digits: str) -> int:
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c


def verhoeff_valid(number: str) -> bool:
    return number.isdigit() and _checksum(number) == 0


def with_check_digit(body: str) -> str:
    """``body`` followed by its Verhoeff check digit (for test data and forms)."""
    return body + str(_INV[_checksum(body + "0")])


def valid_aadhaar(number: str) -> bool:
    return (len(number) == 12 and number.isdigit() and number[0] in "23456789"
            and verhoeff_valid(number))


def identity_digest(aadhaar: str, field: str = "aadhaar") -> str:
    """Hex HMAC-SHA256 of the Aadhaar number under ``ELECTIONS_IDENTITY_KEY``; refuses
    a number that is not an Aadhaar number (without repeating it)."""
    if not valid_aadhaar(aadhaar):
        raise InvalidInput("The Aadhaar number is not valid.", fields={
            field: "not a valid Aadhaar number (12 digits, the first 2-9, with its "
                   "Verhoeff check digit)"})
    key = elections_settings().identity_key.get_secret_value().encode()
    return hmac.new(key, aadhaar.encode(), hashlib.sha256).hexdigest()
