"""A society's member register: members, CSV import and export, snapshots as on a date.

Every route calls the registry; the register's rules (lengths, patterns, dates) are the
contract models the service reads too, so a bad field is a 422 here with the same
reason. Big answers never ride the bus whole: the export and the snapshot page through
``registry.list_members`` (keyset, MAX_PAGE members a call), and an upload is parsed as
it streams in and sent in chunks to a staged import job.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.identity.roles import SCOPE_ID_PATTERN
from gateway.pagination import CursorQuery, after_of, as_page, page_model
from services.common.contracts.registry_members import (
    IMPORT_REQUIRED_COLUMNS,
    MAX_IMPORT_CHUNK,
    MAX_PAGE,
    MAX_SEARCH_PAGE,
    Category,
    MemberChangesV1,
    MemberFieldsV1,
    MemberImportJobV1,
    MemberPageV1,
    MemberV1,
    PastDate,
    Reason,
    StatusFilter,
)
from services.common.errors import InvalidInput

router = APIRouter(prefix="/v1/societies", tags=["members"])
# The registry's page as the HTTP API answers it (gateway/pagination.py).
MemberPageOut = page_model(MemberPageV1, "MemberPageOut")

SocietyId = Annotated[str, Path(min_length=1, max_length=64, pattern=SCOPE_ID_PATTERN)]
MemberId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9-]{1,36}$")]
# A CSV record longer than this is not a member (and would let a client hold memory).
MAX_RECORD_CHARS = 4000
# Applying a large upload (checks and one insert of every row) outlasts an ordinary call.
FINISH_TIMEOUT_SECONDS = 60.0
EXPORT_COLUMNS = ("membership_number", "name", "category", "admission_date", "status",
                  "cessation_date", "cessation_reason", "phone", "email", "language",
                  "shares", "member_id")
_NOT_FOUND = {404: {"description": "No such society or member, or not yours"}}


class CessationIn(BaseModel):
    cessation_date: PastDate
    reason: Reason


def _service_payload(body: BaseModel, **ids: str) -> dict[str, Any]:
    return {**body.model_dump(mode="json", exclude_unset=True), **ids}


@router.post("/{society_id}/members", name="members.add", response_model=MemberV1,
             status_code=status.HTTP_201_CREATED, responses=_NOT_FOUND,
             summary="Admit a member")
async def add_member(society_id: SocietyId, body: MemberFieldsV1, rpc: RpcDep,
                     context: IdempotentCallContextDep) -> dict[str, Any]:
    return await rpc.call("registry", "add_member",
                          {**body.model_dump(mode="json"), "society_id": society_id},
                          context=context)


@router.get("/{society_id}/members", name="members.search", response_model=MemberPageOut,
            responses=_NOT_FOUND, summary="Search the current register")
async def search_members(
    society_id: SocietyId, rpc: RpcDep, context: CallContextDep,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    category: Category | None = None, status_: Annotated[StatusFilter, Query(
        alias="status")] = "any",
    admitted_from: date | None = None, admitted_to: date | None = None,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_PAGE)] = 50,
) -> dict[str, Any]:
    payload = {"society_id": society_id, "q": q, "category": category, "status": status_,
               "admitted_from": admitted_from and admitted_from.isoformat(),
               "admitted_to": admitted_to and admitted_to.isoformat(),
               "after": after_of(cursor, str),
               "limit": limit}
    return as_page(await rpc.call("registry", "search_members", payload, context=context))


def _list_payload(society_id: str, as_on: date | None, category: str | None, status_: str,
                  after: str | None, limit: int) -> dict[str, Any]:
    return {"society_id": society_id, "as_on": as_on and as_on.isoformat(),
            "filters": {"category": category, "status": status_}, "after": after,
            "limit": limit}


@router.get("/{society_id}/members/snapshot", name="members.snapshot",
            response_model=MemberPageOut, responses=_NOT_FOUND,
            summary="The register as on a date, a page at a time (voter lists: 31 March)")
async def snapshot(
    society_id: SocietyId, as_on: date, rpc: RpcDep, context: CallContextDep,
    category: Category | None = None,
    status_: Annotated[StatusFilter, Query(alias="status")] = "active",
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000,
) -> dict[str, Any]:
    return as_page(await rpc.call("registry", "list_members",
                                  _list_payload(society_id, as_on, category, status_,
                                                after_of(cursor, str), limit),
                                  context=context))


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


@router.get("/{society_id}/members/export.csv", name="members.export",
            response_class=StreamingResponse, responses=_NOT_FOUND,
            summary="The register (now, or as on a date) as CSV, streamed")
async def export_members(
    society_id: SocietyId, rpc: RpcDep, context: CallContextDep,
    as_on: date | None = None, category: Category | None = None,
    status_: Annotated[StatusFilter, Query(alias="status")] = "any",
) -> StreamingResponse:
    def page_call(after: str | None):
        return rpc.call("registry", "list_members",
                        _list_payload(society_id, as_on, category, status_, after, MAX_PAGE),
                        context=context)

    # The first page before the answer starts: a refusal is still a proper error.
    first = await page_call(None)

    async def lines() -> AsyncIterator[str]:
        page = first
        yield _csv_line(list(EXPORT_COLUMNS))
        while True:
            yield "".join(_csv_line([item[c] for c in EXPORT_COLUMNS])
                          for item in page["items"])
            if page["next"] is None:
                return
            page = await page_call(page["next"])

    name = f"members-{society_id}-{as_on.isoformat() if as_on else 'current'}.csv"
    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/{society_id}/members/{member_id}", name="members.get", response_model=MemberV1,
            responses=_NOT_FOUND, summary="One member as the register holds them now")
async def get_member(society_id: SocietyId, member_id: MemberId, rpc: RpcDep,
                     context: CallContextDep) -> dict[str, Any]:
    return await rpc.call("registry", "get_member",
                          {"society_id": society_id, "member_id": member_id},
                          context=context)


@router.patch("/{society_id}/members/{member_id}", name="members.update",
              response_model=MemberV1, responses=_NOT_FOUND,
              summary="Change a member's details from a date on (history is kept)")
async def update_member(society_id: SocietyId, member_id: MemberId, body: MemberChangesV1,
                        rpc: RpcDep, context: IdempotentCallContextDep) -> dict[str, Any]:
    payload = _service_payload(body, society_id=society_id, member_id=member_id)
    return await rpc.call("registry", "update_member", payload, context=context)


@router.post("/{society_id}/members/{member_id}/cease", name="members.cease",
             response_model=MemberV1, responses=_NOT_FOUND,
             summary="End a membership from a date (the member stays in the register)")
async def cease_member(society_id: SocietyId, member_id: MemberId, body: CessationIn,
                       rpc: RpcDep, context: IdempotentCallContextDep) -> dict[str, Any]:
    payload = _service_payload(body, society_id=society_id, member_id=member_id)
    return await rpc.call("registry", "cease_member", payload, context=context)


# ----------------------------------------------------------------------------- import


async def _records(request: Request) -> AsyncIterator[tuple[int, list[str]]]:
    """(first line number, cells) of each CSV record, parsed as the body streams in; a
    quoted cell may span lines. Decodes UTF-8 (a byte-order mark is dropped)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending, start, line = "", 1, 0
    rest = ""
    async for chunk in request.stream():
        try:
            rest += decoder.decode(chunk)
        except UnicodeDecodeError:
            raise InvalidInput("The file is not UTF-8 text.",
                               fields={"body": "must be UTF-8 CSV"}) from None
        *complete, rest = rest.split("\n")
        for text in complete:
            line += 1
            if not pending:
                start = line
            pending += text + "\n"
            if len(pending) > MAX_RECORD_CHARS:
                raise InvalidInput("A CSV record is too long.", fields={
                    "body": f"line {start}: more than {MAX_RECORD_CHARS} characters"})
            if pending.count('"') % 2 == 0:
                yield start, next(csv.reader([pending]), [])
                pending = ""
    rest += decoder.decode(b"", final=True)
    if rest or pending:
        line += 1
        yield (start if pending else line), next(csv.reader([pending + rest]), [])


@router.post("/{society_id}/members/import", name="members.import",
             response_model=MemberImportJobV1, status_code=status.HTTP_201_CREATED,
             responses={**_NOT_FOUND, 422: {"description":
                        "Bad rows (each with its line, field and reason) and nothing "
                        "imported, or a file that is not a member CSV"}},
             summary="Import members from a CSV body (text/csv): all rows or none",
             openapi_extra={"requestBody": {"required": True, "content": {"text/csv": {
                 "schema": {"type": "string", "description": "a header line naming at "
                            "least membership_number, name, category and admission_date, "
                            "then one member per line"}}}}})
async def import_members(
    society_id: SocietyId, request: Request, rpc: RpcDep, context: CallContextDep,
    skip_bad_rows: bool = False,
) -> Any:
    records = _records(request)
    header = None
    async for _line, cells in records:
        if cells:
            header = [cell.strip() for cell in cells]
            break
    missing = [c for c in IMPORT_REQUIRED_COLUMNS if c not in (header or [])]
    if missing:
        raise InvalidInput("The CSV header lacks required columns.",
                           fields={c: "required column missing" for c in missing})
    job = await rpc.call("registry", "begin_member_import", {"society_id": society_id},
                         context=context)
    ids = {"society_id": society_id, "job_id": job["job_id"]}
    chunk: list[dict[str, Any]] = []
    async for line, cells in records:
        if not cells:
            continue
        row: dict[str, Any] = {"line": line, "cells": dict(zip(header, cells, strict=False))}
        if len(cells) != len(header):
            row = {"line": line, "cells": {},
                   "problem": f"has {len(cells)} cells, the header {len(header)}"}
        chunk.append(row)
        if len(chunk) == MAX_IMPORT_CHUNK:
            await rpc.call("registry", "add_member_import_rows", {**ids, "rows": chunk},
                           context=context)
            chunk = []
    if chunk:
        await rpc.call("registry", "add_member_import_rows", {**ids, "rows": chunk},
                       context=context)
    result = await rpc.call("registry", "finish_member_import",
                            {**ids, "skip_bad_rows": skip_bad_rows}, context=context,
                            timeout=FINISH_TIMEOUT_SECONDS)
    if result["status"] == "rejected":
        raise InvalidInput(f"{result['bad_row_count']} bad rows; nothing was imported "
                           "(send skip_bad_rows=true to import the good ones).", result)
    return result
