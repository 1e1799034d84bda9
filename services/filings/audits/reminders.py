"""Audit reminders (seed 000: "once the financial year ends, the MSCS are given periodic
reminders to conduct their audits"): in the six months after a financial year, monthly,
reminder 1 in April to reminder 6 in September, to every society registered by the
year's 31 March whose audit of that year is neither recorded nor allotted. Each reminder
goes out once (``audit_reminder`` keeps what was sent; the societies being reminded are
locked, and skipped by another replica's scan); one missed month (the service
down all of it) is not sent later, the next month's is."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from services.common.contracts.filings_audits import AuditReminderV1
from services.filings.audits.allotment import CURRENT
from services.filings.audits.status import year_name
from services.filings.tables import audit_allotment, audit_record, audit_reminder, society_roster

REMINDERS = 6  # April to September


def due_now(today: date) -> tuple[str, int] | None:
    """The year whose audit is being reminded of and this month's reminder number."""
    if not 4 <= today.month <= 9:
        return None
    return year_name(today.year), today.month - 3


def send(session: Session, today: date, now: datetime) -> list[AuditReminderV1]:
    found = due_now(today)
    if found is None:
        return []
    financial_year, number = found
    ends = date(today.year, 3, 31)
    roster = society_roster.c
    stmt = (select(roster.society_id, roster.name)
            .where(roster.registration_date <= ends)
            .where(~exists().where(and_(audit_record.c.society_id == roster.society_id,
                                        audit_record.c.financial_year == financial_year)))
            .where(~exists().where(and_(audit_allotment.c.society_id == roster.society_id,
                                        audit_allotment.c.financial_year == financial_year,
                                        audit_allotment.c.status.in_(CURRENT))))
            .where(~exists().where(and_(audit_reminder.c.society_id == roster.society_id,
                                        audit_reminder.c.financial_year == financial_year,
                                        audit_reminder.c.number == number)))
            .order_by(roster.society_id)
            # another replica's scan holds the rows it is reminding: skip them
            .with_for_update(skip_locked=True, of=society_roster))
    events = []
    for society_id, name in session.execute(stmt).all():
        session.execute(audit_reminder.insert().values(
            society_id=society_id, financial_year=financial_year, number=number,
            sent_at=now))
        events.append(AuditReminderV1(society_id=society_id, society_name=name,
                                      financial_year=financial_year,
                                      due_on=date(today.year, 9, 30), number=number,
                                      of=REMINDERS))
    return events
