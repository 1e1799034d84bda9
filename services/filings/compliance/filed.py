"""The ``filed_return`` table: each filed (submitted or accepted) return of a society on
the roster, with the roster's place, type and registration date copied beside it, so the
compliance view counts the filed without joining 850,000 roster rows to their returns.

One function keeps it: ``refresh`` rewrites a society's rows (one return's, or all of
them) from ``filing`` and ``society_roster`` in the transaction that changed either. A
return filed by a society not yet on the roster gets its row when the society is
enrolled."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, insert, select
from sqlalchemy.orm import Session

from services.filings.tables import filed_return, filing, society_roster

FILED = ("submitted", "accepted")


def refresh(session: Session, society_id: str, form_code: str | None = None,
            period_end: date | None = None) -> None:
    """Rewrite the filed-return rows of one society (of one return when the form and
    period are given) from what ``filing`` and ``society_roster`` now hold."""
    mine = [filed_return.c.society_id == society_id]
    theirs = [filing.c.filer_kind == "society", filing.c.filer_id == society_id,
              filing.c.status.in_(FILED)]
    if form_code is not None:
        mine += [filed_return.c.form_code == form_code,
                 filed_return.c.period_end == period_end]
        theirs += [filing.c.form_code == form_code, filing.c.period_end == period_end]
    session.execute(filed_return.delete().where(and_(*mine)))
    roster = society_roster.c
    session.execute(insert(filed_return).from_select(
        ["form_code", "period_end", "society_id", "state", "district", "type",
         "registration_date", "days_late"],
        select(filing.c.form_code, filing.c.period_end, roster.society_id, roster.state,
               roster.district, roster.type, roster.registration_date, filing.c.days_late)
        .join(society_roster, roster.society_id == filing.c.filer_id)
        .where(*theirs)))
