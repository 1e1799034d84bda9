"""Who may see and act on which election, checked in the service (the gateway checks
roles and the ``election:<id>`` scope in the path too, but is not the only guard).

- ``cea_official``: every election; creates orders, amends programmes, approves forms;
- ``returning_officer`` (``election:<id>``): runs that election, decides;
- ``assistant_returning_officer`` (``election:<id>``): helps run it (records, enters
  booth results where assigned), decides nothing the rules leave to the RO;
- ``society_representative`` (``society:<id>``): reads its society's elections;
- ``system`` (no actor: a timer, another service): everything.
Anyone else is answered as if the election did not exist.
"""

from __future__ import annotations

from typing import Any

from services.common.call_context import SYSTEM_ACTOR, CallContext
from services.common.errors import Forbidden, NotFound

CEA = "cea_official"
RO = "returning_officer"
ARO = "assistant_returning_officer"


def _scopes(ctx: CallContext) -> list[str]:
    return (ctx.actor_scope or "").split()


def is_system(ctx: CallContext) -> bool:
    return ctx.actor_role == SYSTEM_ACTOR and not ctx.scoped


def is_cea(ctx: CallContext) -> bool:
    return ctx.actor_role == CEA or is_system(ctx)


def runs(ctx: CallContext, election_id: str) -> bool:
    """The RO or an ARO of this election (or the platform itself)."""
    return is_system(ctx) or (ctx.actor_role in (RO, ARO)
                              and f"election:{election_id}" in _scopes(ctx))


def may_see(ctx: CallContext, row: Any) -> bool:
    if is_cea(ctx) or runs(ctx, row.id):
        return True
    return (ctx.actor_role == "society_representative"
            and f"society:{row.society_id}" in _scopes(ctx))


def ensure_visible(ctx: CallContext, row: Any) -> None:
    if not may_see(ctx, row):
        raise NotFound("No such election.", {"election_id": row.id})


def ensure_cea(ctx: CallContext, action: str) -> None:
    if not is_cea(ctx):
        raise Forbidden(f"Only the Co-operative Election Authority may {action}.",
                        {"required_roles": [CEA], "your_role": ctx.actor_role})


def ensure_officer(ctx: CallContext, row: Any, action: str) -> None:
    """The RO or an ARO of this election; others of the CEA side are refused (403),
    anyone who cannot see it gets 404."""
    ensure_visible(ctx, row)
    if not runs(ctx, row.id):
        raise Forbidden(f"Only this election's returning officers may {action}.",
                        {"required_roles": [RO, ARO], "your_role": ctx.actor_role})


def ensure_ro(ctx: CallContext, row: Any, action: str) -> None:
    """The Returning Officer alone (scrutiny decisions, reconciliations, draws of lots)."""
    ensure_visible(ctx, row)
    if not (is_system(ctx) or (ctx.actor_role == RO
                               and f"election:{row.id}" in _scopes(ctx))):
        raise Forbidden(f"Only the Returning Officer may {action}.",
                        {"required_roles": [RO], "your_role": ctx.actor_role})
