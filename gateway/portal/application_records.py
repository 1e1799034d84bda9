"""An application's audit trail on the portal (``GET /v1/applications/{id}/audit``,
``registry.application_audit``): who did what to it, newest first as the registry
answers it, 50 a page. It is the offices': the registry answers an applicant, and an
office that does not reach the application, 404; the scrutiny page links to it."""

from __future__ import annotations

from fastapi import APIRouter, Request

from gateway.deps import CallContextDep, RpcDep
from gateway.portal import audit_pages
from gateway.portal.labels import N_, Shown
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.routes.applications import ApplicationId

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

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


@router.get("/applications/{application_id}/audit", name="portal.application_audit")
async def application_audit(application_id: ApplicationId, request: Request, rpc: RpcDep,
                            context: CallContextDep):
    at = audit_pages.offset(request)
    page = await rpc.call("registry", "application_audit",
                          {"application_id": application_id,
                           "limit": audit_pages.PAGE_SIZE, "offset": at}, context=context)
    application = await rpc.call("registry", "get_application",
                                 {"application_id": application_id}, context=context)
    actions = _action_names(request)
    entries = [{**entry, "what": actions[str(entry.get("action", ""))],
                "lines": audit_pages.changes(entry.get("changes"))} for entry in page["items"]]
    return render(request, "application_audit.html", application=application,
                  entries=entries, **audit_pages.links(
                      f"/applications/{application_id}/audit", at, page.get("next_offset")))
