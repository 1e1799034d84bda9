"""RPC entrypoints of audits (a mixin of FilingsService)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import StringConstraints

from services.common.contracts import filings as contracts
from services.common.contracts.base import Contract
from services.common.errors import Forbidden
from services.common.india import INDIA
from services.common.rpc import rpc
from services.common.validation import parse
from services.filings import scopes
from services.filings.audits import allotment, status
from services.filings.compliance import due, standing


class RecordAudit(Contract):
    society_id: contracts.FilerId
    financial_year: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]
    audited_on: date
    auditor_name: Annotated[str, StringConstraints(min_length=2, max_length=200)]
    report_document_id: Annotated[str, StringConstraints(min_length=1,
                                                         max_length=64)] | None = None


class AuditRef(Contract):
    society_id: contracts.FilerId
    as_on: date | None = None


class PositionQuery(Contract):
    state: Annotated[str, StringConstraints(min_length=2, max_length=60)] | None = None
    district: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    type: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    as_on: date | None = None


def _today(as_on: date | None) -> date:
    return as_on or datetime.now(UTC).astimezone(INDIA).date()


class AuditEntrypoints:
    @rpc
    def record_audit(self, payload):
        """The office records a society's audited year."""
        command = parse(RecordAudit, payload)

        def apply(uow, now):
            society = due.roster_row(uow.session, command.society_id)
            due.ensure_reaches(uow.ctx, society)
            if not scopes.staff_reaches(uow.ctx, society.office_chain):
                raise Forbidden("The registrar's office records audits.",
                                {"required_roles": list(scopes.STAFF),
                                 "your_role": uow.ctx.actor_role})
            status.record(uow.session, uow.ctx, society, command, now)
            allotted = allotment.note_audit(uow.session, society.society_id,
                                            command.financial_year, command.audited_on)
            answer = status.status_of(society, status.audited_years(
                uow.session, society.society_id), _today(None))
            answer["allotment_id"] = allotted
            events = standing.changes(uow.session, society.society_id, now)
            return answer, events, ("audit_recorded", "society", society.society_id,
                                {"financial_year": command.financial_year,
                                 "auditor_name": command.auditor_name,
                                 "allotment_id": allotted})

        return self._write(payload, apply)

    @rpc
    def audit_status(self, payload):
        query = parse(AuditRef, payload)
        with self.db.read() as session:
            society = due.roster_row(session, query.society_id)
            due.ensure_reaches(self.caller, society)
            return status.status_of(society, status.audited_years(
                session, society.society_id), _today(query.as_on))

    @rpc
    def audit_position(self, payload):
        query = parse(PositionQuery, payload or {})
        if not (scopes.is_system(self.caller) or self.caller.actor_role in scopes.STAFF):
            raise Forbidden("The audit position is the registrar's office's.",
                            {"required_roles": list(scopes.STAFF),
                             "your_role": self.caller.actor_role})
        with self.db.read() as session:
            return status.position(session, self.caller, query, _today(query.as_on))
