"""The registrar's staff's work queue: the open applications of the offices the officer
reaches, soonest deadline first, the overdue and the due-soon marked. It asks
``registry.list_applications`` once per open stage, as ``GET /v1/applications?stage=``
does with the officer's grant (the registry limits it to the officer's offices), and
orders what comes back by deadline; the registry lists newest first, so a stage with more
than ``PER_STAGE`` open applications shows its newest ``PER_STAGE`` and says so."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request

from gateway.deps import CallContextDep, RpcDep
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import render

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

OPEN_STAGES = ("submitted", "under_scrutiny", "query_raised", "hearing_scheduled")
PER_STAGE = 100
# Due within this many seconds: marked "due soon" (the registry's reminder fires at the
# same distance from the deadline).
DUE_SOON_SECONDS = 2 * 86400
DAY = 86400


def _mark(item: dict[str, Any]) -> dict[str, Any]:
    left = item.get("time_left_seconds")
    if item.get("overdue"):
        state, days = "overdue", (-(left or 0)) // DAY if left is not None else 0
    elif left is not None and left <= DUE_SOON_SECONDS:
        state, days = "due_soon", left // DAY
    else:
        state, days = "on_time", (left // DAY) if left is not None else None
    return {**item, "state": state, "days": days}


def _order(item: dict[str, Any]) -> tuple:
    # Soonest deadline first; an application without one at the end.
    return (item.get("deadline") is None, item.get("deadline") or "", item["id"])


@router.get("/work", name="portal.work_queue")
async def work_queue(request: Request, rpc: RpcDep, context: CallContextDep):
    pages = await asyncio.gather(*(
        rpc.call("registry", "list_applications", {"stage": stage, "limit": PER_STAGE,
                                                   "offset": 0}, context=context)
        for stage in OPEN_STAGES))
    items = sorted((_mark(item) for page in pages for item in page["items"]), key=_order)
    cut = [stage for stage, page in zip(OPEN_STAGES, pages, strict=True)
           if page.get("next_offset") is not None]
    counts = {state: sum(1 for i in items if i["state"] == state)
              for state in ("overdue", "due_soon", "on_time")}
    return render(request, "work_queue.html", items=items, counts=counts, cut=cut,
                  per_stage=PER_STAGE)
