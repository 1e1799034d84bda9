"""Applications (registration, bye-law amendment, branch opening) as one workflow:

    draft -> submitted -> under_scrutiny <-> query_raised
                              |    ^  \\
                              v    |   -> approved / rejected
                       hearing_scheduled --^

Each action names the stages it may start from, the roles that may take it, what it
needs; entering a stage sets its SLA deadline from the office's rules. Plain functions on
a session; the entrypoint commits, writes the audit entry and records the events."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import registry as contracts
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.india import INDIA
from services.common.validation import field_reasons, parse
from services.registry import scopes
from services.registry.applications import ekyc
from services.registry.applications.tables import application, application_stage_entry, promoter
from services.registry.offices import hierarchy as offices
from services.registry.offices import sla
from services.registry.societies import register as societies

TERMINAL = ("approved", "rejected")
MAX_DRAFT_BYTES = 64 * 1024
FORMS: dict[str, type[BaseModel]] = {
    "registration": contracts.RegistrationFormV1,
    "bye_law_amendment": contracts.ByeLawAmendmentFormV1,
    "branch_opening": contracts.BranchOpeningFormV1,
}


@dataclass(frozen=True)
class Step:
    from_stages: tuple[str, ...]
    to_stage: str
    roles: tuple[str, ...]


STEPS: dict[str, Step] = {
    "submit": Step(("draft",), "submitted", scopes.APPLICANT_SIDE),
    "take_up": Step(("submitted",), "under_scrutiny", scopes.OFFICE_SIDE),
    "raise_query": Step(("under_scrutiny", "hearing_scheduled"), "query_raised",
                        scopes.OFFICE_SIDE),
    "reply": Step(("query_raised",), "under_scrutiny", scopes.APPLICANT_SIDE),
    "schedule_hearing": Step(("under_scrutiny", "hearing_scheduled"), "hearing_scheduled",
                             scopes.OFFICE_SIDE),
    "approve": Step(("under_scrutiny", "hearing_scheduled"), "approved", ("registrar",)),
    "reject": Step(("under_scrutiny", "hearing_scheduled"), "rejected", ("registrar",)),
}
NOTE_REQUIRED = {"raise_query": "the query to the applicant",
                 "reply": "the reply to the query", "reject": "the reasons for rejection"}

_by_id = select(application).where(application.c.id == bindparam("id"))


def now_utc() -> datetime:
    return datetime.now(UTC)


def application_row(session: Session, application_id: str, *, lock: bool = False) -> Any:
    statement = _by_id.with_for_update() if lock else _by_id
    row = session.execute(statement, {"id": application_id}).one_or_none()
    if row is None:
        raise NotFound("No such application.", {"application_id": application_id})
    return row


def _check_draft_size(data: dict) -> None:
    if len(json.dumps(data, default=str)) > MAX_DRAFT_BYTES:
        raise InvalidInput("The form is too large.", fields={
            "data": f"at most {MAX_DRAFT_BYTES // 1024} KiB of JSON"})


def _deadline(session: Session, row_office: str, kind: str, stage: str,
              base: datetime) -> tuple[datetime | None, datetime | None]:
    rule = sla.sla_for(session, row_office, kind, stage)
    if rule is None or stage in TERMINAL or stage == "draft":
        return None, None
    days, soon = rule
    deadline = base + timedelta(days=days)
    return deadline, deadline - timedelta(days=soon)


def _record_stage(session: Session, ctx: CallContext, application_id: str, stage: str,
                  previous: str | None, action: str, note: str | None,
                  deadline: datetime | None, at: datetime) -> None:
    session.execute(insert(application_stage_entry).values(
        application_id=application_id, stage=stage, previous_stage=previous, action=action,
        actor_id=ctx.actor_id, actor_role=ctx.actor_role, note=note, deadline=deadline,
        at=at))


# --------------------------------------------------------------------------- drafts


def create(session: Session, ctx: CallContext, command: Any) -> Any:
    """A new draft. Registration: an applicant names the office. Amendment and branch:
    a society's representative, for its own society, at the society's office."""
    if command.kind == "registration":
        scopes.ensure_role(ctx, ("applicant",), "file a registration application")
        if ctx.scoped:
            raise InvalidInput("An application-scoped grant cannot start another "
                               "application.", fields={"kind": "sign in as an applicant"})
        problems = {}
        if command.office_id is None:
            problems["office_id"] = "required for a registration"
        if command.society_id is not None:
            problems["society_id"] = "a registration creates its society; leave it out"
        if problems:
            raise InvalidInput("The application is not valid.", fields=problems)
        office_id, society_id = offices.office_row(session, command.office_id).id, None
    else:
        scopes.ensure_role(ctx, ("society_representative",), f"file a {command.kind}")
        if command.society_id is None:
            raise InvalidInput("The application is not valid.",
                               fields={"society_id": f"required for a {command.kind}"})
        row = societies.society_row(session, command.society_id)
        scopes.ensure_society(session, ctx, row)
        if row.status not in ("registered", "revived"):
            raise Conflict(f"The society is {row.status}; it cannot file a {command.kind}.",
                           {"society_status": row.status})
        office_id, society_id = row.office_id, row.id
    _check_draft_size(command.data)
    now = now_utc()
    application_id = str(uuid.uuid4())
    applicant = {"account_id": ctx.actor_id, **command.applicant.model_dump()}
    session.execute(insert(application).values(
        id=application_id, kind=command.kind, stage="draft", office_id=office_id,
        society_id=society_id, applicant_id=ctx.actor_id, applicant=applicant,
        data=command.data, stage_entered_at=now, created_at=now, updated_at=now))
    _record_stage(session, ctx, application_id, "draft", None, "create", None, None, now)
    return application_row(session, application_id)


def save_draft(session: Session, ctx: CallContext, command: Any) -> Any:
    row = application_row(session, command.application_id, lock=True)
    scopes.ensure_application(session, ctx, row)
    scopes.ensure_role(ctx, scopes.APPLICANT_SIDE, "edit the application")
    if row.stage != "draft":
        raise Conflict(f"Only a draft can be edited; the application is {row.stage}.",
                       {"stage": row.stage})
    _check_draft_size(command.data)
    session.execute(update(application).where(application.c.id == row.id).values(
        data=command.data, updated_at=now_utc()))
    return application_row(session, row.id)


def verify_promoter(session: Session, ctx: CallContext, command: Any) -> dict[str, Any]:
    """E-verify one promoter through the configured provider and keep the outcome (a
    failed check is kept too, so the tracker shows who still needs verifying)."""
    row = application_row(session, command.application_id, lock=True)
    scopes.ensure_application(session, ctx, row)
    scopes.ensure_role(ctx, scopes.APPLICANT_SIDE, "verify promoters")
    if row.stage != "draft":
        raise Conflict(f"Promoters are verified before submission; the application is "
                       f"{row.stage}.", {"stage": row.stage})
    provider = ekyc.provider()
    result = provider.verify(name=command.name, aadhaar_number=command.aadhaar_number,
                             otp=command.otp)
    digest = ekyc.digest(command.aadhaar_number)
    values = {"name": command.name, "id_last4": command.aadhaar_number[-4:],
              "verified": result.verified, "provider": provider.name,
              "reference": result.reference, "failure": result.failure,
              "checked_at": now_utc()}
    where = (promoter.c.application_id == row.id) & (promoter.c.id_digest == digest)
    if not session.execute(update(promoter).where(where).values(**values)).rowcount:
        session.execute(insert(promoter).values(application_id=row.id, id_digest=digest,
                                                **values))
    found = session.execute(select(promoter).where(where)).one()
    return promoter_dict(found)


def promoter_dict(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "aadhaar_last4": row.id_last4,
            "verified": row.verified, "reference": row.reference, "failure": row.failure,
            "checked_at": row.checked_at.isoformat()}


# --------------------------------------------------------------------------- transitions


@dataclass
class Outcome:
    row: Any
    previous_stage: str
    events: list[Any]
    changes: dict[str, Any]


def _check_submission(session: Session, row: Any) -> Any:
    """Every reason the application cannot be submitted, at once: the form's fields,
    the area of operation the office allows, the promoters' verification."""
    problems: dict[str, str] = {}
    form = None
    try:
        form = FORMS[row.kind].model_validate(row.data)
    except ValidationError as exc:
        problems.update(field_reasons(exc, "data."))
    if row.kind == "registration":
        office = offices.office_row(session, row.office_id)
        states = set(form.area_of_operation) if form is not None else None
        if states is not None and office.level == "national" and len(states) < 2:
            problems["data.area_of_operation"] = ("a multi-state society operates in at "
                                                  "least two states")
        if states is not None and office.level != "national" and states != {office.state}:
            problems["data.area_of_operation"] = f"must be [{office.state!r}] at this office"
        checked = session.execute(select(promoter.c.name, promoter.c.verified).where(
            promoter.c.application_id == row.id)).all()
        if not checked:
            problems["promoters"] = "e-verify at least one promoter before submitting"
        elif unverified := [p.name for p in checked if not p.verified]:
            problems["promoters"] = "not e-verified: " + ", ".join(sorted(unverified))
    if problems:
        raise InvalidInput("The application cannot be submitted yet.", fields=problems)
    return form


def _applicant(row: Any) -> contracts.ApplicantV1:
    return contracts.ApplicantV1.model_validate(row.applicant)


def transition(session: Session, ctx: CallContext, command: Any) -> Outcome:
    """Take one action. The application row is locked first, so of two officers approving
    at once the second waits, then finds it approved and gets a Conflict."""
    step = STEPS[command.action]
    row = application_row(session, command.application_id, lock=True)
    scopes.ensure_application(session, ctx, row)
    scopes.ensure_role(ctx, step.roles, command.action)
    if row.stage not in step.from_stages:
        raise Conflict(f"Cannot {command.action.replace('_', ' ')}: the application is "
                       f"{row.stage}.", {"stage": row.stage,
                                         "allowed_from": list(step.from_stages)})
    problems: dict[str, str] = {}
    if command.action in NOTE_REQUIRED and not command.note:
        problems["note"] = f"required: {NOTE_REQUIRED[command.action]}"
    now = now_utc()
    if command.action == "schedule_hearing":
        if command.hearing_at is None:
            problems["hearing_at"] = "required: when the hearing is held"
        elif command.hearing_at.tzinfo is None:
            problems["hearing_at"] = "must carry a time zone offset"
        elif command.hearing_at <= now:
            problems["hearing_at"] = "must be in the future"
        if command.hearing_link is None:
            problems["hearing_link"] = "required: the virtual meeting link"
    if problems:
        raise InvalidInput("The action is not valid; see details.fields.", fields=problems)

    if command.action == "submit":
        _check_submission(session, row)
    values: dict[str, Any] = {"stage": step.to_stage, "stage_entered_at": now,
                              "updated_at": now}
    events: list[Any] = []
    changes: dict[str, Any] = {"action": command.action, "from": row.stage,
                               "to": step.to_stage}
    base = now
    if command.action == "submit":
        values["submitted_at"] = now
    if command.action == "schedule_hearing":
        values.update(hearing_at=command.hearing_at, hearing_link=command.hearing_link)
        base = command.hearing_at
        changes["hearing_at"] = command.hearing_at.isoformat()
    if command.action in ("raise_query", "reject", "reply", "approve"):
        values["reason"] = command.note
    if step.to_stage in TERMINAL:
        values["decided_at"] = now
    deadline, due_soon = _deadline(session, row.office_id, row.kind, step.to_stage, base)
    values.update(deadline=deadline, due_soon_at=due_soon)
    if command.action == "approve":
        decided, decision_events = _apply_approval(session, row, now)
        if "society_id" in decided:
            values["society_id"] = decided["society_id"]
        events.extend(decision_events)
        changes.update(decided)
    session.execute(update(application).where(application.c.id == row.id).values(**values))
    _record_stage(session, ctx, row.id, step.to_stage, row.stage, command.action,
                  command.note, deadline, now)
    updated = application_row(session, row.id)
    hearing = (contracts.HearingV1(at=updated.hearing_at, link=updated.hearing_link)
               if step.to_stage == "hearing_scheduled" else None)
    events.insert(0, contracts.ApplicationStageChangedV1(
        application_id=row.id, kind=row.kind, stage=step.to_stage, previous_stage=row.stage,
        society_id=updated.society_id, office_id=row.office_id, applicant=_applicant(row),
        reason=command.note if command.action in ("raise_query", "reject") else None,
        hearing=hearing, deadline=deadline, at=now))
    return Outcome(updated, row.stage, events, changes)


def _apply_approval(session: Session, row: Any, now: datetime) -> tuple[dict, list]:
    """What an approval does to the register, and the events it announces."""
    today = now.astimezone(INDIA).date()
    form = parse(FORMS[row.kind], row.data, prefix="data.")
    if row.kind == "registration":
        office = offices.office_row(session, row.office_id)
        number = offices.allot_registration_number(session, office, today)
        created = societies.register_society(session, form=form, office=office,
                                             number=number, on=today,
                                             application_id=row.id)
        event = contracts.SocietyRegisteredV1(
            society_id=created["id"], registration_number=number, registration_date=today,
            name=created["name"], type=created["type"], address=created["address"],
            state=created["state"], district=created["district"],
            area_of_operation=created["area_of_operation"], office_id=office.id,
            office_name=office.name, application_id=row.id)
        return {"society_id": created["id"]}, [event]
    target = societies.society_row(session, row.society_id, lock=True)
    if target.status not in ("registered", "revived"):
        raise Conflict(f"The society is {target.status}; the application cannot be approved.",
                       {"society_status": target.status})
    if row.kind == "bye_law_amendment":
        version = societies.add_bye_laws(session, society_id=target.id,
                                         document_ids=form.bye_law_document_ids, on=today,
                                         application_id=row.id)
        return {"bye_laws_version": version}, [contracts.ByeLawsAmendedV1(
            society_id=target.id, bye_laws_version=version,
            document_ids=list(form.bye_law_document_ids), application_id=row.id)]
    branch = societies.add_branch(session, society_id=target.id, form=form, on=today,
                                  application_id=row.id)
    return {"branch_id": branch["id"]}, [contracts.BranchOpenedV1(
        society_id=target.id, branch=contracts.BranchV1.model_validate(branch),
        application_id=row.id)]


# --------------------------------------------------------------------------- reading


def tracker(session: Session, row: Any, at: datetime | None = None) -> dict[str, Any]:
    """The application as its tracker shows it: stage, deadline, time left, history."""
    at = at or now_utc()
    history = session.execute(select(application_stage_entry).where(
        application_stage_entry.c.application_id == row.id)
        .order_by(application_stage_entry.c.id)).all()
    promoters = session.execute(select(promoter).where(
        promoter.c.application_id == row.id).order_by(promoter.c.id)).all()
    left = (row.deadline - at).total_seconds() if row.deadline else None
    return {
        "id": row.id, "kind": row.kind, "stage": row.stage, "office_id": row.office_id,
        "society_id": row.society_id, "applicant": row.applicant, "data": row.data,
        "reason": row.reason,
        "hearing": ({"at": row.hearing_at.isoformat(), "link": row.hearing_link}
                    if row.hearing_at else None),
        "deadline": row.deadline.isoformat() if row.deadline else None,
        "time_left_seconds": int(left) if left is not None else None,
        "overdue": left is not None and left < 0,
        "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "created_at": row.created_at.isoformat(),
        "history": [{"stage": h.stage, "previous_stage": h.previous_stage,
                     "action": h.action, "actor_id": h.actor_id,
                     "actor_role": h.actor_role, "note": h.note,
                     "deadline": h.deadline.isoformat() if h.deadline else None,
                     "at": h.at.isoformat()} for h in history],
        "promoters": [promoter_dict(p) for p in promoters],
    }


def summary(row: Any, at: datetime) -> dict[str, Any]:
    left = (row.deadline - at).total_seconds() if row.deadline else None
    return {"id": row.id, "kind": row.kind, "stage": row.stage, "office_id": row.office_id,
            "society_id": row.society_id, "applicant_name": row.applicant.get("name"),
            "deadline": row.deadline.isoformat() if row.deadline else None,
            "time_left_seconds": int(left) if left is not None else None,
            "overdue": left is not None and left < 0,
            "created_at": row.created_at.isoformat()}


def list_for(session: Session, ctx: CallContext, *, stage: str | None, kind: str | None,
             office_id: str | None, overdue: bool | None, limit: int,
             offset: int, order: str = "newest") -> dict[str, Any]:
    """The applications the caller may see, newest first or soonest deadline first (those
    without a deadline last); ties by id, a stable order."""
    conditions = []
    role = ctx.actor_role
    if role == "applicant":
        conditions.append(application.c.applicant_id == ctx.actor_id)
        if ctx.scoped:
            conditions.append(application.c.id.in_(scopes.scoped_ids(ctx, "application")))
    elif role == "society_representative":
        conditions.append(application.c.society_id.in_(scopes.scoped_ids(ctx, "society")))
    else:
        reachable = scopes.offices_under(session, ctx)
        if reachable is not None:
            conditions.append(application.c.office_id.in_(reachable))
    if office_id is not None:
        conditions.append(application.c.office_id.in_(offices.subtree(session, office_id)))
    if stage is not None:
        conditions.append(application.c.stage == stage)
    if kind is not None:
        conditions.append(application.c.kind == kind)
    at = now_utc()
    if overdue is True:
        conditions.append(application.c.deadline < at)
    elif overdue is False:
        conditions.append((application.c.deadline.is_(None)) | (application.c.deadline >= at))
    ordering = ((application.c.deadline.is_(None), application.c.deadline, application.c.id)
                if order == "deadline" else (application.c.created_at.desc(), application.c.id))
    rows = session.execute(select(application).where(*conditions).order_by(*ordering)
                           .limit(limit + 1).offset(offset)).all()
    more = len(rows) > limit
    return {"items": [summary(r, at) for r in rows[:limit]],
            "next_offset": offset + limit if more else None}


# --------------------------------------------------------------------------- deadlines


def due_reminders(session: Session, at: datetime, batch: int = 500) -> list[Any]:
    """Raise ``application_due_soon`` / ``application_overdue`` once per deadline: a row is
    picked when its moment has come and the event was not yet sent for this deadline
    (a changed deadline re-arms both). Rows are locked SKIP LOCKED, so replicas share."""
    events: list[Any] = []
    open_stage = application.c.stage.notin_(("draft", *TERMINAL))
    for kind in ("overdue", "due_soon"):
        sent = application.c.overdue_sent_for if kind == "overdue" else \
            application.c.due_soon_sent_for
        moment = application.c.deadline if kind == "overdue" else application.c.due_soon_at
        rows = session.execute(
            select(application).where(open_stage, moment.is_not(None), moment <= at,
                                      (sent.is_(None)) | (sent != application.c.deadline))
            .order_by(application.c.deadline).limit(batch)
            .with_for_update(skip_locked=True)).all()
        for row in rows:
            # Already past due when first seen: the overdue event says it all.
            if kind == "overdue" or row.deadline > at:
                cls = (contracts.ApplicationOverdueV1 if kind == "overdue"
                       else contracts.ApplicationDueSoonV1)
                events.append(cls(application_id=row.id, kind=row.kind, stage=row.stage,
                                  deadline=row.deadline, office_id=row.office_id,
                                  applicant=_applicant(row)))
            column = "overdue_sent_for" if kind == "overdue" else "due_soon_sent_for"
            session.execute(update(application).where(application.c.id == row.id)
                            .values(**{column: row.deadline}))
    return events


def counts_by(session: Session, column: str, reachable: list[str] | None) -> list[dict]:
    col = getattr(application.c, column)
    statement = select(col, func.count()).group_by(col).order_by(col)
    if reachable is not None:
        statement = statement.where(application.c.office_id.in_(reachable))
    return [{column: value, "count": count} for value, count in session.execute(statement)]
