"""Case routes: the kinds' definitions, raising a grievance, a case, the actions on it,
its history and audit trail, and lists. The grievance service decides who sees which
case (office grants reach the cases of their offices, ``case:<id>`` grants their case,
a complainant their own) and which actions each may take: the gateway checks roles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.pagination import (
    NEXT_CURSOR_DESCRIPTION,
    CursorQuery,
    as_page,
    offset_of,
    page_model,
)
from services.common.contracts import grievance as contracts
from services.common.contracts import grievance_kinds as kind_contracts
from services.common.contracts import grievance_sla as sla_contracts
from services.common.contracts.platform import AuditPageV1

router = APIRouter(prefix="/v1", tags=["grievances"])

# The services' pages as the HTTP API answers them (gateway/pagination.py).
AuditPageOut = page_model(AuditPageV1, "AuditPageOut")

CaseId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]
KindName = Annotated[str, Path(pattern=r"^(grievance|inquiry|inspection|arbitration|"
                                       r"appeal|court_case)$")]


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: contracts.Action = Field(description="One of the case's allowed_actions")
    note: contracts.Body | None = None
    document_ids: list[contracts.DocumentId] = Field(default_factory=list, max_length=20)
    assignee: contracts.ActorId | None = None
    rating: int | None = Field(None, ge=1, le=5)


@router.get("/cases/kinds", name="cases.kinds",
            summary="Every kind of case: states, transitions, who may take each, deadlines")
async def case_kinds(rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("grievance", "case_kinds", {}, context=context)


@router.get("/cases/kinds/{kind}", name="cases.kind", summary="One kind's definition")
async def case_kind(kind: KindName, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("grievance", "case_kind", {"kind": kind}, context=context)


@router.get("/cases/kinds/{kind}/versions", name="cases.kind_versions",
            summary="Every version of a kind, oldest first: shipped or published (who, "
                    "when, why), and which is in force for new cases")
async def kind_versions(kind: KindName, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("grievance", "kind_versions", {"kind": kind}, context=context)


@router.post("/cases/kinds/{kind}/versions", name="cases.kinds.publish",
             status_code=status.HTTP_201_CREATED,
             summary="Publish a new version of a kind (an administrator): checked whole "
                     "(declared states, known roles, the actions hearings and orders "
                     "take), refused naming the rule; open cases keep their version")
async def publish_kind(kind: KindName, body: kind_contracts.KindDefinitionV1, rpc: RpcDep,
                       context: IdempotentCallContextDep) -> dict:
    return await rpc.call("grievance", "publish_kind", {**body.wire(), "kind": kind},
                          context=context)


@router.post("/grievances", name="grievances.raise", status_code=status.HTTP_201_CREATED,
             summary="Raise a grievance against a society, a board member, an officer, an "
                     "external user or the portal: routed to the office by jurisdiction")
async def raise_grievance(body: contracts.RaiseGrievanceV1, rpc: RpcDep,
                          context: IdempotentCallContextDep) -> dict:
    return await rpc.call("grievance", "raise_grievance", body.wire(), context=context)


@router.post("/inquiries", name="inquiries.request", status_code=status.HTTP_201_CREATED,
             summary="Request an inquiry or an inspection of a society (members' and board "
                     "members' requests list their supporting voters, checked against the "
                     "register)")
async def request_inquiry(body: contracts.RequestInquiryV1, rpc: RpcDep,
                          context: IdempotentCallContextDep) -> dict:
    return await rpc.call("grievance", "request_inquiry", body.wire(), context=context)


class CasePageOut(BaseModel):
    items: list[dict[str, Any]]
    total: int
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


@router.get("/cases", name="cases.list", response_model=CasePageOut,
            summary="Cases you may see, newest first or by deadline; by kind, state, office, "
                    "category, open (limit/cursor, next_cursor)")
async def list_cases(
    rpc: RpcDep, context: CallContextDep,
    kind: Annotated[contracts.CaseKind | None, Query()] = None,
    state: Annotated[str | None, Query(pattern=r"^[a-z_]{2,32}$")] = None,
    office_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    mine: bool = False,
    category: Annotated[contracts.Category | None, Query(
        description="a grievance's category")] = None,
    open: Annotated[bool | None, Query(
        description="true: cases not closed; false: closed cases; absent: both")] = None,
    order: Annotated[contracts.CaseOrder, Query(
        description="newest (default): opened latest first; due: the level's deadline "
                    "soonest first, cases with no clock running last")] = "newest",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"kind": kind, "state": state, "office_id": office_id, "mine": mine,
               "category": category, "open": open, "order": order,
               "limit": limit, "offset": offset_of(cursor)}
    return as_page(await rpc.call("grievance", "list_cases",
                                  {k: v for k, v in payload.items() if v is not None},
                                  context=context))


@router.get("/cases/dashboard", name="cases.dashboard",
            summary="Open cases by kind, state, office, officer and age; late ones; SLA "
                    "compliance (your offices)")
async def case_dashboard(
    rpc: RpcDep, context: CallContextDep,
    office_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> dict:
    payload = {"office_id": office_id} if office_id else {}
    return await rpc.call("grievance", "case_dashboard", payload, context=context)


Month = Annotated[str | None, Query(pattern=r"^(20[0-9]{2})-(0[1-9]|1[0-2])$",
                                    description="YYYY-MM (India's months)")]


@router.get("/cases/dashboard/monthly", name="cases.performance",
            summary="Each office's cases month by month: opened, resolved, resolved "
                    "within the SLA, escalated, median days to resolve (your offices; at "
                    "most 36 months, the last 12 by default)")
async def case_performance(
    rpc: RpcDep, context: CallContextDep,
    from_month: Month = None, to_month: Month = None,
    office_id: Annotated[str | None, Query(min_length=1, max_length=64,
                                           pattern=r"^[A-Za-z0-9._-]{1,64}$")] = None,
    kind: Annotated[contracts.CaseKind | None, Query()] = None,
) -> dict:
    payload = {"from_month": from_month, "to_month": to_month, "office_id": office_id,
               "kind": kind}
    return await rpc.call("grievance", "case_performance",
                          {k: v for k, v in payload.items() if v is not None},
                          context=context)


class SlaPageOut(BaseModel):
    items: list[dict[str, Any]] = Field(description="Published versions, newest first; "
                                        "status: scheduled, in_force, superseded or "
                                        "withdrawn (in force: the highest of its office "
                                        "and category whose date has come)")
    total: int
    national: list[dict[str, Any]] = Field(description="The national rules (the fallback)")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


@router.post("/cases/slas", name="cases.slas.publish", status_code=status.HTTP_201_CREATED,
             summary="Publish a new version of an office's SLA for a category (a "
                     "registrar, for offices under their grant): grievances opened from "
                     "its in_force_from date (or now) get it; open cases keep theirs")
async def publish_sla(body: sla_contracts.PublishSlaV1, rpc: RpcDep,
                      context: IdempotentCallContextDep) -> dict:
    return await rpc.call("grievance", "publish_sla", body.wire(), context=context)


class SlaWithdrawalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: contracts.Body = Field(description="Why it is withdrawn (kept in the audit "
                                               "trail)")


@router.post("/cases/slas/{sla_id}/withdraw", name="cases.slas.withdraw",
             summary="Withdraw an SLA version that has not come into force (whoever may "
                     "publish it): it is never in force; one in force or past is 409, "
                     "naming the date it came into force",
             responses={409: {"description": "In force or past, or withdrawn already"}})
async def withdraw_sla(sla_id: Annotated[int, Path(ge=1, le=2**53)], body: SlaWithdrawalIn,
                       rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("grievance", "withdraw_sla",
                          {"sla_id": sla_id, "reason": body.reason}, context=context)


@router.get("/cases/slas", name="cases.slas.list", response_model=SlaPageOut,
            summary="SLA versions offices published, newest first (limit/cursor, "
                    "next_cursor), and the national rules they fall back to")
async def sla_versions(
    rpc: RpcDep, context: CallContextDep,
    office_id: Annotated[str | None, Query(min_length=1, max_length=64,
                                           pattern=r"^[A-Za-z0-9._-]{1,64}$")] = None,
    category: Annotated[sla_contracts.SlaCategory | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"office_id": office_id, "category": category, "limit": limit,
               "offset": offset_of(cursor)}
    return as_page(await rpc.call("grievance", "sla_versions",
                                  {k: v for k, v in payload.items() if v is not None},
                                  context=context))


@router.get("/cases/slas/in-force", name="cases.slas.in_force",
            summary="The SLA a grievance of a category routed to an office gets now (the "
                    "office's newest version, an office above it, or the national rules)")
async def sla_in_force(
    rpc: RpcDep, context: CallContextDep,
    category: Annotated[contracts.Category, Query()],
    office_id: Annotated[str | None, Query(min_length=1, max_length=64,
                                           pattern=r"^[A-Za-z0-9._-]{1,64}$")] = None,
) -> dict:
    payload = {"category": category, **({"office_id": office_id} if office_id else {})}
    return await rpc.call("grievance", "sla_in_force", payload, context=context)


@router.get("/cases/{case_id}", name="cases.get",
            summary="A case: its state, due date, level and the actions you may take",
            responses={404: {"description": "No such case, or not yours"}})
async def get_case(case_id: CaseId, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("grievance", "get_case", {"case_id": case_id}, context=context)


@router.post("/cases/{case_id}/actions", name="cases.act",
             summary="Take one action of the case's kind (refused naming the rule: 403 for "
                     "the role, 409 for the state or a closed window)")
async def take_action(case_id: CaseId, body: ActionIn, rpc: RpcDep,
                      context: IdempotentCallContextDep) -> dict:
    payload = {"case_id": case_id, **body.model_dump(mode="json", exclude_none=True)}
    return await rpc.call("grievance", "take_action", payload, context=context)


@router.get("/cases/{case_id}/history", name="cases.history",
            summary="Every action on the case, oldest first")
async def case_history(case_id: CaseId, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("grievance", "case_history", {"case_id": case_id},
                          context=context)


@router.get("/cases/{case_id}/audit", name="cases.audit", response_model=AuditPageOut,
            summary="The case's audit trail (its office)")
async def case_audit(case_id: CaseId, rpc: RpcDep, context: CallContextDep,
                     limit: Annotated[int, Query(ge=1, le=100)] = 50,
                     cursor: CursorQuery = None) -> dict:
    return as_page(await rpc.call("grievance", "case_audit",
                                  {"case_id": case_id, "limit": limit, "offset": offset_of(cursor)},
                                  context=context))
