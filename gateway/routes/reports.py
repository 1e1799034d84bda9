"""Registry reports: societies by state, type, status and registration year; applications
by stage, kind and overdue. An office's figures include the offices below it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from gateway.deps import CallContextDep, RpcDep

router = APIRouter(prefix="/v1/reports", tags=["reports"])

OfficeFilter = Annotated[str | None, Query(min_length=1, max_length=64)]


class ReportOut(BaseModel):
    by: str
    rows: list[dict[str, Any]]
    total: int


@router.get("/societies", name="reports.societies", response_model=ReportOut,
            summary="Societies counted by state, type, status or registration year")
async def societies_report(
    rpc: RpcDep, context: CallContextDep,
    by: Literal["state", "type", "status", "registration_year"],
    office_id: OfficeFilter = None,
) -> dict:
    return await rpc.call("registry", "report_societies", {"by": by, "office_id": office_id},
                          context=context)


@router.get("/applications", name="reports.applications", response_model=ReportOut,
            summary="Applications counted by stage or kind; or open and overdue per office "
                    "and stage")
async def applications_report(
    rpc: RpcDep, context: CallContextDep, by: Literal["stage", "kind", "overdue"],
    office_id: OfficeFilter = None,
) -> dict:
    return await rpc.call("registry", "report_applications",
                          {"by": by, "office_id": office_id}, context=context)
