"""Liquidation: orders, liquidators, proceedings, assets and liabilities, closure or
revival, and the counts of the liquidation return RCS/LQR/01."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.pagination import CursorQuery, as_page, offset_of
from services.common.contracts.registry import LiquidationOrderV1

router = APIRouter(prefix="/v1/liquidation", tags=["liquidation"])

CaseId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]


class LiquidatorOut(BaseModel):
    name: str
    account_id: str | None


class CaseOut(BaseModel):
    id: str
    society_id: str
    office_id: str
    status: str
    order_ref: str
    ordered_on: str
    reason: str
    liquidator: LiquidatorOut
    charge_taken_over: bool
    traceable: bool
    ended_on: str | None
    end_order_ref: str | None
    end_reason: str | None
    assets: str
    liabilities: str
    proceedings: list[dict[str, Any]]
    entries: list[dict[str, Any]]


class CaseSummaryOut(BaseModel):
    id: str
    society_id: str
    office_id: str
    status: str
    order_ref: str
    ordered_on: str
    liquidator_name: str


class CasePageOut(BaseModel):
    items: list[CaseSummaryOut]
    next_cursor: str | None


class ProceedingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    held_on: date
    note: str = Field(min_length=1, max_length=4000)
    charge_taken_over: bool | None = None
    traceable: bool | None = None


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    side: Literal["asset", "liability"]
    direction: Literal["added", "reduced"]
    amount: float = Field(gt=0, le=1e15)
    entry_date: date
    description: str = Field(min_length=1, max_length=300)


class EndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ended_on: date
    order_ref: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=4000)


class ReturnOut(BaseModel):
    """RCS/LQR/01, part A: closing = opening + placed - closed - revived."""

    office_id: str | None
    period: dict[str, str]
    opening: int
    placed_under_liquidation: int
    closed: int
    revived: int
    closing: int
    charge_taken_over: int
    charge_not_taken_over: dict[str, int]
    pending: dict[str, int]
    assets: dict[str, str]
    liabilities: dict[str, str]
    by_type: list[dict[str, Any]]


@router.post("/orders", name="liquidation.order", response_model=CaseOut,
             status_code=status.HTTP_201_CREATED,
             summary="Order a society into liquidation and appoint its liquidator")
async def order_liquidation(body: LiquidationOrderV1, rpc: RpcDep,
                            context: IdempotentCallContextDep) -> dict:
    return await rpc.call("registry", "order_liquidation", body.wire(), context=context)


@router.get("/cases", name="liquidation.list", response_model=CasePageOut,
            summary="Liquidation cases you may see")
async def list_cases(
    rpc: RpcDep, context: CallContextDep,
    status_: Annotated[Literal["in_progress", "closed", "revived"] | None,
                       Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> dict:
    return as_page(await rpc.call("registry", "list_liquidation_cases",
                                  {"status": status_, "limit": limit, "offset": offset_of(cursor)},
                                  context=context))


@router.get("/cases/{case_id}", name="liquidation.get", response_model=CaseOut,
            summary="A case with its proceedings and its assets and liabilities")
async def get_case(case_id: CaseId, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("registry", "get_liquidation_case", {"case_id": case_id},
                          context=context)


@router.post("/cases/{case_id}/proceedings", name="liquidation.add_proceeding",
             response_model=CaseOut, summary="Record a proceeding")
async def add_proceeding(case_id: CaseId, body: ProceedingIn, rpc: RpcDep,
                         context: IdempotentCallContextDep) -> dict:
    return await rpc.call("registry", "add_liquidation_proceeding",
                          {"case_id": case_id, **body.model_dump(mode="json")},
                          context=context)


@router.post("/cases/{case_id}/entries", name="liquidation.add_entry", response_model=CaseOut,
             summary="Record assets or liabilities added or reduced")
async def add_entry(case_id: CaseId, body: EntryIn, rpc: RpcDep,
                    context: IdempotentCallContextDep) -> dict:
    return await rpc.call("registry", "add_liquidation_entry",
                          {"case_id": case_id, **body.model_dump(mode="json")},
                          context=context)


@router.post("/cases/{case_id}/close", name="liquidation.close", response_model=CaseOut,
             summary="Close the proceedings: the society is wound up")
async def close_case(case_id: CaseId, body: EndIn, rpc: RpcDep,
                     context: IdempotentCallContextDep) -> dict:
    return await rpc.call("registry", "end_liquidation",
                          {"case_id": case_id, "outcome": "closed",
                           **body.model_dump(mode="json")}, context=context)


@router.post("/cases/{case_id}/revive", name="liquidation.revive", response_model=CaseOut,
             summary="Revive the society: the liquidation ends")
async def revive_case(case_id: CaseId, body: EndIn, rpc: RpcDep,
                      context: IdempotentCallContextDep) -> dict:
    return await rpc.call("registry", "end_liquidation",
                          {"case_id": case_id, "outcome": "revived",
                           **body.model_dump(mode="json")}, context=context)


@router.get("/return", name="liquidation.return", response_model=ReturnOut,
            summary="Counts for the liquidation return RCS/LQR/01 of an office and a period")
async def liquidation_return(
    rpc: RpcDep, context: CallContextDep, period_from: date, period_to: date,
    office_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> dict:
    return await rpc.call("registry", "liquidation_return",
                          {"office_id": office_id, "period_from": period_from.isoformat(),
                           "period_to": period_to.isoformat()}, context=context)


class ProposalOut(BaseModel):
    id: str
    society_id: str
    office_id: str
    source_case_id: str
    source_case_number: str
    source_kind: str
    recommended_by: str
    note: str | None
    document_ids: list[str]
    status: Literal["pending", "ordered", "declined"]
    liquidation_case_id: str | None
    decision_reason: str | None
    decided_by: str | None
    decided_at: str | None
    received_at: str


class ProposalPageOut(BaseModel):
    items: list[ProposalOut]
    next_cursor: str | None


class DeclineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=4000)


ProposalId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]


@router.get("/proposals", name="liquidation.proposals", response_model=ProposalPageOut,
            summary="Proposals to wind up from inquiries and inspections, oldest first "
                    "(order one with proposal_id, or decline it)")
async def list_proposals(
    rpc: RpcDep, context: CallContextDep,
    status_: Annotated[Literal["pending", "ordered", "declined"] | None,
                       Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> dict:
    return as_page(await rpc.call("registry", "list_liquidation_proposals",
                                  {"status": status_, "limit": limit, "offset": offset_of(cursor)},
                                  context=context))


@router.get("/proposals/{proposal_id}", name="liquidation.proposal",
            response_model=ProposalOut, summary="One proposal to wind up")
async def get_proposal(proposal_id: ProposalId, rpc: RpcDep,
                       context: CallContextDep) -> dict:
    return await rpc.call("registry", "get_liquidation_proposal",
                          {"proposal_id": proposal_id}, context=context)


@router.post("/proposals/{proposal_id}/decline", name="liquidation.decline_proposal",
             response_model=ProposalOut,
             summary="The registrar declines a proposal to wind up, with reasons")
async def decline_proposal(proposal_id: ProposalId, body: DeclineIn, rpc: RpcDep,
                           context: IdempotentCallContextDep) -> dict:
    return await rpc.call("registry", "decline_liquidation_proposal",
                          {"proposal_id": proposal_id, "reason": body.reason},
                          context=context)

