"""A case's records on the portal: its audit trail (``GET /v1/cases/{id}/audit``: the
office side's, the grievance service refusing another office's case as 404 and a role
outside the office as 403) and the files of the documents a case names (its steps' and
orders' document ids), each through the documents download route's own function
(``GET /v1/documents/{id}/content``): the documents service decides from the document's
access level and the visitor's grant whether the file is theirs to read."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request

from gateway.deps import CallContextDep, RpcDep
from gateway.portal import audit_pages
from gateway.portal.case_pages import names
from gateway.portal.labels import N_, Shown
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.routes import documents as document_routes
from gateway.routes.grievance import CaseId

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

# The audit trail's own actions (services/grievance: opening a case, a hearing, an
# order); a step of the case is "case_<action>", named as the history names it.
AUDIT_ACTIONS = {
    "grievance_raised": N_("Grievance raised"), "appeal_filed": N_("Appeal filed"),
    "dispute_filed": N_("Dispute filed"), "court_case_recorded": N_("Court case recorded"),
    "inquiry_requested": N_("Inquiry requested"),
    "inspection_requested": N_("Inspection requested"),
    "hearing_scheduled": N_("Hearing fixed"), "order_recorded": N_("Order recorded"),
}
# A case's document ids are UUIDs as the grievance contract takes them (36 characters);
# the documents service names the same id by its 32 hex digits. Either is taken here.
DocumentRef = Annotated[str, Path(pattern=r"^([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-"
                                          r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")]


def _action_names(request: Request) -> Shown:
    _ = gettext(request)
    return Shown({code: _(text) for code, text in AUDIT_ACTIONS.items()})


@router.get("/cases/{case_id}/audit", name="portal.case_audit")
async def case_audit(case_id: CaseId, request: Request, rpc: RpcDep,
                     context: CallContextDep):
    """The case's audit trail, oldest first as the chain keeps it, 50 a page."""
    at = audit_pages.offset(request)
    page = await rpc.call("grievance", "case_audit",
                          {"case_id": case_id, "limit": audit_pages.PAGE_SIZE, "offset": at},
                          context=context)
    found = await rpc.call("grievance", "get_case", {"case_id": case_id}, context=context)
    shown = names(request)
    actions = _action_names(request)
    entries = []
    for entry in page["items"]:
        code = str(entry.get("action", ""))
        step = code.removeprefix("case_") if code.startswith("case_") else None
        entries.append({**entry, "what": shown.CASE_ACTIONS[step] if step
                        else actions[code], "lines": audit_pages.changes(entry.get("changes"))})
    return render(request, "case_audit.html", C=shown, case=found, entries=entries,
                  **audit_pages.links(f"/cases/{case_id}/audit", at, page.get("next_offset")))


@router.get("/documents/{document_id}", name="portal.document")
async def document_file(document_id: DocumentRef, request: Request, rpc: RpcDep,
                        context: CallContextDep):
    """The document's current file, as its download route answers the visitor; a
    document not theirs to read is the documents service's 404 or 403 as a page."""
    hex_id = uuid.UUID(document_id).hex
    return await document_routes.download(hex_id, request, rpc, context, version=None)
