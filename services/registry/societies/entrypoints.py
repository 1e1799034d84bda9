"""RPC entrypoints of the register of societies: an entry, its public details, its office
chain, its bye-laws, the public directory, and the board its elections declared (a mixin
of RegistryService)."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import Field

from services.common.consumer import event_handler
from services.common.contracts import registry as contracts
from services.common.contracts.base import Contract
from services.common.contracts.elections_counting import ResultDeclaredV1
from services.common.contracts.filings import SocietyStandingChangedV1
from services.common.rpc import rpc
from services.common.validation import parse
from services.registry import scopes
from services.registry.offices import hierarchy as offices
from services.registry.societies import board, standing
from services.registry.societies import register as societies


class SocietyRef(Contract):
    society_id: str = Field(min_length=1, max_length=36)


class SocietyEntrypoints:
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

    @event_handler("filings", "society_standing_changed")
    def on_society_standing_changed(self, payload):
        """The filings service's good standing of a society, for the directory."""
        event = parse(SocietyStandingChangedV1, payload)
        with self.db.unit_of_work() as uow:
            if not uow.claim_event():
                return
            societies.society_row(uow.session, event.society_id)  # unknown: dead-lettered
            if standing.record(uow.session, event):
                uow.audit("standing_recorded", "society", event.society_id,
                          {"good_standing": event.good_standing, "reasons": event.reasons,
                           "as_on": event.as_on.isoformat()})

    @event_handler("elections", "election_result_declared")
    def on_election_result_declared(self, payload):
        """A declared result becomes the society's board (directors or office bearers)."""
        event = parse(ResultDeclaredV1, payload)
        with self.db.unit_of_work() as uow:
            if not uow.claim_event():
                return
            societies.society_row(uow.session, event.society_id)  # unknown: dead-lettered
            if board.record(uow.session, event, datetime.now(UTC)):
                uow.audit("board_recorded", "society", event.society_id,
                          {"election_id": event.election_id, "contest": event.contest,
                           "members": len(event.elected)})
