"""Who may file, read and decide which filing, checked in the service (the gateway checks
roles too, but is not the only guard).

- ``society_representative`` (``society:<id>``): files and reads its society's returns;
- ``dealing_officer`` / ``registrar``: unscoped (national), every filing; with
  ``office:<id>``, the filings of that office and of every society or office below it
  (a filing carries its filer's office chain, taken from the registry when it is made).
  Both file the office's own returns and accept or return filings;
- ``administrator`` and ``registrar`` (unscoped) publish form definitions;
- ``system`` (no actor: a timer, another service): everything.
Anyone else is answered as if the filing did not exist.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, false, or_, true

from services.common import like
from services.common.call_context import SYSTEM_ACTOR, CallContext
from services.common.errors import Forbidden, NotFound

STAFF = ("dealing_officer", "registrar")
REPRESENTATIVE = "society_representative"


def scoped_ids(ctx: CallContext, kind: str) -> list[str]:
    found = []
    for part in (ctx.actor_scope or "").split():
        k, sep, ident = part.partition(":")
        if sep and k == kind:
            found.append(ident)
    return found


def is_system(ctx: CallContext) -> bool:
    return ctx.actor_role == SYSTEM_ACTOR and not ctx.scoped


def is_national_staff(ctx: CallContext) -> bool:
    return is_system(ctx) or (ctx.actor_role in STAFF and not ctx.scoped)


def staff_reaches(ctx: CallContext, office_chain: list[str]) -> bool:
    """Staff whose grant covers an office in ``office_chain`` (the filer's office up)."""
    if is_national_staff(ctx):
        return True
    if ctx.actor_role not in STAFF:
        return False
    return any(office in office_chain for office in scoped_ids(ctx, "office"))


def chain_names(column: Any, offices: list[str]) -> Any:
    """SQL: the office chain in ``column`` (a JSON list of ids) names one of ``offices``,
    each id in quotes and matched as itself, so ``mp`` never matches ``mp-bhopal`` nor
    ``m_`` ``mp``."""
    if not offices:
        return false()
    return or_(*[cast(column, String).like(f'%"{like.literal(office)}"%', escape=like.ESCAPE)
                 for office in offices])


def staff_reach_clause(ctx: CallContext, column: Any) -> Any:
    """``staff_reaches`` in SQL over the office chain in ``column``."""
    if is_national_staff(ctx):
        return true()
    if ctx.actor_role not in STAFF:
        return false()
    return chain_names(column, scoped_ids(ctx, "office"))


def page(session: Any, stmt: Any, offset: int, limit: int, as_dict: Any) -> dict:
    """One page of ``stmt`` (ordered) read in SQL: ``limit`` rows from ``offset`` and
    whether there are more."""
    rows = session.execute(stmt.offset(offset).limit(limit + 1)).all()
    return {"items": [as_dict(row) for row in rows[:limit]],
            "next_offset": offset + limit if len(rows) > limit else None}


def may_file(ctx: CallContext, filer_kind: str, filer_id: str,
             office_chain: list[str]) -> bool:
    if filer_kind == "society":
        return is_system(ctx) or (ctx.actor_role == REPRESENTATIVE
                                  and filer_id in scoped_ids(ctx, "society"))
    return staff_reaches(ctx, office_chain)


def may_see(ctx: CallContext, row: Any) -> bool:
    return staff_reaches(ctx, row.office_chain) or may_file(
        ctx, row.filer_kind, row.filer_id, row.office_chain)


def ensure_visible(ctx: CallContext, row: Any) -> None:
    if not may_see(ctx, row):
        raise NotFound("No such filing.", {"filing_id": row.id})


def ensure_filer(ctx: CallContext, row: Any) -> None:
    ensure_visible(ctx, row)
    if not may_file(ctx, row.filer_kind, row.filer_id, row.office_chain):
        raise Forbidden("Only the filer may change or submit this return.",
                        {"your_role": ctx.actor_role})


def ensure_decider(ctx: CallContext, row: Any) -> None:
    """Registrars and dealing officers over the filer accept or return a filing."""
    ensure_visible(ctx, row)
    if not staff_reaches(ctx, row.office_chain):
        raise Forbidden("Only the registrar's office over the filer may accept or return "
                        "a return.", {"required_roles": list(STAFF),
                                      "your_role": ctx.actor_role})


def ensure_publisher(ctx: CallContext) -> None:
    if not (is_system(ctx) or (ctx.actor_role in ("administrator", "registrar")
                               and not ctx.scoped)):
        raise Forbidden("Only an administrator or a registrar without an office scope may "
                        "publish form definitions.",
                        {"required_roles": ["administrator", "registrar"],
                         "your_role": ctx.actor_role})
