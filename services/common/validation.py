"""Reading RPC payloads into contracts: one way for every service.

A payload that breaks its contract becomes one ``InvalidInput`` naming every bad field by
its dotted path (``filters.status``, ``promoters.0.name``), the same keys the gateway's
own 422s use, so a client reads both alike.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.common.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def field_reasons(error: ValidationError, prefix: str = "") -> dict[str, str]:
    """Every failing field with its reasons (joined with "; " when a field breaks
    several rules), keyed by dotted path under ``prefix``."""
    reasons: dict[str, str] = {}
    for item in error.errors(include_url=False):
        path = ".".join(str(part) for part in item["loc"])
        path = prefix + path if path else (prefix.rstrip(".") or "payload")
        # pydantic's "Value error, must not be in the future" reads worse than the rule.
        reason = str(item["msg"]).removeprefix("Value error, ")
        reasons[path] = f"{reasons[path]}; {reason}" if path in reasons else reason
    return reasons


def parse(model: type[M], payload: Any, prefix: str = "") -> M:
    """``payload`` as ``model``, or InvalidInput naming every bad field."""
    try:
        return model.model_validate(payload if payload is not None else {})
    except ValidationError as exc:
        raise InvalidInput("The request has invalid fields; see details.fields.",
                           fields=field_reasons(exc, prefix)) from None
