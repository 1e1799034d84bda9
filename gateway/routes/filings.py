"""Filings routes: form definitions (read by anyone, published by an administrator or an
unscoped registrar) and returns through their lifecycle (start a draft, save parts of it,
submit, accept or return for correction, read, list).

A return is named by its id; who may touch it (the society's representative, the staff
whose office grant reaches the filer) only the filings service knows: it answers 404
otherwise. A submission that breaks its form's rules answers 422 with every failed rule,
its fields and figures, in English and Hindi (``details.failures``)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, status
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask

from gateway import spreadsheets
from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.pagination import (
    NEXT_CURSOR_DESCRIPTION,
    CursorQuery,
    as_page,
    offset_of,
    page_model,
)
from services.common.contracts import documents as documents_contracts
from services.common.contracts import filings as contracts

router = APIRouter(prefix="/v1/filings", tags=["filings"])

# The services' pages as the HTTP API answers them (gateway/pagination.py).
FormPageOut = page_model(contracts.FormPageV1, "FormPageOut")
FilingPageOut = page_model(contracts.FilingPageV1, "FilingPageOut")

FilingId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]
FormCodeQuery = Annotated[str, Query(min_length=2, max_length=40,
                                     pattern=r"^[A-Za-z0-9/&._ -]{2,40}$")]


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    values: dict[str, Any] = Field(max_length=2000)


class ReturnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    remarks: str = Field(min_length=3, max_length=4000)


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    remarks: str | None = Field(None, max_length=4000)


@router.get("/forms", name="filings.forms.list", response_model=FormPageOut,
            summary="Every form's latest version, per jurisdiction")
async def list_forms(rpc: RpcDep, context: CallContextDep,
                     limit: Annotated[int, Query(ge=1, le=100)] = 50,
                     cursor: CursorQuery = None) -> dict:
    return as_page(await rpc.call("filings", "list_forms",
                                  {"limit": limit, "offset": offset_of(cursor)},
                                  context=context))


@router.get("/forms/definition", name="filings.forms.get",
            summary="One form's definition: sections, fields, tables, rules, due date")
async def get_form(rpc: RpcDep, context: CallContextDep, code: FormCodeQuery,
                   jurisdiction: Annotated[str, Query(min_length=2, max_length=60)] = "national",
                   version: Annotated[int | None, Query(ge=1, le=10_000)] = None) -> dict:
    return await rpc.call("filings", "get_form", {"code": code, "jurisdiction": jurisdiction,
                                                  "version": version}, context=context)


@router.post("/forms", name="filings.forms.publish", response_model=contracts.FormSummaryV1,
             status_code=status.HTTP_201_CREATED,
             summary="Publish a form, or its next version, as data (refused when a rule "
                     "cannot be parsed or names an unknown field)")
async def publish_form(body: contracts.PublishDefinitionV1, rpc: RpcDep,
                       context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "publish_form", body.wire(), context=context)


class StartIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    form_code: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9/&._ -]{2,40}$")
    filer_kind: Literal["society", "office"] = "society"
    filer_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]{1,64}$")
    period_end: date
    values: dict[str, Any] = Field(default_factory=dict, max_length=2000)


@router.post("", name="filings.start", response_model=contracts.FilingV1,
             status_code=status.HTTP_201_CREATED,
             summary="Start a draft return for a society or an office and a period")
async def start_filing(body: StartIn, rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "start_filing", body.model_dump(mode="json"),
                          context=context)


@router.get("", name="filings.list", response_model=FilingPageOut,
            summary="Returns you may see, newest period first")
async def list_filings(
    rpc: RpcDep, context: CallContextDep,
    form_code: FormCodeQuery | None = None,
    filer_id: Annotated[str | None, Query(min_length=1, max_length=64,
                                          pattern=r"^[A-Za-z0-9._-]{1,64}$")] = None,
    filing_status: Annotated[str | None, Query(
        alias="status", pattern=r"^(draft|submitted|accepted|returned)$")] = None,
    late: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"form_code": form_code, "filer_id": filer_id, "status": filing_status,
               "late": late, "limit": limit, "offset": offset_of(cursor)}
    return as_page(await rpc.call("filings", "list_filings", payload, context=context))


@router.get("/export.csv", name="filings.export", response_class=StreamingResponse,
            summary="One form's returns you may see as CSV (every field a column)")
async def export_filings(
    rpc: RpcDep, context: CallContextDep, form_code: FormCodeQuery,
    filing_status: Annotated[str | None, Query(
        alias="status", pattern=r"^(draft|submitted|accepted|returned)$")] = None,
) -> StreamingResponse:
    payload = {"form_code": form_code, "status": filing_status, "limit": 100, "offset": 0}
    first = await rpc.call("filings", "export_filings", payload, context=context)

    async def lines() -> AsyncIterator[str]:
        page = first
        yield _csv_line(page["columns"])
        while True:
            yield "".join(_csv_line(r) for r in page["rows"])
            if page["next_offset"] is None:
                return
            page = await rpc.call("filings", "export_filings",
                                  {**payload, "offset": page["next_offset"]},
                                  context=context)

    name = form_code.replace("/", "-").replace(" ", "_") + ".csv"
    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/export.xlsx", name="filings.export_xlsx", response_class=FileResponse,
            summary="One form's returns you may see as an XLSX workbook (every field a typed "
                    "column; a second sheet names each column in English and Hindi)",
            responses={200: {"content": {spreadsheets.MEDIA_TYPE: {}},
                             "description": "The workbook"}})
async def export_filings_xlsx(
    rpc: RpcDep, context: CallContextDep, form_code: FormCodeQuery,
    filing_status: Annotated[str | None, Query(
        alias="status", pattern=r"^(draft|submitted|accepted|returned)$")] = None,
) -> FileResponse:
    payload = {"form_code": form_code, "status": filing_status, "limit": 100, "offset": 0}
    page = await rpc.call("filings", "export_filings", payload, context=context)
    book = spreadsheets.RowsWorkbook("Returns", page["described"])
    try:
        while True:
            await book.add(page["rows"])
            if page["next_offset"] is None:
                break
            page = await rpc.call("filings", "export_filings",
                                  {**payload, "offset": page["next_offset"]}, context=context)
        await book.close()
    except BaseException:
        book.discard()
        raise
    name = form_code.replace("/", "-").replace(" ", "_") + ".xlsx"
    return FileResponse(book.path, media_type=spreadsheets.MEDIA_TYPE, filename=name,
                        background=BackgroundTask(book.discard))


def _csv_line(cells: list) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(["" if c is None else c for c in cells])
    return out.getvalue()


@router.get("/{filing_id}", name="filings.get", response_model=contracts.FilingV1,
            summary="A return with its values and every submission",
            responses={404: {"description": "No such return, or not yours"}})
async def get_filing(filing_id: FilingId, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("filings", "get_filing", {"filing_id": filing_id}, context=context)


@router.put("/{filing_id}/draft", name="filings.save_draft", response_model=contracts.FilingV1,
            summary="Save some values of a draft (or returned) return, checked by type only")
async def save_draft(filing_id: FilingId, body: DraftIn, rpc: RpcDep,
                     context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "save_draft",
                          {"filing_id": filing_id, "values": body.values}, context=context)


@router.post("/{filing_id}/submit", name="filings.submit", response_model=contracts.FilingV1,
             summary="Submit: every rule checked; an acknowledgement number and time",
             responses={422: {"description": "Every failed rule with its figures"}})
async def submit_filing(filing_id: FilingId, rpc: RpcDep,
                        context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "submit_filing", {"filing_id": filing_id},
                          context=context)


@router.post("/{filing_id}/accept", name="filings.accept", response_model=contracts.FilingV1,
             summary="The registrar's office accepts a submitted return")
async def accept_filing(filing_id: FilingId, body: AcceptIn, rpc: RpcDep,
                        context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "accept_filing",
                          {"filing_id": filing_id, "remarks": body.remarks}, context=context)


@router.post("/{filing_id}/return", name="filings.return", response_model=contracts.FilingV1,
             summary="Return a submitted return for correction, with remarks")
async def return_filing(filing_id: FilingId, body: ReturnIn, rpc: RpcDep,
                        context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "return_filing",
                          {"filing_id": filing_id, "remarks": body.remarks}, context=context)


@router.post("/{filing_id}/pdf", name="filings.pdf",
             response_model=documents_contracts.CertificateV1,
             summary="The return as a verifiable PDF (printed once per submission, with "
                     "every field in English and Hindi); download it as a document",
             responses={404: {"description": "No such return, or not yours"},
                        409: {"description": "A draft or returned return is not printed"}})
async def return_pdf(filing_id: FilingId, rpc: RpcDep, context: CallContextDep) -> dict:
    return await rpc.call("documents", "issue_return_pdf", {"filing_id": filing_id},
                          context=context)


class ComplianceViewOut(BaseModel):
    form_code: str
    as_on: str
    summary: dict[str, int] = Field(description="societies by status")
    items: list[dict[str, Any]] = Field(description="one row per society")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


@router.get("/compliance/view", name="filings.compliance", response_model=ComplianceViewOut,
            summary="The office's compliance view of one form and period: who filed, who "
                    "is late and by how many days (societies under your office)")
async def compliance_view(
    rpc: RpcDep, context: CallContextDep, form_code: FormCodeQuery,
    period_end: date | None = None,
    state: Annotated[str | None, Query(min_length=2, max_length=60)] = None,
    district: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    society_type: Annotated[str | None, Query(alias="type", min_length=1,
                                              max_length=64)] = None,
    compliance_status: Annotated[str | None, Query(
        alias="status", pattern=r"^(filed_on_time|filed_late|overdue|not_yet_due)$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: CursorQuery = None,
) -> dict:
    payload = {"form_code": form_code, "period_end": period_end and period_end.isoformat(),
               "state": state, "district": district, "type": society_type,
               "status": compliance_status, "limit": limit, "offset": offset_of(cursor)}
    return as_page(await rpc.call("filings", "compliance_view", payload, context=context))


@router.get("/calendar/{society_id}", name="filings.calendar",
            summary="A society's returns: the next one owed per form, overdue first",
            responses={404: {"description": "No such society, or not yours"}})
async def society_calendar(
    rpc: RpcDep, context: CallContextDep,
    society_id: Annotated[str, Path(min_length=1, max_length=64,
                                    pattern=r"^[A-Za-z0-9._-]{1,64}$")],
) -> dict:
    return await rpc.call("filings", "society_calendar", {"society_id": society_id},
                          context=context)


class AuditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    society_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]{1,64}$")
    financial_year: str = Field(pattern=r"^\d{4}-\d{2}$")
    audited_on: date
    auditor_name: str = Field(min_length=2, max_length=200)
    report_document_id: str | None = Field(None, min_length=1, max_length=64)


@router.post("/audits", name="filings.audits.record", status_code=status.HTTP_201_CREATED,
             summary="Record a society's audited financial year (2024-25)")
async def record_audit(body: AuditIn, rpc: RpcDep, context: IdempotentCallContextDep) -> dict:
    return await rpc.call("filings", "record_audit", body.model_dump(mode="json"),
                          context=context)


@router.get("/audits/position", name="filings.audits.position",
            summary="Societies under your office by audit status: up to date, pending 1-3 "
                    "years, more than 3")
async def audit_position(
    rpc: RpcDep, context: CallContextDep,
    state: Annotated[str | None, Query(min_length=2, max_length=60)] = None,
    district: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    society_type: Annotated[str | None, Query(alias="type", min_length=1,
                                              max_length=64)] = None,
) -> dict:
    return await rpc.call("filings", "audit_position",
                          {"state": state, "district": district, "type": society_type},
                          context=context)


@router.get("/audits/{society_id}", name="filings.audits.status",
            summary="A society's audit status and the years pending",
            responses={404: {"description": "No such society, or not yours"}})
async def audit_status(
    rpc: RpcDep, context: CallContextDep,
    society_id: Annotated[str, Path(min_length=1, max_length=64,
                                    pattern=r"^[A-Za-z0-9._-]{1,64}$")],
) -> dict:
    return await rpc.call("filings", "audit_status", {"society_id": society_id},
                          context=context)


class EligibilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: str = Field(min_length=2, max_length=60)
    kind: Literal["share_capital", "grant", "loan"]
    figures: dict[str, Any] = Field(max_length=100)
    applied_on: date | None = None


@router.post("/assistance/eligibility", name="filings.assistance.eligibility",
             summary="Financial assistance: each eligibility rule of the state's guidelines "
                     "with its figure, threshold and verdict")
async def check_eligibility(body: EligibilityIn, rpc: RpcDep,
                            context: CallContextDep) -> dict:
    return await rpc.call("filings", "check_eligibility", body.model_dump(mode="json"),
                          context=context)


@router.get("/standing/{society_id}", name="filings.standing",
            summary="A society's good standing: no return overdue and its audit up to date, "
                    "with the reasons if not",
            responses={404: {"description": "No such society, or not yours"}})
async def good_standing(
    rpc: RpcDep, context: CallContextDep,
    society_id: Annotated[str, Path(min_length=1, max_length=64,
                                    pattern=r"^[A-Za-z0-9._-]{1,64}$")],
) -> dict:
    return await rpc.call("filings", "good_standing", {"society_id": society_id},
                          context=context)
