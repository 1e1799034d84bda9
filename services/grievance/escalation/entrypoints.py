"""The escalation timer and its RPCs (a mixin of GrievanceService): the SLA table, and a
sweep on demand for the platform (the timer's work, run now)."""

from __future__ import annotations

from datetime import UTC, datetime

from nameko.timer import timer

from services.common.errors import Forbidden
from services.common.rpc import rpc
from services.grievance import scopes
from services.grievance.escalation import sla, sweep
from services.grievance.settings import grievance_settings


class EscalationEntrypoints:
    @rpc
    def sla_table(self, payload=None):
        """Each category's and jurisdiction's level days and overall clock."""
        return sla.describe()

    @rpc
    def escalate_late_cases(self, payload=None):
        """Run the sweep now (the platform or an administrator): how many escalated."""
        if not (scopes.is_system(self.caller) or self.caller.actor_role == "administrator"):
            raise Forbidden("Only the platform runs the escalation sweep.")
        return {"escalated": self._sweep()}

    @timer(interval=grievance_settings().escalation_seconds)
    def escalation_timer(self):
        self._sweep()

    def _sweep(self) -> int:
        """Batches until no late case is left that no other replica holds."""
        batch = grievance_settings().escalation_batch
        escalated = 0
        while True:
            with self.db.unit_of_work() as uow:
                now = datetime.now(UTC)
                rows = sweep.late_cases(uow.session, now, batch)
                events, lines = sweep.escalate_batch(uow.session, rows, now)
                if lines:
                    # One audit entry per batch, naming every case it moved.
                    uow.audit("cases_escalated", "escalation", now.isoformat(),
                              {"cases": lines})
                for event in events:
                    uow.emit(event)
                escalated += len(events)
            if len(rows) < batch:
                return escalated
