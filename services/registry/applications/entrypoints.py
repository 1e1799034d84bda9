"""RPC entrypoints of applications: filing, drafts, promoter e-verification, workflow
steps, the tracker, the audit trail, lists, and the deadline timer (a mixin of
RegistryService). Each parses its contract and calls the domain module; a write goes
through ``Commands._write``."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Literal

from nameko.timer import timer
from pydantic import Field

from services.common import audit
from services.common.commands import Commands
from services.common.contracts import registry as contracts
from services.common.contracts.base import Contract
from services.common.contracts.platform import AuditPageV1
from services.common.errors import Forbidden, NotFound
from services.common.rpc import rpc
from services.common.validation import parse
from services.registry import metrics, scopes
from services.registry.applications import workflow as applications
from services.registry.offices import hierarchy as offices

# How often the timer looks for deadlines that have come (each deadline is announced
# once, so the interval only bounds how late a reminder can be).
DEADLINE_SCAN_SECONDS = 60


class ApplicationRef(Contract):
    application_id: str = Field(min_length=1, max_length=36)


class ApplicationQuery(Contract):
    stage: contracts.ApplicationStage | None = None
    kind: contracts.ApplicationKind | None = None
    office_id: str | None = Field(None, min_length=1, max_length=64)
    overdue: bool | None = None
    # newest first, or the soonest deadline first (an officer's work queue; none last)
    order: Literal["newest", "deadline"] = "newest"
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class ApplicationAuditQuery(Contract):
    application_id: str = Field(min_length=1, max_length=36)
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class ScanQuery(Contract):
    at: datetime | None = None


class ApplicationEntrypoints(Commands):
    @rpc
    def create_application(self, payload):
        command = parse(contracts.CreateApplicationV1, payload)

        def apply(uow, now):
            row = applications.create(uow.session, uow.ctx, command)
            answer = applications.tracker(uow.session, row)
            metrics.APPLICATION_TRANSITIONS.labels(row.kind, "create").inc()
            return answer, [], ("application_created", "application", row.id,
                                {"kind": row.kind, "office_id": row.office_id,
                                 "society_id": row.society_id})

        return self._write(payload, apply)

    @rpc
    def save_draft(self, payload):
        command = parse(contracts.SaveDraftV1, payload)

        def apply(uow, now):
            row = applications.save_draft(uow.session, uow.ctx, command)
            return (applications.tracker(uow.session, row), [],
                    ("draft_saved", "application", row.id,
                     {"fields": sorted(command.data)}))

        return self._write(payload, apply)

    @rpc
    def verify_promoter(self, payload):
        command = parse(contracts.VerifyPromoterV1, payload)

        def apply(uow, now):
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

        def apply(uow, now):
            outcome = applications.transition(uow.session, uow.ctx, command)
            row = outcome.row
            metrics.APPLICATION_TRANSITIONS.labels(row.kind, command.action).inc()
            if command.action == "approve" and row.kind == "registration":
                metrics.SOCIETIES_REGISTERED.labels(row.office_id).inc()
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
                office_id=query.office_id, overdue=query.overdue, order=query.order,
                limit=query.limit, offset=query.offset)

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
                metrics.DEADLINE_EVENTS.labels(event.event_type).inc()
        metrics.DEADLINE_SCAN_SECONDS.observe(time.perf_counter() - started)
        return len(events)
