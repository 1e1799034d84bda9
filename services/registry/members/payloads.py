"""Reading what callers send to the member register: contracts into typed errors, and
the opaque keyset cursor of every page."""

from __future__ import annotations

import base64
import binascii
from typing import TypeVar

from pydantic import BaseModel

from services.common.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def encode_cursor(membership_number: str) -> str:
    """The cursor after ``membership_number``: opaque to callers, stable across pages
    because every page is read in membership-number order."""
    return base64.urlsafe_b64encode(membership_number.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, field: str = "after") -> str | None:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
        if not decoded:
            raise ValueError("empty cursor")
        return decoded.decode()
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidInput("The cursor is not one this service gave.",
                           fields={field: "not a cursor from a previous page"}) from None
