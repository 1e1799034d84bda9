"""A society's member register: its members a page at a time with a search, and a CSV
import. For the society's representatives and the registrar's staff over it, with the
rules of the member register's routes (another society's register is not found).

The list asks ``registry.search_members`` as ``GET /v1/societies/{id}/members`` does
(the same page size limits, the same opaque cursor). The import form's file goes
through the API route's own function (``gateway.routes.members.import_members``: the
same parsing as the file streams in, the same staged job, the same all-or-nothing
finish): with any bad row nothing is imported, unless the visitor ticks "import the good
rows" (the API's ``skip_bad_rows=true``). Every bad row is listed with its line and, in
the visitor's language, what is wrong with the cell."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile

from gateway.access import ActorDep
from gateway.deps import CallContextDep, RpcDep
from gateway.pagination import CURSOR_PATTERN, MAX_CURSOR_LENGTH, after_of, as_page
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.portal.session import read_form
from gateway.portal.society_choice import choose_society
from gateway.routes import members as api
from gateway.routes.members import SocietyId
from services.common.contracts.registry_members import IMPORT_REQUIRED_COLUMNS
from services.common.errors import InvalidInput

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

PAGE_SIZE = 50
MAX_TRAIL = 20
STATUSES = ("any", "active", "ceased")
_CURSOR = re.compile(CURSOR_PATTERN)
_CELLS = re.compile(r"^has (\d+) cells, the header (\d+)$")
_REPEATS = re.compile(r"^membership number repeats line (\d+)$")


@router.get("/members", name="portal.member_registers")
async def registers(request: Request, actor: ActorDep):
    """The visitor's society's register; staff name the society."""
    return choose_society(request, actor, base="/members", template="member_registers.html")


def _link(society_id: str, form: dict[str, str], cursor: str | None,
          trail: list[str]) -> str:
    pairs = [(k, v) for k, v in form.items() if v and not (k == "status" and v == "any")]
    if cursor:
        pairs.append(("cursor", cursor))
    pairs += [("back", step) for step in trail[-MAX_TRAIL:]]
    return f"/members/{society_id}" + (f"?{urlencode(pairs)}" if pairs else "")


@router.get("/members/{society_id}", name="portal.member_register")
async def register(society_id: SocietyId, request: Request, rpc: RpcDep,
                   context: CallContextDep):
    _ = gettext(request)
    q = request.query_params.get("q", "").strip()
    status = request.query_params.get("status", "any")
    errors: dict[str, str] = {}
    if len(q) > 100:
        errors["q"] = _("At most 100 characters.")
    if status not in STATUSES:
        errors["status"] = _("Choose from the list.")
        status = "any"
    cursor = request.query_params.get("cursor") or None
    if cursor and (len(cursor) > MAX_CURSOR_LENGTH or not _CURSOR.match(cursor)):
        cursor = None
    trail = [t for t in request.query_params.getlist("back")[-MAX_TRAIL:]
             if not t or (len(t) <= MAX_CURSOR_LENGTH and _CURSOR.match(t))]
    form = {"q": q, "status": status}
    page, next_link, previous_link = None, None, None
    if not errors:
        page = as_page(await rpc.call("registry", "search_members", {
            "society_id": society_id, "q": q or None, "category": None, "status": status,
            "admitted_from": None, "admitted_to": None, "after": after_of(cursor, str),
            "limit": PAGE_SIZE}, context=context))
        if page.get("next_cursor"):
            next_link = _link(society_id, form, page["next_cursor"], [*trail, cursor or ""])
        if cursor:
            previous_link = _link(society_id, form, trail[-1] if trail else None,
                                  trail[:-1])
    return render(request, "members.html", society_id=society_id, page=page, form=form,
                  errors=errors, next_link=next_link, previous_link=previous_link,
                  statuses={"any": _("Current and former members"),
                            "active": _("Current members"),
                            "ceased": _("Former members")},
                  status_code=422 if errors else 200)


# ------------------------------------------------------------------ import


def explain(request: Request, field: str, reason: str) -> str:
    """What is wrong with a bad row's cell, in the visitor's language."""
    _ = gettext(request)
    if match := _CELLS.match(reason):
        return _("The line has %(cells)s cells; the header line has %(header)s.") % {
            "cells": match[1], "header": match[2]}
    if match := _REPEATS.match(reason):
        return _("This membership number is already on line %(line)s.") % {"line": match[1]}
    if reason == "membership number already in the register":
        return _("This membership number is already in the register.")
    if reason == "no such society":
        return _("No such society.")
    if reason.startswith("required") or reason == "Field required":
        return _("This cell is empty; it is required.")
    if "must not be in the future" in reason:
        return _("The date is in the future.")
    rules = {
        "membership_number": _("A membership number: up to 32 letters, digits and / . _ -, "
                               "beginning with a letter or a digit."),
        "name": _("A name: 1 to 200 characters."),
        "category": _("The category is individual, firm or society."),
        "admission_date": _("A date written YYYY-MM-DD (2024-04-01), not in the future."),
        "phone": _("A phone number: 10 to 15 digits, + before them if you like."),
        "email": _("An e-mail address such as name@example.in."),
        "language": _("A language code: en, hi, as, bn, gu, kn, ml, mr, or, pa, ta, te or "
                      "ur."),
        "shares": _("A whole number of shares, from 0 to 1,000,000,000."),
    }
    return rules.get(field, reason)


class _Upload:
    """The uploaded file as the API's parser reads a request body: ``stream()``."""

    def __init__(self, upload: UploadFile):
        self.upload = upload

    async def stream(self) -> AsyncIterator[bytes]:
        await self.upload.seek(0)
        while chunk := await self.upload.read(64 * 1024):
            yield chunk


def _import_page(request: Request, society_id: str, *, status_code: int = 200,
                 **context: Any):
    limit = request.app.state.settings.max_body_bytes
    values = {"result": None, "errors": {}, "skip": False, "bad_rows": [],
              "missing": [], **context}
    return render(request, "members_import.html", society_id=society_id,
                  columns=IMPORT_REQUIRED_COLUMNS, limit_kb=limit // 1024,
                  status_code=status_code, **values)


@router.get("/members/{society_id}/import", name="portal.member_import_form")
async def import_form(society_id: SocietyId, request: Request):
    return _import_page(request, society_id)


@router.post("/members/{society_id}/import", name="portal.member_import")
async def import_file(society_id: SocietyId, request: Request, rpc: RpcDep,
                      context: CallContextDep):
    _ = gettext(request)
    form = await read_form(request)
    upload = form.get("file")
    skip = form.get("skip_bad_rows") == "true"
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _import_page(request, society_id, status_code=422, skip=skip,
                            errors={"file": _("Choose the CSV file of members.")})
    if upload.size == 0:
        return _import_page(request, society_id, status_code=422, skip=skip,
                            errors={"file": _("The file is empty.")})
    try:
        result = await api.import_members(society_id, _Upload(upload), rpc, context,
                                          skip_bad_rows=skip)
    except InvalidInput as refused:
        details = refused.details
        if details.get("status") == "rejected":
            return _import_page(request, society_id, status_code=422, skip=skip,
                                result=details, bad_rows=_bad_rows(request, details))
        fields = details.get("fields") or {}
        missing = [c for c in IMPORT_REQUIRED_COLUMNS if c in fields]
        if missing:
            message = _("The first line must name the columns; missing: %(columns)s.") % {
                "columns": ", ".join(missing)}
        elif "not UTF-8" in refused.message:
            message = _("The file is not UTF-8 text: save it from the spreadsheet as "
                        "CSV UTF-8.")
        elif "too long" in refused.message:
            message = _("A line of the file is too long to be a member (%(where)s).") % {
                "where": fields.get("body", "")}
        else:
            message = _("This file cannot be imported: %(reason)s") % {
                "reason": refused.message}
        return _import_page(request, society_id, status_code=422, skip=skip,
                            missing=missing, errors={"file": message})
    return _import_page(request, society_id, status_code=201, skip=skip, result=result,
                        bad_rows=_bad_rows(request, result))


def _bad_rows(request: Request, result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = sorted(result.get("bad_rows") or [], key=lambda row: row["line"])
    return [{**row, "explained": explain(request, row["field"], row["reason"])}
            for row in rows]
