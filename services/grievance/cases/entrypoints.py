"""RPC entrypoints of cases of every kind (a mixin of GrievanceService): the kinds'
definitions, an action on a case, a case, its history, its audit trail, lists."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import Field

from services.common import audit
from services.common.contracts import grievance as contracts
from services.common.contracts import grievance_kinds, grievance_sla
from services.common.contracts.base import Contract
from services.common.contracts.platform import AuditPageV1
from services.common.errors import Forbidden
from services.common.rpc import rpc
from services.common.validation import parse
from services.grievance import messages, scopes
from services.grievance.cases import dashboard, performance, store
from services.grievance.hearings import store as hearings
from services.grievance.kinds import Kind, published


class KindRef(Contract):
    kind: contracts.CaseKind


class CaseAuditQuery(Contract):
    case_id: contracts.CaseId
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class CaseEntrypoints:
    def _latest_kind(self, name: str) -> Kind:
        """The version of a kind a case opened now follows (shipped or published)."""
        with self.db.read() as session:
            return published.kind_of(session, name)

    @rpc
    def case_kinds(self, payload=None):
        """Every kind's current definition: states, transitions, roles, deadlines."""
        with self.db.read() as session:
            return {"items": [kind.describe() for kind in published.latest(session)]}

    @rpc
    def case_kind(self, payload):
        ref = parse(KindRef, payload)
        return self._latest_kind(ref.kind).describe()

    @rpc
    def kind_versions(self, payload):
        """Every version of a kind, oldest first, shipped or published (who, when)."""
        query = parse(grievance_kinds.KindVersionsQueryV1, payload)
        with self.db.read() as session:
            return published.versions(session, query.kind)

    @rpc
    def publish_kind(self, payload):
        """A new version of a kind (an administrator): cases opened from then on follow
        it; a definition breaking a rule is refused naming it, nothing written."""
        command = parse(grievance_kinds.PublishKindV1, payload)
        if not (scopes.is_system(self.caller) or self.caller.actor_role == "administrator"):
            raise Forbidden("Only an administrator publishes a version of a kind.", {
                "rule": "kinds of case are published by an administrator",
                "required_roles": ["administrator"]})

        def apply(uow, now):
            found = published.publish(uow.session, uow.ctx, command, now)
            return found, [], ("kind_version_published", "grievance_kind",
                               f"{command.kind}/v{found['version']}",
                               {"kind": command.kind, "version": found["version"],
                                "note": command.note})

        return self._write(payload, apply)

    @rpc
    def take_action(self, payload):
        """One transition of the case's kind, if this caller may take it from its state."""
        command = parse(contracts.TakeActionV1, payload)

        def apply(uow, now):
            before, kind = store.take(uow.session, uow.ctx, command, now)
            row = store.case_row(uow.session, before.id)
            en, hi = messages.message(kind, command.action, row.number)
            event = contracts.CaseTransitionedV1(
                case_id=row.id, number=row.number, kind=row.kind, action=command.action,
                from_state=before.state, to_state=row.state, office_id=row.office_id,
                opened_by=row.opened_by, language=row.language, message_en=en,
                message_hi=hi)
            answer = store.case_dict(uow.session, uow.ctx, row)
            answer["message"] = {"en": en, "hi": hi}
            events = [event]
            if command.action == "recommend_winding_up":
                events.append(contracts.WindingUpRecommendedV1(
                    case_id=row.id, number=row.number, kind=row.kind,
                    society_id=row.society_id, office_id=row.office_id,
                    recommended_by=uow.ctx.actor_id, note=command.note,
                    document_ids=list(command.document_ids)))
            return answer, events, (f"case_{command.action}", "case", row.id,
                                     {"from": before.state, "to": row.state,
                                      "document_ids": list(command.document_ids)})

        return self._write(payload, apply)

    @rpc
    def get_case(self, payload):
        ref = parse(contracts.CaseRefV1, payload)
        with self.db.read() as session:
            row = store.visible_case(session, self.caller, ref.case_id)
            answer = store.case_dict(session, self.caller, row)
            answer["hearings"] = hearings.hearings_of(session, row.id)
            answer["orders"] = hearings.orders_of(session, row.id)
            return answer

    @rpc
    def case_history(self, payload):
        """Every transition of the case, oldest first: who, from which state, the note."""
        ref = parse(contracts.CaseRefV1, payload)
        with self.db.read() as session:
            store.visible_case(session, self.caller, ref.case_id)
            return {"items": store.history(session, ref.case_id)}

    @rpc
    def case_audit(self, payload):
        """The audit trail of one case (the chassis' chain, filtered to it)."""
        query = parse(CaseAuditQuery, payload)
        with self.db.read() as session:
            row = store.visible_case(session, self.caller, query.case_id)
            if not scopes.reaches(self.caller, row):
                raise Forbidden("A case's audit trail is for its office.",
                                {"required_roles": list(scopes.OFFICE_SIDE)})
            page = audit.read(session, self.db.tables.audit, entity_type="case",
                              entity_id=query.case_id, limit=query.limit,
                              offset=query.offset)
        return AuditPageV1.model_validate(page).wire()

    @rpc
    def list_cases(self, payload=None):
        query = parse(contracts.CaseQueryV1, payload or {})
        with self.db.read() as session:
            return store.list_for(session, self.caller, query)

    @rpc
    def case_dashboard(self, payload=None):
        """Open cases by kind, state, office, officer and age; late ones; SLA compliance:
        for the office side (their grant's offices), administrators and the platform."""
        query = parse(contracts.DashboardQueryV1, payload or {})
        reach = scopes.office_reach(self.caller)
        if reach == []:
            raise Forbidden("The cases dashboard is for the registrar's offices.",
                            {"required_roles": list(scopes.OFFICE_SIDE)})
        with self.db.read() as session:
            return dashboard.dashboard(session, reach, query.office_id, datetime.now(UTC))

    @rpc
    def case_performance(self, payload=None):
        """Each office's cases month by month (opened, resolved, within the SLA,
        escalated, median days to resolve), over the offices the grant reaches."""
        query = parse(grievance_sla.PerformanceQueryV1, payload or {})
        reach = scopes.office_reach(self.caller)
        if reach == []:
            raise Forbidden("The offices' performance is for the registrar's offices.",
                            {"required_roles": list(scopes.OFFICE_SIDE)})
        with self.db.read() as session:
            return performance.performance(session, reach, query, datetime.now(UTC))
