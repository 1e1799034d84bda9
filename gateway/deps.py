"""Dependencies routes declare with ``Annotated`` aliases: settings, RPC client, call context.

They are ``async def`` on purpose although none of them awaits anything: FastAPI sends a
plain ``def`` dependency to its thread pool on every request, which cost the gateway about
a fifth of its CPU per call. Keep any new dependency that does no blocking I/O ``async``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from gateway.access import ActorDep
from gateway.context import (
    IDEMPOTENCY_KEY_HEADER,
    IDEMPOTENCY_KEY_PATTERN,
    CallContext,
    current_request_id,
    new_request_id,
)
from gateway.rpc import BrokerUnavailable, RpcClient
from gateway.settings import GatewaySettings


async def get_app_settings(request: Request) -> GatewaySettings:
    return request.app.state.settings


async def get_rpc(request: Request) -> RpcClient:
    rpc = getattr(request.app.state, "rpc", None)
    if rpc is None:
        raise BrokerUnavailable("the RPC client has not started")
    return rpc


ANONYMOUS_ACTOR = "anonymous"
PUBLIC_SCOPE = "public"


async def get_call_context(request: Request, actor: ActorDep) -> CallContext:
    """The context every call of this request carries: the request id and the actor the
    access rule resolved (``gateway.access.authorize``, already run for every route, so
    this costs no second token check); anonymous on public routes."""
    request_id = (
        getattr(request.state, "request_id", None) or current_request_id() or new_request_id()
    )
    context = CallContext(request_id=request_id)
    if actor.account_id is None or actor.role is None:
        # Never leave the actor out: services read a call without one as coming from
        # inside the platform (``system``, unscoped). The ``public`` scope matches no object.
        return context.with_actor(actor_id=ANONYMOUS_ACTOR, actor_role=ANONYMOUS_ACTOR,
                                  actor_scope=PUBLIC_SCOPE)
    return context.with_actor(actor_id=actor.account_id, actor_role=actor.role,
                              actor_scope=actor.scope)


SettingsDep = Annotated[GatewaySettings, Depends(get_app_settings)]
RpcDep = Annotated[RpcClient, Depends(get_rpc)]
CallContextDep = Annotated[CallContext, Depends(get_call_context)]


async def get_idempotent_call_context(
    context: CallContextDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias=IDEMPOTENCY_KEY_HEADER,
            pattern=IDEMPOTENCY_KEY_PATTERN,
            min_length=1,
            max_length=128,
            description=(
                "Makes a write safe to retry: the service applies a keyed write once and "
                "answers a repeat with the stored result. 1-128 characters of "
                "A-Z a-z 0-9 . _ : -"
            ),
        ),
    ] = None,
) -> CallContext:
    """The call context of a write a client may retry, with its ``Idempotency-Key``."""
    return context.with_idempotency_key(idempotency_key)


IdempotentCallContextDep = Annotated[CallContext, Depends(get_idempotent_call_context)]
