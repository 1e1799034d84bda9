"""Reminders to offices for their own returns (the forms an office files: the liquidation
return, the movement-at-a-glance tables, the staff position...): due soon and overdue by
the form's due-date rule, once per form, office, period and kind (``office_due_reminder``
keeps what was sent; its primary key decides between replicas, as ``due_reminder``'s
does for societies), never for a return the office has filed.

Who owes: the registry's district offices (the Range offices) of the form's state, or
of every state for a national form without a state version of its own. The definitions
name no office level; every office-filed form shipped is a Range office's return. The
offices are read from the registry (``list_offices``) at each scan into
``office_roster``, and the reminders are one ``INSERT ... SELECT`` per form and period
over it, as for societies. An office owes the periods of the last two years (the
registry keeps no date an office was set up)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, literal, select
from sqlalchemy.orm import Session

from services.common.contracts import filings as contracts
from services.filings.compliance.filed import FILED
from services.filings.compliance.reminders import Owed, insert_for
from services.filings.forms import schema
from services.filings.tables import filing, office_due_reminder, office_roster

FILING_LEVEL = "district"


def read_offices(session: Session, offices: list[dict], now: datetime) -> None:
    """Keep ``office_roster`` as the registry listed its offices."""
    rows = [{"office_id": o["id"], "name": o["name"], "level": o["level"],
             "state": o.get("state"), "district": o.get("district"), "read_at": now}
            for o in offices]
    if not rows:
        return
    statement = insert_for(session)(office_roster)
    session.execute(statement.on_conflict_do_update(
        index_elements=["office_id"],
        set_={c: statement.excluded[c] for c in ("name", "level", "state", "district",
                                                  "read_at")}), rows)


def send(session: Session, owing: list[Owed], now: datetime) -> list:
    o = office_roster.c
    events = []
    for item in owing:
        form = item.form
        where = [o.level == FILING_LEVEL,
                 ~exists().where(and_(filing.c.filer_kind == "office",
                                      filing.c.filer_id == o.office_id,
                                      filing.c.form_code == form.code,
                                      filing.c.period_end == item.period_end,
                                      filing.c.status.in_(FILED)))]
        if form.jurisdiction == schema.JURISDICTION_NATIONAL:
            if item.other_states:
                where.append(o.state.notin_(item.other_states))
        else:
            where.append(o.state == form.jurisdiction)
        stored = session.execute(
            insert_for(session)(office_due_reminder).from_select(
                ["form_code", "office_id", "period_end", "kind", "sent_at"],
                select(literal(form.code), o.office_id, literal(item.period_end),
                       literal(item.kind), literal(now)).where(*where))
            .on_conflict_do_nothing().returning(office_due_reminder.c.office_id)
        ).scalars().all()
        if not stored:
            continue
        names = dict(session.execute(select(o.office_id, o.name).where(
            o.office_id.in_(stored))).all())
        model = (contracts.OfficeFilingOverdueV1 if item.kind == "overdue"
                 else contracts.OfficeFilingDueSoonV1)
        events += [model(form_code=form.code, form_title=form.title, office_id=office,
                         office_name=names[office], period_end=item.period_end,
                         due_on=item.due_on) for office in sorted(stored)]
    return events
