"""Routes of appeals and court cases: filing an appeal (within 60 days of the order),
recording a court case, hearings and orders on a case, and a court case's public status
by its number. The grievance service checks the kind's roles and states."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.routes.grievance import CaseId
from services.common.contracts import grievance as contracts
from services.common.contracts.registry_members import Phone

router = APIRouter(prefix="/v1", tags=["grievances"])

CourtNumber = Annotated[str, Path(pattern=r"^[A-Za-z0-9()./ -]{1,100}$")]


class HearingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hearing_at: datetime = Field(description="Without an offset: India time")
    place: contracts.Name
    purpose: contracts.Name
    alert_phones: list[Phone] = Field(default_factory=list, max_length=10,
                                      description="Mobile numbers texted the day before")


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_date: date
    summary: contracts.Body
    document_id: contracts.DocumentId | None = None
    final: bool = False


@router.post("/appeals", name="appeals.file", status_code=status.HTTP_201_CREATED,
             summary="Appeal against an order within 60 days of it (refused after, with "
                     "both dates)")
async def file_appeal(body: contracts.FileAppealV1, rpc: RpcDep,
                      context: IdempotentCallContextDep) -> dict:
    return await rpc.call("grievance", "file_appeal", body.wire(), context=context)


@router.post("/disputes", name="disputes.file", status_code=status.HTTP_201_CREATED,
             summary="File a dispute touching a society for arbitration")
async def file_dispute(body: contracts.FileDisputeV1, rpc: RpcDep,
                       context: IdempotentCallContextDep) -> dict:
    return await rpc.call("grievance", "file_dispute", body.wire(), context=context)


@router.post("/court-cases", name="court_cases.open", status_code=status.HTTP_201_CREATED,
             summary="Record a court case the office is party to, by the court's number")
async def open_court_case(body: contracts.OpenCourtCaseV1, rpc: RpcDep,
                          context: IdempotentCallContextDep) -> dict:
    return await rpc.call("grievance", "open_court_case", body.wire(), context=context)


@router.get("/court-cases/status/{number:path}", name="court_cases.public_status",
            summary="Anyone: a court case's state, hearings and orders by its number")
async def public_case_status(number: CourtNumber, rpc: RpcDep,
                             context: CallContextDep) -> dict:
    return await rpc.call("grievance", "public_case_status", {"number": number},
                          context=context)


@router.post("/cases/{case_id}/hearings", name="cases.schedule_hearing",
             summary="Fix a hearing of an appeal, arbitration or court case")
async def schedule_hearing(case_id: CaseId, body: HearingIn, rpc: RpcDep,
                           context: IdempotentCallContextDep) -> dict:
    payload = {"case_id": case_id, **body.model_dump(mode="json")}
    return await rpc.call("grievance", "schedule_hearing", payload, context=context)


@router.post("/cases/{case_id}/orders", name="cases.record_order",
             summary="Record an order (a document); a final one decides the case")
async def record_order(case_id: CaseId, body: OrderIn, rpc: RpcDep,
                       context: IdempotentCallContextDep) -> dict:
    payload = {"case_id": case_id, **body.model_dump(mode="json")}
    return await rpc.call("grievance", "record_order", payload, context=context)
