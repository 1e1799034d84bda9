"""RPC entrypoints of financial assistance (a mixin of FilingsService): the eligibility
check, rule by rule, on the figures an applicant gives; applications with their
eligibility, the District Level Committee's recommendation, forwarding, the Registrar's
sanction or rejection; what follows a sanction (releases of the funds, the society's
utilisation certificates, a loan's repayments) and the funds' position; the budget split
report."""

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
from services.filings.assistance import applications, budget, eligibility, funds, workflow
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

    def _funds_write(self, payload, model, take, action, event_of):
        command = parse(model, payload)

        def apply(uow, now):
            entry_id, row, recorded = take(uow.session, uow.ctx, command, now)
            today = applications.india_day(now)
            answer = funds.answer_for(row, entry_id, recorded, today)
            record = answer["record"]
            changes = {key: record[key] for key in (
                "id", "entry", "on_date", "amount_paise", "interest_paise", "reference",
                "document_id", "overdue") if record.get(key) is not None}
            return answer, [event_of(row, record, answer["funds"], now)], (
                action, "assistance_application", row.id, changes)

        return self._write(payload, apply)

    @rpc
    def release_assistance(self, payload):
        """The Registrar's office releases sanctioned funds (together at most the
        amount sanctioned, on or after the order)."""
        def event(row, record, position, now):
            return contracts.AssistanceReleasedV1(
                application_id=row.id, society_id=row.society_id,
                society_name=row.society_name, kind=row.kind,
                financial_year=row.financial_year, amount_paise=record["amount_paise"],
                released_on=record["on_date"], reference=record["reference"],
                released_total_paise=position["released_paise"],
                sanctioned_paise=position["sanctioned_paise"], recorded_at=now)

        return self._funds_write(payload, contracts.ReleaseV1, funds.release,
                                 "assistance_released", event)

    @rpc
    def record_assistance_utilisation(self, payload):
        """The society's utilisation certificate (at most the amount released, not
        before the first release)."""
        def event(row, record, position, now):
            return contracts.AssistanceUtilisedV1(
                application_id=row.id, society_id=row.society_id,
                society_name=row.society_name, kind=row.kind,
                financial_year=row.financial_year, amount_paise=record["amount_paise"],
                utilised_on=record["on_date"], document_id=record["document_id"],
                utilised_total_paise=position["utilised_paise"],
                released_total_paise=position["released_paise"],
                state_office_id=row.state_office_id, recorded_at=now)

        return self._funds_write(payload, contracts.UtilisationV1, funds.utilise,
                                 "assistance_utilised", event)

    @rpc
    def record_loan_repayment(self, payload):
        """A repayment of a loan (principal at most what was released), marked overdue
        when principal had fallen due under the schedule and was unpaid."""
        def event(row, record, position, now):
            return contracts.LoanRepaymentRecordedV1(
                application_id=row.id, society_id=row.society_id,
                society_name=row.society_name, financial_year=row.financial_year,
                paid_on=record["on_date"], principal_paise=record["amount_paise"],
                interest_paise=record["interest_paise"],
                outstanding_paise=position["outstanding_paise"],
                overdue_paise=position.get("overdue_paise"), recorded_at=now)

        return self._funds_write(payload, contracts.RepaymentV1, funds.repay,
                                 "loan_repayment_recorded", event)

    @rpc
    def list_assistance_funds_records(self, payload):
        """An application's releases, utilisation certificates or repayments, oldest
        first (its society's representative, the staff over it)."""
        query = parse(contracts.FundsRecordQueryV1, payload)
        with self.db.read() as session:
            return funds.list_records(session, self.caller, query,
                                      applications.india_day(self._now(session)))

    @rpc
    def assistance_funds(self, payload):
        """An application's funds as on today: sanctioned, released, utilised; a loan's
        principal repaid, outstanding and overdue under its schedule."""
        ref = parse(contracts.ApplicationRefV1, payload)
        with self.db.read() as session:
            row = applications.visible(session, self.caller, ref.application_id)
            return funds.funds_of(row, funds.entries(session, row.id),
                                  applications.india_day(self._now(session)))
