"""Registrar offices: the national -> state -> district hierarchy, each office's
registration-number format and the SLA rules that apply at it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.identity.roles import SCOPE_ID_PATTERN
from services.common.contracts.registry import OfficeInV1, SlaRuleInV1

router = APIRouter(prefix="/v1/offices", tags=["offices"])

OfficeId = Annotated[str, Path(min_length=1, max_length=64, pattern=SCOPE_ID_PATTERN)]


class OfficeOut(BaseModel):
    id: str
    name: str
    level: str
    parent_id: str | None
    state: str | None
    district: str | None
    number_format: str


class SlaOut(BaseModel):
    kind: str
    stage: str
    days: int
    due_soon_days: int
    source_office_id: str | None = None


class OfficeDetailOut(OfficeOut):
    sla: list[SlaOut]


class OfficeListOut(BaseModel):
    items: list[OfficeOut]


@router.get("", name="offices.list", response_model=OfficeListOut,
            summary="Every registrar office")
async def list_offices(rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("registry", "list_offices", {}, context=context)


@router.get("/{office_id}", name="offices.get", response_model=OfficeDetailOut,
            summary="An office, its number format and the SLA rules that apply at it")
async def get_office(office_id: OfficeId, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("registry", "get_office", {"office_id": office_id},
                          context=context)


@router.post("", name="offices.create", response_model=OfficeOut,
             status_code=status.HTTP_201_CREATED, summary="Add an office to the hierarchy")
async def create_office(body: OfficeInV1, rpc: RpcDep,
                        context: IdempotentCallContextDep) -> dict:
    return await rpc.call("registry", "create_office", body.wire(), context=context)


@router.put("/{office_id}/sla", name="offices.set_sla", response_model=SlaOut,
            summary="The office's own SLA days for one kind and stage (offices below "
                    "inherit it)")
async def set_sla(office_id: OfficeId, body: SlaRuleInV1, rpc: RpcDep,
                  context: IdempotentCallContextDep) -> dict:
    return await rpc.call("registry", "set_office_sla",
                          {"office_id": office_id, "rule": body.wire()}, context=context)
