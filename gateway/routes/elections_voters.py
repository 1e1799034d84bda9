"""Election routes of the voters part of the workflow: the draw of the voter list from
the member register (as on 31 March of the previous financial year), its provisional
and final publication, objections and the RO's scrutiny of them, the list as it stands
(officers, the CEA, the society's representative) and the published lists, page by
page or as CSV (anyone: the list is posted on the society's website and notice board,
seed 003 paras 12 and 17)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.pagination import CursorQuery, after_of, as_page, offset_of, page_model
from gateway.routes.elections import ElectionId
from services.common.contracts import elections_voters as contracts
from services.common.errors import InvalidInput

router = APIRouter(prefix="/v1/elections", tags=["elections"])

# The services' pages as the HTTP API answers them (gateway/pagination.py).
VoterPageOut = page_model(contracts.VoterPageV1, "VoterPageOut")
ObjectionPageOut = page_model(contracts.ObjectionPageV1, "ObjectionPageOut")
VoterListPageOut = page_model(contracts.VoterListPageV1, "VoterListPageOut")

ObjectionId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]
ListKind = Annotated[Literal["provisional", "final"], Path()]
_member = dict(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9/._-]{1,32}$")
_doc = dict(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")
CSV_COLUMNS = ("serial_no", "membership_number", "name", "category", "booth")
_NOT_FOUND = {404: {"description": "No such election, or not yours"}}


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["provisional", "final"]
    document_ids: list[Annotated[str, Field(**_doc)]] = Field(default_factory=list,
                                                              max_length=10)


class ObjectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["add", "delete", "correct"]
    membership_number: str = Field(**_member)
    name: str | None = Field(None, min_length=1, max_length=200,
                             description="Additions: the member's name; corrections: the "
                                         "corrected name")
    category: Literal["individual", "firm", "society"] | None = None
    grounds: contracts.Grounds  # stripped, at least 3 characters left: the service's rule
    filed_by_member: str | None = Field(None, description="The objecting member's number",
                                        **_member)


class ObjectionDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["upheld", "dismissed"]
    reason: str = Field(min_length=3, max_length=4000)


@router.post("/{election_id}/voter-list/draw", name="elections.voters.draw",
             response_model=contracts.VoterListStatusV1,
             status_code=status.HTTP_202_ACCEPTED, responses=_NOT_FOUND,
             summary="The RO or an ARO has the voter list drawn from the register as on "
                     "31 March of the previous financial year (once; a job: follow it at "
                     "GET .../voter-list)")
async def draw_voter_list(election_id: ElectionId, rpc: RpcDep,
                          context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "draw_voter_list", {"election_id": election_id},
                          context=context)


@router.get("/{election_id}/voter-list", name="elections.voters.status",
            response_model=contracts.VoterListStatusV1, responses=_NOT_FOUND,
            summary="The draw (drawing, drawn, failed), its counts by category, and when "
                    "the provisional and final lists were published")
async def voter_list_status(election_id: ElectionId, rpc: RpcDep,
                            context: CallContextDep) -> dict:
    return await rpc.call("elections", "voter_list_status", {"election_id": election_id},
                          context=context)


@router.post("/{election_id}/voter-list/publish", name="elections.voters.publish",
             response_model=contracts.VoterListPublishedV1, responses=_NOT_FOUND,
             summary="The RO publishes the provisional list (once drawn) or the final list "
                     "(once every objection is decided), each in its window")
async def publish_voter_list(election_id: ElectionId, body: PublishIn, rpc: RpcDep,
                             context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "publish_voter_list",
                          {"election_id": election_id, **body.model_dump()}, context=context)


@router.get("/{election_id}/voter-list/{kind}/entries", name="elections.voters.page",
            response_model=VoterListPageOut,
            responses={404: {"description": "No such election, or the list is not "
                                            "published"}},
            summary="A published list (anyone), a page at a time in serial order")
async def voter_list_page(
    election_id: ElectionId, kind: ListKind, rpc: RpcDep, context: CallContextDep,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=contracts.MAX_PAGE)] = 1000,
) -> dict:
    return as_page(await rpc.call("elections", "voter_list_page",
                                  {"election_id": election_id, "kind": kind,
                                   "after": after_of(cursor, int), "limit": limit},
                                  context=context))


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


@router.get("/{election_id}/voter-list/{kind}/export.csv", name="elections.voters.export",
            response_class=StreamingResponse,
            responses={404: {"description": "No such election, or the list is not "
                                            "published"}},
            summary="A published list (anyone) as CSV: serial number, membership number, "
                    "name, category, booth (empty until assigned); streamed page by page")
async def export_voter_list(election_id: ElectionId, kind: ListKind, rpc: RpcDep,
                            context: CallContextDep) -> StreamingResponse:
    def page_call(after: int | None):
        return rpc.call("elections", "voter_list_page",
                        {"election_id": election_id, "kind": kind, "after": after,
                         "limit": contracts.MAX_PAGE}, context=context)

    # The first page before the answer starts: a refusal is still a proper error.
    first = await page_call(None)

    async def lines() -> AsyncIterator[str]:
        page = first
        yield _csv_line(list(CSV_COLUMNS))
        while True:
            yield "".join(_csv_line([item[c] for c in CSV_COLUMNS]) for item in page["items"])
            if page["next"] is None:
                return
            page = await page_call(page["next"])

    name = f"voters-{first['number'].replace('/', '-')}-{kind}.csv"
    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/{election_id}/voters", name="elections.voters.list",
            response_model=VoterPageOut, responses=_NOT_FOUND,
            summary="The voter list as it stands (the election's officers, the CEA, the "
                    "society's representative): by category, name or number prefix")
async def list_voters(
    election_id: ElectionId, rpc: RpcDep, context: CallContextDep,
    category: Annotated[Literal["individual", "firm", "society"] | None, Query()] = None,
    # No NUL: PostgreSQL cannot compare text holding one (was a 502).
    q: Annotated[str | None, Query(min_length=1, max_length=100, pattern=r"^[^\x00]+$")] = None,
    include_struck_off: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"election_id": election_id, "category": category, "q": q,
               "include_struck_off": include_struck_off, "limit": limit,
               "offset": offset_of(cursor)}
    return as_page(await rpc.call("elections", "list_voters", payload, context=context))


@router.post("/{election_id}/objections", name="elections.voters.file_objection",
             response_model=contracts.ObjectionV1, status_code=status.HTTP_201_CREATED,
             responses=_NOT_FOUND,
             summary="An objection to the provisional list (add, delete, correct), filed "
                     "by the society's representative or recorded by the RO or an ARO in "
                     "the objections window; no addition or deletion from 30 days before "
                     "the poll (rule 19I(1))")
async def file_objection(election_id: ElectionId, body: ObjectionIn, rpc: RpcDep,
                         context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "file_objection",
                          {"election_id": election_id,
                           **body.model_dump(exclude_none=True)}, context=context)


@router.get("/{election_id}/objections", name="elections.voters.list_objections",
            response_model=ObjectionPageOut, responses=_NOT_FOUND,
            summary="Objections to the provisional list, oldest first, by status")
async def list_objections(
    election_id: ElectionId, rpc: RpcDep, context: CallContextDep,
    objection_status: Annotated[Literal["pending", "upheld", "dismissed"] | None,
                                Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"election_id": election_id, "status": objection_status, "limit": limit,
               "offset": offset_of(cursor)}
    return as_page(await rpc.call("elections", "list_objections", payload, context=context))


@router.post("/{election_id}/objections/{objection_id}/decision",
             name="elections.voters.decide_objection", response_model=contracts.ObjectionV1,
             responses=_NOT_FOUND,
             summary="The RO's decision on an objection in the scrutiny window: upheld "
                     "(the list changes) or dismissed, with reasons")
async def decide_objection(election_id: ElectionId, objection_id: ObjectionId,
                           body: ObjectionDecisionIn, rpc: RpcDep,
                           context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "decide_objection",
                          {"election_id": election_id, "objection_id": objection_id,
                           **body.model_dump()}, context=context)


# ----------------------------------------------------------------------------- booths


class BoothRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: Literal["serial_order"] = Field(
        description="serial_order: the voters on the list, in serial order, fill the "
                    "booths in booth-number order, each up to the voters the order gives it")


@router.post("/{election_id}/voter-list/booths", name="elections.voters.assign_booths",
             response_model=contracts.BoothAssignmentV1, responses=_NOT_FOUND,
             summary="The RO assigns every voter on the list to a booth by a rule "
                     "(serial order), from the provisional list's opening until the final "
                     "list is published or 30 days before the poll (rule 19I(1))")
async def assign_booths(election_id: ElectionId, body: BoothRuleIn, rpc: RpcDep,
                        context: IdempotentCallContextDep) -> dict:
    return await rpc.call("elections", "assign_voter_booths",
                          {"election_id": election_id, "rule": body.rule}, context=context)


async def _file_text(request: Request) -> str:
    """The CSV body as text (UTF-8, a byte-order mark dropped), at most the contract's
    size."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > contracts.MAX_BOOTH_FILE_CHARS:
            raise InvalidInput("The file is too large.", fields={
                "body": f"at most {contracts.MAX_BOOTH_FILE_CHARS:,} bytes"})
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The file is not UTF-8 text.",
                           fields={"body": "must be UTF-8 CSV"}) from None


@router.post("/{election_id}/voter-list/booths/file",
             name="elections.voters.assign_booths_file",
             response_model=contracts.BoothAssignmentV1,
             responses={**_NOT_FOUND, 422: {"description":
                        "Bad lines (each with its line, field and reason) and nothing "
                        "assigned, or voters of the list left out of the file"}},
             summary="The RO assigns voters to booths from a CSV body (text/csv: "
                     "membership_number, booth); all lines or none; "
                     "rest_in_serial_order=true places the voters it leaves out in "
                     "serial order",
             openapi_extra={"requestBody": {"required": True, "content": {"text/csv": {
                 "schema": {"type": "string", "description": "a header line naming "
                            "membership_number and booth, then one voter per line"}}}}})
async def assign_booths_file(election_id: ElectionId, request: Request, rpc: RpcDep,
                             context: IdempotentCallContextDep,
                             rest_in_serial_order: bool = False) -> dict:
    return await rpc.call("elections", "assign_voter_booths",
                          {"election_id": election_id, "rule": "file",
                           "csv": await _file_text(request),
                           "rest_in_serial_order": rest_in_serial_order}, context=context)


@router.get("/{election_id}/voter-list/booths", name="elections.voters.booths",
            response_model=contracts.BoothAssignmentV1, responses=_NOT_FOUND,
            summary="The voters' assignment to booths as it stands: the rule, each "
                    "booth's voters against the order's, the voters without a booth")
async def voter_booths(election_id: ElectionId, rpc: RpcDep,
                       context: CallContextDep) -> dict:
    return await rpc.call("elections", "voter_booths", {"election_id": election_id},
                          context=context)
