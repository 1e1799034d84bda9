"""Submission of Forms 19M/19N, the CEA's decision (Section B), and the declarations:
no result is declared before the CEA approves its form (rule 19M(1), 19N(4))."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import Conflict, NotFound
from services.elections.counting import forms
from services.elections.tables import declaration, election, result_form

CONTEST_OF = {"19M": "board", "19N": "office_bearer"}


def form_dict(r: Any) -> dict:
    return {"id": r.id, "election_id": r.election_id, "form": r.form, "version": r.version,
            "status": r.status, "body": r.body, "submitted_by": r.submitted_by,
            "submitted_at": r.submitted_at, "decided_by": r.decided_by,
            "decided_at": r.decided_at, "decision_reason": r.decision_reason}


def submit(session: Session, ctx: CallContext, row: Any, form: str, body: dict,
           at: datetime) -> dict:
    current = forms.latest(session, row.id, form)
    if current is not None and current.status in ("submitted", "approved"):
        raise Conflict(f"Form {form} version {current.version} is {current.status}; a new "
                       "version is submitted only after the CEA rejects it.",
                       {"form_id": current.id, "status": current.status})
    version = (session.execute(select(func.max(result_form.c.version)).where(
        result_form.c.election_id == row.id, result_form.c.form == form)).scalar() or 0) + 1
    form_id = str(uuid.uuid4())
    session.execute(result_form.insert().values(
        id=form_id, election_id=row.id, form=form, version=version, body=body,
        status="submitted", submitted_by=ctx.actor_id, submitted_at=at))
    return form_dict(form_row(session, row.id, form_id))


def form_row(session: Session, election_id: str, form_id: str) -> Any:
    r = session.execute(select(result_form).where(
        result_form.c.id == form_id, result_form.c.election_id == election_id)).one_or_none()
    if r is None:
        raise NotFound("No such form in this election.", {"form_id": form_id})
    return r


def decide(session: Session, ctx: CallContext, row: Any, command: Any,
           at: datetime) -> dict:
    r = form_row(session, row.id, command.form_id)
    if r.status != "submitted":
        raise Conflict(f"Form {r.form} version {r.version} was already {r.status}.",
                       {"form_id": r.id, "status": r.status})
    status = "approved" if command.decision == "approve" else "rejected"
    session.execute(result_form.update().where(result_form.c.id == r.id).values(
        status=status, decided_by=ctx.actor_id, decided_at=at,
        decision_reason=command.reason))
    return form_dict(form_row(session, row.id, r.id))


def declare(session: Session, ctx: CallContext, row: Any, form: str,
            at: datetime) -> dict:
    contest = CONTEST_OF[form]
    approved = forms.latest(session, row.id, form)
    if approved is None or approved.status != "approved":
        what = "Form 19M" if form == "19M" else "Form 19N"
        raise Conflict(f"No result is declared before the CEA approves {what}.",
                       {"form": form, "status": approved.status if approved else
                        "not submitted"})
    if session.execute(select(declaration.c.form_id).where(
            declaration.c.election_id == row.id,
            declaration.c.contest == contest)).first():
        raise Conflict("This result was already declared.", {"contest": contest})
    if form == "19N" and row.status != "board_declared":
        raise Conflict("The office bearers are declared after the board.",
                       {"status": row.status})
    elected = approved.body["elected"]
    session.execute(declaration.insert().values(
        election_id=row.id, contest=contest, form_id=approved.id, elected=elected,
        declared_by=ctx.actor_id, declared_at=at))
    status = "board_declared" if form == "19M" else "office_bearers_declared"
    session.execute(election.update().where(election.c.id == row.id).values(
        status=status, updated_at=at))
    return {"election_id": row.id, "contest": contest, "form_id": approved.id,
            "elected": elected, "declared_by": ctx.actor_id, "declared_at": at}


def declarations(session: Session, election_id: str) -> list[dict]:
    return [{"election_id": r.election_id, "contest": r.contest, "form_id": r.form_id,
             "elected": r.elected, "declared_by": r.declared_by,
             "declared_at": r.declared_at}
            for r in session.execute(select(declaration).where(
                declaration.c.election_id == election_id).order_by(declaration.c.declared_at))]


def form_list(session: Session, election_id: str, form: str | None) -> list[dict]:
    stmt = select(result_form).where(result_form.c.election_id == election_id)
    if form:
        stmt = stmt.where(result_form.c.form == form)
    return [form_dict(r) for r in session.execute(
        stmt.order_by(result_form.c.form, result_form.c.version))]
