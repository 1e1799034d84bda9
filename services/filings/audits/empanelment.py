"""Auditors' empanelment (seed 001: an online end-to-end workflow), one financial year at
a time.

An auditor applies for a year to the office that keeps the panel; staff whose office
grant covers that office (the office itself or one above it) scrutinise: ask a question
(``queried``) that the applicant answers (``submitted`` again), approve (``empanelled``
from the day of approval, or the year's 1 April if later, to the year's 31 March) or
reject with reasons; an empanelment may be suspended with reasons. The account that
applied (its actor id) is the auditor the panel names and allotments go to.

The window: applications for a financial year are taken from 1 January before it begins
until 31 December within it (``empanelment_window``). So a renewal, the application for
the year after one the auditor is empanelled for, opens on 1 January, three months before
the empanelment it follows runs out; after 31 March the old one has expired and cannot
receive allotments. One application per ICAI membership number and year."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import filings_audits as contracts
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, OutsideWindow
from services.common.india import day_text
from services.filings import scopes
from services.filings.audits.status import year_end, year_name
from services.filings.tables import auditor_empanelment, office_roster

AUDITOR = "auditor"


def refused(rule: str, hindi: str, **details: Any) -> dict:
    """What a refusal carries: the rule it names, its message in Hindi, the details."""
    return {"rule": rule, "message_hi": hindi, **details}


def year_start(financial_year: str) -> date:
    return date(year_end(financial_year).year - 1, 4, 1)


def year_of(day: date) -> str:
    """The financial year a day falls in: 15-06-2026 -> 2026-27."""
    return year_name(day.year + 1 if day.month >= 4 else day.year)


def window(financial_year: str) -> tuple[date, date]:
    """When applications for a year are taken: 1 January before it to 31 December in it."""
    start = year_start(financial_year)
    return date(start.year, 1, 1), date(start.year, 12, 31)


def ensure_auditor(ctx: CallContext) -> None:
    if ctx.actor_role != AUDITOR or not ctx.actor_id:
        raise Forbidden("Auditors apply for empanelment from their own account.",
                        refused(
                            "auditor_applies",
                            "लेखा परीक्षक अपने ही खाते से पैनल हेतु आवेदन करते हैं।",
                            required_roles=[AUDITOR], your_role=ctx.actor_role))


def row(session: Session, empanelment_id: str, *, lock: bool = False) -> Any:
    stmt = select(auditor_empanelment).where(auditor_empanelment.c.id == empanelment_id)
    found = session.execute(stmt.with_for_update() if lock else stmt).first()
    if found is None:
        raise NotFound("No such empanelment.", {"empanelment_id": empanelment_id})
    return found


def is_applicant(ctx: CallContext, found: Any) -> bool:
    return ctx.actor_role == AUDITOR and ctx.actor_id == found.applicant_id


def ensure_visible(ctx: CallContext, found: Any) -> None:
    if not (is_applicant(ctx, found) or scopes.staff_reaches(ctx, found.office_chain)):
        raise NotFound("No such empanelment.", {"empanelment_id": found.id})


def ensure_scrutiniser(ctx: CallContext, found: Any) -> None:
    ensure_visible(ctx, found)
    if not scopes.staff_reaches(ctx, found.office_chain):
        raise Forbidden("The registrar's office keeping the panel scrutinises "
                        "applications.", refused(
                            "office_scrutinises",
                            "पैनल रखने वाला रजिस्ट्रार कार्यालय आवेदनों की जाँच करता है।",
                            required_roles=list(scopes.STAFF), your_role=ctx.actor_role))


def ensure_status(found: Any, *allowed: str) -> None:
    if found.status not in allowed:
        raise Conflict(f"The application is {found.status}; this step needs it "
                       f"{' or '.join(allowed)}.",
                       refused(
                           "empanelment_status",
                           f"आवेदन की स्थिति {found.status} है; यह चरण {' या '.join(allowed)} "
                           "स्थिति में ही संभव है।",
                           status=found.status, allowed=list(allowed)))


def as_dict(found: Any) -> dict:
    return contracts.EmpanelmentV1(
        id=found.id, financial_year=found.financial_year, office_id=found.office_id,
        applicant_id=found.applicant_id, name=found.name, firm_name=found.firm_name,
        membership_number=found.membership_number, frn=found.frn, email=found.email,
        phone=found.phone, qualifications=found.qualifications,
        certificate_document_ids=found.certificate_document_ids, states=found.states,
        districts=found.districts, status=found.status, renewal_of=found.renewal_of,
        valid_from=found.valid_from, valid_to=found.valid_to, steps=found.steps,
        submitted_at=found.submitted_at, updated_at=found.updated_at).wire()


def _step(step: str, ctx: CallContext, now: datetime, text: str | None = None,
          document_ids: list[str] | None = None) -> dict:
    return {"step": step, "by": ctx.actor_id or "system", "at": now.isoformat(),
            "text": text, "document_ids": document_ids or []}


def apply(session: Session, ctx: CallContext, command: contracts.ApplyForEmpanelmentV1,
          office_chain: list[str], today: date, now: datetime) -> Any:
    ensure_auditor(ctx)
    year_end(command.financial_year)  # refuses 2024-26
    opens, closes = window(command.financial_year)
    if not opens <= today <= closes:
        raise OutsideWindow(
            f"Applications for {command.financial_year} are taken from {day_text(opens)} "
            f"to {day_text(closes)}.",
            refused(
                "empanelment_window",
                f"{command.financial_year} के आवेदन {day_text(opens)} से {day_text(closes)} तक "
                "लिए जाते हैं।",
                opens_at=opens.isoformat(), closes_at=closes.isoformat()))
    if command.frn and not command.firm_name:
        raise InvalidInput("A firm's registration number comes with the firm's name.",
                           fields={"firm_name": "required with frn"})
    previous = year_name(year_end(command.financial_year).year - 1)
    before = session.execute(select(auditor_empanelment.c.id).where(
        auditor_empanelment.c.membership_number == command.membership_number,
        auditor_empanelment.c.financial_year == previous,
        auditor_empanelment.c.status == "empanelled")).scalar()
    ident = str(uuid.uuid4())
    try:
        with session.begin_nested():
            session.execute(auditor_empanelment.insert().values(
                id=ident, financial_year=command.financial_year, office_id=command.office_id,
                office_chain=office_chain, applicant_id=ctx.actor_id, name=command.name,
                firm_name=command.firm_name, membership_number=command.membership_number,
                frn=command.frn, email=command.email, phone=command.phone,
                qualifications=command.qualifications,
                certificate_document_ids=command.certificate_document_ids,
                states=command.states, districts=command.districts, status="submitted",
                renewal_of=before, steps=[_step("applied", ctx, now)], submitted_at=now,
                updated_at=now))
    except IntegrityError as exc:
        raise Conflict("This membership number has applied for that year already.",
                       refused(
                           "one_application_per_year",
                           "इस सदस्यता संख्या से उस वर्ष हेतु आवेदन पहले ही किया जा चुका है।",
                           membership_number=command.membership_number,
                           financial_year=command.financial_year)) from exc
    return row(session, ident)


def _move(session: Session, found: Any, status: str, step: dict, now: datetime,
          **values: Any) -> Any:
    session.execute(update(auditor_empanelment).where(auditor_empanelment.c.id == found.id)
                    .values(status=status, steps=[*found.steps, step], updated_at=now,
                            **values))
    return row(session, found.id)


def query(session: Session, ctx: CallContext, command: contracts.EmpanelmentQueryV1,
          now: datetime) -> Any:
    found = row(session, command.empanelment_id, lock=True)
    ensure_scrutiniser(ctx, found)
    ensure_status(found, "submitted")
    return _move(session, found, "queried", _step("queried", ctx, now, command.text), now)


def reply(session: Session, ctx: CallContext, command: contracts.EmpanelmentReplyV1,
          now: datetime) -> Any:
    found = row(session, command.empanelment_id, lock=True)
    ensure_visible(ctx, found)
    if not is_applicant(ctx, found):
        raise Forbidden("Only the applicant answers the office's query.",
                        refused(
                            "applicant_replies", "कार्यालय की पृच्छा का उत्तर केवल आवेदक देते हैं।",
                            your_role=ctx.actor_role))
    ensure_status(found, "queried")
    return _move(session, found, "submitted",
                 _step("replied", ctx, now, command.text, command.document_ids), now,
                 certificate_document_ids=list(dict.fromkeys(
                     [*found.certificate_document_ids, *command.document_ids])))


def approve(session: Session, ctx: CallContext, command: contracts.ApproveEmpanelmentV1,
            today: date, now: datetime) -> Any:
    found = row(session, command.empanelment_id, lock=True)
    ensure_scrutiniser(ctx, found)
    ensure_status(found, "submitted")
    ends = year_end(found.financial_year)
    if today > ends:
        raise Conflict(f"The year {found.financial_year} has ended.",
                       refused(
                           "empanelment_expired", f"वर्ष {found.financial_year} समाप्त हो चुका है।",
                           valid_to=ends.isoformat()))
    return _move(session, found, "empanelled", _step("approved", ctx, now, command.remarks),
                 now, valid_from=max(today, year_start(found.financial_year)),
                 valid_to=ends)


def reject(session: Session, ctx: CallContext, command: contracts.EmpanelmentDecisionV1,
           now: datetime) -> Any:
    found = row(session, command.empanelment_id, lock=True)
    ensure_scrutiniser(ctx, found)
    ensure_status(found, "submitted", "queried")
    return _move(session, found, "rejected", _step("rejected", ctx, now, command.reasons),
                 now)


def suspend(session: Session, ctx: CallContext, command: contracts.EmpanelmentDecisionV1,
            now: datetime) -> Any:
    found = row(session, command.empanelment_id, lock=True)
    ensure_scrutiniser(ctx, found)
    ensure_status(found, "empanelled")
    return _move(session, found, "suspended", _step("suspended", ctx, now, command.reasons),
                 now)


def in_force(found: Any, today: date) -> None:
    """Refuse an allotment to an empanelment not in force today, naming the rule."""
    if found.status == "suspended":
        raise Conflict("The auditor's empanelment is suspended.",
                       refused(
                           "empanelment_suspended", "लेखा परीक्षक का पैनलीकरण निलंबित है।",
                           empanelment_id=found.id))
    if found.status != "empanelled":
        raise Conflict(f"The auditor is not empanelled (the application is {found.status}).",
                       refused(
                           "not_empanelled",
                           f"लेखा परीक्षक पैनल में नहीं हैं (आवेदन की स्थिति {found.status})।",
                           status=found.status))
    if today > found.valid_to:
        raise Conflict(f"The empanelment expired on {day_text(found.valid_to)}.",
                       refused(
                           "empanelment_expired",
                           f"पैनलीकरण {day_text(found.valid_to)} को समाप्त हो गया।",
                           valid_to=found.valid_to.isoformat()))
    if today < found.valid_from:
        raise Conflict(f"The empanelment runs from {day_text(found.valid_from)}.",
                       refused(
                           "empanelment_not_begun",
                           f"पैनलीकरण {day_text(found.valid_from)} से प्रभावी है।",
                           valid_from=found.valid_from.isoformat()))


def listing(session: Session, ctx: CallContext, query_: contracts.EmpanelmentListV1) -> dict:
    """The auditor's own applications; staff: those of the offices they reach (the
    panel office's chain names an office of their grant, in SQL)."""
    stmt = select(auditor_empanelment)
    if ctx.actor_role == AUDITOR:
        stmt = stmt.where(auditor_empanelment.c.applicant_id == (ctx.actor_id or ""))
    elif not (scopes.is_system(ctx) or ctx.actor_role in scopes.STAFF):
        raise Forbidden("Empanelments are the auditors' and the registrar's office's.",
                        {"required_roles": [AUDITOR, *scopes.STAFF],
                         "your_role": ctx.actor_role})
    if query_.status:
        stmt = stmt.where(auditor_empanelment.c.status == query_.status)
    if query_.financial_year:
        stmt = stmt.where(auditor_empanelment.c.financial_year == query_.financial_year)
    if ctx.actor_role != AUDITOR:
        stmt = stmt.where(scopes.staff_reach_clause(ctx, auditor_empanelment.c.office_chain))
    return scopes.page(session, stmt.order_by(auditor_empanelment.c.submitted_at.desc(),
                                              auditor_empanelment.c.id),
                       query_.offset, query_.limit, as_dict)


def step_event(found: Any, step: str, text: str,
               now: datetime) -> contracts.EmpanelmentStepTakenV1:
    """A query, rejection or suspension as the applicant hears it (notify)."""
    return contracts.EmpanelmentStepTakenV1(
        empanelment_id=found.id, applicant_id=found.applicant_id, name=found.name,
        financial_year=found.financial_year, office_id=found.office_id, step=step,
        text=text, at=now)


def office_name(session: Session, office_id: str) -> str | None:
    """The office's name as the due-date scan last read the registry's offices
    (``office_roster``); None when it has not read that office."""
    return session.execute(select(office_roster.c.name).where(
        office_roster.c.office_id == office_id)).scalar()


def empanelled_event(found: Any, office_name: str | None = None
                     ) -> contracts.AuditorEmpanelledV1:
    return contracts.AuditorEmpanelledV1(
        empanelment_id=found.id, applicant_id=found.applicant_id, name=found.name,
        firm_name=found.firm_name, membership_number=found.membership_number, frn=found.frn,
        financial_year=found.financial_year, office_id=found.office_id,
        valid_to=found.valid_to, states=found.states, districts=found.districts,
        renewal=found.renewal_of is not None, office_name=office_name)
