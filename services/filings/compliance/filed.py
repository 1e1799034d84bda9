"""The compliance view's tables (services/filings/tables.py): ``roster_office``, the
roster once per office that reaches each society, and ``filed_return``, each filed
(submitted or accepted) return of a roster society the same way, so the view counts
and pages an office's societies from one index without joining the roster to its
returns.

Two functions keep them, in the transaction that changed the roster or a return:
``enrolled`` rewrites a society's reach rows (and then its filed returns), ``refresh``
rewrites the filed-return rows of a society (one return's, or all of them). A return
filed by a society not yet on the roster gets its rows when the society is enrolled."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, insert, select
from sqlalchemy.orm import Session

from services.filings.tables import REACH_NATIONAL, filed_return, filing, roster_office

FILED = ("submitted", "accepted")


def enrolled(session: Session, values: dict[str, Any], office_chain: list[str]) -> None:
    """The society's roster entry was written: its offices' rows follow."""
    society_id = values["society_id"]
    session.execute(roster_office.delete().where(roster_office.c.society_id == society_id))
    attributes = {k: values[k] for k in ("society_id", "state", "district", "type", "name",
                                         "registration_date")}
    session.execute(roster_office.insert(), [
        {**attributes, "office_id": office}
        for office in dict.fromkeys([REACH_NATIONAL, *office_chain])])
    refresh(session, society_id)


def refresh(session: Session, society_id: str, form_code: str | None = None,
            period_end: date | None = None) -> None:
    """Rewrite the filed-return rows of one society (of one return when the form and
    period are given) from what ``filing`` and ``roster_office`` now hold."""
    mine = [filed_return.c.society_id == society_id]
    theirs = [filing.c.filer_kind == "society", filing.c.filer_id == society_id,
              filing.c.status.in_(FILED)]
    if form_code is not None:
        mine += [filed_return.c.form_code == form_code,
                 filed_return.c.period_end == period_end]
        theirs += [filing.c.form_code == form_code, filing.c.period_end == period_end]
    session.execute(filed_return.delete().where(and_(*mine)))
    reach = roster_office.c
    session.execute(insert(filed_return).from_select(
        ["office_id", "form_code", "period_end", "society_id", "state", "district", "type",
         "registration_date", "days_late"],
        select(reach.office_id, filing.c.form_code, filing.c.period_end, reach.society_id,
               reach.state, reach.district, reach.type, reach.registration_date,
               filing.c.days_late)
        .join(roster_office, reach.society_id == filing.c.filer_id)
        .where(*theirs)))
