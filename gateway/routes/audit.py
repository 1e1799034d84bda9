"""Reading the audit trail where people look for it: a society's, an office's, a
filing's, one's own actions in a service, and an administrator's check of a service's
chain against its anchor (docs/chassis.md "Audit"). An application's, an election's and
a case's trails are beside their own routes; an administrator's whole trail of a service
is ``GET /v1/admin/audit/{service}/entries``.

Each service checks the scope itself and answers 404 out of scope. Pages are newest
first, asked with ``limit`` and ``cursor`` and answered with ``next_cursor``, as every list
(gateway/pagination.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from gateway.deps import CallContextDep, RpcDep
from gateway.identity.roles import SCOPE_ID_PATTERN
from gateway.pagination import CursorQuery, as_page, offset_of, page_model
from gateway.settings import DEFAULT_SERVICES
from services.common.contracts.platform import AuditAnchoredVerificationV1, AuditPageV1

router = APIRouter(tags=["audit"])

SocietyId = Annotated[str, Path(min_length=1, max_length=64, pattern=SCOPE_ID_PATTERN)]
OfficeId = Annotated[str, Path(min_length=1, max_length=64, pattern=SCOPE_ID_PATTERN)]
FilingId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]
Service = Annotated[Literal[DEFAULT_SERVICES], Path()]  # type: ignore[valid-type]
_NOT_YOURS = {404: {"description": "No such object, or not one you may read"}}
AuditPageOut = page_model(AuditPageV1, "AuditPageOut")


def _utc(moment: datetime | None) -> str | None:
    """In UTC, so the service reads any offset the client sent (one past ±15:59 too)."""
    if moment is None or moment.tzinfo is None:
        return moment.isoformat() if moment else None
    try:
        return moment.astimezone(UTC).isoformat()
    except OverflowError:  # beyond year 1 or 9999 in UTC: before or after every entry
        edge = datetime.min if moment.year < 5000 else datetime.max
        return edge.replace(tzinfo=UTC).isoformat()


def trail_filters(
    action: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    since: Annotated[datetime | None, Query(description="from this time (inclusive)")] = None,
    until: Annotated[datetime | None, Query(description="to this time (exclusive)")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="at most 100 per page")] = 50,
    cursor: CursorQuery = None,
) -> dict[str, Any]:
    query = {"action": action, "since": _utc(since), "until": _utc(until), "limit": limit,
             "offset": offset_of(cursor)}
    return {k: v for k, v in query.items() if v is not None}


Filters = Annotated[dict, Depends(trail_filters)]


@router.get("/v1/societies/{society_id}/audit", name="audit.society",
            response_model=AuditPageOut, responses=_NOT_YOURS,
            summary="Who did what to the society, its members and its applications")
async def society_audit(society_id: SocietyId, filters: Filters, rpc: RpcDep,
                        context: CallContextDep) -> dict:
    return as_page(await rpc.call("registry", "society_audit",
                          {"society_id": society_id, **filters}, context=context))


@router.get("/v1/offices/{office_id}/audit", name="audit.office",
            response_model=AuditPageOut, responses=_NOT_YOURS,
            summary="What was done under the office: its offices, societies, "
                    "applications and members")
async def office_audit(office_id: OfficeId, filters: Filters, rpc: RpcDep,
                       context: CallContextDep) -> dict:
    return as_page(await rpc.call("registry", "office_audit",
                          {"office_id": office_id, **filters}, context=context))


@router.get("/v1/filings/{filing_id}/audit", name="audit.filing",
            response_model=AuditPageOut, responses=_NOT_YOURS,
            summary="Who did what to the filing (its filer and the offices over it)")
async def filing_audit(filing_id: FilingId, filters: Filters, rpc: RpcDep,
                       context: CallContextDep) -> dict:
    return as_page(await rpc.call("filings", "filing_audit",
                          {"filing_id": filing_id, **filters}, context=context))


@router.get("/v1/me/audit/{service}", name="audit.mine", response_model=AuditPageOut,
            summary="What you did in one service, newest first")
async def my_audit(service: Service, filters: Filters, rpc: RpcDep,
                   context: CallContextDep) -> dict:
    return as_page(await rpc.call(service, "actor_audit", filters, context=context))


@router.get("/v1/admin/audit/{service}/verify", name="audit.verify",
            response_model=AuditAnchoredVerificationV1,
            summary="Walk a service's audit chain and compare it with its newest anchor "
                    "(ok, broken, truncated, rewritten, unanchored, anchor_unverifiable)")
async def verify_anchored(service: Service, rpc: RpcDep, context: CallContextDep) -> dict:
    kept = await rpc.call("documents", "audit_anchor", {"service": service},
                          context=context)
    return await rpc.call(service, "verify_audit_anchored",
                          {"anchor": kept.get("anchor")}, context=context)
