"""RPC entrypoints of the order and its programme (a mixin of ElectionsService)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from nameko.timer import timer
from pydantic import Field, StringConstraints

from services.common import audit
from services.common.contracts import elections as contracts
from services.common.contracts.base import Contract
from services.common.contracts.platform import AuditPageV1
from services.common.errors import Forbidden
from services.common.rpc import rpc
from services.common.validation import parse
from services.elections import clock, scopes
from services.elections.orders import orders


class ElectionRef(Contract):
    election_id: contracts.ElectionId


class ElectionAuditQuery(Contract):
    election_id: contracts.ElectionId
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class SetClock(Contract):
    at: datetime


class SocietyRef(Contract):
    society_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class OrderEntrypoints:
    @rpc
    def create_election(self, payload):
        """The CEA's order: society, RO, seats, posts, area, booths, programme."""
        command = parse(contracts.CreateElectionV1, payload)
        scopes.ensure_cea(self.caller, "order an election")
        # The registry's public entry: name, number, address, type, status.
        society = self.registry.get_public_society(payload={"society_id": command.society_id})

        def apply(uow, now):
            election_id = orders.create(uow.session, uow.ctx, command, society, now)
            row = orders.election_row(uow.session, election_id)
            answer = orders.election_dict(uow.session, row, now)
            event = contracts.ElectionOrderedV1(
                election_id=election_id, number=row.number, society_id=row.society_id,
                society_name=row.society_name, returning_officer=row.returning_officer,
                stages=answer["stages"])
            return answer, [event], ("election_ordered", "election", election_id,
                                     {"number": row.number, "society_id": row.society_id,
                                      "order_ref": row.order_ref})

        return self._write(payload, apply)

    @rpc
    def get_election(self, payload):
        ref = parse(ElectionRef, payload)
        with self.db.read() as session:
            row = orders.visible_election(session, self.caller, ref.election_id)
            return orders.election_dict(session, row, clock.now(session))

    @rpc
    def public_election(self, payload):
        """What anyone may read: the order and programme as published (no officers)."""
        ref = parse(ElectionRef, payload)
        with self.db.read() as session:
            row = orders.election_row(session, ref.election_id)
            found = orders.election_dict(session, row, clock.now(session))
            for booth in found["booths"]:
                booth["officers"] = []
            return found

    @rpc
    def list_elections(self, payload):
        query = parse(contracts.ElectionQueryV1, payload or {})
        with self.db.read() as session:
            return orders.list_for(session, self.caller, query, clock.now(session))

    @rpc
    def programme_status(self, payload):
        """Which stage is open now and what is next (the RO's question at any moment)."""
        ref = parse(ElectionRef, payload)
        with self.db.read() as session:
            orders.visible_election(session, self.caller, ref.election_id)
            return contracts.ProgrammeStatusV1.model_validate(orders.programme_status(
                session, ref.election_id, clock.now(session))).wire()

    @rpc
    def amend_programme(self, payload):
        command = parse(contracts.AmendProgrammeV1, payload)
        scopes.ensure_cea(self.caller, "amend an election programme")

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            moved = orders.amend(uow.session, row, command, now)
            answer = orders.election_dict(uow.session, row, now)
            event = contracts.ProgrammeAmendedV1(
                election_id=row.id, society_id=row.society_id, stages=answer["stages"],
                reason=command.reason)
            return answer, [event], ("programme_amended", "election", row.id,
                                     {"stages": moved, "reason": command.reason})

        return self._write(payload, apply)

    @rpc
    def assign_booth_officer(self, payload):
        """The RO assigns an officer (an account with this election's grant) to enter a
        booth's result."""
        command = parse(contracts.AssignBoothOfficerV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "assign booth officers")
            found = orders.assign_officer(uow.session, uow.ctx, row, command, now)
            return found, [], ("booth_officer_assigned", "election", row.id, found)

        return self._write(payload, apply)

    @rpc
    def election_audit(self, payload):
        """Who did what in an election, newest first: for the CEA and its officers."""
        query = parse(ElectionAuditQuery, payload)
        with self.db.read() as session:
            row = orders.visible_election(session, self.caller, query.election_id)
            if not (scopes.is_cea(self.caller) or scopes.runs(self.caller, row.id)):
                raise Forbidden("The election's trail is for the CEA and its officers.")
            page = audit.read(session, self.db.tables.audit, entity_type="election",
                              entity_id=row.id, limit=query.limit, offset=query.offset)
            return AuditPageV1.model_validate(page).wire()

    @rpc
    def cea_dashboard(self, payload=None):
        """Elections by status and open stage, stages overdue, approvals waiting."""
        scopes.ensure_cea(self.caller, "read the CEA's dashboard")
        with self.db.read() as session:
            return contracts.CeaDashboardV1.model_validate(
                orders.dashboard(session, clock.now(session))).wire()

    @rpc
    def set_clock(self, payload):
        """Rehearsals only (``ELECTIONS_CLOCK=adjustable``, never in production): make
        the service's clock read ``at``."""
        command = parse(SetClock, payload)
        scopes.ensure_cea(self.caller, "set the rehearsal clock")
        with self.db.unit_of_work() as uow:
            now = clock.set_to(uow.session, command.at, uow.ctx.actor_id)
            # Every stored stage again: the clock may have moved back as well as on.
            restaged = orders.restage_all(uow.session, now)
            uow.audit("clock_set", "clock", "1", {"at": command.at.isoformat(),
                                                  "elections_restaged": restaged})
            return {"now": now.isoformat()}

    @timer(interval=1.0)
    def advance_stages(self):
        """Each election whose programme reached another stage by the service's clock:
        its stored stage moves on (derived from the programme, not audited)."""
        with self.db.unit_of_work() as uow:
            orders.advance_stages(uow.session, clock.now(uow.session))
