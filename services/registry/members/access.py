"""Who may keep or read a society's member register, checked in the service (the
gateway checks it too, but it is not the only guard):

- the society's representatives, by a ``society:<id>`` grant naming it;
- the registrar's office (``registrar``, ``dealing_officer``): unscoped, every society;
  ``office:<id>``, the societies of that office or any office below it;
- the platform (``system``: another service, a timer).

Anyone else, an unscoped representative included, is answered as if the society did not
exist: a register's existence is not revealed.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import NotFound
from services.registry import scopes
from services.registry.societies import register as societies


def ensure_register(session: Session, ctx: CallContext, society_id: str) -> None:
    if scopes.is_system(ctx):
        return
    if (ctx.actor_role == "society_representative"
            and society_id in scopes.scoped_ids(ctx, "society")):
        return
    if ctx.actor_role in scopes.OFFICE_SIDE:
        row = societies.society_row(session, society_id)
        if scopes.reaches_office(session, ctx, row.office_id):
            return
    raise NotFound("No such society.", {"society_id": society_id})
