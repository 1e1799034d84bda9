"""RPC entrypoints of due dates and compliance, the roster's event handler and the
reminder timer (a mixin of FilingsService)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

import eventlet
from nameko.timer import timer
from pydantic import Field, StringConstraints

from services.common.consumer import event_handler
from services.common.contracts import filings as contracts
from services.common.contracts.base import Contract
from services.common.contracts.registry import SocietyRegisteredV1
from services.common.errors import Forbidden
from services.common.india import INDIA
from services.common.rpc import rpc
from services.common.validation import parse
from services.filings import scopes
from services.filings.compliance import (
    audit_pending,
    due,
    office_reminders,
    reminders,
    standing,
    view,
)

# How often the timer looks for returns coming due (each reminder goes out once, so the
# interval only bounds how late one can be).
REMINDER_SCAN_SECONDS = 3600


class SocietyRef(Contract):
    society_id: contracts.FilerId
    as_on: date | None = None


class ComplianceQuery(Contract):
    form_code: contracts.FormCode
    period_end: date | None = None
    state: Annotated[str, StringConstraints(min_length=2, max_length=60)] | None = None
    district: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    type: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    status: Literal["filed_on_time", "filed_late", "overdue", "not_yet_due"] | None = None
    as_on: date | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class ScanQuery(Contract):
    as_on: date | None = None


def _today(as_on: date | None) -> date:
    return as_on or datetime.now(UTC).astimezone(INDIA).date()


class ComplianceEntrypoints:
    @event_handler("registry", "society_registered")
    def on_society_registered(self, payload):
        """A registered society joins the roster: its returns fall due from now on."""
        event = parse(SocietyRegisteredV1, payload)
        chain = self.registry.society_offices(payload={"society_id": event.society_id})
        with self.db.unit_of_work() as uow:
            if not uow.claim_event():
                return
            now = datetime.now(UTC)
            due.enrol(uow.session, event, chain["office_ids"], now)
            uow.audit("society_enrolled", "society", event.society_id,
                      {"state": event.state, "type": event.type})
            for changed in standing.changes(uow.session, event.society_id, now):
                uow.emit(changed)

    @rpc
    def society_calendar(self, payload):
        """A society's returns: the next one owed per form, overdue first."""
        query = parse(SocietyRef, payload)
        with self.db.read() as session:
            row = due.roster_row(session, query.society_id)
            due.ensure_reaches(self.caller, row)
            return due.calendar(session, row, _today(query.as_on))

    @rpc
    def good_standing(self, payload):
        """No return overdue and the audit up to date, with the reasons if not."""
        query = parse(SocietyRef, payload)
        with self.db.read() as session:
            row = due.roster_row(session, query.society_id)
            due.ensure_reaches(self.caller, row)
            return standing.good_standing(session, row, _today(query.as_on))

    @rpc
    def compliance_view(self, payload):
        """The office's view of one form and period: who filed, who is late, how late."""
        query = parse(ComplianceQuery, payload)
        if not (scopes.is_system(self.caller) or self.caller.actor_role in scopes.STAFF):
            raise Forbidden("The compliance view is the registrar's office's.",
                            {"required_roles": list(scopes.STAFF),
                             "your_role": self.caller.actor_role})
        with self.db.read() as session:
            return view.compliance(session, self.caller, query, _today(query.as_on))

    @timer(interval=REMINDER_SCAN_SECONDS)
    def reminder_timer(self):
        self._scan_reminders(_today(None))

    @rpc
    def scan_due_dates(self, payload=None):
        """Send the due-soon and overdue reminders now (as on ``as_on``) and announce the
        audit years fallen pending (the day's first scan); the platform's."""
        query = parse(ScanQuery, payload or {})
        if not scopes.is_system(self.caller):
            raise Forbidden("Due-date scans are run by the platform.")
        return self._scan_reminders(_today(query.as_on))

    def _scan_reminders(self, today: date) -> dict:
        """The reminders, a batch of the roster a transaction, the offices' own returns,
        then the audit years fallen pending (once a day); the standings they move
        announced with them."""
        with self.db.read() as session:
            forms = due.society_forms(session)
        owing = reminders.owed(forms, today)
        sent = changed = 0
        after: str | None = ""
        while owing and after is not None:
            with self.db.unit_of_work() as uow:
                now = datetime.now(UTC)
                upto = reminders.batch_end(uow.session, after)
                events = reminders.send(uow.session, owing, after, upto, now)
                # A return fallen overdue takes its society out of good standing.
                moved = [change for society_id in reminders.standing_moved(uow.session, events)
                         for change in standing.changes(uow.session, society_id, now, today,
                                                        forms)]
                for event in [*events, *moved]:
                    uow.emit(event)
                if events:
                    uow.audit("due_reminders_sent", "filings", today.isoformat(),
                              {"events": len(events), "after": after, "upto": upto})
            sent, changed, after = sent + len(events), changed + len(moved), upto
            eventlet.sleep(0)  # the next batch after whatever else is waiting
        offices = self._remind_offices(today)
        changed += self._announce_audit_pending(today, forms)
        return {"events": sent, "office_events": offices, "standing_changes": changed}

    def _remind_offices(self, today: date) -> int:
        """The offices' own returns: the registry's offices as listed now, then one
        statement per form and period."""
        listed = self.registry.list_offices()["items"]
        with self.db.unit_of_work() as uow:
            now = datetime.now(UTC)
            office_reminders.read_offices(uow.session, listed, now)
            owing = reminders.owed(due.filed_forms(uow.session, "office"), today)
            events = office_reminders.send(uow.session, owing, now)
            for event in events:
                uow.emit(event)
            if events:
                uow.audit("office_due_reminders_sent", "filings", today.isoformat(),
                          {"events": len(events)})
        return len(events)

    def _announce_audit_pending(self, today: date, forms: dict) -> int:
        with self.db.unit_of_work() as uow:
            if not audit_pending.claim_day(uow.session, today, datetime.now(UTC)):
                return 0
        changed = 0
        after: str | None = ""
        while after is not None:
            with self.db.unit_of_work() as uow:
                now = datetime.now(UTC)
                societies, after = audit_pending.moved(uow.session, today, after)
                moved = [change for society_id in societies
                         for change in standing.changes(uow.session, society_id, now, today,
                                                        forms)]
                for event in moved:
                    uow.emit(event)
                if moved:
                    uow.audit("audit_pending_announced", "filings", today.isoformat(),
                              {"societies": len(moved)})
            changed += len(moved)
            eventlet.sleep(0)
        return changed
