"""The sweep: late cases (``due_at`` passed, not closed) move one level up their office
chain, or straight to the top level once the overall clock has run out. Exactly once per
level even with several replicas sweeping: the rows are taken ``FOR UPDATE SKIP LOCKED``
(PostgreSQL: a second replica skips what the first holds) and each is updated only
``WHERE level = <the level read>``; SQLite, one writer at a time, needs neither.

The assignee stays responsible (the escalation matrix adds the next office; it does not
take the case from the officer). A case late at its top level keeps its level and loses
its level clock (``due_at`` NULL), recorded once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from services.common.contracts import grievance as contracts
from services.grievance.escalation.sla import sla_for
from services.grievance.tables import case, case_event


def late_cases(session: Any, now: datetime, batch: int) -> list[Any]:
    query = (select(case.c.id, case.c.number, case.c.kind, case.c.level, case.c.office_id,
                    case.c.office_ids, case.c.category, case.c.opened_by, case.c.language,
                    case.c.assignee, case.c.overall_due_at, case.c.due_at,
                    case.c.state)
             .where(case.c.due_at <= now, case.c.closed_at.is_(None))
             .order_by(case.c.due_at).limit(batch)
             .with_for_update(skip_locked=True, of=case))
    return session.execute(query).all()


def escalate(session: Any, row: Any, now: datetime) -> tuple[Any, dict] | None:
    """Escalate one late case (already locked): (event, audit changes), or None when
    another sweep moved it first."""
    sla = sla_for(row.category, list(row.office_ids or []))
    top = len(sla.level_days) - 1
    overall_out = row.overall_due_at is not None and row.overall_due_at <= now
    if row.level >= top:
        done = session.execute(update(case).where(case.c.id == row.id,
                                                  case.c.level == row.level)
                               .values(due_at=None, updated_at=now))
        if done.rowcount != 1:
            return None
        _history(session, row, "late_at_top_level", row.level, row.office_id, now)
        return None
    level = top if overall_out else row.level + 1
    chain = list(row.office_ids or [row.office_id])
    office_id = chain[min(level, len(chain) - 1)]
    due_at = now + timedelta(days=sla.level_days[level])
    done = session.execute(update(case).where(case.c.id == row.id, case.c.level == row.level)
                           .values(level=level, office_id=office_id, due_at=due_at,
                                   updated_at=now))
    if done.rowcount != 1:
        return None
    _history(session, row, "escalate", level, office_id, now)
    event = contracts.CaseEscalatedV1(
        case_id=row.id, number=row.number, kind=row.kind, from_level=row.level,
        to_level=level, from_office_id=row.office_id, to_office_id=office_id,
        assignee=row.assignee, due_at=due_at, overall_breached=overall_out,
        opened_by=row.opened_by, language=row.language)
    return event, {"from_level": row.level, "to_level": level,
                   "from_office_id": row.office_id, "to_office_id": office_id,
                   "was_due_at": row.due_at.isoformat(), "overall_breached": overall_out}


def _history(session: Any, row: Any, action: str, level: int, office_id: str | None,
             now: datetime) -> None:
    session.execute(insert(case_event).values(
        case_id=row.id, action=action, from_state=row.state, to_state=row.state,
        actor_id="system", actor_role="system",
        note=f"level {row.level} -> {level}, office {office_id}",
        document_ids=[], at=now))
