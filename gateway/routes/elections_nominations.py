"""Election routes of the nominations part of the workflow: filing, the notice board's
list, the display of nominations received, the RO's scrutiny, withdrawal, the lists of
valid nominations and contesting candidates, and the CEA's disqualification orders
(not tied to one election: they follow the person to every society).

Filing and withdrawal are open to the election's officers and to the society's
representative (the service checks the society); the lists are public once published."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.pagination import CursorQuery, as_page, offset_of, page_model
from gateway.routes.elections import ElectionId, NominationFilters
from services.common.contracts import elections_nominations as contracts

router = APIRouter(prefix="/v1/elections", tags=["elections"])

# The services' pages as the HTTP API answers them (gateway/pagination.py).
DisqualificationPageOut = page_model(contracts.DisqualificationPageV1, "DisqualificationPageOut")
NominationPageOut = page_model(contracts.NominationPageV1, "NominationPageOut")

NominationId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]
ContestQuery = Annotated[Literal["board", "office_bearer"], Query()]
_member = dict(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9/._-]{1,32}$")
_doc = dict(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")


class NominationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contest: Literal["board", "office_bearer"] = "board"
    category: str = Field(pattern=r"^[a-z_]{1,32}$")
    membership_number: str = Field(**_member)
    candidate_name: str = Field(min_length=1, max_length=200)
    relative_name: str | None = Field(None, min_length=1, max_length=200)
    address: str | None = Field(None, min_length=1, max_length=500)
    mobile: str | None = Field(None, pattern=r"^\+?[0-9]{10,15}$")
    aadhaar: str = Field(pattern=r"^[2-9][0-9]{11}$",
                         description="Digested with the service's key; never stored")
    proposer_number: str | None = Field(None, **_member)
    seconder_number: str | None = Field(None, **_member)
    central_govt_employee: bool = False
    permission_document_id: str | None = Field(None, **_doc)
    bank_director_since: date | None = None
    director_kind: Literal["elected", "nominated", "co-opted"] | None = None


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "reject"]
    reasons: list[Annotated[str, Field(min_length=3, max_length=4000)]] = Field(
        default_factory=list, max_length=20)


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_ids: list[Annotated[str, Field(**_doc)]] = Field(default_factory=list,
                                                              max_length=10)


class ContestingIn(PublishIn):
    contest: Literal["board", "office_bearer"] = "board"


class DisqualificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    aadhaar: str | None = Field(None, pattern=r"^[2-9][0-9]{11}$")
    name: str | None = Field(None, min_length=1, max_length=200)
    nomination_id: str | None = Field(None, **_doc)
    rule: str = Field(pattern=r"^[0-9A-Za-z().-]{1,16}$")
    order_ref: str = Field(min_length=1, max_length=64)
    order_date: date
    until: date | None = None
    reason: str = Field(min_length=3, max_length=4000)


@router.post("/disqualifications", name="elections.nominations.record_disqualification",
             response_model=contracts.DisqualificationV1,
             status_code=status.HTTP_201_CREATED,
             summary="The CEA's disqualification order (rule 19V: 3 years from the order); "
                     "scrutiny in every later election enforces it")
async def record_disqualification(body: DisqualificationIn, rpc: RpcDep,
                                  context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "record_disqualification",
                          body.model_dump(mode="json", exclude_none=True), context=context)


@router.get("/disqualifications",
            name="elections.nominations.list_disqualifications",
            response_model=DisqualificationPageOut,
            summary="Disqualification orders, newest first (optionally those in force on "
                    "a date)")
async def list_disqualifications(
    rpc: RpcDep, context: CallContextDep,
    in_force_on: date | None = None,
    rule: Annotated[str | None, Query(pattern=r"^[0-9A-Za-z().-]{1,16}$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"in_force_on": in_force_on.isoformat() if in_force_on else None,
               "rule": rule, "limit": limit, "offset": offset_of(cursor)}
    return as_page(await rpc.call("elections", "list_disqualifications", payload, context=context))


@router.post("/{election_id}/nominations", name="elections.nominations.file",
             response_model=contracts.NominationV1, status_code=status.HTTP_201_CREATED,
             summary="File a nomination: only voters on the final list stand (office "
                     "bearers: directors elected in the approved Form 19M)")
async def file_nomination(election_id: ElectionId, body: NominationIn, rpc: RpcDep,
                          context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "file_nomination",
                          {"election_id": election_id, **body.model_dump(mode="json")},
                          context=context)


@router.get("/{election_id}/nominations", name="elections.nominations.list",
            response_model=NominationPageOut,
            summary="Nominations received (officers always; anyone once displayed)")
async def list_nominations(election_id: ElectionId, filters: NominationFilters,
                           rpc: RpcDep, context: CallContextDep) -> dict:
    return as_page(await rpc.call("elections", "list_nominations",
                                  {"election_id": election_id, **filters}, context=context))


@router.post("/{election_id}/nominations/display", name="elections.nominations.display",
             response_model=contracts.PublicationV1,
             summary="The RO displays the nominations received")
async def publish_nominations(election_id: ElectionId, rpc: RpcDep,
                              context: IdempotentCallContextDep,
                              body: PublishIn | None = None) -> dict:
    body = body or PublishIn()
    return await rpc.call("elections", "publish_nominations",
                          {"election_id": election_id, **body.model_dump()}, context=context)


@router.post("/{election_id}/nominations/valid-list",
             name="elections.nominations.publish_valid",
             response_model=contracts.PublicationV1,
             summary="The RO publishes the valid nominations (every one decided)")
async def publish_valid(election_id: ElectionId, rpc: RpcDep,
                        context: IdempotentCallContextDep,
                        body: PublishIn | None = None) -> dict:
    body = body or PublishIn()
    return await rpc.call("elections", "publish_valid_nominations",
                          {"election_id": election_id, **body.model_dump()}, context=context)


@router.post("/{election_id}/nominations/contesting-list",
             name="elections.nominations.publish_contesting",
             response_model=contracts.PublicationV1,
             summary="The RO publishes the contesting candidates: unopposed categories "
                     "and vacant seats")
async def publish_contesting(election_id: ElectionId, rpc: RpcDep,
                             context: IdempotentCallContextDep,
                             body: ContestingIn | None = None) -> dict:
    body = body or ContestingIn()
    return await rpc.call("elections", "publish_contesting_list",
                          {"election_id": election_id, **body.model_dump()}, context=context)


@router.get("/{election_id}/nominations/contesting",
            name="elections.nominations.contesting", response_model=contracts.ContestV1,
            summary="Contesting candidates by category with the summary (officers always; "
                    "anyone once published)")
async def contesting(election_id: ElectionId, rpc: RpcDep, context: CallContextDep,
                     contest: ContestQuery = "board") -> dict:
    return await rpc.call("elections", "contesting_candidates",
                          {"election_id": election_id, "contest": contest}, context=context)


@router.get("/{election_id}/nominations/{nomination_id}", name="elections.nominations.get",
            response_model=contracts.NominationV1,
            summary="One nomination with its scrutiny reasons")
async def get_nomination(election_id: ElectionId, nomination_id: NominationId, rpc: RpcDep,
                         context: CallContextDep) -> dict:
    return await rpc.call("elections", "get_nomination",
                          {"election_id": election_id, "nomination_id": nomination_id},
                          context=context)


@router.post("/{election_id}/nominations/{nomination_id}/decision",
             name="elections.nominations.decide", response_model=contracts.DecisionV1,
             summary="The RO's scrutiny: accept, or reject with reasons (a proven "
                     "disqualification forces rejection)")
async def decide(election_id: ElectionId, nomination_id: NominationId, body: DecisionIn,
                 rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "decide_nomination",
                          {"election_id": election_id, "nomination_id": nomination_id,
                           **body.model_dump()}, context=context)


@router.post("/{election_id}/nominations/{nomination_id}/withdrawal",
             name="elections.nominations.withdraw", response_model=contracts.NominationV1,
             summary="Withdraw an accepted nomination in the withdrawal window")
async def withdraw(election_id: ElectionId, nomination_id: NominationId, rpc: RpcDep,
                   context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "withdraw_nomination",
                          {"election_id": election_id, "nomination_id": nomination_id},
                          context=context)
