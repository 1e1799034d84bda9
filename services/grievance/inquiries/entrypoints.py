"""RPC entrypoints of inquiries and inspections (a mixin of GrievanceService):
requesting one. The office then orders it (naming the inquirer or inspector, whose
``case:<id>`` grant lets them act) and they take the kind's actions."""

from __future__ import annotations

from services.common.contracts import grievance as contracts
from services.common.rpc import rpc
from services.common.validation import parse
from services.grievance import engine, routing
from services.grievance.cases import answers, store
from services.grievance.inquiries import voters


class InquiryEntrypoints:
    @rpc
    def request_inquiry(self, payload):
        command = parse(contracts.RequestInquiryV1, payload)
        kind = self._latest_kind(command.kind)
        engine.ensure_may_open(kind, self.caller.actor_role)
        # Unknown societies answer 404 from the registry, before anything is written.
        self.registry.get_public_society(payload={"society_id": command.society_id})
        chain = self.registry.society_offices(
            payload={"society_id": command.society_id})["office_ids"]
        supporting = voters.check(self.registry, command.society_id,
                                  command.initiator_type, list(command.supporting_voters))

        def apply(uow, now):
            case_id = store.open_case(
                uow.session, uow.ctx, kind, now, society_id=command.society_id,
                office_id=chain[0], office_ids=chain, desk=routing.GRIEVANCE_CELL,
                category=None, subject=command.subject, description=command.grounds,
                against_type="society", against_name=None,
                complainant_type=command.initiator_type, language=command.language,
                parties={"requester": uow.ctx.actor_id,
                         "initiator_type": command.initiator_type,
                         "society": command.society_id, "office": chain[0],
                         "supporting_voters": supporting},
                document_ids=command.document_ids)
            return answers.opened(uow, kind, case_id, f"{command.kind}_requested")

        return self._write(payload, apply)
