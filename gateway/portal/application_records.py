"""An application's audit trail on the portal (``GET /v1/applications/{id}/audit``,
``registry.application_audit``): who did what to it, newest first as the registry
answers it, 50 a page. It is the offices': the registry answers an applicant, and an
office that does not reach the application, 404; the scrutiny page links to it."""

from __future__ import annotations

from fastapi import APIRouter, Request

from gateway.deps import CallContextDep, RpcDep
from gateway.pagination import encode_cursor, offset_of
from gateway.portal.case_records import _changes
from gateway.portal.labels import N_, Shown
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.routes.applications import ApplicationId

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

PAGE_SIZE = 50
MAX_CURSOR = 64
# The registry's audit actions of an application (services/registry/applications:
# "application_<step>" for each step of the workflow, its creation, its draft, a
# promoter's e-verification and the deadline scan's reminders).
AUDIT_ACTIONS = {
    "application_created": N_("Application created"), "draft_saved": N_("Draft saved"),
    "promoter_checked": N_("Promoter e-verified"),
    "application_submit": N_("Submitted"), "application_take_up": N_("Taken up"),
    "application_raise_query": N_("Query raised"),
    "application_reply": N_("Reply to the query"),
    "application_schedule_hearing": N_("Hearing scheduled"),
    "application_approve": N_("Approved"), "application_reject": N_("Rejected"),
    "application_due_soon": N_("Deadline near"), "application_overdue": N_("Overdue"),
}


def _action_names(request: Request) -> Shown:
    _ = gettext(request)
    return Shown({code: _(text) for code, text in AUDIT_ACTIONS.items()})


def _audit_link(application_id: str, offset: int) -> str:
    return f"/applications/{application_id}/audit" + (
        f"?cursor={encode_cursor(offset)}" if offset else "")


@router.get("/applications/{application_id}/audit", name="portal.application_audit")
async def application_audit(application_id: ApplicationId, request: Request, rpc: RpcDep,
                            context: CallContextDep):
    cursor = request.query_params.get("cursor") or None
    offset = offset_of(cursor if cursor and len(cursor) <= MAX_CURSOR else None)
    page = await rpc.call("registry", "application_audit",
                          {"application_id": application_id, "limit": PAGE_SIZE,
                           "offset": offset}, context=context)
    application = await rpc.call("registry", "get_application",
                                 {"application_id": application_id}, context=context)
    actions = _action_names(request)
    entries = [{**entry, "what": actions[str(entry.get("action", ""))],
                "lines": _changes(entry.get("changes"))} for entry in page["items"]]
    return render(request, "application_audit.html", application=application,
                  entries=entries,
                  next_link=(_audit_link(application_id, page["next_offset"])
                             if page.get("next_offset") is not None else None),
                  previous_link=(_audit_link(application_id, max(offset - PAGE_SIZE, 0))
                                 if offset else None))
