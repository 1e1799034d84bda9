"""The case pages: the list of cases the visitor may see (an office's queue for the
registrar's staff, its open cases soonest deadline first by default, by kind, state,
category and office; "my cases" for whoever raised them), a case with its level and
deadline, its history, hearings and orders, and the steps the visitor may take now as
forms. Each asks the RPC of the API route it stands for with the same call context
(``GET /v1/cases``, ``GET /v1/cases/{id}`` and its history, ``POST .../actions``): the
grievance service decides who sees which case (another office's is 404) and which
actions each may take, and the page offers only the case's ``allowed_actions``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from gateway.access import ActorDep
from gateway.deps import CallContextDep, RpcDep
from gateway.pagination import encode_cursor, offset_of
from gateway.portal import case_labels
from gateway.portal.case_hearings import forms_for, taken_by_form
from gateway.portal.case_pages import (
    REFUSALS,
    action_fields,
    deadline_mark,
    marked,
    names,
    party_lines,
    read_action,
    refusal_errors,
    refusal_status,
)
from gateway.portal.labels import N_
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.portal.session import read_form
from gateway.routes.grievance import CaseId
from gateway.rules.grievance import OFFICE
from gateway.rules.grievance import RULES as GRIEVANCE_RULES

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

PAGE_SIZE = 50
MAX_CURSOR = 64
MAX_OFFICE = 64
AUDIT_RULE = GRIEVANCE_RULES["cases.audit"]
DASHBOARD_RULE = GRIEVANCE_RULES["cases.dashboard"]


def _offices(actor) -> list[str]:
    """The offices the visitor's office grants name (the queue's office filter)."""
    principal = actor.principal
    return sorted({g.scope.split(":", 1)[1] for g in (principal.grants if principal else ())
                   if g.role in OFFICE and (g.scope or "").startswith("office:")})


# The queue's orders and what it shows (the list's order and open), by the page's codes.
ORDERS = {"due": N_("Soonest deadline first"), "newest": N_("Newest first")}
SHOWN = {"open": N_("Open cases"), "closed": N_("Closed cases"),
         "all": N_("Open and closed")}
OPEN_OF = {"open": True, "closed": False, "all": None}


def _filters(request: Request, offices: list[str], staff: bool) -> dict[str, str]:
    """The filters asked, each kept only if it is one the list takes. The registrar's
    staff also choose the order and whether closed cases are shown."""
    asked = request.query_params
    chosen = {}
    if asked.get("kind") in case_labels.CASE_KINDS:
        chosen["kind"] = asked["kind"]
    if asked.get("state") in case_labels.CASE_STATES:
        chosen["state"] = asked["state"]
    if asked.get("category") in case_labels.CASE_CATEGORIES:
        chosen["category"] = asked["category"]
    if asked.get("office") in offices:
        chosen["office"] = asked["office"]
    if staff and asked.get("order") in ORDERS:
        chosen["order"] = asked["order"]
    if staff and asked.get("show") in SHOWN:
        chosen["show"] = asked["show"]
    return chosen


def _query(filters: dict[str, str], staff: bool) -> dict[str, Any]:
    """``list_cases``' filters: the office's queue is its open cases, soonest level
    deadline first, unless the visitor chose otherwise (a state chosen shows it open or
    closed); anyone else's list is the service's default, newest first."""
    query: dict[str, Any] = {"kind": filters.get("kind"), "state": filters.get("state"),
                             "category": filters.get("category"),
                             "office_id": filters.get("office")}
    if staff:
        query["order"] = filters.get("order", "due")
        query["open"] = OPEN_OF[filters.get("show", "all" if "state" in filters
                                            else "open")]
    return {k: v for k, v in query.items() if v is not None}


def _shown(request: Request, table: dict[str, str]) -> dict[str, str]:
    _ = gettext(request)
    return {code: _(text) for code, text in table.items()}


def _link(filters: dict[str, str], offset: int) -> str:
    pairs = list(filters.items())
    if offset:
        pairs.append(("cursor", encode_cursor(offset)))
    return "/cases" + (f"?{urlencode(pairs)}" if pairs else "")


@router.get("/cases", name="portal.cases")
async def cases(request: Request, rpc: RpcDep, context: CallContextDep, actor: ActorDep):
    """The registrar's staff see their offices' cases (the service limits the list to
    the offices the grant reaches), open ones soonest level deadline first unless they
    choose otherwise; anyone else the cases they raised, newest first."""
    cursor = request.query_params.get("cursor") or None
    offset = offset_of(cursor if cursor and len(cursor) <= MAX_CURSOR else None)
    staff = actor.role in OFFICE
    offices = _offices(actor) if staff else []
    filters = _filters(request, offices, staff)
    query = _query(filters, staff)
    page = await rpc.call("grievance", "list_cases",
                          {**query, "limit": PAGE_SIZE, "offset": offset}, context=context)
    now = datetime.now(UTC)
    items = [marked(item, now) for item in page["items"]]
    counts = {mark: sum(1 for i in items if i["mark"] == mark)
              for mark in ("overdue", "due_soon", "on_time")}
    return render(request, "cases.html", C=names(request), items=items, counts=counts,
                  total=page.get("total", len(items)), staff=staff, offices=offices,
                  office_options={o: o for o in offices}, order=query.get("order"),
                  show=(filters.get("show") or {True: "open", False: "closed"}.get(
                      query.get("open"), "all")),
                  orders=_shown(request, ORDERS), shown_options=_shown(request, SHOWN),
                  filters=filters, may_dashboard=actor.role in DASHBOARD_RULE.roles,
                  may_raise=actor.role in ("citizen",
                                                            "society_representative"),
                  next_link=(_link(filters, page["next_offset"])
                             if page.get("next_offset") is not None else None),
                  previous_link=(_link(filters, max(offset - PAGE_SIZE, 0))
                                 if offset else None))


async def case_page(request: Request, rpc, context, case_id: str, *,
                    status_code: int = 200, failed: dict[str, Any] | None = None):
    """A case's page: its facts, the steps the visitor may take (a hearing and an
    order through their own forms, case_hearings.py), its history, hearings and
    orders; the audit trail's link for whom ``cases.audit`` admits."""
    found = await rpc.call("grievance", "get_case", {"case_id": case_id}, context=context)
    history = await rpc.call("grievance", "case_history", {"case_id": case_id},
                             context=context)
    actions = [{"name": name, "fields": action_fields(name)}
               for name in found.get("allowed_actions", [])
               if name not in taken_by_form(found.get("kind", ""))]
    forms = forms_for(found)
    # a refused hearing or order stays on the page (beside its refusal) even if the
    # case no longer allows it
    if failed and failed.get("action") == "hearing":
        forms["hearing"] = True
    if failed and failed.get("action") == "order" and not forms["order_finals"]:
        forms["order_finals"] = [False, True]
    fixed = request.query_params.get("fixed")
    return render(request, "case.html", C=names(request), case=found,
                  mark=deadline_mark(found.get("due_at"), datetime.now(UTC)),
                  history=history["items"], actions=actions, forms=forms,
                  parties=party_lines(request, found.get("parties")), failed=failed or {},
                  done=request.query_params.get("done"),
                  fixed=fixed if fixed in ("hearing", "order") else None,
                  raised=request.query_params.get("raised") == "1",
                  may_audit=context.actor_role in AUDIT_RULE.roles,
                  status_code=status_code)


@router.get("/cases/{case_id}", name="portal.case")
async def case(case_id: CaseId, request: Request, rpc: RpcDep, context: CallContextDep):
    return await case_page(request, rpc, context, case_id)


@router.post("/cases/{case_id}/actions", name="portal.case_action")
async def take_action(case_id: CaseId, request: Request, rpc: RpcDep,
                      context: CallContextDep):
    """One step of the case; refused (the role, the state, a closed window, a field)
    beside its form, in the visitor's language, with what was typed kept."""
    form = await read_form(request)
    payload, errors, typed = read_action(request, form)
    status_code = 422
    if not errors:
        try:
            await rpc.call("grievance", "take_action", {"case_id": case_id, **payload},
                           context=context)
        except REFUSALS as refused:
            errors, status_code = refusal_errors(request, refused), refusal_status(refused)
        else:
            return RedirectResponse(f"/cases/{case_id}?done={payload['action']}",
                                    status_code=303)
    return await case_page(request, rpc, context, case_id, status_code=status_code,
                           failed={"action": payload["action"], "errors": errors,
                                   **typed})
