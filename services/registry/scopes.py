"""Who may touch which society and application, checked in the service (the gateway
checks roles; only the service knows which office an application belongs to).

- ``applicant``: the applications the account created (``application:<id>`` narrows it
  to one);
- ``society_representative`` (``society:<id>``): its own society and its applications;
- ``dealing_officer`` / ``registrar``: unscoped, everything; ``office:<id>``, what
  belongs to that office or any office below it;
- ``liquidator`` (``society:<id>``): that society's liquidation;
- ``system`` (no actor: another service, a timer): everything.
Anything else is refused as if the object did not exist.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.common.call_context import SYSTEM_ACTOR, CallContext
from services.common.errors import Forbidden, NotFound
from services.registry.offices.hierarchy import covers, subtree

APPLICANT_SIDE = ("applicant", "society_representative")
OFFICE_SIDE = ("dealing_officer", "registrar")


def scope_pairs(ctx: CallContext) -> list[tuple[str, str]]:
    pairs = []
    for part in (ctx.actor_scope or "").split():
        kind, sep, ident = part.partition(":")
        if sep:
            pairs.append((kind, ident))
    return pairs


def scoped_ids(ctx: CallContext, kind: str) -> list[str]:
    return [ident for k, ident in scope_pairs(ctx) if k == kind]


def is_system(ctx: CallContext) -> bool:
    return ctx.actor_role == SYSTEM_ACTOR and not ctx.scoped


def is_staff(ctx: CallContext) -> bool:
    return ctx.actor_role in OFFICE_SIDE or is_system(ctx)


def reaches_office(session: Session, ctx: CallContext, office_id: str) -> bool:
    """True for staff whose grant covers ``office_id``."""
    if is_system(ctx):
        return True
    if ctx.actor_role not in OFFICE_SIDE:
        return False
    if not ctx.scoped:
        return True
    return any(covers(session, scope, office_id) for scope in scoped_ids(ctx, "office"))


def offices_under(session: Session, ctx: CallContext) -> list[str] | None:
    """The office ids a staff grant reaches (None: all of them)."""
    if is_system(ctx) or (ctx.actor_role in OFFICE_SIDE and not ctx.scoped):
        return None
    found: list[str] = []
    if ctx.actor_role in OFFICE_SIDE:
        for root in scoped_ids(ctx, "office"):
            found.extend(o for o in subtree(session, root) if o not in found)
    return found


def ensure_office(session: Session, ctx: CallContext, office_id: str) -> None:
    if not reaches_office(session, ctx, office_id):
        raise NotFound("No such office.", {"office_id": office_id})


def may_see_society(session: Session, ctx: CallContext, row: Any) -> bool:
    if reaches_office(session, ctx, row.office_id):
        return True
    return (ctx.actor_role in ("society_representative", "liquidator", "auditor",
                               "inspector", "inquirer", "arbitrator")
            and row.id in scoped_ids(ctx, "society"))


def ensure_society(session: Session, ctx: CallContext, row: Any) -> None:
    if not may_see_society(session, ctx, row):
        raise NotFound("No such society.", {"society_id": row.id})


def may_see_application(session: Session, ctx: CallContext, row: Any) -> bool:
    role = ctx.actor_role
    if role == "applicant":
        scoped = scoped_ids(ctx, "application")
        if ctx.scoped and row.id not in scoped:
            return False
        return row.applicant_id == ctx.actor_id or row.id in scoped
    if role == "society_representative":
        return row.society_id is not None and row.society_id in scoped_ids(ctx, "society")
    return reaches_office(session, ctx, row.office_id)


def ensure_application(session: Session, ctx: CallContext, row: Any) -> None:
    if not may_see_application(session, ctx, row):
        raise NotFound("No such application.", {"application_id": row.id})


def ensure_role(ctx: CallContext, roles: tuple[str, ...], action: str) -> None:
    if ctx.actor_role not in roles and not is_system(ctx):
        raise Forbidden(f"Your role may not {action.replace('_', ' ')}.",
                        {"required_roles": list(roles), "your_role": ctx.actor_role})
