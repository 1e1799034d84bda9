"""Election routes of what follows a declaration: the candidates' accounts of election
expenses (rules 19U-19X) with the RO's report of accounts not lodged and the CEA's rule 19V
orders, the remuneration claims of the RO, AROs and polling personnel, and the RO's
Annexure VI checklist."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.routes.elections import ElectionId
from services.common.contracts import elections_accounts as contracts

router = APIRouter(prefix="/v1/elections", tags=["elections"])

_uuid = dict(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")
NominationId = Annotated[str, Path(**_uuid)]
ClaimId = Annotated[str, Path(**_uuid)]
ItemNumber = Annotated[int, Path(ge=1, le=21)]
DocumentKey = Annotated[str, Field(**_uuid)]
Rupees = Annotated[Decimal, Field(ge=0, le=Decimal("1000000000"), decimal_places=2)]
Serial = Annotated[int, Field(ge=1, le=100_000)]
Reason = Annotated[str, Field(min_length=3, max_length=4000)]
_text = dict(min_length=1, max_length=500)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExpenseItemIn(_In):
    spent_on: date
    nature: str = Field(min_length=1, max_length=200,
                        description="Travelling, postage, printing ... (rule 19W(1)(b))")
    amount_paid: Rupees = Decimal(0)
    amount_outstanding: Rupees = Decimal(0)
    paid_on: date | None = None
    payee: str | None = Field(None, **_text)
    voucher_serial: Serial | None = None
    no_voucher: bool = False
    bill_serial: Serial | None = None
    payable_to: str | None = Field(None, **_text)


class AccountIn(_In):
    items: list[ExpenseItemIn] = Field(max_length=2000)
    voucher_document_ids: list[DocumentKey] = Field(default_factory=list, max_length=2000,
                                                    description="One document per voucher")


class NoticeIn(_In):
    inspect_at: datetime
    place: str = Field(**_text)


class ReportIn(_In):
    note: Reason


class DefaultDecisionIn(_In):
    decision: Literal["disqualify", "excuse"]
    reason: Reason
    order_ref: str | None = Field(None, min_length=1, max_length=64)
    order_date: date | None = None


class BankAccountIn(_In):
    account_number: str = Field(pattern=r"^[0-9]{9,18}$")
    bank_name: str = Field(min_length=1, max_length=200)
    branch: str = Field(min_length=1, max_length=200)
    ifsc: str = Field(pattern=r"^[A-Za-z]{4}0[A-Za-z0-9]{6}$")


class ClaimIn(_In):
    kind: Literal["returning_officer", "assistant_returning_officer", "polling_personnel"]
    name: str = Field(min_length=1, max_length=200)
    designation: str = Field(min_length=1, max_length=200)
    service: str = Field(min_length=1, max_length=200)
    pan: str = Field(pattern=r"^[A-Za-z]{5}[0-9]{4}[A-Za-z]$")
    bank_account: BankAccountIn
    cancelled_cheque_document_id: str = Field(**_uuid)
    basic_pay: Rupees | None = Field(None, description="RO/ARO: basic pay drawn in the "
                                                       "month the programme was issued")
    days: int | None = Field(None, ge=1, le=31, description="RO/ARO: days of pay, at most 15")
    amount: Rupees | None = Field(None, description="Polling personnel: at most ₹1,000")


class ClaimDecisionIn(_In):
    decision: Literal["approve", "reject"]
    reason: Reason


class ChecklistIn(_In):
    done_on: date
    note: str = Field(min_length=3, max_length=1000)


class ExpenseLimitIn(_In):
    amount: Annotated[Decimal, Field(gt=0, le=Decimal("100000000"), decimal_places=2,
                                     description="Rupees, at most two decimals")]
    order_ref: str = Field(min_length=1, max_length=64)
    order_date: date


def _json(body: BaseModel) -> dict:
    return body.model_dump(mode="json")


@router.get("/{election_id}/expense-accounts", name="elections.accounts.expenses",
            response_model=contracts.ExpenseStatusV1,
            summary="Every contesting candidate's account of election expenses, lodged or "
                    "not, with the 30-day window and the RO's report")
async def expense_accounts(election_id: ElectionId, rpc: RpcDep,
                           context: CallContextDep) -> dict:
    return await rpc.call("elections", "expense_accounts", {"election_id": election_id},
                          context=context)


@router.put("/{election_id}/expense-limit", name="elections.accounts.limit",
            response_model=contracts.ExpenseStatusV1,
            summary="The CEA specifies the most a candidate may spend (rule 19U(3)); the "
                    "accounts over it are named with the excess")
async def expense_limit(election_id: ElectionId, body: ExpenseLimitIn, rpc: RpcDep,
                        context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "set_expense_limit",
                          {"election_id": election_id, **_json(body)}, context=context)


@router.put("/{election_id}/expense-accounts/{nomination_id}",
            name="elections.accounts.lodge", response_model=contracts.ExpenseAccountV1,
            summary="Record the account a candidate lodged with the RO (rule 19W items, "
                    "vouchers numbered and attached); refused after 30 days")
async def lodge(election_id: ElectionId, nomination_id: NominationId, body: AccountIn,
                rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "lodge_expense_account",
                          {"election_id": election_id, "nomination_id": nomination_id,
                           **_json(body)}, context=context)


@router.put("/{election_id}/expense-accounts/{nomination_id}/inspection-notice",
            name="elections.accounts.notice", response_model=contracts.ExpenseAccountV1,
            summary="The RO's rule 19X notice: where and when the account may be inspected "
                    "(within 2 days of the lodging)")
async def notice(election_id: ElectionId, nomination_id: NominationId, body: NoticeIn,
                 rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "post_inspection_notice",
                          {"election_id": election_id, "nomination_id": nomination_id,
                           **_json(body)}, context=context)


@router.post("/{election_id}/expense-report", name="elections.accounts.report",
             response_model=contracts.ExpenseStatusV1, status_code=status.HTTP_201_CREATED,
             summary="The RO reports to the CEA the candidates who lodged no account, once "
                     "the 30 days are over")
async def report(election_id: ElectionId, body: ReportIn, rpc: RpcDep,
                 context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "report_expense_defaulters",
                          {"election_id": election_id, **_json(body)}, context=context)


@router.put("/{election_id}/expense-report/{nomination_id}",
            name="elections.accounts.decide_default",
            response_model=contracts.ExpenseAccountV1,
            summary="The CEA's rule 19V order on one person of the report (disqualified "
                     "for 3 years from the order) or a good reason accepted")
async def decide_default(election_id: ElectionId, nomination_id: NominationId,
                         body: DefaultDecisionIn, rpc: RpcDep,
                         context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "decide_expense_default",
                          {"election_id": election_id, "nomination_id": nomination_id,
                           **_json(body)}, context=context)


@router.get("/{election_id}/remuneration", name="elections.accounts.claims",
            response_model=contracts.RemunerationListV1,
            summary="Remuneration claims of the RO, AROs and polling personnel, with the "
                    "total")
async def claims(election_id: ElectionId, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("elections", "remuneration_claims", {"election_id": election_id},
                          context=context)


@router.post("/{election_id}/remuneration", name="elections.accounts.claim",
             response_model=contracts.RemunerationClaimV1,
             status_code=status.HTTP_201_CREATED,
             summary="The RO sends a claim (Annexure IV): at most 15 days of basic pay for "
                     "the RO/AROs, at most ₹1,000 for polling personnel")
async def claim(election_id: ElectionId, body: ClaimIn, rpc: RpcDep,
                context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "claim_remuneration",
                          {"election_id": election_id, **_json(body)}, context=context)


@router.post("/{election_id}/remuneration/{claim_id}/decision",
             name="elections.accounts.decide_claim",
             response_model=contracts.RemunerationClaimV1,
             summary="The CEA approves or rejects a claim, with reasons")
async def decide_claim(election_id: ElectionId, claim_id: ClaimId, body: ClaimDecisionIn,
                       rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "decide_remuneration",
                          {"election_id": election_id, "claim_id": claim_id,
                           **_json(body)}, context=context)


@router.get("/{election_id}/checklist", name="elections.accounts.checklist",
            response_model=contracts.ChecklistV1,
            summary="The RO's Annexure VI checklist: each item done, open, overdue or "
                    "pending, from the records or as the RO recorded it")
async def ro_checklist(election_id: ElectionId, rpc: RpcDep,
                       context: CallContextDep) -> dict:
    return await rpc.call("elections", "ro_checklist", {"election_id": election_id},
                          context=context)


@router.put("/{election_id}/checklist/{item}", name="elections.accounts.record_item",
            response_model=contracts.ChecklistV1,
            summary="The RO records an item only the RO can vouch for (a meeting, a "
                    "newspaper notice), with the day it was done")
async def record_item(election_id: ElectionId, item: ItemNumber, body: ChecklistIn,
                      rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "record_checklist_item",
                          {"election_id": election_id, "item": item, **_json(body)},
                          context=context)
