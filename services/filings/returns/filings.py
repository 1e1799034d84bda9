"""A filing through its lifecycle: started as a draft (values read by type only, saved
in parts and resumed), submitted (every rule checked; an acknowledgement number and
time; late if after the due date), accepted or returned for correction with remarks,
then corrected and resubmitted (each submission kept with its values)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.india import INDIA
from services.filings import scopes
from services.filings.compliance import filed
from services.filings.forms import checking, periods, schema
from services.filings.returns import definitions
from services.filings.tables import filing, filing_submission

EDITABLE = ("draft", "returned")


def _refuse(message: str, problems: list[dict]) -> InvalidInput:
    fields: dict[str, str] = {}
    for problem in problems:
        name = f"values.{problem['field']}"
        fields[name] = "; ".join(filter(None, [fields.get(name), problem["message"]]))
    return InvalidInput(message, {"failures": problems}, fields=fields)


def row_of(session: Session, filing_id: str) -> Any:
    row = session.execute(select(filing).where(filing.c.id == filing_id)).first()
    if row is None:
        raise NotFound("No such filing.", {"filing_id": filing_id})
    return row


def visible(session: Session, ctx: CallContext, filing_id: str) -> Any:
    row = row_of(session, filing_id)
    scopes.ensure_visible(ctx, row)
    return row


def start(session: Session, ctx: CallContext, command: Any, filer: dict,
          now: datetime) -> str:
    """``filer``: name, state, district, type and office chain (from the registry)."""
    form = definitions.current_for(session, command.form_code, filer.get("state"))
    if form.filer != command.filer_kind:
        who = "a society" if form.filer == "society" else "an office"
        raise InvalidInput(f"{form.code} is filed by {who}.",
                           fields={"filer_kind": f"must be {form.filer}"})
    if form.society_types and filer.get("type") not in form.society_types:
        raise InvalidInput(f"{form.code} does not apply to this society's type.",
                           fields={"form_code": f"for {', '.join(form.society_types)}"})
    if not periods.is_period_end(form, command.period_end):
        raise InvalidInput("Not the end of one of this form's periods.",
                           fields={"period_end": "one of "
                                   + ", ".join(form.period_ends) + " (MM-DD)"})
    values, problems = checking.read_values(form, command.values)
    if problems:
        raise _refuse("Some values are not of their field's type.", problems)
    filing_id = str(uuid.uuid4())
    try:
        with session.begin_nested():
            session.execute(filing.insert().values(
                id=filing_id, form_code=form.code, jurisdiction=form.jurisdiction,
                form_version=form.version, filer_kind=command.filer_kind,
                filer_id=command.filer_id, filer_name=filer["name"],
                state=filer.get("state"), district=filer.get("district"),
                society_type=filer.get("type"), office_chain=filer["office_chain"],
                period_end=command.period_end,
                due_on=periods.due_on(form, command.period_end), status="draft",
                data=values, submissions=0, late=False, days_late=0,
                created_by=ctx.actor_id or "system", created_at=now, updated_at=now))
    except IntegrityError as exc:
        raise Conflict("This return is already started for the period; resume it.",
                       {"form_code": form.code, "filer_id": command.filer_id,
                        "period_end": command.period_end.isoformat()}) from exc
    return filing_id


def form_of(session: Session, row: Any) -> schema.Form:
    return definitions.load(session, row.form_code, row.jurisdiction, row.form_version)


def save_draft(session: Session, row: Any, values_in: dict, now: datetime) -> list[str]:
    if row.status not in EDITABLE:
        raise Conflict(f"A {row.status} return cannot be changed.", {"status": row.status})
    form = form_of(session, row)
    values, problems = checking.read_values(form, values_in)
    if problems:
        raise _refuse("Some values are not of their field's type.", problems)
    merged = {**row.data, **values}
    for name, value in values_in.items():       # a value sent blank is cleared
        if value is None or value == "":
            merged.pop(name, None)
    session.execute(filing.update().where(filing.c.id == row.id).values(
        data=merged, updated_at=now))
    return sorted(values_in)


def _previous_values(session: Session, row: Any) -> dict | None:
    previous = session.execute(
        select(filing.c.data).where(
            filing.c.form_code == row.form_code, filing.c.filer_id == row.filer_id,
            filing.c.period_end < row.period_end,
            filing.c.status.in_(("submitted", "accepted")))
        .order_by(filing.c.period_end.desc()).limit(1)).first()
    return previous.data if previous else None


def submit(session: Session, ctx: CallContext, row: Any, now: datetime) -> dict:
    if row.status not in EDITABLE:
        raise Conflict(f"A {row.status} return cannot be submitted again.",
                       {"status": row.status})
    form = form_of(session, row)
    values, problems = checking.check_complete(form, dict(row.data))
    problems += checking.check_continuity(form, values, _previous_values(session, row))
    if problems:
        raise _refuse(f"The return breaks {len(problems)} of its form's rules.", problems)
    number = row.submissions + 1
    ack = f"ACK-{now.astimezone(INDIA):%Y%m%d}-{uuid.uuid4().hex[:10].upper()}"
    today = now.astimezone(INDIA).date()
    days_late = max(0, (today - row.due_on).days)
    session.execute(filing_submission.insert().values(
        filing_id=row.id, number=number, data=values, ack_number=ack, submitted_at=now,
        submitted_by=ctx.actor_id or "system", late=days_late > 0))
    session.execute(filing.update().where(filing.c.id == row.id).values(
        data=values, status="submitted", submissions=number, ack_number=ack,
        submitted_at=now, late=days_late > 0, days_late=days_late, remarks=None,
        updated_at=now))
    _refresh_filed(session, row)
    return {"ack_number": ack, "number": number, "late": days_late > 0}


def decide(session: Session, ctx: CallContext, row: Any, outcome: str,
           remarks: str | None, now: datetime) -> None:
    if row.status != "submitted":
        raise Conflict(f"Only a submitted return can be {outcome}; this one is "
                       f"{row.status}.", {"status": row.status})
    session.execute(filing_submission.update().where(
        filing_submission.c.filing_id == row.id,
        filing_submission.c.number == row.submissions).values(
        outcome=outcome, remarks=remarks, decided_by=ctx.actor_id or "system",
        decided_at=now))
    session.execute(filing.update().where(filing.c.id == row.id).values(
        status=outcome, remarks=remarks, updated_at=now))
    _refresh_filed(session, row)


def _refresh_filed(session: Session, row: Any) -> None:
    """A society's return filed or taken back: the compliance view's count follows."""
    if row.filer_kind == "society":
        filed.refresh(session, row.filer_id, row.form_code, row.period_end)


def filing_dict(session: Session, row: Any) -> dict:
    subs = session.execute(select(filing_submission).where(
        filing_submission.c.filing_id == row.id).order_by(filing_submission.c.number)).all()
    return {
        "id": row.id, "form_code": row.form_code, "jurisdiction": row.jurisdiction,
        "form_version": row.form_version, "filer_kind": row.filer_kind,
        "filer_id": row.filer_id, "filer_name": row.filer_name,
        "period_end": row.period_end.isoformat(), "due_on": row.due_on.isoformat(),
        "status": row.status, "values": row.data, "ack_number": row.ack_number,
        "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None,
        "late": row.late, "days_late": row.days_late, "remarks": row.remarks,
        "submissions": [{
            "number": s.number, "ack_number": s.ack_number,
            "submitted_at": s.submitted_at.isoformat(), "submitted_by": s.submitted_by,
            "late": s.late, "outcome": s.outcome, "remarks": s.remarks,
            "decided_by": s.decided_by,
            "decided_at": s.decided_at.isoformat() if s.decided_at else None,
        } for s in subs],
    }


def list_for(session: Session, ctx: CallContext, query: Any) -> dict:
    """Filings the caller may see, newest period first, as ``scopes.may_see`` says, in
    SQL: office staff the filers whose office chain names an office of their grant, a
    society's representative its societies' returns, national staff every one."""
    stmt = select(filing)
    if query.form_code:
        stmt = stmt.where(filing.c.form_code == query.form_code)
    if query.filer_id:
        stmt = stmt.where(filing.c.filer_id == query.filer_id)
    if query.status:
        stmt = stmt.where(filing.c.status == query.status)
    if query.late is not None:
        stmt = stmt.where(filing.c.late == query.late)
    if scopes.is_national_staff(ctx):
        pass
    elif ctx.actor_role in scopes.STAFF:
        stmt = stmt.where(scopes.chain_names(filing.c.office_chain,
                                              scopes.scoped_ids(ctx, "office")))
    elif ctx.actor_role == scopes.REPRESENTATIVE:
        stmt = stmt.where(filing.c.filer_kind == "society",
                          filing.c.filer_id.in_(scopes.scoped_ids(ctx, "society")))
    else:
        return {"items": [], "next_offset": None}
    return scopes.page(session, stmt.order_by(filing.c.period_end.desc(), filing.c.id),
                       query.offset, query.limit, lambda row: filing_dict(session, row))
