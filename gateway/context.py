"""What one request carries: its id (a context variable) and the context sent on every call."""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

HEADER_PREFIX = "nameko."
REQUEST_ID_HEADER = "X-Request-ID"
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"

REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"

_request_id: ContextVar[str | None] = ContextVar("gateway_request_id", default=None)


def new_request_id() -> str:
    """32 random hex digits (128 random bits; a uuid4 has 122). Made without a ``UUID``
    object, at a quarter of ``uuid.uuid4().hex``'s cost: it runs for most requests."""
    return os.urandom(16).hex()


def accept_request_id(candidate: str | None) -> str:
    """The client's request id when it is well formed, else a fresh one."""
    if candidate and REQUEST_ID_PATTERN.match(candidate):
        return candidate
    return new_request_id()


def current_request_id() -> str | None:
    """The id of the request being handled by this task, if any."""
    return _request_id.get()


def bind_request_id(request_id: str | None) -> Any:
    """Set the current request id; returns a token for :func:`reset_request_id`."""
    return _request_id.set(request_id)


def reset_request_id(token: Any) -> None:
    _request_id.reset(token)


@dataclass(frozen=True, slots=True)
class CallContext:
    """Who asks and for which request; travels as nameko context headers on every call.

    The actor fields stay ``None`` until the route's access rule fills them with
    :meth:`with_actor` (``gateway.deps.get_call_context``: anonymous callers become actor
    ``anonymous`` with scope ``public``). ``actor_scope`` is the acting grant's scope
    (``"society:42"``), absent for an unscoped grant.
    """

    request_id: str
    actor_id: str | None = None
    actor_role: str | None = None
    actor_scope: str | None = None
    idempotency_key: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.actor_id is None

    def with_actor(
        self, *, actor_id: str, actor_role: str, actor_scope: str | None = None,
    ) -> CallContext:
        return replace(self, actor_id=actor_id, actor_role=actor_role, actor_scope=actor_scope)

    def with_idempotency_key(self, key: str | None) -> CallContext:
        return replace(self, idempotency_key=key)

    def headers(self) -> dict[str, Any]:
        """The context as nameko headers; keys without a value are left out."""
        values = {
            "request_id": self.request_id,
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "actor_scope": self.actor_scope,
            "idempotency_key": self.idempotency_key,
        }
        return {HEADER_PREFIX + key: value for key, value in values.items() if value is not None}
