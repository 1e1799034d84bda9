"""The office's dashboard: open cases by kind, state, office, officer and age, the late
ones, and SLA compliance (closed within the overall clock), over the cases the caller's
grant reaches. A few GROUP BYs; nothing is stored for it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from services.grievance.tables import case

# Age of an open case, in days since it was received.
AGE_BUCKETS = ((7, "0-7 days"), (30, "8-30 days"), (90, "31-90 days"))
OLDER = "over 90 days"


def reach_condition(reach: list[str] | None, chain=None):
    """Cases whose office chain (``chain``: the chain as stored text; by default the
    case's own) names one of ``reach`` (None: every case)."""
    if reach is None:
        return None
    chain = cast(case.c.office_ids, String) if chain is None else chain
    if not reach:
        return chain.is_(None)
    return or_(*[chain.like(f'%"{office}"%') for office in reach])


def dashboard(session: Session, reach: list[str] | None, office_id: str | None,
              now: datetime) -> dict[str, Any]:
    conditions = [c for c in (reach_condition(reach),) if c is not None]
    if office_id is not None:
        conditions.append(case.c.office_id == office_id)
    open_ = [*conditions, case.c.closed_at.is_(None)]

    def grouped(*columns, where=open_):
        rows = session.execute(select(*columns, func.count()).where(*where)
                               .group_by(*columns).order_by(*columns))
        return rows.all()

    age = when(*[(case.c.opened_at >= now - timedelta(days=days), label)
                 for days, label in AGE_BUCKETS], else_=OLDER).label("age")
    late = [*open_, case.c.due_at < now]
    closed = [*conditions, case.c.closed_at.is_not(None), case.c.overall_due_at.is_not(None)]
    in_time = func.sum(when((case.c.closed_at <= case.c.overall_due_at, 1), else_=0))
    compliance = session.execute(select(func.count(), in_time).where(*closed)).one()
    overall_out = session.execute(select(func.count()).where(
        *open_, case.c.overall_due_at < now)).scalar()
    by_kind_state: dict[str, dict[str, int]] = {}
    for kind, state, count in grouped(case.c.kind, case.c.state):
        by_kind_state.setdefault(kind, {})[state] = count
    return {
        "open_by_kind": {kind: sum(states.values()) for kind, states in by_kind_state.items()},
        "open_by_kind_and_state": by_kind_state,
        "open_by_office": {office or "-": n for office, n in grouped(case.c.office_id)},
        "open_by_age": {label: n for label, n in grouped(age)},
        "late_now": {"total": sum(n for _, n in grouped(case.c.kind, where=late)),
                     "by_level": {str(level): n for level, n in grouped(case.c.level,
                                                                        where=late)},
                     "by_officer": {officer or "unassigned": n for officer, n in grouped(
                         case.c.assignee, where=late)}},
        "sla": {"closed": compliance[0], "closed_in_time": int(compliance[1] or 0),
                "compliance_percent": (round(100 * int(compliance[1] or 0) / compliance[0], 1)
                                       if compliance[0] else None),
                "open_past_overall_clock": overall_out},
        "as_at": now.isoformat(),
    }


