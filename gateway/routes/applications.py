"""Registration, bye-law amendment and branch-opening applications: drafts saved in parts,
promoter e-verification, the status tracker, scrutiny and decisions. Each workflow step
is its own route (its own access rule); the registry checks the state, the office and
whose application it is."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.context import CallContext
from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.pagination import CursorQuery, as_page, offset_of, page_model
from gateway.rpc import RpcClient
from services.common.contracts.platform import AuditPageV1
from services.common.contracts.registry import (
    ApplicationKind,
    ApplicationStage,
    CreateApplicationV1,
)

router = APIRouter(prefix="/v1/applications", tags=["applications"])

# The services' pages as the HTTP API answers them (gateway/pagination.py).
AuditPageOut = page_model(AuditPageV1, "AuditPageOut")

ApplicationId = Annotated[str, Path(min_length=36, max_length=36,
                                    pattern=r"^[0-9a-f-]{36}$")]


class HearingOut(BaseModel):
    at: str
    link: str


class StageEntryOut(BaseModel):
    stage: str
    previous_stage: str | None
    action: str
    actor_id: str
    actor_role: str
    note: str | None
    deadline: str | None
    at: str


class PromoterOut(BaseModel):
    id: int
    name: str
    aadhaar_last4: str
    verified: bool
    reference: str | None
    failure: str | None
    checked_at: str


class ApplicationOut(BaseModel):
    """The status tracker: the stage, its deadline and the time left, every step so far."""

    id: str
    kind: str
    stage: str
    office_id: str
    society_id: str | None
    applicant: dict[str, Any]
    data: dict[str, Any]
    reason: str | None
    hearing: HearingOut | None
    deadline: str | None
    time_left_seconds: int | None
    overdue: bool
    submitted_at: str | None
    decided_at: str | None
    created_at: str
    history: list[StageEntryOut]
    promoters: list[PromoterOut]


class ApplicationSummaryOut(BaseModel):
    id: str
    kind: str
    stage: str
    office_id: str
    society_id: str | None
    applicant_name: str | None
    deadline: str | None
    time_left_seconds: int | None
    overdue: bool
    created_at: str


class ApplicationPageOut(BaseModel):
    items: list[ApplicationSummaryOut]
    next_cursor: str | None


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: dict[str, Any] = Field(description="the whole form as it stands; may be partial")


class PromoterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=200)
    aadhaar_number: str = Field(pattern=r"^[2-9][0-9]{11}$")
    otp: str = Field(pattern=r"^[0-9]{6}$")


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, min_length=1, max_length=4000)


class RequiredNoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=4000)


class ReplyIn(RequiredNoteIn):
    document_ids: list[str] = Field(default_factory=list, max_length=50)


class HearingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hearing_at: datetime
    hearing_link: str = Field(max_length=500, pattern=r"^https://\S+$")
    note: str | None = Field(None, min_length=1, max_length=4000)


async def _step(rpc: RpcClient, context: CallContext, application_id: str, action: str,
                body: BaseModel | None = None) -> dict:
    payload = {"application_id": application_id, "action": action,
               **(body.model_dump(mode="json", exclude_none=True) if body else {})}
    return await rpc.call("registry", "transition_application", payload, context=context)


@router.post("", name="applications.create", response_model=ApplicationOut,
             status_code=status.HTTP_201_CREATED,
             summary="Start an application as a draft (the form may be partial)")
async def create_application(body: CreateApplicationV1, rpc: RpcDep,
                             context: IdempotentCallContextDep) -> dict:
    return await rpc.call("registry", "create_application", body.wire(), context=context)


@router.get("", name="applications.list", response_model=ApplicationPageOut,
            summary="Applications you may see, newest first (or soonest deadline first: "
                    "order=deadline), with time left")
async def list_applications(
    rpc: RpcDep, context: CallContextDep,
    stage: ApplicationStage | None = None, kind: ApplicationKind | None = None,
    office_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    overdue: bool | None = None,
    order: Literal["newest", "deadline"] = "newest",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"stage": stage, "kind": kind, "office_id": office_id, "overdue": overdue,
               "order": order, "limit": limit, "offset": offset_of(cursor)}
    return as_page(await rpc.call("registry", "list_applications", payload, context=context))


@router.get("/{application_id}", name="applications.get", response_model=ApplicationOut,
            summary="The status tracker of one application",
            responses={404: {"description": "No such application, or not yours"}})
async def get_application(application_id: ApplicationId, rpc: RpcDep,
                          context: CallContextDep) -> dict:
    return await rpc.call("registry", "get_application", {"application_id": application_id},
                          context=context)


@router.get("/{application_id}/audit", name="applications.audit",
            response_model=AuditPageOut,
            summary="Who did what to the application, newest first (its audit trail)",
            responses={404: {"description": "No such application, or not your office's"}})
async def application_audit(
    application_id: ApplicationId, rpc: RpcDep, context: CallContextDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: CursorQuery = None,
) -> dict:
    return as_page(await rpc.call("registry", "application_audit",
                                  {"application_id": application_id, "limit": limit,
                                   "offset": offset_of(cursor)}, context=context))


@router.put("/{application_id}/draft", name="applications.save_draft",
            response_model=ApplicationOut,
            summary="Save the draft's form (partial saves are fine until submission)")
async def save_draft(application_id: ApplicationId, body: DraftIn, rpc: RpcDep,
                     context: IdempotentCallContextDep) -> dict:
    return await rpc.call("registry", "save_draft",
                          {"application_id": application_id, "data": body.data},
                          context=context)


@router.post("/{application_id}/promoters", name="applications.verify_promoter",
             response_model=PromoterOut,
             summary="E-verify a promoter (Aadhaar e-KYC); the outcome is kept either way")
async def verify_promoter(application_id: ApplicationId, body: PromoterIn, rpc: RpcDep,
                          context: IdempotentCallContextDep) -> dict:
    return await rpc.call("registry", "verify_promoter",
                          {"application_id": application_id, **body.model_dump()},
                          context=context)


@router.post("/{application_id}/submit", name="applications.submit",
             response_model=ApplicationOut,
             summary="Submit: the form is checked in full and every promoter must be verified")
async def submit(application_id: ApplicationId, rpc: RpcDep,
                 context: IdempotentCallContextDep) -> dict:
    return await _step(rpc, context, application_id, "submit")


@router.post("/{application_id}/take-up", name="applications.take_up",
             response_model=ApplicationOut, summary="Take the application up for scrutiny")
async def take_up(application_id: ApplicationId, rpc: RpcDep,
                  context: IdempotentCallContextDep, body: NoteIn | None = None) -> dict:
    return await _step(rpc, context, application_id, "take_up", body)


@router.post("/{application_id}/query", name="applications.raise_query",
             response_model=ApplicationOut, summary="Raise a query to the applicant")
async def raise_query(application_id: ApplicationId, body: RequiredNoteIn, rpc: RpcDep,
                      context: IdempotentCallContextDep) -> dict:
    return await _step(rpc, context, application_id, "raise_query", body)


@router.post("/{application_id}/reply", name="applications.reply",
             response_model=ApplicationOut, summary="Answer the office's query")
async def reply(application_id: ApplicationId, body: ReplyIn, rpc: RpcDep,
                context: IdempotentCallContextDep) -> dict:
    return await _step(rpc, context, application_id, "reply", body)


@router.post("/{application_id}/hearing", name="applications.schedule_hearing",
             response_model=ApplicationOut,
             summary="Schedule (or move) the hearing: date and virtual meeting link")
async def schedule_hearing(application_id: ApplicationId, body: HearingIn, rpc: RpcDep,
                           context: IdempotentCallContextDep) -> dict:
    return await _step(rpc, context, application_id, "schedule_hearing", body)


@router.post("/{application_id}/approve", name="applications.approve",
             response_model=ApplicationOut,
             summary="Approve: a registration creates the society and allots its number")
async def approve(application_id: ApplicationId, rpc: RpcDep,
                  context: IdempotentCallContextDep, body: NoteIn | None = None) -> dict:
    return await _step(rpc, context, application_id, "approve", body)


@router.post("/{application_id}/reject", name="applications.reject",
             response_model=ApplicationOut, summary="Reject, with the reasons")
async def reject(application_id: ApplicationId, body: RequiredNoteIn, rpc: RpcDep,
                 context: IdempotentCallContextDep) -> dict:
    return await _step(rpc, context, application_id, "reject", body)
