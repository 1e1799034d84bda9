"""The escalation timer and its RPCs (a mixin of GrievanceService): the SLA table, and a
sweep on demand for the platform (the timer's work, run now)."""

from __future__ import annotations

from nameko.timer import timer

from services.common.contracts import grievance_sla as contracts
from services.common.errors import Forbidden
from services.common.rpc import rpc
from services.common.validation import parse
from services.grievance import routing, scopes
from services.grievance.escalation import sla, sweep, versions
from services.grievance.settings import grievance_settings

# Who publishes an office's SLA: a registrar whose grant reaches the office (or an
# unscoped one), an administrator, the platform. Dealing officers work to it.
SLA_PUBLISHERS = ("registrar", "administrator")


class EscalationEntrypoints:
    @rpc
    def sla_table(self, payload=None):
        """Each category's and jurisdiction's level days and overall clock."""
        return sla.describe()

    @rpc
    def publish_sla(self, payload):
        """A new version of an office's SLA for a category (or ``*``): in force for
        grievances opened from now on; cases already open keep theirs."""
        command = parse(contracts.PublishSlaV1, payload)
        self._ensure_may_publish(command.office_id)

        def apply(uow, now):
            published = versions.publish(uow.session, uow.ctx, command, now)
            return published, [], ("sla_published", "grievance_sla",
                                   f"{command.office_id}/{command.category}",
                                   {k: published[k] for k in (
                                       "office_id", "category", "version", "level_days",
                                       "overall_days", "note")})

        return self._write(payload, apply)

    def _ensure_may_publish(self, office_id: str) -> None:
        """A registrar whose grant reaches the office (or unscoped), an administrator or
        the platform; anyone else is refused naming the rule."""
        ctx = self.caller
        if not (scopes.is_system(ctx) or ctx.actor_role in SLA_PUBLISHERS):
            raise Forbidden("Only a registrar publishes an office's SLA.", {
                "rule": "SLA versions are published by a registrar for the offices "
                        "their grant reaches, or an administrator",
                "required_roles": list(SLA_PUBLISHERS)})
        # The office and the offices above it (an unknown office: the registry's 404).
        chain = routing.office_chain(self.registry, office_id)
        reach = scopes.office_reach(ctx)
        if reach is not None and not any(office in reach for office in chain):
            raise Forbidden(f"The office {office_id} is not under your grant.", {
                "rule": "a registrar publishes SLAs for their office and the offices "
                        "under it", "office_id": office_id, "chain": chain})

    @rpc
    def withdraw_sla(self, payload):
        """Withdraw a version not yet in force (whoever may publish it, with the
        reason): it is never in force. One in force or past: 409 naming the date."""
        command = parse(contracts.WithdrawSlaV1, payload)
        with self.db.read() as session:
            office_id = versions.version_row(session, command.sla_id).office_id
        self._ensure_may_publish(office_id)

        def apply(uow, now):
            withdrawn = versions.withdraw(uow.session, uow.ctx, command, now)
            return withdrawn, [], ("sla_withdrawn", "grievance_sla",
                                   f"{withdrawn['office_id']}/{withdrawn['category']}",
                                   {"sla_id": withdrawn["id"],
                                    "version": withdrawn["version"],
                                    "in_force_from": withdrawn["in_force_from"],
                                    "reason": command.reason})

        return self._write(payload, apply)

    @rpc
    def sla_versions(self, payload=None):
        """The versions offices published, newest first, and the national rules."""
        query = parse(contracts.SlaVersionsQueryV1, payload or {})
        with self.db.read() as session:
            return versions.versions(session, query, self._now(session))

    @rpc
    def sla_in_force(self, payload):
        """The SLA a grievance of the category routed to the office is opened under
        now (the office's newest version, an office above it, or the national rules)."""
        query = parse(contracts.SlaInForceQueryV1, payload)
        chain = (routing.office_chain(self.registry, query.office_id)
                 if query.office_id else [routing.NATIONAL_OFFICE])
        with self.db.read() as session:
            return {**versions.in_force(session, query.category, chain,
                                        self._now(session)), "chain": chain}

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
                now = self._now(uow.session)
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
