"""Registry reports: societies by state, type, status or registration year, and
applications by stage, kind or overdue, for an office and everything below it (the
hierarchy rolls up: a state's figures include its districts)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import Forbidden, InvalidInput
from services.registry import scopes
from services.registry.applications import workflow as applications
from services.registry.applications.tables import application
from services.registry.offices import hierarchy as offices
from services.registry.societies.tables import society

SOCIETY_DIMENSIONS = ("state", "type", "status", "registration_year")
APPLICATION_DIMENSIONS = ("stage", "kind", "overdue")


def reach(session: Session, ctx: CallContext, office_id: str | None) -> list[str] | None:
    """The offices a report covers: the one asked for and those below it, within what
    the caller's grant reaches (None: every office)."""
    if not scopes.is_staff(ctx):
        raise Forbidden("Reports are for the registrar's offices.")
    allowed = scopes.offices_under(session, ctx)
    if office_id is None:
        return allowed
    offices.office_row(session, office_id)
    scopes.ensure_office(session, ctx, office_id)
    return offices.subtree(session, office_id)


def _scoped(statement, column, reachable: list[str] | None):
    return statement if reachable is None else statement.where(column.in_(reachable))


def societies_by(session: Session, by: str, reachable: list[str] | None) -> dict[str, Any]:
    if by not in SOCIETY_DIMENSIONS:
        raise InvalidInput("Not a society report.", fields={
            "by": "one of " + ", ".join(SOCIETY_DIMENSIONS)})
    col = getattr(society.c, by)
    statement = _scoped(select(col, func.count()).group_by(col).order_by(col),
                        society.c.office_id, reachable)
    rows = [{by: value, "count": count} for value, count in session.execute(statement)]
    return {"by": by, "rows": rows, "total": sum(r["count"] for r in rows)}


def applications_by(session: Session, by: str, reachable: list[str] | None) -> dict[str, Any]:
    if by not in APPLICATION_DIMENSIONS:
        raise InvalidInput("Not an application report.", fields={
            "by": "one of " + ", ".join(APPLICATION_DIMENSIONS)})
    if by != "overdue":
        col = getattr(application.c, by)
        statement = _scoped(select(col, func.count()).group_by(col).order_by(col),
                            application.c.office_id, reachable)
        rows = [{by: value, "count": count} for value, count in session.execute(statement)]
        return {"by": by, "rows": rows, "total": sum(r["count"] for r in rows)}
    # Open applications past their stage's deadline, by office and stage: who is late on
    # what (the office's performance view).
    now = datetime.now(UTC)
    late = case((application.c.deadline < now, 1), else_=0)
    statement = _scoped(
        select(application.c.office_id, application.c.stage, func.count(),
               func.sum(late))
        .where(application.c.stage.notin_(("draft", *applications.TERMINAL)))
        .group_by(application.c.office_id, application.c.stage)
        .order_by(application.c.office_id, application.c.stage),
        application.c.office_id, reachable)
    rows = [{"office_id": o, "stage": s, "open": n, "overdue": int(late_n or 0)}
            for o, s, n, late_n in session.execute(statement)]
    return {"by": by, "rows": rows, "total": sum(r["overdue"] for r in rows)}
