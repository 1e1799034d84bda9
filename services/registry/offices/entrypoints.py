"""RPC entrypoints of registrar offices: the offices, creating one, and an office's SLA
rules (a mixin of RegistryService). Each parses its contract and calls the domain module;
a write goes through ``Commands._write``."""

from __future__ import annotations

from pydantic import Field

from services.common.commands import Commands
from services.common.contracts import registry as contracts
from services.common.contracts.base import Contract
from services.common.errors import Forbidden
from services.common.rpc import rpc
from services.common.validation import parse
from services.registry import scopes
from services.registry.offices import hierarchy as offices
from services.registry.offices import sla


class OfficeRef(Contract):
    office_id: str = Field(min_length=1, max_length=64)


class SetSla(Contract):
    office_id: str = Field(min_length=1, max_length=64)
    rule: contracts.SlaRuleInV1


class OfficeEntrypoints(Commands):
    @rpc
    def list_offices(self, payload=None):
        with self.db.read() as session:
            return {"items": offices.list_offices(session)}

    @rpc
    def get_office(self, payload):
        ref = parse(OfficeRef, payload)
        with self.db.read() as session:
            found = offices.office_dict(offices.office_row(session, ref.office_id))
            found["sla"] = sla.sla_table(session, ref.office_id)
            return found

    @rpc
    def create_office(self, payload):
        data = parse(contracts.OfficeInV1, payload)
        if self.db.ctx.actor_role not in ("administrator", "system") or (
                self.db.ctx.actor_role == "system" and self.db.ctx.scoped):
            raise Forbidden("Only an administrator creates offices.")

        def apply(uow, now):
            created = offices.create_office(uow.session, data)
            return created, [], ("office_created", "registrar_office", data.id, created)

        return self._write(payload, apply)

    @rpc
    def set_office_sla(self, payload):
        """An office's own SLA for one kind and stage (overrides what it inherits)."""
        command = parse(SetSla, payload)

        def apply(uow, now):
            scopes.ensure_role(uow.ctx, ("registrar",), "set SLA rules")
            scopes.ensure_office(uow.session, uow.ctx, command.office_id)
            rule = sla.set_sla(uow.session, command.office_id, command.rule)
            return rule, [], ("sla_rule_set", "registrar_office", command.office_id, rule)

        return self._write(payload, apply)
