"""The ``health`` answer: database reachable, schema at head, outbox moving."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from services.common.contracts.platform import HealthCheck, HealthReportV1
from services.common.migrate import revisions

# An outbox row older than this means the relay is not publishing.
STUCK_OUTBOX_SECONDS = 60.0


def health_report(service_name: str, engine, tables) -> HealthReportV1:
    checks: list[HealthCheck] = []
    current = head = None
    backlog, age = 0, 0.0
    try:
        with Session(engine) as session:
            session.execute(text("SELECT 1"))
            outbox = tables.outbox
            backlog, oldest = session.execute(
                select(func.count(), func.min(outbox.c.created_at))
                .where(outbox.c.sent_at.is_(None))).one()
        if oldest is not None:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
            age = max(0.0, (datetime.now(UTC) - oldest).total_seconds())
        checks.append(HealthCheck(name="database", ok=True))
    except Exception as exc:
        checks.append(HealthCheck(name="database", ok=False, detail=type(exc).__name__))
    else:
        try:
            current, head = revisions(service_name, engine)
            at_head = current == head
            checks.append(HealthCheck(name="migrations", ok=at_head,
                                      detail="" if at_head else f"at {current}, head {head}"))
        except Exception as exc:
            checks.append(HealthCheck(name="migrations", ok=False,
                                      detail=type(exc).__name__))
        stuck = age > STUCK_OUTBOX_SECONDS
        checks.append(HealthCheck(name="outbox", ok=not stuck,
                                  detail=f"{backlog} pending, oldest {age:.0f}s"))
    return HealthReportV1(
        service=service_name, ok=all(c.ok for c in checks), checks=checks,
        outbox_backlog=backlog, outbox_oldest_age_seconds=round(age, 3),
        migration_revision=current, migration_head=head)
