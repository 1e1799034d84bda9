"""RPC entrypoints of grievances (a mixin of GrievanceService): raising one. Every
later step (assign, reply, resolve, rate, reopen ...) is ``take_action`` on the case."""

from __future__ import annotations

from services.common.contracts import grievance as contracts
from services.common.errors import InvalidInput
from services.common.rpc import rpc
from services.common.validation import parse
from services.grievance import engine, routing
from services.grievance.cases import answers, store


class GrievanceEntrypoints:
    @rpc
    def raise_grievance(self, payload):
        """A member, creditor or citizen complains: routed to the society's office (its
        housing-society monitoring cell where that applies), or to the Central
        Registrar for the portal."""
        command = parse(contracts.RaiseGrievanceV1, payload)
        kind = self._latest_kind("grievance")
        engine.ensure_may_open(kind, self.caller.actor_role)
        society, office_ids = None, []
        if command.society_id is None and command.against_type != "portal":
            raise InvalidInput("Name the society the grievance is about.",
                               fields={"society_id": "required unless against the portal"})
        if command.society_id is not None:
            # Unknown societies answer 404 from the registry, before anything is written.
            society = self.registry.get_public_society(
                payload={"society_id": command.society_id})
            office_ids = self.registry.society_offices(
                payload={"society_id": command.society_id})["office_ids"]
        office_id, chain, desk = routing.route(society, office_ids, command.category)

        def apply(uow, now):
            case_id = store.open_case(
                uow.session, uow.ctx, kind, now, society_id=command.society_id,
                office_id=office_id, office_ids=chain, desk=desk,
                category=command.category, subject=command.subject,
                description=command.description, against_type=command.against_type,
                against_name=command.against_name,
                complainant_type=command.complainant_type, language=command.language,
                parties={"complainant": uow.ctx.actor_id,
                         "respondent": {"type": command.against_type,
                                        "name": command.against_name,
                                        "society_id": command.society_id},
                         "office": office_id},
                document_ids=command.document_ids)
            return answers.opened(uow, kind, case_id, "grievance_raised")

        return self._write(payload, apply)
