"""Election routes: the CEA's order and its programme (create, read, amend, which stage
is open), booth officers, the election's audit trail, and the rehearsal clock. Other
parts of the workflow have their own modules (``elections_voters``,
``elections_nominations``, ``elections_counting``) under the same prefix.

The RO's and AROs' grants name their election (``election:<id>``): another election
answers 404. The order and programme as published are public (the society's website and
notice board carry them, seed 003 para 17)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.pagination import CursorQuery, as_page, offset_of, page_model
from services.common.contracts import elections as contracts
from services.common.contracts.platform import AuditPageV1

router = APIRouter(prefix="/v1/elections", tags=["elections"])

# The services' pages as the HTTP API answers them (gateway/pagination.py).
ElectionPageOut = page_model(contracts.ElectionPageV1, "ElectionPageOut")
AuditPageOut = page_model(AuditPageV1, "AuditPageOut")

ElectionId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]
BoothNumber = Annotated[int, Path(ge=1, le=100_000)]


class AmendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stages: list[contracts.StageInV1] = Field(min_length=1, max_length=40)
    reason: str = Field(min_length=3, max_length=4000)


class OfficerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)


class OfficerOut(BaseModel):
    booth_number: int
    account_id: str
    name: str


class ClockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: datetime


class ClockOut(BaseModel):
    now: str


@router.post("", name="elections.create", response_model=contracts.ElectionV1,
             status_code=status.HTTP_201_CREATED,
             summary="The CEA's order: society, Returning Officer, seats, posts, booths and "
                     "the programme (Annexure I), checked stage by stage")
async def create_election(body: contracts.CreateElectionV1, rpc: RpcDep,
                          context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "create_election", body.wire(), context=context)


@router.get("", name="elections.list", response_model=ElectionPageOut,
            summary="Elections you may see, newest first, with the stages open and overdue")
async def list_elections(
    rpc: RpcDep, context: CallContextDep,
    society_id: Annotated[str | None, Query(min_length=1, max_length=64,
                                            pattern=r"^[A-Za-z0-9._-]{1,64}$")] = None,
    election_status: Annotated[
        str | None, Query(alias="status",
                          pattern=r"^(ordered|board_declared|office_bearers_declared|"
                                  r"cancelled)$")] = None,
    stage_open: Annotated[str | None, Query(pattern=r"^[a-z0-9_]{1,40}$")] = None,
    stage: Annotated[str | None, Query(pattern=r"^[a-z0-9_]{1,40}$",
                                       description="the stage the programme has reached")
                     ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"society_id": society_id, "status": election_status,
               "stage_open": stage_open, "stage": stage, "limit": limit,
               "offset": offset_of(cursor)}
    return as_page(await rpc.call("elections", "list_elections", payload, context=context))


@router.put("/clock", name="elections.set_clock", response_model=ClockOut,
            summary="Rehearsals only: make the elections service's clock read a moment "
                    "(refused where the clock is real, and always in production)")
async def set_clock(body: ClockIn, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("elections", "set_clock", body.model_dump(mode="json"),
                          context=context)


@router.get("/dashboard", name="elections.dashboard", response_model=contracts.CeaDashboardV1,
            summary="The CEA's dashboard: elections by stage, stages overdue, approvals "
                    "waiting")
async def cea_dashboard(rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("elections", "cea_dashboard", {}, context=context)


@router.get("/{election_id}", name="elections.get", response_model=contracts.ElectionV1,
            summary="The order, its booths and officers, and the programme by the clock",
            responses={404: {"description": "No such election, or not yours"}})
async def get_election(election_id: ElectionId, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("elections", "get_election", {"election_id": election_id},
                          context=context)


@router.get("/{election_id}/public", name="elections.public",
            response_model=contracts.ElectionV1,
            summary="The order and programme as published (anyone)")
async def public_election(election_id: ElectionId, rpc: RpcDep,
                          context: CallContextDep) -> dict:
    return await rpc.call("elections", "public_election", {"election_id": election_id},
                          context=context)


@router.get("/{election_id}/programme", name="elections.programme",
            response_model=contracts.ProgrammeStatusV1,
            summary="Which stage is open now, what is next, what is overdue")
async def programme_status(election_id: ElectionId, rpc: RpcDep,
                           context: CallContextDep) -> dict:
    return await rpc.call("elections", "programme_status", {"election_id": election_id},
                          context=context)


@router.put("/{election_id}/programme", name="elections.amend_programme",
            response_model=contracts.ElectionV1,
            summary="The CEA moves stages that have not opened yet, with its reasons")
async def amend_programme(election_id: ElectionId, body: AmendIn, rpc: RpcDep,
                          context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "amend_programme",
                          {"election_id": election_id, **body.model_dump(mode="json")},
                          context=context)


@router.post("/{election_id}/booths/{booth_number}/officers",
             name="elections.assign_booth_officer", response_model=OfficerOut,
             status_code=status.HTTP_201_CREATED,
             summary="The RO assigns an officer to enter a booth's result")
async def assign_booth_officer(election_id: ElectionId, booth_number: BoothNumber,
                               body: OfficerIn, rpc: RpcDep,
                               context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "assign_booth_officer",
                          {"election_id": election_id, "booth_number": booth_number,
                           **body.model_dump()}, context=context)


@router.get("/{election_id}/audit", name="elections.audit", response_model=AuditPageOut,
            summary="Who did what in the election, newest first")
async def election_audit(
    election_id: ElectionId, rpc: RpcDep, context: CallContextDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: CursorQuery = None,
) -> dict:
    return as_page(await rpc.call("elections", "election_audit",
                                  {"election_id": election_id, "limit": limit,
                                   "offset": offset_of(cursor)},
                                  context=context))
