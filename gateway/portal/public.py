"""Pages anyone may open: home, the directory and a society's page, certificate
verification (by code, by the QR link, by the file), the how-to guides, and the language
switch. Each calls the registry or documents exactly as the public API route does, with
the same anonymous call context."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from gateway.deps import CallContextDep, RpcDep
from gateway.portal import guides, labels
from gateway.portal.i18n import LANGUAGES
from gateway.portal.links import safe_next
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.portal.session import read_form, with_cookies
from gateway.routes.documents import VERIFY_MAX_BYTES
from gateway.routes.societies import SocietyId
from services.common.errors import InvalidInput, NotFound

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

DIRECTORY_PAGE_SIZE = 20
# How many earlier pages "previous" can walk back through.
MAX_TRAIL = 20
FILTERS = ("q", "state", "district", "type", "status")


@router.get("/", name="portal.home")
async def home(request: Request):
    return render(request, "home.html", guides=guides.all_guides(request.state.portal_language),
                  types=labels.SOCIETY_TYPES)


@router.get("/language", name="portal.language")
async def switch_language(request: Request):
    """The switch on every page: remember the language, go back to the page."""
    chosen = request.query_params.get("to")
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    if chosen in LANGUAGES:
        with_cookies(response, [request.state.portal_cookies.language(chosen)])
    return response


# ------------------------------------------------------------------ directory


def _directory_form(request: Request) -> tuple[dict[str, str], dict[str, str]]:
    _ = gettext(request)
    form = {name: request.query_params.get(name, "").strip() for name in FILTERS}
    errors: dict[str, str] = {}
    if form["q"] and not 2 <= len(form["q"]) <= 100:
        errors["q"] = _("Type at least two letters of the name.")
    for name in ("state", "district"):
        if len(form[name]) > 100:
            errors[name] = _("At most 100 characters.")
    if form["type"] and form["type"] not in labels.SOCIETY_TYPES:
        errors["type"] = _("Choose a type from the list.")
    if form["status"] and form["status"] not in labels.SOCIETY_STATUSES_SHOWN:
        errors["status"] = _("Choose a status from the list.")
    return form, errors


async def search_directory(request: Request, rpc: RpcDep, context: CallContextDep,
                           filters: dict[str, Any]) -> dict[str, Any]:
    """``registry.search_societies`` as ``GET /v1/societies`` asks it, through the same
    short-lived store of public answers (the same keys: one answer serves both)."""
    payload = {k: v for k, v in filters.items() if v not in (None, "")}
    ttl = request.app.state.settings.directory_cache_seconds
    key = "search:" + "&".join(f"{k}={v}" for k, v in payload.items())
    body = await request.app.state.public_answers.get(key, ttl, lambda: rpc.call(
        "registry", "search_societies", payload, context=context))
    return orjson.loads(body)


def _page_link(form: dict[str, str], cursor: str | None, trail: list[str]) -> str:
    pairs = [(k, v) for k, v in form.items() if v]
    if cursor:
        pairs.append(("cursor", cursor))
    pairs += [("back", step) for step in trail[-MAX_TRAIL:]]
    return "/societies" + (f"?{urlencode(pairs)}" if pairs else "")


@router.get("/societies", name="portal.directory")
async def directory(request: Request, rpc: RpcDep, context: CallContextDep):
    form, errors = _directory_form(request)
    cursor = request.query_params.get("cursor") or None
    trail = request.query_params.getlist("back")[-MAX_TRAIL:]
    page = None
    next_link = previous_link = None
    if not errors and cursor is not None and len(cursor) > 500:
        cursor = None
    if not errors:
        page = await search_directory(request, rpc, context, {
            **form, "limit": DIRECTORY_PAGE_SIZE, "cursor": cursor})
        if page.get("next_cursor"):
            next_link = _page_link(form, page["next_cursor"], [*trail, cursor or ""])
        if cursor:
            previous_link = _page_link(form, trail[-1] if trail else None, trail[:-1])
    return render(request, "directory.html", form=form, errors=errors, page=page,
                  next_link=next_link, previous_link=previous_link,
                  types=labels.SOCIETY_TYPES, statuses=labels.SOCIETY_STATUSES_SHOWN)


@router.get("/societies/{society_id}", name="portal.society")
async def society_page(society_id: SocietyId, request: Request, rpc: RpcDep,
                       context: CallContextDep):
    ttl = request.app.state.settings.directory_cache_seconds
    body = await request.app.state.public_answers.get(f"society:{society_id}", ttl,
                                                      lambda: rpc.call(
        "registry", "get_public_society", {"society_id": society_id}, context=context))
    return render(request, "society.html", society=orjson.loads(body))


# ------------------------------------------------------------------ certificates


async def _verify(rpc: RpcDep, context: CallContextDep, payload: dict[str, Any]) -> dict:
    return await rpc.call("documents", "verify_certificate", payload, context=context)


def _verify_page(request: Request, *, result: dict | None = None, code: str = "",
                 errors: dict[str, str] | None = None, status_code: int = 200):
    return render(request, "verify.html", result=result, code=code, errors=errors or {},
                  status_code=status_code)


async def _verify_code(request: Request, rpc: RpcDep, context: CallContextDep, code: str):
    _ = gettext(request)
    code = code.strip()
    if not 1 <= len(code) <= 32:
        return _verify_page(request, code=code, status_code=422, errors={
            "code": _("Type the code printed on the certificate (12 letters and digits).")})
    try:
        result = await _verify(rpc, context, {"code": code})
    except InvalidInput:
        return _verify_page(request, code=code, status_code=422, errors={
            "code": _("This is not a verification code: 12 letters and digits, as printed.")})
    return _verify_page(request, result=result, code=code)


@router.get("/verify", name="portal.verify")
async def verify(request: Request, rpc: RpcDep, context: CallContextDep):
    code = request.query_params.get("code")
    if code is None:
        return _verify_page(request)
    return await _verify_code(request, rpc, context, code)


@router.get("/verify/{code}", name="portal.verify_code")
async def verify_link(code: str, request: Request, rpc: RpcDep, context: CallContextDep):
    """Where a certificate's QR code can point (``DOCUMENTS_VERIFY_BASE_URL``)."""
    return await _verify_code(request, rpc, context, code)


@router.post("/verify", name="portal.verify_file")
async def verify_file(request: Request, rpc: RpcDep, context: CallContextDep):
    _ = gettext(request)
    form = await read_form(request)
    upload = form.get("file")
    code = str(form.get("code") or "").strip()
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _verify_page(request, code=code, status_code=422,
                            errors={"file": _("Choose the certificate's PDF file.")})
    digest, size = hashlib.sha256(), 0
    while chunk := await upload.read(64 * 1024):
        size += len(chunk)
        if size > VERIFY_MAX_BYTES:
            return _verify_page(request, code=code, status_code=413,
                                errors={"file": _("The file is too large for a certificate.")})
        digest.update(chunk)
    if size == 0:
        return _verify_page(request, code=code, status_code=422,
                            errors={"file": _("The file is empty.")})
    if code and not 1 <= len(code) <= 32:
        return _verify_page(request, code=code, status_code=422, errors={
            "code": _("Type the code printed on the certificate (12 letters and digits).")})
    try:
        result = await _verify(rpc, context, {"code": code or None,
                                              "sha256": digest.hexdigest()})
    except InvalidInput:
        return _verify_page(request, code=code, status_code=422, errors={
            "code": _("This is not a verification code: 12 letters and digits, as printed.")})
    return _verify_page(request, result=result, code=code)


# ------------------------------------------------------------------ guides


@router.get("/guides", name="portal.guides")
async def guide_list(request: Request):
    return render(request, "guides.html", guides=guides.all_guides(request.state.portal_language))


@router.get("/guides/{slug}", name="portal.guide")
async def guide(slug: str, request: Request):
    found = guides.guide(slug, request.state.portal_language)
    if found is None:
        raise NotFound("No such guide.", {"slug": slug})
    return render(request, "guide.html", guide=found)
