"""Reading what callers send to the member register: contracts into typed errors, and
the opaque keyset cursor of every page."""

from __future__ import annotations

import base64
import binascii
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.common.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def field_reasons(error: ValidationError) -> dict[str, str]:
    """Every failing field with its reason (``filters.status``: dotted paths); the first
    reason per field, as a person would fix them one by one anyway."""
    reasons: dict[str, str] = {}
    for item in error.errors(include_url=False):
        path = ".".join(str(part) for part in item["loc"]) or "payload"
        reasons.setdefault(path, _reason(item))
    return reasons


def _reason(item: dict[str, Any]) -> str:
    message = item["msg"]
    # pydantic's "Value error, must not be in the future" reads worse than the rule itself.
    return message.removeprefix("Value error, ")


def parse(model: type[M], payload: Any) -> M:
    """``payload`` as ``model``, or InvalidInput naming every bad field."""
    try:
        return model.model_validate(payload if payload is not None else {})
    except ValidationError as exc:
        raise InvalidInput("The request has invalid fields.",
                           fields=field_reasons(exc)) from None


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
