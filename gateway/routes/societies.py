"""Society routes: the public directory and a society's public page (anyone), its full
register entry and bye-law versions (its own people and the registrar's offices), and who
you act as for a society.

Public answers are the same for every caller, so the gateway keeps each one for a few
seconds (``GATEWAY_DIRECTORY_CACHE_SECONDS``, default 5; 0 turns it off;
gateway/public_answers.py) and lets clients and proxies do the same
(``Cache-Control: public``); an expired answer is served once more while one call
refreshes it. A registration shows in the directory at most twice
that many seconds late; every other route reads the registry directly.
docs/adr/0007 has the measurements.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel

from gateway.access import ActorDep
from gateway.deps import CallContextDep, RpcDep
from gateway.identity.roles import SCOPE_ID_PATTERN
from services.common.contracts.registry import (
    PublicSocietyPageV1,
    PublicSocietyV1,
    SocietyStatus,
    SocietyType,
    SocietyV1,
)

router = APIRouter(prefix="/v1/societies", tags=["societies"])

def _public_response(body: bytes, ttl: float) -> Response:
    headers = {"Cache-Control": f"public, max-age={int(ttl)}"} if ttl > 0 else {}
    return Response(body, media_type="application/json", headers=headers)

SocietyId = Annotated[str, Path(min_length=1, max_length=64, pattern=SCOPE_ID_PATTERN)]


class SocietyAccessOut(BaseModel):
    society_id: str
    role: str
    scope: str | None


class DirectoryPageOut(BaseModel):
    items: list[PublicSocietyV1]
    next_cursor: str | None


class ByeLawVersionOut(BaseModel):
    version: int
    document_ids: list[str]
    adopted_on: str
    application_id: str | None


class ByeLawsOut(BaseModel):
    society_id: str
    current_version: int | None
    versions: list[ByeLawVersionOut]


@router.get("", name="societies.search", response_model=DirectoryPageOut,
            summary="The public directory: search by the beginning of the name, number, "
                    "state, district, type, status; sorted by name, paginated with "
                    "next_cursor")
async def search_societies(
    request: Request, rpc: RpcDep, context: CallContextDep,
    q: Annotated[str | None, Query(min_length=2, max_length=100,
                                   description="the beginning of the name")] = None,
    registration_number: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    state: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    district: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    type: SocietyType | None = None,
    status: SocietyStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    # Plain query parameters, not a query model: FastAPI resolves a model per request
    # at several times the cost, and a stored answer needs no model at all. The limits
    # above are the contract's (SearchSocietiesV1), checked here for the 422 and once
    # more by the registry, which owns them; the answer goes out as the registry built
    # it, not validated again (docs/adr/0007).
    payload = {"q": q, "registration_number": registration_number, "state": state,
               "district": district, "type": type, "status": status, "limit": limit,
               "cursor": cursor}
    payload = {k: v for k, v in payload.items() if v is not None}
    ttl = request.app.state.settings.directory_cache_seconds
    key = "search:" + "&".join(f"{k}={v}" for k, v in payload.items())
    body = await request.app.state.public_answers.get(key, ttl, lambda: rpc.call(
        "registry", "search_societies", payload, context=context))
    return _public_response(body, ttl)


@router.get("/{society_id}", name="societies.get", response_model=PublicSocietyPageV1,
            summary="A society's basic details and the board its elections declared "
                    "(public)",
            responses={404: {"description": "No such society"}})
async def get_public_society(society_id: SocietyId, request: Request, rpc: RpcDep,
                             context: CallContextDep) -> Response:
    ttl = request.app.state.settings.directory_cache_seconds
    body = await request.app.state.public_answers.get(f"society:{society_id}", ttl,
                                                      lambda: rpc.call(
        "registry", "get_public_society", {"society_id": society_id}, context=context))
    return _public_response(body, ttl)


@router.get("/{society_id}/register-entry", name="societies.register_entry",
            response_model=SocietyV1,
            summary="The full register entry: board seats, office bearers, contacts, "
                    "branches, bye-law version",
            responses={404: {"description": "No such society, or not yours"}})
async def get_society(society_id: SocietyId, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("registry", "get_society", {"society_id": society_id},
                          context=context)


@router.get("/{society_id}/bye-laws", name="societies.bye_laws", response_model=ByeLawsOut,
            summary="Every version of the society's bye-laws with its documents",
            responses={404: {"description": "No such society, or not yours"}})
async def society_bye_laws(society_id: SocietyId, rpc: RpcDep,
                           context: CallContextDep) -> dict:
    return await rpc.call("registry", "society_bye_laws", {"society_id": society_id},
                          context=context)


@router.get("/{society_id}/access", name="societies.access", response_model=SocietyAccessOut,
            summary="The role and scope you act with for this society",
            responses={404: {"description": "No such society, or not yours"}})
async def society_access(society_id: SocietyId, actor: ActorDep) -> SocietyAccessOut:
    assert actor.role is not None
    return SocietyAccessOut(society_id=society_id, role=actor.role, scope=actor.scope)
