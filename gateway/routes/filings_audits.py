"""Audits' routes (seeds 000, 001): auditors' empanelment for a financial year (an auditor
applies or applies to renew, the office keeping the panel queries, the auditor replies,
the office approves, rejects or suspends), audits allotted to empanelled auditors, and
the allotments an auditor or an office sees. Recording an audit, a society's audit
status and the audit position stay in gateway/routes/filings.py.

Who may see an empanelment (the auditor who applied, the staff whose office grant covers
the office keeping the panel) or an allotment (its auditor, the staff over its society)
only the filings service knows: it answers 404 out of reach, 403 for a step that is not
the caller's, and 409 naming the rule (``details.rule``) for a refused step."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.pagination import CursorQuery, as_page, offset_of, page_model
from services.common.contracts import filings_audits as contracts

router = APIRouter(prefix="/v1/filings", tags=["filings"])

EmpanelmentPageOut = page_model(contracts.EmpanelmentPageV1, "EmpanelmentPageOut")
AllotmentPageOut = page_model(contracts.AllotmentPageV1, "AllotmentPageOut")

EmpanelmentId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]
YEAR_PATTERN = contracts.YEAR_PATTERN  # every April-to-March year, 2000-01 to 2099-00
ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplyIn(_Body):
    financial_year: str = Field(pattern=YEAR_PATTERN, description=(
        "2026-27; taken from 1 January before the year to 31 December in it (the year "
        "after an empanelment is its renewal)"))
    office_id: contracts.OfficeId = Field(description="the office keeping the panel")
    name: contracts.Name
    firm_name: contracts.Name | None = Field(None, description="required with frn")
    membership_number: contracts.MembershipNumber = Field(
        description="ICAI membership number, six digits")
    frn: contracts.FirmNumber | None = Field(
        None, description="ICAI firm registration number: six digits and the region's "
                          "letter (012345N), or the letter first (W100047)")
    email: contracts.Email
    phone: contracts.Phone
    qualifications: list[contracts.Qualification] = Field(min_length=1, max_length=10)
    certificate_document_ids: list[contracts.DocumentId] = Field(
        min_length=1, max_length=20, description="document ids (documents service): "
        "certificate of practice, membership, firm constitution")
    states: list[contracts.Place] = Field(min_length=1, max_length=40)
    districts: list[contracts.Place] = Field(
        default_factory=list, max_length=200,
        description="empty: every district of the states")


class QueryIn(_Body):
    text: contracts.Reasons


class ReplyIn(_Body):
    text: contracts.Reasons
    document_ids: list[contracts.DocumentId] = Field(default_factory=list, max_length=20)


class ApproveIn(_Body):
    remarks: contracts.Reasons | None = None


class ReasonsIn(_Body):
    reasons: contracts.Reasons


class AllotIn(_Body):
    society_id: str = Field(min_length=1, max_length=64, pattern=ID_PATTERN)
    financial_year: str = Field(pattern=YEAR_PATTERN, description="a year that has ended")
    empanelment_id: str = Field(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")
    reasons: contracts.Reasons | None = Field(
        None, description="required to reallot a year already allotted")


@router.post("/empanelments", name="filings.empanelments.apply",
             response_model=contracts.EmpanelmentV1, status_code=status.HTTP_201_CREATED,
             summary="An auditor applies to be empanelled for a financial year (or to "
                     "renew for the next)")
async def apply_for_empanelment(body: ApplyIn, rpc: RpcDep,
                                context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "apply_for_empanelment", body.model_dump(mode="json"),
                          context=context)


@router.get("/empanelments", name="filings.empanelments.list",
            response_model=EmpanelmentPageOut,
            summary="Your own applications (an auditor), or those of the offices your "
                    "grant covers (staff), newest first")
async def list_empanelments(
    rpc: RpcDep, context: CallContextDep,
    empanelment_status: Annotated[Literal["submitted", "queried", "empanelled", "rejected",
                                          "suspended"] | None,
                                  Query(alias="status")] = None,
    financial_year: Annotated[str | None, Query(pattern=YEAR_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"status": empanelment_status, "financial_year": financial_year,
               "limit": limit, "offset": offset_of(cursor)}
    return as_page(await rpc.call("filings", "list_empanelments", payload, context=context))


@router.get("/empanelments/{empanelment_id}", name="filings.empanelments.get",
            response_model=contracts.EmpanelmentV1,
            summary="An application or empanelment with every step",
            responses={404: {"description": "No such empanelment, or not yours"}})
async def get_empanelment(empanelment_id: EmpanelmentId, rpc: RpcDep,
                          context: CallContextDep) -> dict:
    return await rpc.call("filings", "get_empanelment", {"empanelment_id": empanelment_id},
                          context=context)


async def _step(rpc, context, method: str, empanelment_id: str, body: _Body) -> dict:
    return await rpc.call("filings", method, {"empanelment_id": empanelment_id,
                                              **body.model_dump(mode="json")},
                          context=context)


@router.post("/empanelments/{empanelment_id}/query", name="filings.empanelments.query",
             response_model=contracts.EmpanelmentV1,
             summary="The office asks the applicant something; the application waits")
async def query_empanelment(empanelment_id: EmpanelmentId, body: QueryIn, rpc: RpcDep,
                            context: IdempotentCallContextDep) -> dict:
    return await _step(rpc, context, "query_empanelment", empanelment_id, body)


@router.post("/empanelments/{empanelment_id}/reply", name="filings.empanelments.reply",
             response_model=contracts.EmpanelmentV1,
             summary="The applicant answers the office's query (documents may be added)")
async def reply_empanelment(empanelment_id: EmpanelmentId, body: ReplyIn, rpc: RpcDep,
                            context: IdempotentCallContextDep) -> dict:
    return await _step(rpc, context, "reply_empanelment", empanelment_id, body)


@router.post("/empanelments/{empanelment_id}/approve", name="filings.empanelments.approve",
             response_model=contracts.EmpanelmentV1,
             summary="Empanel the auditor for the financial year (valid to its 31 March)")
async def approve_empanelment(empanelment_id: EmpanelmentId, body: ApproveIn, rpc: RpcDep,
                              context: IdempotentCallContextDep) -> dict:
    return await _step(rpc, context, "approve_empanelment", empanelment_id, body)


@router.post("/empanelments/{empanelment_id}/reject", name="filings.empanelments.reject",
             response_model=contracts.EmpanelmentV1,
             summary="Reject an application, with reasons")
async def reject_empanelment(empanelment_id: EmpanelmentId, body: ReasonsIn, rpc: RpcDep,
                             context: IdempotentCallContextDep) -> dict:
    return await _step(rpc, context, "reject_empanelment", empanelment_id, body)


@router.post("/empanelments/{empanelment_id}/suspend", name="filings.empanelments.suspend",
             response_model=contracts.EmpanelmentV1,
             summary="Suspend an empanelment, with reasons: it receives no allotment")
async def suspend_empanelment(empanelment_id: EmpanelmentId, body: ReasonsIn, rpc: RpcDep,
                              context: IdempotentCallContextDep) -> dict:
    return await _step(rpc, context, "suspend_empanelment", empanelment_id, body)


@router.post("/allotments", name="filings.allotments.allot",
             response_model=contracts.AllotmentV1, status_code=status.HTTP_201_CREATED,
             summary="Allot a society's audit of an ended year to an empanelled auditor "
                     "(reallot with reasons)")
async def allot_audit(body: AllotIn, rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "allot_audit", body.model_dump(mode="json"),
                          context=context)


@router.get("/allotments", name="filings.allotments.list", response_model=AllotmentPageOut,
            summary="Your allotments (an auditor), or those of the societies under your "
                    "office (staff), newest first")
async def list_allotments(
    rpc: RpcDep, context: CallContextDep,
    society_id: Annotated[str | None, Query(min_length=1, max_length=64,
                                            pattern=ID_PATTERN)] = None,
    financial_year: Annotated[str | None, Query(pattern=YEAR_PATTERN)] = None,
    include_replaced: bool = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"society_id": society_id, "financial_year": financial_year,
               "include_replaced": include_replaced, "limit": limit,
               "offset": offset_of(cursor)}
    return as_page(await rpc.call("filings", "list_allotments", payload, context=context))
