"""RPC entrypoints of liquidation: ordering one, its proceedings and entries, ending it,
the cases, the RCS/LQR/01 return, and the proposals to wind up that inquiries and
inspections send (a mixin of RegistryService). Each parses its
contract and calls the domain module; a write goes through ``Commands._write``."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from services.common.commands import Commands
from services.common.consumer import event_handler
from services.common.contracts import registry as contracts
from services.common.contracts.base import Contract
from services.common.contracts.grievance import WindingUpRecommendedV1
from services.common.errors import InvalidInput
from services.common.rpc import rpc
from services.common.validation import parse
from services.registry import metrics
from services.registry.liquidation import cases as liquidation
from services.registry.liquidation import proposals
from services.registry.reports import counts as reports


class CaseRef(Contract):
    case_id: str = Field(min_length=1, max_length=36)


class CaseQuery(Contract):
    status: str | None = Field(None, pattern=r"^(in_progress|closed|revived)$")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class ProposalRef(Contract):
    proposal_id: str = Field(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")


class ProposalQuery(Contract):
    status: str | None = Field(None, pattern=r"^(pending|ordered|declined)$")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class ReturnQuery(Contract):
    office_id: str | None = Field(None, min_length=1, max_length=64)
    period_from: date
    period_to: date


class LiquidationEntrypoints(Commands):
    @rpc
    def order_liquidation(self, payload):
        command = parse(contracts.LiquidationOrderV1, payload)

        def apply(uow, now):
            found, events = liquidation.order(uow.session, uow.ctx, command)
            metrics.SOCIETY_STATUS_CHANGES.labels("under_liquidation").inc()
            return found, events, ("liquidation_ordered", "society", command.society_id,
                                   {"case_id": found["id"], "order_ref": command.order_ref,
                                    "liquidator": command.liquidator_name,
                                    "proposal_id": command.proposal_id})

        return self._write(payload, apply)

    @rpc
    def add_liquidation_proceeding(self, payload):
        command = parse(contracts.LiquidationProceedingV1, payload)

        def apply(uow, now):
            found = liquidation.add_proceeding(uow.session, uow.ctx, command)
            return found, [], ("liquidation_proceeding_added", "liquidation_case",
                               command.case_id, command.model_dump(mode="json"))

        return self._write(payload, apply)

    @rpc
    def add_liquidation_entry(self, payload):
        command = parse(contracts.LiquidationEntryV1, payload)

        def apply(uow, now):
            found = liquidation.add_entry(uow.session, uow.ctx, command)
            return found, [], ("liquidation_entry_added", "liquidation_case",
                               command.case_id, command.model_dump(mode="json"))

        return self._write(payload, apply)

    @rpc
    def end_liquidation(self, payload):
        command = parse(contracts.LiquidationEndV1, payload)

        def apply(uow, now):
            found, events = liquidation.end(uow.session, uow.ctx, command)
            metrics.SOCIETY_STATUS_CHANGES.labels(events[0].to_status).inc()
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

    # -- proposals to wind up --------------------------------------------------------

    @event_handler("grievance", "case_winding_up_recommended")
    def on_case_winding_up_recommended(self, payload):
        """An inquiry's or inspection's recommendation becomes a pending proposal."""
        event = parse(WindingUpRecommendedV1, payload)
        with self.db.unit_of_work() as uow:
            if not uow.claim_event():
                return
            proposal_id = proposals.record(uow.session, event)
            if proposal_id is not None:
                uow.audit("liquidation_proposed", "society", event.society_id,
                          {"proposal_id": proposal_id, "case_id": event.case_id,
                           "case_number": event.number, "kind": event.kind})

    @rpc
    def list_liquidation_proposals(self, payload):
        query = parse(ProposalQuery, payload)
        with self.db.read() as session:
            return proposals.page(session, self.db.ctx, status=query.status,
                                  limit=query.limit, offset=query.offset)

    @rpc
    def get_liquidation_proposal(self, payload):
        ref = parse(ProposalRef, payload)
        with self.db.read() as session:
            return proposals.get(session, self.db.ctx, ref.proposal_id)

    @rpc
    def decline_liquidation_proposal(self, payload):
        command = parse(contracts.DeclineProposalV1, payload)

        def apply(uow, now):
            found = proposals.decline(uow.session, uow.ctx, command.proposal_id,
                                      command.reason)
            return found, [], ("liquidation_proposal_declined", "society",
                               found["society_id"], {"proposal_id": command.proposal_id,
                                                     "reason": command.reason})

        return self._write(payload, apply)
