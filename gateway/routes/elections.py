"""Election routes: the CEA's order and its programme (create, read, amend, which stage
is open), booth officers, the nominations as filed for the officers' scrutiny (the
public list under ``elections_nominations`` is anonymous, so shows nothing before the
display), the office bearers' meeting as the RO records it, the election's audit
trail, and the rehearsal clock. Other
parts of the workflow have their own modules (``elections_voters``,
``elections_nominations``, ``elections_counting``) under the same prefix.

The RO's and AROs' grants name their election (``election:<id>``): another election
answers 404. The order and programme as published are public (the society's website and
notice board carry them, seed 003 para 17)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.pagination import CursorQuery, as_page, offset_of, page_model
from services.common.contracts import elections as contracts
from services.common.contracts import elections_counting as counting
from services.common.contracts import elections_nominations as nominations
from services.common.contracts.platform import AuditPageV1

router = APIRouter(prefix="/v1/elections", tags=["elections"])

# The services' pages as the HTTP API answers them (gateway/pagination.py).
ElectionPageOut = page_model(contracts.ElectionPageV1, "ElectionPageOut")
AuditPageOut = page_model(AuditPageV1, "AuditPageOut")
FiledNominationPageOut = page_model(nominations.NominationPageV1, "FiledNominationPageOut")


def nomination_filters(
    contest: Annotated[Literal["board", "office_bearer"] | None, Query()] = None,
    category: Annotated[str | None, Query(pattern=r"^[a-z_]{1,32}$")] = None,
    nomination_status: Annotated[
        Literal["filed", "accepted", "rejected", "withdrawn"] | None,
        Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: CursorQuery = None,
) -> dict[str, Any]:
    """The filters of a list of nominations (the public one and the officers')."""
    return {"contest": contest, "category": category, "status": nomination_status,
            "limit": limit, "offset": offset_of(cursor)}


NominationFilters = Annotated[dict[str, Any], Depends(nomination_filters)]

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


class ObDrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    winners: list[Annotated[str, Field(pattern=r"^[0-9a-f-]{36}$")]] = Field(
        min_length=1, max_length=10)
    note: str = Field(min_length=3, max_length=4000,
                      description="The draw of lots as held: who drew, before whom")


class ObPostIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    votes: dict[Annotated[str, Field(pattern=r"^[0-9a-f-]{36}$")],
                Annotated[int, Field(ge=0, le=10_000_000)]] = Field(
        min_length=1, max_length=100,
        description="Votes per candidate (nomination id) on the post's final contesting "
                    "list, 0 if none")
    draw: ObDrawIn | None = None


class ObMeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meeting_at: datetime = Field(description="When the meeting was held (with its zone)")
    venue: str = Field(min_length=1, max_length=500)
    directors_present: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=1000,
        description="Membership numbers of the elected directors present")
    chaired_by_ro: bool = True
    chair_name: str | None = Field(None, min_length=1, max_length=200)
    posts: dict[Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")], ObPostIn] = Field(
        default_factory=dict, max_length=10,
        description="Each contested post's votes (posts filled unopposed take none)")


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


@router.put("/{election_id}/office-bearers/meeting", name="elections.record_ob_meeting",
            response_model=counting.ObMeetingV1,
            summary="The RO records the office bearers' meeting (rule 19N): when, where, "
                    "the elected directors present, the chair, the votes per contested "
                    "post; Form 19N is printed from it",
            responses={409: {"description": "Before the board's declaration or the "
                                            "meeting's window, with Form 19N submitted, "
                                            "or after the office bearers' declaration"},
                       422: {"description": "Each refused input named with its rule; "
                                            "nothing is kept"}})
async def record_ob_meeting(election_id: ElectionId, body: ObMeetingIn, rpc: RpcDep,
                            context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "record_ob_meeting",
                          {"election_id": election_id, **body.model_dump(mode="json")},
                          context=context)


@router.get("/{election_id}/office-bearers/meeting", name="elections.ob_meeting",
            response_model=counting.ObMeetingV1,
            summary="The office bearers' meeting as recorded, with the result by post",
            responses={404: {"description": "No meeting recorded, no such election, or "
                                            "not yours"}})
async def ob_meeting(election_id: ElectionId, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("elections", "get_ob_meeting", {"election_id": election_id},
                          context=context)


@router.get("/{election_id}/scrutiny/nominations", name="elections.scrutiny_nominations",
            response_model=FiledNominationPageOut,
            summary="The nominations as filed, for the election's officers and the CEA, "
                    "from the first filing (before the display too), with the mobile "
                    "numbers and permission documents the public list leaves out",
            responses={404: {"description": "No such election, or not yours"}})
async def scrutiny_nominations(election_id: ElectionId, filters: NominationFilters,
                               rpc: RpcDep, context: CallContextDep) -> dict:
    return as_page(await rpc.call("elections", "list_nominations",
                                  {"election_id": election_id, **filters}, context=context))
