"""Documents as a citizen reads them: a society's public documents (anyone), what it
filed that a signed-in visitor may read (a citizen signed in by a one-time code reads
the documents filed for citizens, seed 001: ``/filed-documents?society_id=``, the
society in the query as in the API's), and the office's sample templates and formats
(anyone).

Each page asks the RPC of its API route with that route's context: the public pages
as everyone is asked (``GET /v1/documents/public?society_id=``, ``GET
/v1/documents/templates``), the filed documents with the visitor's grant (``GET
/v1/documents?society_id=``), so the documents service decides what each sees. A
public document's link is its public download route; another's is the portal's
``/documents/{id}``, the download route with the visitor's session."""

from __future__ import annotations

import re
from typing import Any

import orjson
from fastapi import APIRouter, Request

from gateway.deps import CallContextDep, RpcDep
from gateway.portal.election_pages import public_context
from gateway.portal.labels import N_
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.routes.societies import SocietyId

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

PAGE_SIZE = 20
CURSOR = re.compile(r"^[A-Za-z0-9._~=-]{1,200}$")
SOCIETY = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
CATEGORY = re.compile(r"^[\w .,&()/-]{1,100}$")
DOCUMENT_KINDS = {
    "bye_laws": N_("Bye-laws"), "balance_sheet": N_("Balance sheet"),
    "audit_report": N_("Audit report"), "annual_return": N_("Annual return"),
    "order": N_("Order"), "certificate": N_("Certificate"), "voter_list": N_("Voter list"),
    "newspaper_cutting": N_("Newspaper cutting"), "template": N_("Template or format"),
    "correspondence": N_("Correspondence"), "other": N_("Other"),
}


def _cursor(request: Request) -> str | None:
    raw = request.query_params.get("cursor", "")
    return raw if CURSOR.match(raw) else None


def _link(document: dict[str, Any]) -> str:
    if document["access_level"] == "public":
        return f"/v1/documents/public/{document['document_id']}/content"
    return f"/documents/{document['document_id']}"


async def _society_name(request: Request, rpc: RpcDep, context: CallContextDep,
                        society_id: str) -> str:
    """The society's name from its public entry (the directory's cache; an unknown
    society is the registry's 404 as a page)."""
    ttl = request.app.state.settings.directory_cache_seconds
    body = await request.app.state.public_answers.get(
        f"society:{society_id}", ttl, lambda: rpc.call(
            "registry", "get_public_society", {"society_id": society_id},
            context=public_context(context)))
    return orjson.loads(body)["name"]


def _page(request: Request, answer: dict[str, Any], base: str, **context: Any):
    items = [{**d, "link": _link(d)} for d in answer["items"]]
    following = answer.get("next_cursor")
    return render(request, "society_documents.html", documents=items,
                  kinds=DOCUMENT_KINDS, next_link=f"{base}cursor={following}"
                  if following else None, **context)


@router.get("/societies/{society_id}/documents", name="portal.society_documents")
async def public_documents(society_id: SocietyId, request: Request, rpc: RpcDep,
                           context: CallContextDep):
    name = await _society_name(request, rpc, context, society_id)
    answer = await rpc.call("documents", "list_documents", {
        "society_id": society_id, "public_only": True, "limit": PAGE_SIZE,
        "cursor": _cursor(request)}, context=public_context(context))
    _ = gettext(request)
    return _page(request, answer, f"/societies/{society_id}/documents?",
                 society_id=society_id, which="public", errors={},
                 heading=_("Public documents of %(name)s") % {"name": name})


@router.get("/filed-documents", name="portal.society_filed")
async def filed_documents(request: Request, rpc: RpcDep, context: CallContextDep):
    """As ``GET /v1/documents?society_id=``: the society named in the query (a form to
    name one when none is), its documents as the visitor's grant lets them be read."""
    raw = request.query_params.get("society_id", "").strip()
    if not SOCIETY.match(raw):
        _ = gettext(request)
        errors = {"society_id": _("Give the society's id, as its page in the directory "
                                  "shows it.")} if raw else {}
        return render(request, "society_documents.html", which="choose", documents=[],
                      kinds=DOCUMENT_KINDS, next_link=None, errors=errors,
                      society_id=raw[:64], heading=_("Documents societies filed"),
                      status_code=422 if raw else 200)
    name = await _society_name(request, rpc, context, raw)
    answer = await rpc.call("documents", "list_documents", {
        "society_id": raw, "limit": PAGE_SIZE, "cursor": _cursor(request)},
        context=context)
    _ = gettext(request)
    return _page(request, answer, f"/filed-documents?society_id={raw}&",
                 society_id=raw, which="filed", errors={},
                 heading=_("Documents filed by %(name)s") % {"name": name})


@router.get("/templates", name="portal.templates")
async def templates(request: Request, rpc: RpcDep, context: CallContextDep):
    raw = request.query_params.get("category", "").strip()
    category = raw if CATEGORY.match(raw) else None
    answer = await rpc.call("documents", "list_documents", {
        "kind": "template", "category": category, "public_only": True,
        "limit": PAGE_SIZE, "cursor": _cursor(request)}, context=public_context(context))
    base = "/templates?" + (f"category={category}&" if category else "")
    return _page(request, answer, base, which="templates", category=category or "",
                 errors={},
                 heading=gettext(request)("Sample templates and formats"))
