"""RPC entrypoints of auditors' empanelment, audit allotment and the audit reminders'
timer (a mixin of FilingsService)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from nameko.timer import timer

from services.common.contracts import filings_audits as contracts
from services.common.contracts.base import Contract
from services.common.errors import Forbidden
from services.common.india import INDIA
from services.common.rpc import rpc
from services.common.validation import parse
from services.filings import scopes
from services.filings.audits import allotment, empanelment, reminders

# How often the timer looks for this month's audit reminders (each goes out once, so the
# interval only bounds how late one can be).
AUDIT_REMINDER_SCAN_SECONDS = 3600
# Offices above another: district -> state -> national is three; a bound on the walk.
MAX_OFFICE_DEPTH = 8


class ScanQuery(Contract):
    as_on: date | None = None


def _today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(INDIA).date()


class EmpanelmentEntrypoints:
    def _office_chain(self, office_id: str) -> list[str]:
        """The office and those above it, nearest first (the registry's offices)."""
        chain: list[str] = []
        current: str | None = office_id
        while current is not None and len(chain) < MAX_OFFICE_DEPTH:
            office = self.registry.get_office(payload={"office_id": current})
            chain.append(office["id"])
            current = office.get("parent_id")
        return chain

    @rpc
    def apply_for_empanelment(self, payload):
        """An auditor applies (or applies to renew) for a financial year."""
        command = parse(contracts.ApplyForEmpanelmentV1, payload)
        empanelment.ensure_auditor(self.caller)
        chain = self._office_chain(command.office_id)

        def apply(uow, now):
            found = empanelment.apply(uow.session, uow.ctx, command, chain, _today(now), now)
            return empanelment.as_dict(found), [], (
                "empanelment_applied", "empanelment", found.id,
                {"financial_year": found.financial_year,
                 "membership_number": found.membership_number,
                 "office_id": found.office_id, "renewal_of": found.renewal_of})

        return self._write(payload, apply)

    @rpc
    def get_empanelment(self, payload):
        ref = parse(contracts.EmpanelmentRefV1, payload)
        with self.db.read() as session:
            found = empanelment.row(session, ref.empanelment_id)
            empanelment.ensure_visible(self.caller, found)
            return empanelment.as_dict(found)

    @rpc
    def list_empanelments(self, payload=None):
        query = parse(contracts.EmpanelmentListV1, payload or {})
        with self.db.read() as session:
            return empanelment.listing(session, self.caller, query)

    @rpc
    def query_empanelment(self, payload):
        """The office asks the applicant a question; the application waits for the reply."""
        command = parse(contracts.EmpanelmentQueryV1, payload)

        def apply(uow, now):
            found = empanelment.query(uow.session, uow.ctx, command, now)
            return empanelment.as_dict(found), [
                empanelment.step_event(found, "queried", command.text, now)], (
                "empanelment_queried", "empanelment", found.id, {"text": command.text})

        return self._write(payload, apply)

    @rpc
    def reply_empanelment(self, payload):
        command = parse(contracts.EmpanelmentReplyV1, payload)

        def apply(uow, now):
            found = empanelment.reply(uow.session, uow.ctx, command, now)
            return empanelment.as_dict(found), [], (
                "empanelment_replied", "empanelment", found.id,
                {"document_ids": command.document_ids})

        return self._write(payload, apply)

    @rpc
    def approve_empanelment(self, payload):
        """Empanelled for the financial year, to its 31 March."""
        command = parse(contracts.ApproveEmpanelmentV1, payload)

        def apply(uow, now):
            found = empanelment.approve(uow.session, uow.ctx, command, _today(now), now)
            return empanelment.as_dict(found), [
                empanelment.empanelled_event(found, empanelment.office_name(
                    uow.session, found.office_id))], (
                "empanelment_approved", "empanelment", found.id,
                {"financial_year": found.financial_year,
                 "valid_from": found.valid_from.isoformat(),
                 "valid_to": found.valid_to.isoformat()})

        return self._write(payload, apply)

    @rpc
    def reject_empanelment(self, payload):
        command = parse(contracts.EmpanelmentDecisionV1, payload)

        def apply(uow, now):
            found = empanelment.reject(uow.session, uow.ctx, command, now)
            return empanelment.as_dict(found), [
                empanelment.step_event(found, "rejected", command.reasons, now)], (
                "empanelment_rejected", "empanelment", found.id,
                {"reasons": command.reasons})

        return self._write(payload, apply)

    @rpc
    def suspend_empanelment(self, payload):
        """An empanelment suspended with reasons: it receives no allotment."""
        command = parse(contracts.EmpanelmentDecisionV1, payload)

        def apply(uow, now):
            found = empanelment.suspend(uow.session, uow.ctx, command, now)
            return empanelment.as_dict(found), [
                empanelment.step_event(found, "suspended", command.reasons, now)], (
                "empanelment_suspended", "empanelment", found.id,
                {"reasons": command.reasons})

        return self._write(payload, apply)

    @rpc
    def allot_audit(self, payload):
        """The office allots (or reallots, with reasons) a society's audit of a year."""
        command = parse(contracts.AllotAuditV1, payload)

        def apply(uow, now):
            found, before = allotment.allot(uow.session, uow.ctx, command, _today(now), now)
            auditor = empanelment.row(uow.session, found.empanelment_id)
            return allotment.as_dict(found), [
                allotment.allotted_event(found, before, auditor)], (
                "audit_reallotted" if before is not None else "audit_allotted",
                "society", found.society_id,
                {"allotment_id": found.id, "financial_year": found.financial_year,
                 "empanelment_id": found.empanelment_id,
                 "membership_number": found.membership_number,
                 "replaces": before.id if before is not None else None,
                 "reasons": command.reasons})

        return self._write(payload, apply)

    @rpc
    def list_allotments(self, payload=None):
        """An auditor's own allotments; staff: those of the societies under their office."""
        query = parse(contracts.AllotmentListV1, payload or {})
        with self.db.read() as session:
            return allotment.listing(session, self.caller, query)

    @timer(interval=AUDIT_REMINDER_SCAN_SECONDS)
    def audit_reminder_timer(self):
        self._send_audit_reminders(_today())

    @rpc
    def scan_audit_reminders(self, payload=None):
        """Send this month's audit reminders now (as on ``as_on``); the platform's."""
        query = parse(ScanQuery, payload or {})
        if not scopes.is_system(self.caller):
            raise Forbidden("Audit reminder scans are run by the platform.")
        return {"events": self._send_audit_reminders(query.as_on or _today())}

    def _send_audit_reminders(self, today: date) -> int:
        with self.db.unit_of_work() as uow:
            events = reminders.send(uow.session, today, datetime.now(UTC))
            for event in events:
                uow.emit(event)
            if events:
                uow.audit("audit_reminders_sent", "filings", today.isoformat(),
                          {"events": len(events)})
        return len(events)
