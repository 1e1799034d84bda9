"""The audit year falling pending on its day, set-based: when a financial year's audit
falls due (30 September, six months after its 31 March: ``audits/status.due_years``) a
society that has not recorded it has one year more pending, and its audit category, which
its standing rests on, moves when the count becomes 1 (up to date -> pending 1 to 3) or 4
(-> pending over 3). One statement a batch finds, from the roster and the audits
recorded, the societies whose count is so and whose last announced standing does not yet
rest on that category; ``standing.refresh`` then announces each (under the society's row
lock, comparing with what was announced: once each, with two replicas).

The criterion holds until the standing is announced, so a day the scan does not run (or
a scan stopped midway) is caught up by the next day's. ``daily_scan`` claims the day, so
the hourly timer scans once a day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Integer, Text, and_, case, cast, extract, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from services.filings.audits.status import year_name
from services.filings.tables import audit_record, daily_scan, society_roster

SCAN = "audit_pending"
BATCH = 2000


def claim_day(session: Session, today: date, now: datetime) -> bool:
    """True for the first scan of the day (another replica's or an earlier one's: False)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return bool(session.execute(insert(daily_scan).values(scan=SCAN, day=today, at=now)
                                .on_conflict_do_nothing()).rowcount)


def latest_due_year_end(today: date) -> int:
    """The year of the 31 March ending the latest financial year whose audit is due."""
    return today.year if today >= date(today.year, 9, 30) else today.year - 1


def moved(session: Session, today: date, after: str) -> tuple[list[str], str | None]:
    """A batch of the roster after ``after``: the societies whose audit category moved and
    is not yet announced, and the batch's last society (None: the roster is done)."""
    roster = society_roster.c
    ends = latest_due_year_end(today)
    batch = (select(roster.society_id, roster.registration_date, roster.standing_basis)
             .where(roster.society_id > after).order_by(roster.society_id).limit(BATCH)
             .subquery())
    reg = batch.c.registration_date
    # the first financial year ending after registration (due_years' ``first``)
    first = (cast(extract("year", reg), Integer)
             + case((cast(extract("month", reg), Integer) > 3, 1), else_=0))
    audited = (select(func.count()).where(
        audit_record.c.society_id == batch.c.society_id,
        audit_record.c.financial_year <= year_name(ends)).scalar_subquery())
    pending = literal(ends) - first + 1 - audited
    basis = func.coalesce(cast(batch.c.standing_basis, Text), "")
    rows = session.execute(select(
        batch.c.society_id,
        and_(reg <= date(ends, 3, 31),
             ~select(audit_record.c.society_id).where(
                 audit_record.c.society_id == batch.c.society_id,
                 audit_record.c.financial_year == year_name(ends)).exists(),
             ((pending == 1) & ~basis.contains('"audit:pending_1_3"'))
             | ((pending == 4) & ~basis.contains('"audit:pending_over_3"')))
    ).order_by(batch.c.society_id)).all()
    if not rows:
        return [], None
    return [r[0] for r in rows if r[1]], rows[-1][0] if len(rows) == BATCH else None
