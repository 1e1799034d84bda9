"""RPC entrypoints of societies, offices, applications, the directory, liquidation and
reports (a mixin of RegistryService). Each parses its contract, calls the domain module
and, for a write, commits the change, its audit entry and its events in one unit of work
(with the Idempotency-Key's stored answer)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from nameko.timer import timer
from pydantic import Field

from services.common import audit
from services.common.contracts import registry as contracts
from services.common.contracts.base import Contract
from services.common.contracts.platform import AuditPageV1
from services.common.errors import Forbidden, InvalidInput, NotFound
from services.common.rpc import rpc
from services.common.validation import parse
from services.registry import (
    applications,
    liquidation,
    offices,
    registry_metrics,
    reports,
    scopes,
    societies,
)

# How often the timer looks for deadlines that have come (each deadline is announced
# once, so the interval only bounds how late a reminder can be).
DEADLINE_SCAN_SECONDS = 60


class SocietyRef(Contract):
    society_id: str = Field(min_length=1, max_length=36)


class ApplicationRef(Contract):
    application_id: str = Field(min_length=1, max_length=36)


class OfficeRef(Contract):
    office_id: str = Field(min_length=1, max_length=64)


class CaseRef(Contract):
    case_id: str = Field(min_length=1, max_length=36)


class ApplicationQuery(Contract):
    stage: contracts.ApplicationStage | None = None
    kind: contracts.ApplicationKind | None = None
    office_id: str | None = Field(None, min_length=1, max_length=64)
    overdue: bool | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class ApplicationAuditQuery(Contract):
    application_id: str = Field(min_length=1, max_length=36)
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class CaseQuery(Contract):
    status: str | None = Field(None, pattern=r"^(in_progress|closed|revived)$")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class SetSla(Contract):
    office_id: str = Field(min_length=1, max_length=64)
    rule: contracts.SlaRuleInV1


class ReturnQuery(Contract):
    office_id: str | None = Field(None, min_length=1, max_length=64)
    period_from: date
    period_to: date


class ReportQuery(Contract):
    by: str = Field(pattern=r"^(state|type|status|registration_year|stage|kind|overdue)$")
    office_id: str | None = Field(None, min_length=1, max_length=64)


class ScanQuery(Contract):
    at: datetime | None = None


class SocietyEntrypoints:
    # ------------------------------------------------------------------ helpers

    def _write(self, payload: Any, apply: Callable[[Any], tuple[Any, list, tuple]]) -> Any:
        """One command: replay a repeated Idempotency-Key, else apply, audit, emit."""
        with self.db.unit_of_work() as uow:
            prior = uow.replay(payload)
            if prior is not None:
                return prior.response
            result, events, (action, entity_type, entity_id, changes) = apply(uow)
            uow.audit(action, entity_type, entity_id, changes)
            for event in events:
                uow.emit(event)
            return uow.respond(result)

    # ------------------------------------------------------------------ societies

    @rpc
    def get_society(self, payload):
        """The register's full entry (contacts, office, bye-law version, branches)."""
        ref = parse(SocietyRef, payload)
        with self.db.read() as session:
            row = societies.society_row(session, ref.society_id)
            scopes.ensure_society(session, self.db.ctx, row)
            return contracts.SocietyV1.model_validate(
                societies.society_dict(session, row)).wire()

    @rpc
    def get_public_society(self, payload):
        """Basic details anyone may read."""
        ref = parse(SocietyRef, payload)
        with self.db.read() as session:
            return societies.public_society(session, ref.society_id)

    @rpc
    def society_offices(self, payload):
        """The society's office up to the national one (for ``office:`` grants)."""
        ref = parse(SocietyRef, payload)
        with self.db.read() as session:
            row = societies.society_row(session, ref.society_id)
            return contracts.SocietyOfficesV1(
                office_ids=offices.chain_ids(session, row.office_id)).wire()

    @rpc
    def society_bye_laws(self, payload):
        """Every bye-law version of a society with its documents."""
        ref = parse(SocietyRef, payload)
        with self.db.read() as session:
            row = societies.society_row(session, ref.society_id)
            scopes.ensure_society(session, self.db.ctx, row)
            return {"society_id": row.id, "current_version": row.bye_laws_version,
                    "versions": societies.bye_law_versions(session, row.id)}

    @rpc
    def search_societies(self, payload):
        """The public directory."""
        query = parse(contracts.SearchSocietiesV1, payload)
        with self.db.read() as session:
            return societies.search(session, query)

    # ------------------------------------------------------------------ offices

    @rpc
    def list_offices(self, payload=None):
        with self.db.read() as session:
            return {"items": offices.list_offices(session)}

    @rpc
    def get_office(self, payload):
        ref = parse(OfficeRef, payload)
        with self.db.read() as session:
            found = offices.office_dict(offices.office_row(session, ref.office_id))
            found["sla"] = offices.sla_table(session, ref.office_id)
            return found

    @rpc
    def create_office(self, payload):
        data = parse(contracts.OfficeInV1, payload)
        if self.db.ctx.actor_role not in ("administrator", "system") or (
                self.db.ctx.actor_role == "system" and self.db.ctx.scoped):
            raise Forbidden("Only an administrator creates offices.")

        def apply(uow):
            created = offices.create_office(uow.session, data)
            return created, [], ("office_created", "registrar_office", data.id, created)

        return self._write(payload, apply)

    @rpc
    def set_office_sla(self, payload):
        """An office's own SLA for one kind and stage (overrides what it inherits)."""
        command = parse(SetSla, payload)

        def apply(uow):
            scopes.ensure_role(uow.ctx, ("registrar",), "set SLA rules")
            scopes.ensure_office(uow.session, uow.ctx, command.office_id)
            rule = offices.set_sla(uow.session, command.office_id, command.rule)
            return rule, [], ("sla_rule_set", "registrar_office", command.office_id, rule)

        return self._write(payload, apply)

    # ------------------------------------------------------------------ applications

    @rpc
    def create_application(self, payload):
        command = parse(contracts.CreateApplicationV1, payload)

        def apply(uow):
            row = applications.create(uow.session, uow.ctx, command)
            answer = applications.tracker(uow.session, row)
            registry_metrics.APPLICATION_TRANSITIONS.labels(row.kind, "create").inc()
            return answer, [], ("application_created", "application", row.id,
                                {"kind": row.kind, "office_id": row.office_id,
                                 "society_id": row.society_id})

        return self._write(payload, apply)

    @rpc
    def save_draft(self, payload):
        command = parse(contracts.SaveDraftV1, payload)

        def apply(uow):
            row = applications.save_draft(uow.session, uow.ctx, command)
            return (applications.tracker(uow.session, row), [],
                    ("draft_saved", "application", row.id,
                     {"fields": sorted(command.data)}))

        return self._write(payload, apply)

    @rpc
    def verify_promoter(self, payload):
        command = parse(contracts.VerifyPromoterV1, payload)

        def apply(uow):
            checked = applications.verify_promoter(uow.session, uow.ctx, command)
            return checked, [], ("promoter_checked", "application", command.application_id,
                                 {"promoter": checked["name"],
                                  "aadhaar_last4": checked["aadhaar_last4"],
                                  "verified": checked["verified"]})

        return self._write(payload, apply)

    @rpc
    def transition_application(self, payload):
        """One workflow step (submit, take_up, raise_query, reply, schedule_hearing,
        approve, reject)."""
        command = parse(contracts.TransitionV1, payload)

        def apply(uow):
            outcome = applications.transition(uow.session, uow.ctx, command)
            row = outcome.row
            registry_metrics.APPLICATION_TRANSITIONS.labels(row.kind, command.action).inc()
            if command.action == "approve" and row.kind == "registration":
                registry_metrics.SOCIETIES_REGISTERED.labels(row.office_id).inc()
            return (applications.tracker(uow.session, row), outcome.events,
                    (f"application_{command.action}", "application", row.id,
                     outcome.changes))

        return self._write(payload, apply)

    @rpc
    def get_application(self, payload):
        """The status tracker of one application."""
        ref = parse(ApplicationRef, payload)
        with self.db.read() as session:
            row = applications.application_row(session, ref.application_id)
            scopes.ensure_application(session, self.db.ctx, row)
            return applications.tracker(session, row)

    @rpc
    def application_audit(self, payload):
        """Who did what to one application, newest first: for the offices that reach it
        (an applicant follows the tracker instead)."""
        query = parse(ApplicationAuditQuery, payload)
        with self.db.read() as session:
            row = applications.application_row(session, query.application_id)
            scopes.ensure_application(session, self.db.ctx, row)
            if not scopes.is_staff(self.db.ctx):
                raise NotFound("No such application.", {"application_id": row.id})
            page = audit.read(session, self.db.tables.audit, entity_type="application",
                              entity_id=row.id, limit=query.limit, offset=query.offset)
            return AuditPageV1.model_validate(page).wire()

    @rpc
    def list_applications(self, payload):
        query = parse(ApplicationQuery, payload)
        with self.db.read() as session:
            if query.office_id is not None:
                offices.office_row(session, query.office_id)
            return applications.list_for(
                session, self.db.ctx, stage=query.stage, kind=query.kind,
                office_id=query.office_id, overdue=query.overdue, limit=query.limit,
                offset=query.offset)

    @timer(interval=DEADLINE_SCAN_SECONDS)
    def deadline_timer(self):
        self._scan(datetime.now(UTC))

    @rpc
    def scan_deadlines(self, payload=None):
        """Run the deadline scan now (as of ``at``); for the platform itself only."""
        query = parse(ScanQuery, payload)
        if not scopes.is_system(self.db.ctx):
            raise Forbidden("Deadline scans are run by the platform.")
        return {"events": self._scan(query.at or datetime.now(UTC))}

    def _scan(self, at: datetime) -> int:
        started = time.perf_counter()
        with self.db.unit_of_work() as uow:
            events = applications.due_reminders(uow.session, at)
            for event in events:
                uow.emit(event)
                uow.audit(event.event_type, "application", event.application_id,
                          {"deadline": event.deadline.isoformat()})
                registry_metrics.DEADLINE_EVENTS.labels(event.event_type).inc()
        registry_metrics.DEADLINE_SCAN_SECONDS.observe(time.perf_counter() - started)
        return len(events)

    # ------------------------------------------------------------------ liquidation

    @rpc
    def order_liquidation(self, payload):
        command = parse(contracts.LiquidationOrderV1, payload)

        def apply(uow):
            found, events = liquidation.order(uow.session, uow.ctx, command)
            registry_metrics.SOCIETY_STATUS_CHANGES.labels("under_liquidation").inc()
            return found, events, ("liquidation_ordered", "society", command.society_id,
                                   {"case_id": found["id"], "order_ref": command.order_ref,
                                    "liquidator": command.liquidator_name})

        return self._write(payload, apply)

    @rpc
    def add_liquidation_proceeding(self, payload):
        command = parse(contracts.LiquidationProceedingV1, payload)

        def apply(uow):
            found = liquidation.add_proceeding(uow.session, uow.ctx, command)
            return found, [], ("liquidation_proceeding_added", "liquidation_case",
                               command.case_id, command.model_dump(mode="json"))

        return self._write(payload, apply)

    @rpc
    def add_liquidation_entry(self, payload):
        command = parse(contracts.LiquidationEntryV1, payload)

        def apply(uow):
            found = liquidation.add_entry(uow.session, uow.ctx, command)
            return found, [], ("liquidation_entry_added", "liquidation_case",
                               command.case_id, command.model_dump(mode="json"))

        return self._write(payload, apply)

    @rpc
    def end_liquidation(self, payload):
        command = parse(contracts.LiquidationEndV1, payload)

        def apply(uow):
            found, events = liquidation.end(uow.session, uow.ctx, command)
            registry_metrics.SOCIETY_STATUS_CHANGES.labels(events[0].to_status).inc()
            return found, events, (f"liquidation_{command.outcome}", "liquidation_case",
                                   command.case_id, command.model_dump(mode="json"))

        return self._write(payload, apply)

    @rpc
    def get_liquidation_case(self, payload):
        ref = parse(CaseRef, payload)
        with self.db.read() as session:
            row = liquidation.case_row(session, ref.case_id)
            liquidation.ensure_case(session, self.db.ctx, row)
            return liquidation.case_dict(session, row)

    @rpc
    def list_liquidation_cases(self, payload):
        query = parse(CaseQuery, payload)
        with self.db.read() as session:
            return liquidation.list_cases(session, self.db.ctx, status=query.status,
                                          limit=query.limit, offset=query.offset)

    @rpc
    def liquidation_return(self, payload):
        """The counts of RCS/LQR/01 for an office (and below) and a period."""
        query = parse(ReturnQuery, payload)
        if query.period_to < query.period_from:
            raise InvalidInput("The period ends before it starts.",
                               fields={"period_to": "must be on or after period_from"})
        with self.db.read() as session:
            reach = reports.reach(session, self.db.ctx, query.office_id)
            answer = liquidation.return_counts(session, reach, query.period_from,
                                               query.period_to)
            answer["office_id"] = query.office_id
            return answer

    # ------------------------------------------------------------------ reports

    @rpc
    def report_societies(self, payload):
        query = parse(ReportQuery, payload)
        with self.db.read() as session:
            reach = reports.reach(session, self.db.ctx, query.office_id)
            return reports.societies_by(session, query.by, reach)

    @rpc
    def report_applications(self, payload):
        query = parse(ReportQuery, payload)
        with self.db.read() as session:
            reach = reports.reach(session, self.db.ctx, query.office_id)
            return reports.applications_by(session, query.by, reach)
