"""A society's dashboard: what it owes and by when. The returns come from the filings
service's calendar of the society (``GET /v1/filings/calendar/{society_id}``: the next
return owed per form, overdue first), the audits from its audit status
(``GET /v1/filings/audits/{society_id}``: the years pending). Both routes have the same
rule (the society's representative, the registrar's staff), and so has the page; the
filings service answers 404 for a society the visitor's grant does not reach, as it does
for the API.

Each return is marked overdue (with the days), due soon (within the 15 days before its
date in which the filings service sends its reminder) or on time (days left). A year's
audit is due six months after its 31 March (30 September; seed 000, as
``services/filings/audits/status.py`` counts it): each pending year is overdue since
then, and the year whose audit is not due yet is shown with its days left, once the
society (its registration date from the public register) was registered before that
year ended.

The candidates' accounts of election expenses are not on the page: the only route that
lists them (``GET /v1/elections/{id}/expense-accounts``) is the election officers' and
the CEA's, not the society's."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import orjson
from fastapi import APIRouter, Request

from gateway.access import ActorDep
from gateway.context import CallContext, new_request_id
from gateway.deps import ANONYMOUS_ACTOR, PUBLIC_SCOPE, CallContextDep, RpcDep
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import render
from gateway.portal.society_choice import choose_society
from gateway.routes.societies import SocietyId
from services.common.errors import NotFound

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

# The filings service reminds a society this many days before a return falls due.
DUE_SOON_DAYS = 15
AUDIT_DUE = (9, 30)  # a year's audit: by 30 September after its 31 March


def _mark(due_on: date, today: date) -> dict[str, Any]:
    left = (due_on - today).days
    if left < 0:
        return {"state": "overdue", "days": -left}
    return {"state": "due_soon" if left <= DUE_SOON_DAYS else "on_time", "days": left}


def _year_end(name: str) -> int:
    """'2024-25' -> 2025 (the year of its 31 March)."""
    return int(name[:4]) + 1


def returns_due(calendar: dict[str, Any]) -> list[dict[str, Any]]:
    today = date.fromisoformat(calendar["as_on"])
    items = []
    for form in calendar["forms"]:
        if not form.get("next_due_on"):
            continue
        due_on = date.fromisoformat(form["next_due_on"])
        items.append({**form, **_mark(due_on, today), "due_on": due_on,
                      "period_end": date.fromisoformat(form["next_period_end"])})
    order = {"overdue": 0, "due_soon": 1, "on_time": 2}
    return sorted(items, key=lambda i: (order[i["state"]], i["due_on"], i["form_code"]))


def audits_due(status: dict[str, Any], registered_on: date | None) -> list[dict[str, Any]]:
    """Each pending year (overdue since its 30 September), then the year not yet due."""
    today = date.fromisoformat(status["as_on"])
    items = []
    for year in status.get("pending_years") or []:
        due_on = date(_year_end(year), *AUDIT_DUE)
        items.append({"year": year, "due_on": due_on, **_mark(due_on, today)})
    last_due = today.year if today >= date(today.year, *AUDIT_DUE) else today.year - 1
    coming = last_due + 1
    if registered_on is not None and registered_on <= date(coming, 3, 31):
        due_on = date(coming, *AUDIT_DUE)
        items.append({"year": f"{coming - 1}-{coming % 100:02d}", "due_on": due_on,
                      **_mark(due_on, today)})
    return items


async def _registered_on(request: Request, rpc: RpcDep, society_id: str) -> date | None:
    """The registration date from the public register (what ``GET /v1/societies/{id}``
    answers anyone, through the same store), or None."""
    anonymous = CallContext(request_id=getattr(request.state, "request_id", None)
                            or new_request_id()).with_actor(
        actor_id=ANONYMOUS_ACTOR, actor_role=ANONYMOUS_ACTOR, actor_scope=PUBLIC_SCOPE)
    ttl = request.app.state.settings.directory_cache_seconds
    try:
        body = await request.app.state.public_answers.get(
            f"society:{society_id}", ttl, lambda: rpc.call(
                "registry", "get_public_society", {"society_id": society_id},
                context=anonymous))
    except NotFound:
        return None
    found = orjson.loads(body).get("registration_date")
    return date.fromisoformat(found) if found else None


@router.get("/dashboard", name="portal.dashboards")
async def dashboards(request: Request, actor: ActorDep):
    """The visitor's society's dashboard; staff name the society."""
    return choose_society(request, actor, base="/dashboard", template="dashboards.html")


@router.get("/dashboard/{society_id}", name="portal.dashboard")
async def dashboard(society_id: SocietyId, request: Request, rpc: RpcDep,
                    context: CallContextDep):
    calendar, audit = await asyncio.gather(
        rpc.call("filings", "society_calendar", {"society_id": society_id},
                 context=context),
        rpc.call("filings", "audit_status", {"society_id": society_id}, context=context))
    registered_on = await _registered_on(request, rpc, society_id)
    returns, audits = returns_due(calendar), audits_due(audit, registered_on)
    everything = [*returns, *audits]
    counts = {state: sum(1 for i in everything if i["state"] == state)
              for state in ("overdue", "due_soon", "on_time")}
    return render(request, "dashboard.html", society_id=society_id, name=calendar["name"],
                  as_on=date.fromisoformat(calendar["as_on"]), returns=returns,
                  audits=audits, audit=audit, counts=counts)
