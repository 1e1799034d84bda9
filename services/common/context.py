"""Who is calling and for which request: read from nameko's context headers.

The gateway sends ``nameko.request_id``, ``nameko.actor_id``, ``nameko.actor_role``,
``nameko.actor_scope``, ``nameko.idempotency_key`` and ``nameko.deadline_ms``; nameko
hands them to every worker as ``worker_ctx.data`` and forwards them on the calls and
events the worker makes. Outbox events carry them too (see ``event_headers``).
"""

from __future__ import annotations

import contextvars

from nameko.extensions import DependencyProvider

from services.common.call_context import SYSTEM_ACTOR, CallContext

# Keys that describe one request only and must not follow its events downstream.
_REQUEST_ONLY_KEYS = ("deadline_ms", "idempotency_key", "event_id", "event_version")

current_call: contextvars.ContextVar[CallContext | None] = contextvars.ContextVar(
    "current_call", default=None
)


# The longest request id kept (the audit trail's column); longer ones are cut.
MAX_REQUEST_ID = 64


def own_request_id(worker_ctx) -> str:
    """The request id of a call that came without one (a timer, a bare RPC client): the
    random part of nameko's call id (``<service>.<method>.<uuid>``), which fits the audit
    trail whatever the service and method names."""
    return worker_ctx.call_id.rsplit(".", 1)[-1]


def call_context(worker_ctx) -> CallContext:
    """The ``CallContext`` of a nameko worker, from its context headers."""
    data = worker_ctx.data
    return CallContext(
        request_id=str(data.get("request_id") or own_request_id(worker_ctx))[:MAX_REQUEST_ID],
        actor_id=str(data.get("actor_id") or SYSTEM_ACTOR),
        actor_role=str(data.get("actor_role") or SYSTEM_ACTOR),
        actor_scope=data.get("actor_scope"),
        idempotency_key=data.get("idempotency_key"),
        event_id=data.get("event_id"),
        service=worker_ctx.service_name,
        entrypoint=worker_ctx.entrypoint.method_name,
    )


def event_headers(worker_ctx) -> dict:
    """The nameko headers an event recorded by this worker should carry."""
    data = {key: value for key, value in worker_ctx.context_data.items()
            if key not in _REQUEST_ONLY_KEYS and not key.startswith("x-")}
    data.setdefault("request_id", own_request_id(worker_ctx))
    return {f"nameko.{k}": v for k, v in data.items() if v is not None}


class Caller(DependencyProvider):
    """Injects the ``CallContext`` of the current worker, and exposes it to logs."""

    def worker_setup(self, worker_ctx):
        worker_ctx._platform_ctx_token = current_call.set(call_context(worker_ctx))

    def worker_teardown(self, worker_ctx):
        token = getattr(worker_ctx, "_platform_ctx_token", None)
        if token is not None:
            current_call.reset(token)

    def get_dependency(self, worker_ctx):
        return call_context(worker_ctx)
