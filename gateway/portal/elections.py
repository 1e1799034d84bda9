"""Election pages of the Returning Officer, the AROs and the CEA: the elections the
visitor may see (``GET /v1/elections``), an election's programme as steps with their
windows, which stage is open and which is next (``GET /v1/elections/{id}``, the rule of
its programme), with links to the pages of the stage's work the visitor's grant allows;
and the public notice of an election (``GET /v1/elections/{id}/public`` and the lists
the API publishes to anyone: the voter lists once published, the contesting candidates
once published). The result is not public in the API (declarations are the officers'
and the CEA's), so the notice points to the society's page, which shows the board its
declared result made."""

from __future__ import annotations

from fastapi import APIRouter, Request

from gateway.access import ActorDep
from gateway.deps import CallContextDep, RpcDep
from gateway.portal.election_pages import ARO, RO, grants, programme_steps
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import render
from gateway.routes.elections import ElectionId
from services.common.errors import NotFound

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

PAGE_SIZE = 20
MAX_OFFSET = 100_000


def _offset(request: Request) -> int:
    raw = request.query_params.get("from", "0")
    return int(raw) if raw.isdigit() and int(raw) <= MAX_OFFSET else 0


@router.get("/elections", name="portal.elections")
async def elections(request: Request, rpc: RpcDep, context: CallContextDep,
                    actor: ActorDep):
    """A society's representative reads its elections too; each opens the election's
    page for its officers and the CEA, its public notice for anyone else."""
    offset = _offset(request)
    page = await rpc.call("elections", "list_elections", {
        "society_id": None, "status": None, "stage_open": None, "limit": PAGE_SIZE,
        "offset": offset}, context=context)
    items = [{**item, "href": f"/elections/{item['id']}" if grants(actor, item["id"])
              else f"/elections/{item['id']}/notice"} for item in page["items"]]
    return render(request, "elections.html", items=items,
                  next_link=(f"/elections?from={page['next_offset']}"
                             if page.get("next_offset") is not None else None),
                  previous_link=(f"/elections?from={max(offset - PAGE_SIZE, 0)}"
                                 if offset else None))


@router.get("/elections/{election_id}", name="portal.election")
async def election(election_id: ElectionId, request: Request, rpc: RpcDep,
                   context: CallContextDep, actor: ActorDep):
    found = await rpc.call("elections", "get_election", {"election_id": election_id},
                           context=context)
    held = grants(actor, election_id)
    return render(request, "election.html", election=found,
                  steps=programme_steps(request, found), is_ro=RO in held,
                  is_officer=bool(held & {RO, ARO}))


async def _published(rpc, context, election_id: str, kind: str) -> dict | None:
    try:
        return await rpc.call("elections", "voter_list_page", {
            "election_id": election_id, "kind": kind, "after": None, "limit": 1},
            context=context)
    except NotFound:
        return None


@router.get("/elections/{election_id}/notice", name="portal.election_notice")
async def notice(election_id: ElectionId, request: Request, rpc: RpcDep,
                 context: CallContextDep):
    found = await rpc.call("elections", "public_election", {"election_id": election_id},
                           context=context)
    lists = {kind: await _published(rpc, context, election_id, kind)
             for kind in ("provisional", "final")}
    try:
        contest = await rpc.call("elections", "contesting_candidates", {
            "election_id": election_id, "contest": "board"}, context=context)
    except NotFound:
        contest = None
    if contest is not None and not contest.get("published_at"):
        contest = None
    return render(request, "election_notice.html", election=found,
                  steps=programme_steps(request, found), lists=lists, contest=contest)
