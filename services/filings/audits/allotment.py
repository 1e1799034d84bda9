"""Audits allotted online (seed 001) to empanelled auditors.

The office over a society allots its audit of a financial year that has ended to an
auditor whose empanelment is in force on the day of allotment (the panel of the year in
which the allotment is made; expired or suspended ones are refused) and who serves the
society's state (and its district, when the empanelment names districts). Refused too:
an auditor who audited the society in each of the ``FILINGS_AUDIT_ROTATION_YEARS``
(default 3, a platform rule) years just before (``rotation_limit``), a year already
audited, and a second allotment of a year without reasons. A reallotment keeps the one it
replaces, marked ``replaced`` with the reasons; one allotment of a year is current."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import filings_audits as contracts
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.filings import scopes
from services.filings.audits import empanelment
from services.filings.audits.settings import audit_settings
from services.filings.audits.status import year_end, year_name
from services.filings.compliance import due
from services.filings.tables import audit_allotment, audit_record, society_roster

CURRENT = ("allotted", "audited")


def current(session: Session, society_id: str, financial_year: str) -> Any:
    return session.execute(select(audit_allotment).where(
        audit_allotment.c.society_id == society_id,
        audit_allotment.c.financial_year == financial_year,
        audit_allotment.c.status.in_(CURRENT))).first()


def as_dict(found: Any) -> dict:
    return contracts.AllotmentV1.model_validate(found._mapping).wire()


def _serves(found: Any, society: Any) -> None:
    if society.state not in found.states:
        raise Conflict(f"The auditor does not serve {society.state}.",
                       empanelment.refused(
                           "serves_area", f"लेखा परीक्षक {society.state} में सेवा नहीं देते।",
                           state=society.state, states=found.states))
    if found.districts and society.district not in found.districts:
        raise Conflict(f"The auditor does not serve {society.district}.",
                       empanelment.refused(
                           "serves_area", f"लेखा परीक्षक {society.district} में सेवा नहीं देते।",
                           district=society.district, districts=found.districts))


def _rotation(session: Session, society_id: str, financial_year: str,
              membership_number: str) -> None:
    limit = audit_settings().rotation_years
    end = year_end(financial_year).year
    before = [year_name(end - n) for n in range(1, limit + 1)]
    theirs = set(session.execute(select(audit_allotment.c.financial_year).where(
        audit_allotment.c.society_id == society_id,
        audit_allotment.c.financial_year.in_(before),
        audit_allotment.c.status.in_(CURRENT),
        audit_allotment.c.membership_number == membership_number)).scalars())
    if theirs == set(before):
        raise Conflict(f"The auditor audited this society in each of the {limit} years "
                       f"before {financial_year}.",
                       empanelment.refused(
                           "rotation_limit",
                           f"लेखा परीक्षक ने {financial_year} से पहले के लगातार {limit} वर्षों "
                           "में इस समिति की लेखा परीक्षा की है।",
                           limit=limit, years=sorted(before)))


def allot(session: Session, ctx: CallContext, command: contracts.AllotAuditV1,
          today: date, now: datetime) -> tuple[Any, Any | None]:
    """The new allotment and the one it replaced (None for a first allotment)."""
    society = session.execute(select(society_roster).where(
        society_roster.c.society_id == command.society_id).with_for_update()).first()
    if society is None:
        raise NotFound("No such society on the filings roster.",
                       {"society_id": command.society_id})
    due.ensure_reaches(ctx, society)
    if not scopes.staff_reaches(ctx, society.office_chain):
        raise Forbidden("The registrar's office over the society allots its audit.",
                        empanelment.refused(
                            "office_allots",
                            "समिति के ऊपर का रजिस्ट्रार कार्यालय उसकी लेखा परीक्षा आवंटित करता है।",
                            required_roles=list(scopes.STAFF), your_role=ctx.actor_role))
    ends = year_end(command.financial_year)
    if ends >= today:
        raise InvalidInput("A year's audit is allotted after the year ends.",
                           fields={"financial_year": f"ends on {ends.isoformat()}"})
    if ends < society.registration_date:
        raise InvalidInput("The society was not registered in that year.",
                           fields={"financial_year": "registered on "
                                   f"{society.registration_date.isoformat()}"})
    if session.execute(select(audit_record.c.audited_on).where(
            audit_record.c.society_id == society.society_id,
            audit_record.c.financial_year == command.financial_year)).first():
        raise Conflict("That year's audit is already recorded.",
                       empanelment.refused(
                           "already_audited", "उस वर्ष की लेखा परीक्षा पहले ही दर्ज है।",
                           financial_year=command.financial_year))
    auditor = empanelment.row(session, command.empanelment_id)
    empanelment.in_force(auditor, today)
    _serves(auditor, society)
    before = current(session, society.society_id, command.financial_year)
    if before is not None:
        if command.reasons is None:
            raise Conflict("The year's audit is allotted already; a reallotment states "
                           "its reasons.", empanelment.refused(
                               "one_allotment_per_year",
                               "वर्ष की लेखा परीक्षा पहले ही आवंटित है; पुनः आवंटन के कारण बताएँ।",
                               allotment_id=before.id))
        if before.membership_number == auditor.membership_number:
            raise Conflict("The year's audit is allotted to this auditor already.",
                           empanelment.refused(
                               "same_auditor",
                               "वर्ष की लेखा परीक्षा पहले ही इन्हीं लेखा परीक्षक को आवंटित है।",
                               allotment_id=before.id))
    _rotation(session, society.society_id, command.financial_year,
              auditor.membership_number)
    if before is not None:
        session.execute(update(audit_allotment).where(audit_allotment.c.id == before.id)
                        .values(status="replaced", replaced_at=now,
                                replaced_reasons=command.reasons))
    ident = str(uuid.uuid4())
    session.execute(audit_allotment.insert().values(
        id=ident, society_id=society.society_id, society_name=society.name,
        office_chain=society.office_chain, financial_year=command.financial_year,
        empanelment_id=auditor.id, auditor_id=auditor.applicant_id,
        auditor_name=auditor.firm_name or auditor.name,
        membership_number=auditor.membership_number, status="allotted",
        reasons=command.reasons, allotted_by=ctx.actor_id or "system", allotted_at=now))
    return session.execute(select(audit_allotment).where(
        audit_allotment.c.id == ident)).first(), before


def note_audit(session: Session, society_id: str, financial_year: str,
               audited_on: date) -> str | None:
    """An audit recorded: its year's current allotment (if any) is marked audited."""
    found = current(session, society_id, financial_year)
    if found is None:
        return None
    session.execute(update(audit_allotment).where(audit_allotment.c.id == found.id)
                    .values(status="audited", audited_on=audited_on))
    return found.id


def listing(session: Session, ctx: CallContext, query: contracts.AllotmentListV1) -> dict:
    """An auditor's own allotments; staff: those of the societies under their office
    (the society's office chain names an office of their grant, in SQL)."""
    stmt = select(audit_allotment)
    if ctx.actor_role == empanelment.AUDITOR:
        stmt = stmt.where(audit_allotment.c.auditor_id == (ctx.actor_id or ""))
    elif not (scopes.is_system(ctx) or ctx.actor_role in scopes.STAFF):
        raise Forbidden("Allotments are the auditors' and the registrar's office's.",
                        {"required_roles": [empanelment.AUDITOR, *scopes.STAFF],
                         "your_role": ctx.actor_role})
    if query.society_id:
        stmt = stmt.where(audit_allotment.c.society_id == query.society_id)
    if query.financial_year:
        stmt = stmt.where(audit_allotment.c.financial_year == query.financial_year)
    if not query.include_replaced:
        stmt = stmt.where(audit_allotment.c.status.in_(CURRENT))
    if ctx.actor_role != empanelment.AUDITOR:
        stmt = stmt.where(scopes.staff_reach_clause(ctx, audit_allotment.c.office_chain))
    return scopes.page(session, stmt.order_by(audit_allotment.c.allotted_at.desc(),
                                              audit_allotment.c.id),
                       query.offset, query.limit, as_dict)


def allotted_event(found: Any, before: Any | None, auditor: Any) -> contracts.AuditAllottedV1:
    """``found`` the allotment, ``before`` the one it replaced (or None), ``auditor`` the
    empanelment it is allotted under."""
    return contracts.AuditAllottedV1(
        allotment_id=found.id, society_id=found.society_id, society_name=found.society_name,
        financial_year=found.financial_year, empanelment_id=found.empanelment_id,
        auditor_id=found.auditor_id, auditor_name=found.auditor_name,
        membership_number=found.membership_number,
        replaces=before.id if before is not None else None,
        auditor_firm_name=auditor.firm_name,
        replaced_auditor_id=before.auditor_id if before is not None else None,
        replaced_auditor_name=before.auditor_name if before is not None else None)
