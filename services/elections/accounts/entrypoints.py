"""RPC entrypoints of what follows a declaration (a mixin of ElectionsService): expense
accounts and the rule 19V report and orders, remuneration claims, the RO's checklist."""

from __future__ import annotations

from services.common.contracts import elections_accounts as contracts
from services.common.errors import Forbidden
from services.common.rpc import rpc
from services.common.validation import parse
from services.elections import clock, scopes
from services.elections.accounts import checklist, expenses, remuneration
from services.elections.orders import orders


def _ensure_reader(ctx, row) -> None:
    scopes.ensure_visible(ctx, row)
    if not (scopes.is_cea(ctx) or scopes.runs(ctx, row.id)):
        raise Forbidden("Accounts, claims and the checklist are for the CEA and the "
                        "election's officers.",
                        {"required_roles": [scopes.CEA, scopes.RO, scopes.ARO]})


class AccountsEntrypoints:
    # ------------------------------------------------------------------ expense accounts

    @rpc
    def lodge_expense_account(self, payload):
        """The RO or an ARO records a contesting candidate's account, lodged with them."""
        command = parse(contracts.LodgeExpenseAccountV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_officer(uow.ctx, row, "record an account of election expenses")
            found = expenses.lodge(uow.session, uow.ctx, row, command, now)
            return found, [], ("expense_account_lodged", "nomination", command.nomination_id,
                               {"election_id": row.id, "items": len(found["items"]),
                                "total_paid_paise": found["total_paid_paise"],
                                "total_outstanding_paise": found["total_outstanding_paise"]})

        return self._write(payload, apply)

    @rpc
    def post_inspection_notice(self, payload):
        command = parse(contracts.InspectionNoticeV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "post a notice of inspection of accounts")
            found = expenses.post_notice(uow.session, row, command, now)
            notice = found["inspection_notice"]
            event = contracts.InspectionNoticePostedV1(
                election_id=row.id, number=row.number, society_id=row.society_id,
                society_name=row.society_name, nomination_id=command.nomination_id,
                candidate_name=notice["candidate_name"], lodged_on=notice["lodged_on"],
                inspect_at=command.inspect_at, place=command.place)
            return found, [event], ("inspection_notice_posted", "nomination",
                                    command.nomination_id, notice)

        return self._write(payload, apply)

    @rpc
    def expense_accounts(self, payload):
        ref = parse(contracts.ElectionRefV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, ref.election_id)
            _ensure_reader(self.caller, row)
            return expenses.status(session, row.id)

    @rpc
    def report_expense_defaulters(self, payload):
        command = parse(contracts.ExpenseReportInV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "report the accounts not lodged")
            found = expenses.report(uow.session, uow.ctx, row, command, now)
            return found, [], ("expense_defaulters_reported", "election", row.id,
                               {"defaulters": found["report"]["defaulters"]})

        return self._write(payload, apply)

    @rpc
    def set_expense_limit(self, payload):
        """The Authority's limit of a candidate's expenditure (rule 19U(3))."""
        command = parse(contracts.ExpenseLimitInV1, payload)
        scopes.ensure_cea(self.caller, "specify the limit of election expenses (rule 19U(3))")

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            found = expenses.set_limit(uow.session, uow.ctx, row, command, now)
            return found, [], ("expense_limit_set", "election", row.id,
                               {**found["limit"], "over_limit": found["over_limit"]})

        return self._write(payload, apply)

    @rpc
    def decide_expense_default(self, payload):
        """The CEA's rule 19V order on one person of the RO's report, or its excuse."""
        command = parse(contracts.ExpenseDefaultDecisionInV1, payload)
        scopes.ensure_cea(self.caller, "decide on accounts not lodged (rule 19V)")

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            found = expenses.decide_default(uow.session, uow.ctx, row, command, now)
            return found, [], ("expense_default_decided", "nomination",
                               command.nomination_id, found["default_decision"])

        return self._write(payload, apply)

    # ------------------------------------------------------------------ remuneration

    @rpc
    def claim_remuneration(self, payload):
        command = parse(contracts.RemunerationClaimInV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "send remuneration claims")
            found = remuneration.submit(uow.session, uow.ctx, row, command, now)
            return found, [], ("remuneration_claimed", "election", row.id,
                               {"claim_id": found["id"], "kind": found["kind"],
                                "amount_paise": found["amount_paise"]})

        return self._write(payload, apply)

    @rpc
    def decide_remuneration(self, payload):
        command = parse(contracts.RemunerationDecisionInV1, payload)
        scopes.ensure_cea(self.caller, "approve or reject remuneration claims")

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            found = remuneration.decide(uow.session, uow.ctx, row, command, now)
            return found, [], ("remuneration_decided", "election", row.id,
                               {"claim_id": found["id"], "decision": found["status"],
                                "reason": command.reason})

        return self._write(payload, apply)

    @rpc
    def remuneration_claims(self, payload):
        ref = parse(contracts.ElectionRefV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, ref.election_id)
            _ensure_reader(self.caller, row)
            return remuneration.claims(session, row.id)

    # ------------------------------------------------------------------ Annexure VI

    @rpc
    def ro_checklist(self, payload):
        ref = parse(contracts.ElectionRefV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, ref.election_id)
            _ensure_reader(self.caller, row)
            return checklist.checklist(session, row.id, clock.now(session))

    @rpc
    def record_checklist_item(self, payload):
        command = parse(contracts.ChecklistRecordInV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "record a checklist item")
            found = checklist.record(uow.session, uow.ctx, row, command, now)
            return found, [], ("checklist_item_recorded", "election", row.id,
                               {"item": command.item, "done_on": command.done_on.isoformat(),
                                "note": command.note})

        return self._write(payload, apply)
