"""The registrar's staff's work queue: the open applications of the offices the officer
reaches, soonest deadline first, the overdue and the due-soon marked, a page at a time.
It asks ``registry.list_applications`` with ``order=deadline``, as
``GET /v1/applications?order=deadline`` does with the officer's grant (the registry
limits it to the officer's offices). Open stages are the ones with a deadline, so the
queue ends at the first application without one (drafts, decided ones)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from gateway.deps import CallContextDep, RpcDep
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import render

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

PAGE_SIZE = 50
MAX_OFFSET = 100_000
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


def _offset(request: Request) -> int:
    """The page's first row from ``?from=``; anything but a small whole number is 0."""
    raw = request.query_params.get("from", "0")
    return int(raw) if raw.isdigit() and int(raw) <= MAX_OFFSET else 0


@router.get("/work", name="portal.work_queue")
async def work_queue(request: Request, rpc: RpcDep, context: CallContextDep):
    offset = _offset(request)
    page = await rpc.call("registry", "list_applications", {
        "order": "deadline", "limit": PAGE_SIZE, "offset": offset}, context=context)
    open_items = [i for i in page["items"] if i.get("deadline") is not None]
    items = [_mark(item) for item in open_items]
    more = page.get("next_offset") is not None and len(open_items) == len(page["items"])
    counts = {state: sum(1 for i in items if i["state"] == state)
              for state in ("overdue", "due_soon", "on_time")}
    return render(request, "work_queue.html", items=items, counts=counts,
                  next_link=f"/work?from={offset + PAGE_SIZE}" if more else None,
                  previous_link=(f"/work?from={max(offset - PAGE_SIZE, 0)}"
                                 if offset else None))
