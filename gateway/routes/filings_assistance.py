"""Financial assistance routes (seed 004): a society's application with its documents and
figures (eligibility evaluated and stored rule by rule), the District Level Committee's
recommendation, forwarding to the Registrar, the Registrar's sanction or rejection, and
what follows a sanction (the Registrar's office's releases of the funds, the society's
utilisation certificates, a loan's repayments, the funds' position), and the budget split
report. The eligibility check alone stays in gateway/routes/filings.py
(``POST /v1/filings/assistance/eligibility``).

Who may touch an application (its society's representative, the staff of the offices
over the society; the committee is the district office, the sanction the state
Registrar's) only the filings service knows: it answers 404 for an application the
caller may not see and 403 for a step that is not theirs. Amounts are rupees with at most
two decimals (strings keep them exact); answers give paise and the amount as ₹ text."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.pagination import CursorQuery, as_page, offset_of, page_model
from services.common.contracts import filings_assistance as contracts

router = APIRouter(prefix="/v1/filings/assistance", tags=["filings"])

ApplicationPageOut = page_model(contracts.ApplicationPageV1, "AssistanceApplicationPageOut")
FundsRecordPageOut = page_model(contracts.FundsRecordPageV1, "AssistanceFundsRecordPageOut")

ApplicationId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]
YEAR_PATTERN = contracts.YEAR_PATTERN
ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
# The service's own constraints (services/common/contracts/filings_assistance.py).
Rupees = Annotated[contracts.Rupees, Field(description="₹, at most two decimals, up to "
                                                       "₹1,000 crore")]
Reasons = Annotated[contracts.Reasons, Field(description="stripped of surrounding blanks")]
Remarks = contracts.Remarks


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplyIn(_Body):
    society_id: str = Field(min_length=1, max_length=64, pattern=ID_PATTERN)
    kind: Literal["share_capital", "grant", "loan"] = Field(
        description="share capital contribution, grant-in-aid / managerial subsidy, loan")
    financial_year: str = Field(pattern=YEAR_PATTERN, description="2026-27")
    amount_asked: Rupees
    purpose: Reasons
    documents: list[contracts.DocumentId] = Field(
        min_length=1, max_length=20,
        description="document ids (documents service): budget estimates, resolution, "
                    "audited accounts, borrowing power")
    figures: dict[str, Any] = Field(max_length=100, description="the figures the state's "
                                    "eligibility rules read (see the eligibility check)")


class SocietyEligibilityIn(_Body):
    kind: Literal["share_capital", "grant", "loan"]
    figures: dict[str, Any] = Field(
        default_factory=dict, max_length=100,
        description="the figures the platform does not hold (it reads the audit status "
                    "and the latest accepted annual return itself); one it holds that is "
                    "given too is shown beside its own, which decides")
    applied_on: date | None = Field(None, description="the day to check as on; today "
                                    "(India) when left out")


class RecommendIn(_Body):
    recommended: bool
    amount_recommended: Rupees | None = Field(
        None, description="required when recommended; at most the amount asked")
    reasons: Reasons


class ForwardIn(_Body):
    remarks: Remarks | None = None


class InstalmentIn(_Body):
    due_on: date
    principal: Rupees


class SanctionIn(_Body):
    amount_sanctioned: Rupees = Field(description="at most the amount recommended (the "
                                      "amount asked for a state-level society)")
    order_reference: contracts.OrderReference
    order_date: date
    remarks: Remarks | None = None
    repayment_schedule: list[InstalmentIn] | None = Field(
        None, min_length=1, max_length=240,
        description="a loan's instalments (after the order; the principal adding up to "
                    "the amount sanctioned): repayments are set against them, oldest "
                    "first, and principal unpaid after its day is overdue")


class ReleaseIn(_Body):
    amount: Rupees = Field(description="all releases together at most the amount "
                                       "sanctioned")
    released_on: date = Field(description="on or after the sanction order, not after "
                                          "today (India)")
    reference: contracts.OrderReference = Field(description="the release order")
    remarks: Remarks | None = None


class UtilisationIn(_Body):
    amount_utilised: Rupees = Field(description="all certificates together at most the "
                                                "amount released")
    utilised_on: date = Field(description="the certificate's date: not before the first "
                                          "release, not after today (India)")
    document_id: contracts.DocumentId = Field(description="the utilisation certificate "
                                                          "(documents service)")
    remarks: Remarks | None = None


class RepaymentIn(_Body):
    paid_on: date = Field(description="not before the loan's first release, not after "
                                      "today (India)")
    principal: contracts.RupeesOrNothing = Field(
        description="all repayments together at most the principal released")
    interest: contracts.RupeesOrNothing
    reference: contracts.OrderReference | None = Field(None, description="the receipt")
    remarks: Remarks | None = None


class RejectIn(_Body):
    reasons: Reasons


@router.post("/applications", name="filings.assistance.apply",
             response_model=contracts.ApplicationV1, status_code=status.HTTP_201_CREATED,
             summary="Apply for financial assistance for a financial year (by 30 June): "
                     "stored with every eligibility verdict, an ineligible one marked so",
             responses={409: {"description": "Already applied for this kind and year"},
                        422: {"description": "Outside the window, or a bad field"}})
async def apply(body: ApplyIn, rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "apply_for_assistance", body.model_dump(mode="json"),
                          context=context)


@router.post("/societies/{society_id}/eligibility",
             name="filings.assistance.society_eligibility",
             summary="A society's eligibility with what the platform holds: its audit "
                     "status and latest accepted return in place of declared figures (each "
                     "with its source), and the rules that need its history, year by year",
             responses={404: {"description": "No such society, or not yours"}})
async def society_eligibility(
    society_id: Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)],
    body: SocietyEligibilityIn, rpc: RpcDep, context: CallContextDep,
) -> dict:
    return await rpc.call("filings", "check_society_eligibility",
                          {"society_id": society_id, **body.model_dump(mode="json")},
                          context=context)


@router.get("/applications", name="filings.assistance.list",
            response_model=ApplicationPageOut,
            summary="Applications for assistance you may see, newest first")
async def list_applications(
    rpc: RpcDep, context: CallContextDep,
    society_id: Annotated[str | None, Query(min_length=1, max_length=64,
                                            pattern=ID_PATTERN)] = None,
    kind: Annotated[str | None, Query(pattern=r"^(share_capital|grant|loan)$")] = None,
    financial_year: Annotated[str | None, Query(pattern=YEAR_PATTERN)] = None,
    application_status: Annotated[str | None, Query(
        alias="status", pattern=r"^(submitted|recommended|not_recommended|forwarded|"
                                r"sanctioned|rejected)$")] = None,
    eligible: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"society_id": society_id, "kind": kind, "financial_year": financial_year,
               "status": application_status, "eligible": eligible, "limit": limit,
               "offset": offset_of(cursor)}
    return as_page(await rpc.call("filings", "list_assistance_applications", payload,
                                  context=context))


@router.get("/applications/{application_id}", name="filings.assistance.get",
            response_model=contracts.ApplicationV1,
            summary="An application with its eligibility verdicts and every step",
            responses={404: {"description": "No such application, or not yours"}})
async def get_application(application_id: ApplicationId, rpc: RpcDep,
                          context: CallContextDep) -> dict:
    return await rpc.call("filings", "get_assistance_application",
                          {"application_id": application_id}, context=context)


@router.post("/applications/{application_id}/recommendation",
             name="filings.assistance.recommend", response_model=contracts.ApplicationV1,
             summary="The District Level Committee recommends (at most the amount asked) "
                     "or does not recommend, with reasons",
             responses={409: {"description": "Not awaiting the committee"}})
async def recommend(application_id: ApplicationId, body: RecommendIn, rpc: RpcDep,
                    context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "recommend_assistance",
                          {"application_id": application_id,
                           **body.model_dump(mode="json")}, context=context)


@router.post("/applications/{application_id}/forward", name="filings.assistance.forward",
             response_model=contracts.ApplicationV1,
             summary="The district office forwards a recommended application to the "
                     "Registrar",
             responses={409: {"description": "Not recommended"}})
async def forward(application_id: ApplicationId, body: ForwardIn, rpc: RpcDep,
                  context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "forward_assistance",
                          {"application_id": application_id,
                           **body.model_dump(mode="json")}, context=context)


@router.post("/applications/{application_id}/sanction", name="filings.assistance.sanction",
             response_model=contracts.ApplicationV1,
             summary="The Registrar sanctions (at most the amount recommended) with the "
                     "order's reference and date",
             responses={409: {"description": "Not before the Registrar"}})
async def sanction(application_id: ApplicationId, body: SanctionIn, rpc: RpcDep,
                   context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "sanction_assistance",
                          {"application_id": application_id,
                           **body.model_dump(mode="json")}, context=context)


@router.post("/applications/{application_id}/rejection", name="filings.assistance.reject",
             response_model=contracts.ApplicationV1,
             summary="The Registrar rejects an application, with reasons",
             responses={409: {"description": "Not before the Registrar"}})
async def reject(application_id: ApplicationId, body: RejectIn, rpc: RpcDep,
                 context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "reject_assistance",
                          {"application_id": application_id,
                           **body.model_dump(mode="json")}, context=context)


@router.post("/applications/{application_id}/releases", name="filings.assistance.release",
             response_model=contracts.FundsRecordedV1, status_code=status.HTTP_201_CREATED,
             summary="The Registrar's office releases sanctioned funds (together at most "
                     "the amount sanctioned)",
             responses={403: {"description": "Not the state Registrar's office"},
                        409: {"description": "Not sanctioned"},
                        422: {"description": "Above the sanction, or dated before it"}})
async def release(application_id: ApplicationId, body: ReleaseIn, rpc: RpcDep,
                  context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "release_assistance",
                          {"application_id": application_id,
                           **body.model_dump(mode="json")}, context=context)


@router.post("/applications/{application_id}/utilisations",
             name="filings.assistance.utilise", response_model=contracts.FundsRecordedV1,
             status_code=status.HTTP_201_CREATED,
             summary="The society's utilisation certificate for funds released to it",
             responses={403: {"description": "Not the society's representative"},
                        409: {"description": "Nothing released yet"},
                        422: {"description": "Above the amount released, or dated before "
                                             "the first release"}})
async def utilise(application_id: ApplicationId, body: UtilisationIn, rpc: RpcDep,
                  context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "record_assistance_utilisation",
                          {"application_id": application_id,
                           **body.model_dump(mode="json")}, context=context)


@router.post("/applications/{application_id}/repayments", name="filings.assistance.repay",
             response_model=contracts.FundsRecordedV1, status_code=status.HTTP_201_CREATED,
             summary="A repayment of a Government loan received by the office (marked "
                     "overdue when principal under the schedule was unpaid)",
             responses={409: {"description": "Not a loan, or nothing released yet"},
                        422: {"description": "Above the principal released, or dated "
                                             "before the release"}})
async def repay(application_id: ApplicationId, body: RepaymentIn, rpc: RpcDep,
                context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "record_loan_repayment",
                          {"application_id": application_id,
                           **body.model_dump(mode="json")}, context=context)


async def _records(record: str, application_id: str, rpc, context, limit: int,
                   cursor: str | None) -> dict:
    return as_page(await rpc.call("filings", "list_assistance_funds_records",
                                  {"application_id": application_id, "record": record,
                                   "limit": limit, "offset": offset_of(cursor)},
                                  context=context))


@router.get("/applications/{application_id}/releases", name="filings.assistance.releases",
            response_model=FundsRecordPageOut,
            summary="The releases of an application's funds, oldest first",
            responses={404: {"description": "No such application, or not yours"}})
async def list_releases(application_id: ApplicationId, rpc: RpcDep,
                        context: CallContextDep,
                        limit: Annotated[int, Query(ge=1, le=100)] = 20,
                        cursor: CursorQuery = None) -> dict:
    return await _records("releases", application_id, rpc, context, limit, cursor)


@router.get("/applications/{application_id}/utilisations",
            name="filings.assistance.utilisations", response_model=FundsRecordPageOut,
            summary="The society's utilisation certificates of an application's funds, "
                    "oldest first",
            responses={404: {"description": "No such application, or not yours"}})
async def list_utilisations(application_id: ApplicationId, rpc: RpcDep,
                            context: CallContextDep,
                            limit: Annotated[int, Query(ge=1, le=100)] = 20,
                            cursor: CursorQuery = None) -> dict:
    return await _records("utilisations", application_id, rpc, context, limit, cursor)


@router.get("/applications/{application_id}/repayments",
            name="filings.assistance.repayments", response_model=FundsRecordPageOut,
            summary="A loan's repayments, oldest first, each marked overdue or not under "
                    "the schedule",
            responses={404: {"description": "No such application, or not yours"}})
async def list_repayments(application_id: ApplicationId, rpc: RpcDep,
                          context: CallContextDep,
                          limit: Annotated[int, Query(ge=1, le=100)] = 20,
                          cursor: CursorQuery = None) -> dict:
    return await _records("repayments", application_id, rpc, context, limit, cursor)


@router.get("/applications/{application_id}/funds", name="filings.assistance.funds",
            response_model=contracts.FundsV1,
            summary="An application's funds today: sanctioned, released, utilised; a "
                    "loan's principal repaid, outstanding and overdue by instalment",
            responses={404: {"description": "No such application, or not yours"}})
async def funds(application_id: ApplicationId, rpc: RpcDep,
                context: CallContextDep) -> dict:
    return await rpc.call("filings", "assistance_funds",
                          {"application_id": application_id}, context=context)


@router.get("/budget-split", name="filings.assistance.budget_split",
            summary="Sanctioned and recommended amounts, state-level against primary "
                    "societies, beside the state's split (30:70 in Meghalaya)")
async def budget_split(
    rpc: RpcDep, context: CallContextDep,
    state: Annotated[str, Query(min_length=2, max_length=60)],
    financial_year: Annotated[str, Query(pattern=YEAR_PATTERN)],
) -> dict:
    return await rpc.call("filings", "assistance_budget_split",
                          {"state": state, "financial_year": financial_year},
                          context=context)
