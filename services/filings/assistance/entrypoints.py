"""RPC entrypoints of financial assistance (a mixin of FilingsService): the eligibility
check, rule by rule, on the figures an applicant gives; applications with their
eligibility, the District Level Committee's recommendation, forwarding, the Registrar's
sanction or rejection; the budget split report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from services.common.contracts import filings_assistance as contracts
from services.common.contracts.base import Contract
from services.common.errors import Forbidden
from services.common.india import INDIA
from services.common.rpc import rpc
from services.common.validation import parse
from services.filings import scopes
from services.filings.assistance import applications, budget, eligibility, workflow
from services.filings.compliance import due


class EligibilityQuery(Contract):
    state: Annotated[str, StringConstraints(min_length=2, max_length=60)]
    kind: Literal["share_capital", "grant", "loan"]
    figures: dict[str, Any] = Field(max_length=100)
    applied_on: date | None = None


class AssistanceEntrypoints:
    @rpc
    def check_eligibility(self, payload):
        """Each machine-checkable rule of the state's guidelines: figure, threshold,
        pass or fail; eligible when every rule passes."""
        query = parse(EligibilityQuery, payload)
        applied_on = query.applied_on or datetime.now(UTC).astimezone(INDIA).date()
        return eligibility.evaluate(query.state, query.kind, query.figures, applied_on)

    @rpc
    def check_society_eligibility(self, payload):
        """The eligibility check for a named society (its representative, or staff over
        it): the figures the platform holds (audit status, latest accepted return) in
        place of declared ones, each with its source, and the rules that need history,
        year by year."""
        query = parse(contracts.SocietyEligibilityV1, payload)
        with self.db.read() as session:
            society = due.roster_row(session, query.society_id)
            due.ensure_reaches(self.caller, society)
            applied_on = query.applied_on or applications.india_day(self._now(session))
            answer = applications.evaluate_for(session, society, query.kind,
                                               query.figures, applied_on)
        return {"society_id": society.society_id, "applied_on": applied_on.isoformat(),
                **answer}

    @rpc
    def apply_for_assistance(self, payload):
        """A society's application, stored with its eligibility rule by rule (an
        ineligible one too, marked so); refused outside the window (by 30 June)."""
        command = parse(contracts.ApplyForAssistanceV1, payload)
        applications.ensure_financial_year(command.financial_year)
        applications.ensure_applicant(self.caller, command.society_id)
        with self.db.read() as session:
            society = due.roster_row(session, command.society_id)
        level = applications.level_of(command.figures)
        levels = {office: self.registry.get_office(payload={"office_id": office})["level"]
                  for office in society.office_chain}
        offices = applications.offices_of(list(society.office_chain), levels, level)

        def apply(uow, now):
            application_id = applications.submit(uow.session, uow.ctx, command, society,
                                                 offices, level, now)
            row = applications.row_of(uow.session, application_id)
            return applications.application_dict(row), [], (
                "assistance_applied", "assistance_application", application_id,
                {"society_id": row.society_id, "kind": row.kind,
                 "financial_year": row.financial_year,
                 "amount_asked_paise": row.amount_asked_paise, "eligible": row.eligible,
                 "failed_rules": applications.failed_rules(row.eligibility),
                 "left_to_committee": row.eligibility.get("left_to_committee", []),
                 "declared_overridden": row.eligibility.get("declared_overridden", []),
                 "documents": row.documents})

        return self._write(payload, apply)

    def _step(self, payload, model, take):
        command = parse(model, payload)

        def apply(uow, now):
            row = applications.visible(uow.session, uow.ctx, command.application_id)
            step = take(uow.session, uow.ctx, row, command, now)
            row = applications.row_of(uow.session, command.application_id)
            last = row.steps[-1]
            return applications.application_dict(row), [
                workflow.decided_event(row, step, now)], (
                f"assistance_{step}", "assistance_application", row.id,
                {key: value for key, value in last.items() if key not in ("by", "at")})

        return self._write(payload, apply)

    @rpc
    def recommend_assistance(self, payload):
        """The District Level Committee recommends (an amount at most the one asked) or
        does not recommend, with reasons."""
        return self._step(payload, contracts.RecommendV1, workflow.recommend)

    @rpc
    def forward_assistance(self, payload):
        """The district office forwards a recommended application to the Registrar."""
        return self._step(payload, contracts.ForwardV1, workflow.forward)

    @rpc
    def sanction_assistance(self, payload):
        """The Registrar sanctions at most the amount recommended, with the order."""
        return self._step(payload, contracts.SanctionV1, workflow.sanction)

    @rpc
    def reject_assistance(self, payload):
        return self._step(payload, contracts.RejectV1, workflow.reject)

    @rpc
    def get_assistance_application(self, payload):
        ref = parse(contracts.ApplicationRefV1, payload)
        with self.db.read() as session:
            return applications.application_dict(
                applications.visible(session, self.caller, ref.application_id))

    @rpc
    def list_assistance_applications(self, payload):
        query = parse(contracts.ApplicationQueryV1, payload or {})
        with self.db.read() as session:
            return applications.list_for(session, self.caller, query)

    @rpc
    def assistance_budget_split(self, payload):
        """Sanctioned and recommended amounts, state-level against primary societies,
        beside the split the state's guidelines expect (30:70 in Meghalaya)."""
        query = parse(contracts.BudgetQueryV1, payload)
        if not (scopes.is_national_staff(self.caller)
                or self.caller.actor_role in scopes.STAFF):
            raise Forbidden("The budget split is the registrar's office's.",
                            {"required_roles": list(scopes.STAFF),
                             "your_role": self.caller.actor_role})
        with self.db.read() as session:
            return budget.report(session, query.state, query.financial_year)
