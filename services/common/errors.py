"""Typed errors that services raise and the gateway maps to HTTP statuses.

They cross the bus through nameko's exception serialisation: the reply carries
``exc_path`` (``services.common.errors.<Name>``), ``exc_type`` and ``exc_args``,
which are always ``[message, details as a JSON string]``: nameko turns every
non-string scalar in ``exc_args`` into a string, so details travel as JSON text to
arrive with their numbers, booleans and nulls intact.
This module is pure: no nameko, no eventlet, so the gateway imports it too.
"""

from __future__ import annotations

import json
from typing import Any

ERRORS_MODULE = __name__


class PlatformError(Exception):
    """A failure the caller caused or can act on; never a bug."""

    code = "platform_error"
    http_status = 400

    def __init__(self, message: str, details: dict[str, Any] | str | None = None):
        if isinstance(details, str):  # rebuilt from the wire
            details = json.loads(details) if details else {}
        self._details = dict(details or {})
        super().__init__(str(message), json.dumps(self._details, sort_keys=True, default=str))

    @property
    def message(self) -> str:
        return self.args[0]

    @property
    def details(self) -> dict[str, Any]:
        return self._details

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class NotFound(PlatformError):
    """The object does not exist, or the caller may not know that it exists."""

    code = "not_found"
    http_status = 404


class InvalidInput(PlatformError):
    """The request is malformed; ``details["fields"]`` maps each field to its reason."""

    code = "invalid_input"
    http_status = 422

    def __init__(self, message: str, details: dict[str, Any] | str | None = None, *,
                 fields: dict[str, str] | None = None):
        merged = json.loads(details) if isinstance(details, str) and details else dict(
            details or {})
        if fields is not None:
            merged["fields"] = dict(fields)
        super().__init__(message, merged)

    @property
    def fields(self) -> dict[str, str]:
        return self.details.get("fields", {})


class Unauthenticated(PlatformError):
    """No valid identity came with the request."""

    code = "unauthenticated"
    http_status = 401


class Forbidden(PlatformError):
    """The caller is known but lacks the role or the scope for this action."""

    code = "forbidden"
    http_status = 403


class Conflict(PlatformError):
    """The action is not allowed from the object's current state."""

    code = "conflict"
    http_status = 409


class OutsideWindow(PlatformError):
    """The action is allowed only inside a dated window that is not open now.

    ``details`` names the window: ``opens_at`` and ``closes_at`` (ISO 8601).
    """

    code = "outside_window"
    http_status = 409


class RateLimited(PlatformError):
    """Too many attempts; ``details["retry_after_seconds"]`` says when to try again."""

    code = "rate_limited"
    http_status = 429


TYPED_ERRORS: dict[str, type[PlatformError]] = {
    cls.__name__: cls
    for cls in (NotFound, InvalidInput, Unauthenticated, Forbidden, Conflict, OutsideWindow,
                RateLimited)
}


def from_remote(exc_path: str | None, exc_args: list[Any] | None) -> PlatformError | None:
    """Rebuild a typed error from nameko's serialised form, or None if it is not one."""
    if not exc_path or not exc_path.startswith(ERRORS_MODULE + "."):
        return None
    cls = TYPED_ERRORS.get(exc_path.rsplit(".", 1)[1])
    if cls is None:
        return None
    args = list(exc_args or [])
    message = str(args[0]) if args else cls.code
    details = args[1] if len(args) > 1 and isinstance(args[1], str | dict) else {}
    try:
        return cls(message, details)
    except ValueError:  # details that are not JSON: keep the message at least
        return cls(message)
