"""Cases on a session: open, move through the engine, read. Plain functions; the
entrypoint commits (through ``Commands._write``)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, false, func, insert, or_, select, update
from sqlalchemy.orm import Session

from services.common import like
from services.common.call_context import CallContext
from services.common.errors import Conflict, InvalidInput, NotFound
from services.grievance import engine, scopes
from services.grievance.cases import rollup
from services.grievance.escalation import versions as sla_versions
from services.grievance.kinds import Kind, published
from services.grievance.tables import case, case_event

# Actions that may name the officer, inquirer, inspector or arbitrator who takes the case.
ASSIGNING = ("assign", "order", "refer", "admit")

PREFIX = {"grievance": "GRV", "inquiry": "INQ", "inspection": "INS", "arbitration": "ARB",
          "appeal": "APL", "court_case": "CRT"}


def new_number(kind: str, now: datetime) -> str:
    return f"{PREFIX[kind]}/{now.year}/{uuid.uuid4().hex[:8].upper()}"


def case_row(session: Session, case_id: str, *, for_update: bool = False) -> Any:
    query = select(case).where(case.c.id == case_id)
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).one_or_none()
    if row is None:
        raise NotFound("No such case.", {"case_id": case_id})
    return row


def visible_case(session: Session, ctx: CallContext, case_id: str) -> Any:
    row = case_row(session, case_id)
    scopes.ensure_visible(ctx, row)
    return row


def open_case(session: Session, ctx: CallContext, kind: Kind, now: datetime,
              **values: Any) -> str:
    engine.ensure_may_open(kind, ctx.actor_role)
    case_id = str(uuid.uuid4())
    document_ids = values.pop("document_ids", [])
    due_at, overall_due_at = engine.next_due(kind, None, now), None
    if kind.name == "grievance":
        # A grievance's clocks are its SLA's (the version in force now, kept on the
        # case): level 0's days and the overall days.
        values["sla"] = sla = sla_versions.in_force(
            session, values.get("category"), list(values.get("office_ids") or []), now)
        due_at = now + timedelta(days=sla["level_days"][0])
        overall_due_at = now + timedelta(days=sla["overall_days"])
    session.execute(insert(case).values(
        id=case_id, number=new_number(kind.name, now), kind=kind.name,
        kind_version=kind.version, state=kind.initial, state_since=now,
        due_at=due_at, overall_due_at=overall_due_at, level=0,
        opened_by=ctx.actor_id, opened_by_role=ctx.actor_role, opened_at=now,
        updated_at=now, **values))
    _history(session, case_id, "open", None, kind.initial, ctx, values.get("description"),
             document_ids, now)
    rollup.opened(session, case_id, now)
    return case_id


def _history(session: Session, case_id: str, action: str, from_state: str | None,
             to_state: str, ctx: CallContext, note: str | None, document_ids: list[str],
             now: datetime) -> None:
    session.execute(insert(case_event).values(
        case_id=case_id, action=action, from_state=from_state, to_state=to_state,
        actor_id=ctx.actor_id, actor_role=ctx.actor_role, note=note,
        document_ids=list(document_ids), at=now))


def take(session: Session, ctx: CallContext, command: Any, now: datetime) -> tuple[Any, Any]:
    """Apply ``command.action`` to the case (row locked): (the row before, the kind)."""
    row = case_row(session, command.case_id, for_update=True)
    scopes.ensure_visible(ctx, row)
    kind = published.kind_of(session, row.kind, row.kind_version)
    transition = engine.check(kind, row.state, command.action,
                              role=scopes.acting_role(ctx, row),
                              is_complainant=scopes.is_complainant(ctx, row),
                              entered_at=row.state_since, now=now)
    changes: dict[str, Any] = {"state": transition.to, "updated_at": now}
    if transition.to != row.state or transition.deadline_days is not None:
        changes["state_since"] = now
        changes["due_at"] = engine.next_due(kind, transition, now)
    if transition.to in kind.closed_states or transition.to == "resolved":
        changes["due_at"] = None             # no clock while the complainant rates
    if transition.to in kind.closed_states:
        changes["closed_at"] = now
    elif row.closed_at is not None:
        changes["closed_at"] = None
    if command.action in ASSIGNING and command.assignee:
        changes["assignee"] = command.assignee
    if command.action == "assign":
        if not command.assignee:
            raise InvalidInput("Name the officer the case is assigned to.",
                               fields={"assignee": "required to assign"})
        changes["assignee"] = command.assignee
    if command.action == "rate":
        if command.rating is None:
            raise InvalidInput("A rating from 1 to 5 is required.",
                               fields={"rating": "required to rate"})
        changes["rating"], changes["feedback"] = command.rating, command.note
    if command.action in ("reply", "resolve", "ask_complainant") and not command.note:
        raise InvalidInput(f"'{command.action}' needs the text the complainant reads.",
                           fields={"note": "required"})
    done = session.execute(update(case).where(case.c.id == row.id,
                                              case.c.state == row.state).values(**changes))
    if done.rowcount != 1:
        raise Conflict("The case changed meanwhile; read it again.", {"case_id": row.id})
    was = rollup.is_resolved(row.state, row.closed_at)
    now_resolved = rollup.is_resolved(transition.to, changes.get("closed_at", row.closed_at))
    if was or now_resolved:
        rollup.moved(session, row.id, was, now_resolved, now)
    _history(session, row.id, command.action, row.state, transition.to, ctx, command.note,
             command.document_ids, now)
    return row, kind


def history(session: Session, case_id: str) -> list[dict[str, Any]]:
    rows = session.execute(select(case_event).where(case_event.c.case_id == case_id)
                           .order_by(case_event.c.id))
    return [{"action": r.action, "from_state": r.from_state, "to_state": r.to_state,
             "actor_id": r.actor_id, "actor_role": r.actor_role, "note": r.note,
             "document_ids": list(r.document_ids or []), "at": r.at.isoformat()}
            for r in rows]


def case_dict(session: Session, ctx: CallContext, row: Any) -> dict[str, Any]:
    kind = published.kind_of(session, row.kind, row.kind_version)
    return {
        "id": row.id, "number": row.number, "kind": row.kind,
        "kind_version": row.kind_version, "state": row.state,
        "state_since": row.state_since.isoformat(),
        "due_at": row.due_at.isoformat() if row.due_at else None, "level": row.level,
        "overall_due_at": row.overall_due_at.isoformat() if row.overall_due_at else None,
        "society_id": row.society_id, "office_id": row.office_id, "desk": row.desk,
        "category": row.category, "subject": row.subject, "description": row.description,
        "against_type": row.against_type, "against_name": row.against_name,
        "complainant_type": row.complainant_type, "language": row.language,
        "opened_by": row.opened_by, "assignee": row.assignee, "rating": row.rating,
        "feedback": row.feedback, "opened_at": row.opened_at.isoformat(),
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
        "reference": row.reference, "court": row.court,
        "order_date": row.order_date.isoformat() if row.order_date else None,
        "parties": row.parties, "sla": row.sla,
        "allowed_actions": engine.allowed_actions(
            kind, row.state, scopes.acting_role(ctx, row), scopes.is_complainant(ctx, row)),
    }


def list_for(session: Session, ctx: CallContext, query: Any) -> dict[str, Any]:
    """Cases the caller may see, filtered (kind, state, office, category, open or
    closed), newest first or by the level's deadline; ``next_offset`` when more."""
    conditions = []
    reach = scopes.office_reach(ctx)
    if query.mine:
        conditions.append(case.c.opened_by == ctx.actor_id)
    elif reach == []:
        conditions.append(_named_by_grants(ctx))
    elif reach is not None:
        # Office grants: the case's chain names the granted office (JSON list, any SQL).
        conditions.append(case.c.office_id.in_(reach) | _chain_names(reach))
    for column, value in (("kind", query.kind), ("state", query.state),
                          ("office_id", query.office_id), ("category", query.category)):
        if value is not None:
            conditions.append(case.c[column] == value)
    if query.open is not None:
        conditions.append(case.c.closed_at.is_(None) if query.open
                          else case.c.closed_at.is_not(None))
    base = select(case).where(*conditions)
    total = session.execute(select(func.count()).select_from(base.subquery())).scalar()
    rows = session.execute(base.order_by(*_ORDER[query.order])
                           .limit(query.limit + 1).offset(query.offset)).all()
    more = len(rows) > query.limit
    return {"items": [case_dict(session, ctx, r) for r in rows[:query.limit]],
            "total": total,
            "next_offset": query.offset + query.limit if more else None}


# The queue's orders. "due": the level's deadline soonest first; a case with no clock
# running (closed, or waiting on the complainant's rating) after every case with one.
_ORDER = {
    "newest": (case.c.opened_at.desc(), case.c.id),
    # NULLS LAST (not "due_at IS NULL" first) lets PostgreSQL walk ix_grievance_case_due:
    # the first page of an office's 166,667 open cases of 1,000,000 in 1 ms, against 76 ms
    # sorting them (docs/grievance.md, "Speed").
    "due": (case.c.due_at.asc().nulls_last(), case.c.opened_at, case.c.id),
}


def _named_by_grants(ctx: CallContext):
    """Outside the office side: the cases the caller opened, the cases its ``case:``
    grants name (an inspector on two inquiries lists both) and, for a society's
    representative, the cases about its societies (as ``scopes.may_see`` says)."""
    granted = scopes.scope_ids(ctx, "case")
    societies = (scopes.scope_ids(ctx, "society")
                 if ctx.actor_role == "society_representative" else [])
    return or_(case.c.opened_by == ctx.actor_id,
               case.c.id.in_(granted) if granted else false(),
               case.c.society_id.in_(societies) if societies else false())


def _chain_names(reach: list[str]):
    """The case's office chain (a JSON list of ids) names an office of ``reach``: the
    id in quotes and matched as itself, so ``mp`` never matches ``mp-bhopal`` nor
    ``m_`` ``mp``."""
    return or_(*[cast(case.c.office_ids, String).like(f'%"{like.literal(office)}"%',
                                                      escape=like.ESCAPE)
                 for office in reach]) if reach else case.c.id.is_(None)

