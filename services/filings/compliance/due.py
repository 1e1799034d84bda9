"""Which returns a society owes and when: the forms that apply to it (filed by a society,
its state's version or the national one, its type if the form names types), each
period ending after its registration, and what the filings table says of each."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import NotFound
from services.filings import scopes
from services.filings.compliance import filed
from services.filings.compliance.filed import FILED
from services.filings.forms import periods, schema
from services.filings.returns import definitions
from services.filings.tables import (
    filing,
    form_definition,
    society_roster,
)


def enrol(session: Session, event: Any, office_chain: list[str], now: datetime) -> None:
    values = {"society_id": event.society_id, "name": event.name,
              "registration_number": event.registration_number,
              "registration_date": event.registration_date, "type": event.type,
              "state": event.state, "district": event.district,
              "office_chain": office_chain, "enrolled_at": now}
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(society_roster).values(**values).on_conflict_do_update(
        index_elements=["society_id"],
        set_={k: v for k, v in values.items() if k not in ("society_id", "enrolled_at")}))
    filed.enrolled(session, values, office_chain)


def society_forms(session: Session) -> dict[str, dict[str, schema.Form]]:
    """The latest society-filed forms: {code: {jurisdiction: Form}}."""
    return filed_forms(session, "society")


def filed_forms(session: Session, filer: str) -> dict[str, dict[str, schema.Form]]:
    """The latest forms a filer of that kind (society, office) files."""
    rows = session.execute(
        select(form_definition.c.code, form_definition.c.jurisdiction,
               func.max(form_definition.c.version))
        .where(form_definition.c.filer == filer)
        .group_by(form_definition.c.code, form_definition.c.jurisdiction)).all()
    found: dict[str, dict[str, schema.Form]] = {}
    for code, jurisdiction, version in rows:
        found.setdefault(code, {})[jurisdiction] = definitions.load(
            session, code, jurisdiction, version)
    return found


def applicable(forms: dict[str, dict[str, schema.Form]], society: Any) -> list[schema.Form]:
    out = []
    for by_place in forms.values():
        form = by_place.get(society.state) or by_place.get(schema.JURISDICTION_NATIONAL)
        if form is None:
            continue
        if form.society_types and society.type not in form.society_types:
            continue
        out.append(form)
    return sorted(out, key=lambda f: f.code)


def _filings_of(session: Session, society_id: str) -> dict[tuple[str, date], Any]:
    rows = session.execute(select(filing.c.form_code, filing.c.period_end, filing.c.status,
                                  filing.c.ack_number, filing.c.submitted_at,
                                  filing.c.days_late, filing.c.id)
                           .where(filing.c.filer_id == society_id)).all()
    return {(r.form_code, r.period_end): r for r in rows}


def roster_row(session: Session, society_id: str) -> Any:
    row = session.execute(select(society_roster).where(
        society_roster.c.society_id == society_id)).first()
    if row is None:
        raise NotFound("No such society on the filings roster.", {"society_id": society_id})
    return row


def ensure_reaches(ctx: CallContext, row: Any) -> None:
    if not (scopes.staff_reaches(ctx, row.office_chain) or scopes.may_file(
            ctx, "society", row.society_id, row.office_chain)):
        raise NotFound("No such society on the filings roster.",
                       {"society_id": row.society_id})


def calendar(session: Session, society: Any, today: date,
             forms: dict[str, dict[str, schema.Form]] | None = None) -> dict:
    """Each applicable form: the next return owed (overdue first) and the last filed.
    ``forms``: ``society_forms`` read once by a caller asking for many societies."""
    filed = _filings_of(session, society.society_id)
    items = []
    for form in applicable(forms if forms is not None else society_forms(session), society):
        done = {end for (code, end), r in filed.items()
                if code == form.code and r.status in FILED}
        nxt = periods.next_due(form, today, done, since=society.registration_date)
        item = {"form_code": form.code, "title": form.title,
                "jurisdiction": form.jurisdiction, "next_period_end": None,
                "next_due_on": None, "overdue": False, "days_overdue": 0,
                "started_filing_id": None}
        if nxt is not None:
            end, due = nxt
            started = filed.get((form.code, end))
            item.update(next_period_end=end.isoformat(), next_due_on=due.isoformat(),
                        overdue=due < today, days_overdue=max(0, (today - due).days),
                        started_filing_id=started.id if started else None)
        items.append(item)
    return {"society_id": society.society_id, "name": society.name,
            "as_on": today.isoformat(), "forms": items}
