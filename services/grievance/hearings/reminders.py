"""Reminders before hearings (seed 001: SMS and mailbox alerts before each hearing).

A hearing due within the reminder period (``GRIEVANCE_HEARING_REMINDER_HOURS``, a day by
default) and not yet reminded gets one ``case_hearing_reminder`` event; notify reminds the
complainant and the society in their mailboxes and texts each alert number the office gave.
Once per hearing even with several replicas: the rows are taken ``FOR UPDATE SKIP LOCKED``
(PostgreSQL; SQLite has one writer at a time) and marked ``reminded_at`` in the same
transaction as the events go to the outbox. A hearing fixed inside the period is reminded
at the next look; one already past is never reminded."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from services.common.contracts import grievance as contracts
from services.grievance.tables import case, hearing


def due(session: Any, now: datetime, within: timedelta, batch: int) -> list[Any]:
    """Hearings between now and ``within`` from now not yet reminded, with their case."""
    query = (select(hearing.c.id.label("hearing_id"), hearing.c.hearing_at, hearing.c.place,
                    hearing.c.purpose, hearing.c.alert_phones, case.c.id, case.c.number,
                    case.c.kind, case.c.reference, case.c.court, case.c.office_id,
                    case.c.society_id, case.c.opened_by, case.c.language)
             .join_from(hearing, case, case.c.id == hearing.c.case_id)
             .where(hearing.c.reminded_at.is_(None), hearing.c.hearing_at > now,
                    hearing.c.hearing_at <= now + within)
             .order_by(hearing.c.hearing_at).limit(batch)
             .with_for_update(skip_locked=True, of=hearing))
    return session.execute(query).all()


def mark(session: Any, rows: list[Any], now: datetime) -> list[contracts.HearingReminderV1]:
    """Mark the locked ``rows`` reminded; one event each."""
    if not rows:
        return []
    session.execute(update(hearing).where(hearing.c.id.in_([r.hearing_id for r in rows]))
                    .values(reminded_at=now))
    return [contracts.HearingReminderV1(
        case_id=r.id, number=r.number, kind=r.kind, reference=r.reference, court=r.court,
        hearing_at=r.hearing_at, place=r.place, purpose=r.purpose, office_id=r.office_id,
        society_id=r.society_id, opened_by=r.opened_by, language=r.language,
        alert_phones=list(r.alert_phones or ())) for r in rows]
