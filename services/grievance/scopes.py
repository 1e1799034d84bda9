"""Who may see and act on which case, checked in the service (the gateway checks roles
too, but is not the only guard).

- ``dealing_officer`` / ``registrar``: unscoped, every case; ``office:<id>``, cases of
  that office or any office below it (a case keeps its office chain, nearest first);
- ``auditor`` / ``inspector`` / ``inquirer`` / ``arbitrator`` (``case:<id>``): that case;
- ``society_representative`` (``society:<id>``): cases about its society;
- whoever opened a case (a citizen, a member, a creditor): that case;
- ``system`` (no actor: a timer, another service) and ``administrator``: everything.
Anyone else is answered as if the case did not exist.
"""

from __future__ import annotations

from typing import Any

from services.common.call_context import SYSTEM_ACTOR, CallContext
from services.common.errors import NotFound

OFFICE_SIDE = ("dealing_officer", "registrar")


def _scopes(ctx: CallContext) -> list[str]:
    return (ctx.actor_scope or "").split()


def scope_ids(ctx: CallContext, kind: str) -> list[str]:
    """The ids the caller's scopes name of one kind (``case``, ``society``...)."""
    return [s.split(":", 1)[1] for s in _scopes(ctx) if s.startswith(f"{kind}:")]


def is_system(ctx: CallContext) -> bool:
    return ctx.actor_role == SYSTEM_ACTOR and not ctx.scoped


def office_reach(ctx: CallContext) -> list[str] | None:
    """The office ids an office-side grant names (None: every office); [] for others."""
    if is_system(ctx) or ctx.actor_role == "administrator":
        return None
    if ctx.actor_role not in OFFICE_SIDE:
        return []
    if not ctx.scoped:
        return None
    return scope_ids(ctx, "office")


def reaches(ctx: CallContext, row: Any) -> bool:
    """Office-side staff whose grant covers the case's office (or the platform)."""
    reach = office_reach(ctx)
    if reach is None:
        return is_system(ctx) or ctx.actor_role in (*OFFICE_SIDE, "administrator")
    return any(office in reach for office in (row.office_ids or []))


def is_complainant(ctx: CallContext, row: Any) -> bool:
    return ctx.actor_id == row.opened_by and not is_system(ctx)


def may_see(ctx: CallContext, row: Any) -> bool:
    if reaches(ctx, row) or is_complainant(ctx, row):
        return True
    if f"case:{row.id}" in _scopes(ctx):
        return True
    return (ctx.actor_role == "society_representative" and row.society_id is not None
            and f"society:{row.society_id}" in _scopes(ctx))


def ensure_visible(ctx: CallContext, row: Any) -> None:
    if not may_see(ctx, row):
        raise NotFound("No such case.", {"case_id": row.id})


def acting_role(ctx: CallContext, row: Any) -> str:
    """The role the engine weighs: an office-side role only where the grant reaches
    the case's office, a case worker's only with the ``case:<id>`` grant."""
    if is_system(ctx):
        return SYSTEM_ACTOR
    if ctx.actor_role in OFFICE_SIDE:
        return ctx.actor_role if reaches(ctx, row) else "outside_office"
    if ctx.actor_role in ("auditor", "inspector", "inquirer", "arbitrator"):
        return ctx.actor_role if f"case:{row.id}" in _scopes(ctx) else "outside_case"
    return ctx.actor_role
