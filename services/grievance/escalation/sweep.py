"""The sweep: late cases (``due_at`` passed, not closed) move one level up their office
chain, or straight to the top level once the overall clock has run out. Exactly once per
level even with several replicas sweeping: the rows are taken ``FOR UPDATE SKIP LOCKED``
(PostgreSQL: a second replica skips what the first holds) and updated only ``WHERE level
= <the level read>`` (``RETURNING`` says which were); SQLite, one writer at a time,
needs neither.

A batch is written in a few statements: one UPDATE per (level, office, deadline) group,
one INSERT ... SELECT into the monthly roll-up, one multi-row INSERT of history; the
caller adds one audit entry for the batch and one event per case. The assignee stays
responsible (the escalation matrix adds the next office; it does not take the case from
the officer). A case late at its top level keeps its level and loses its level clock
(``due_at`` NULL), recorded once."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from services.common.contracts import grievance as contracts
from services.grievance.cases import rollup
from services.grievance.escalation.sla import of_case
from services.grievance.tables import case, case_event


def late_cases(session: Any, now: datetime, batch: int) -> list[Any]:
    query = (select(case.c.id, case.c.number, case.c.kind, case.c.level, case.c.office_id,
                    case.c.office_ids, case.c.category, case.c.opened_by, case.c.language,
                    case.c.assignee, case.c.overall_due_at, case.c.due_at, case.c.state,
                    case.c.sla)
             .where(case.c.due_at <= now, case.c.closed_at.is_(None))
             .order_by(case.c.due_at).limit(batch)
             .with_for_update(skip_locked=True, of=case))
    return session.execute(query).all()


def _target(row: Any, now: datetime) -> tuple[int, str | None, datetime | None, bool]:
    """(level, office, new due_at, overall clock out) for one late case."""
    sla = of_case(row.sla, row.category, list(row.office_ids or []))
    top = len(sla.level_days) - 1
    overall_out = row.overall_due_at is not None and row.overall_due_at <= now
    if row.level >= top:
        return row.level, row.office_id, None, overall_out
    level = top if overall_out else row.level + 1
    chain = list(row.office_ids or [row.office_id])
    return (level, chain[min(level, len(chain) - 1)],
            now + timedelta(days=sla.level_days[level]), overall_out)


def escalate_batch(session: Any, rows: list[Any], now: datetime) -> tuple[list, list]:
    """Escalate the locked late ``rows``: (events, audit lines), one each per case
    escalated (cases late at their top level are recorded in history only)."""
    groups: dict[tuple, list[Any]] = defaultdict(list)
    targets = {}
    for row in rows:
        target = _target(row, now)
        targets[row.id] = target
        groups[(row.level, target[0], target[1], target[2])].append(row)
    moved: set[str] = set()
    for (old_level, level, office_id, due_at), members in groups.items():
        values = {"due_at": due_at, "updated_at": now}
        if level != old_level:
            values.update(level=level, office_id=office_id)
        done = session.execute(
            update(case).where(case.c.id.in_([r.id for r in members]),
                               case.c.level == old_level)
            .values(**values).returning(case.c.id))
        moved.update(done.scalars())
    history, events, lines = [], [], []
    for row in rows:
        if row.id not in moved:
            continue                       # another sweep moved it first
        level, office_id, due_at, overall_out = targets[row.id]
        top_reached = level == row.level
        history.append({
            "case_id": row.id, "action": "late_at_top_level" if top_reached else "escalate",
            "from_state": row.state, "to_state": row.state, "actor_id": "system",
            "actor_role": "system", "note": f"level {row.level} -> {level}, office {office_id}",
            "document_ids": [], "at": now})
        if top_reached:
            continue
        events.append(contracts.CaseEscalatedV1(
            case_id=row.id, number=row.number, kind=row.kind, from_level=row.level,
            to_level=level, from_office_id=row.office_id, to_office_id=office_id,
            assignee=row.assignee, due_at=due_at, overall_breached=overall_out,
            opened_by=row.opened_by, language=row.language))
        lines.append({"case_id": row.id, "from_level": row.level, "to_level": level,
                      "from_office_id": row.office_id, "to_office_id": office_id,
                      "was_due_at": row.due_at.isoformat(), "overall_breached": overall_out})
    # The monthly roll-up in one statement for the batch, before the history it reads.
    rollup.escalated(session, [event.case_id for event in events], now)
    if history:
        session.execute(insert(case_event), history)
    return events, lines
