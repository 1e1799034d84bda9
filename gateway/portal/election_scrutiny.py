"""The Returning Officer's scrutiny pages: objections to the provisional list with the
RO's decision (upheld or dismissed, reasons required), and nominations with their
scrutiny (accept, or reject with reasons). The objections page has the rule of
``GET .../objections``; the nominations page has the rule of the officers' list
``GET .../scrutiny/nominations`` and asks it as that route does, with the officer's own
identity: the nominations as filed, from the first filing (before their display too);
the decision forms post to
pages with the rules of the decisions' routes, and are offered only to the visitor
holding the RO's grant over the election. A refusal (the scrutiny window closed, a
disqualification the data proves) is shown beside the form in the visitor's language;
nothing is decided then."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from gateway.access import ActorDep
from gateway.deps import CallContextDep, RpcDep
from gateway.portal.election_pages import (
    REFUSALS,
    RO,
    grants,
    refusal_status,
    refusal_text,
)
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.portal.session import read_form
from gateway.routes.elections import ElectionId
from gateway.routes.elections_nominations import NominationId
from gateway.routes.elections_voters import ObjectionId

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

PAGE_SIZE = 50
MAX_OFFSET = 100_000
MIN_REASON, MAX_REASON = 3, 4000
OBJECTION_FILTERS = ("pending", "upheld", "dismissed")
NOMINATION_FILTERS = ("filed", "accepted", "rejected", "withdrawn")


def _offset(request: Request) -> int:
    raw = request.query_params.get("from", "0")
    return int(raw) if raw.isdigit() and int(raw) <= MAX_OFFSET else 0


def _status(request: Request, allowed: tuple[str, ...]) -> str | None:
    asked = request.query_params.get("status", "")
    return asked if asked in allowed else None


def _pager(base: str, status: str | None, offset: int, next_offset: int | None):
    def link(at: int) -> str:
        pairs = [("status", status)] if status else []
        if at:
            pairs.append(("from", str(at)))
        return base + (f"?{urlencode(pairs)}" if pairs else "")
    return (link(next_offset) if next_offset is not None else None,
            link(max(offset - PAGE_SIZE, 0)) if offset else None)



def _reason_error(request: Request, reason: str) -> str | None:
    _ = gettext(request)
    if len(reason) < MIN_REASON:
        return _("Write the reasons for the decision (at least 3 characters).")
    if len(reason) > MAX_REASON:
        return _("At most 4,000 characters.")
    return None


# ------------------------------------------------------------------ objections


async def _objections_page(request: Request, rpc, context, actor, election_id: str, *,
                           status_code: int = 200, failed: dict[str, Any] | None = None):
    status, offset = _status(request, OBJECTION_FILTERS), _offset(request)
    page = await rpc.call("elections", "list_objections", {
        "election_id": election_id, "status": status, "limit": PAGE_SIZE,
        "offset": offset}, context=context)
    next_link, previous_link = _pager(f"/elections/{election_id}/objections", status,
                                      offset, page.get("next_offset"))
    return render(request, "election_objections.html", election_id=election_id,
                  items=page["items"], status=status, filters=OBJECTION_FILTERS,
                  may_decide=RO in grants(actor, election_id), failed=failed or {},
                  decided=request.query_params.get("decided"), next_link=next_link,
                  previous_link=previous_link, status_code=status_code)


@router.get("/elections/{election_id}/objections", name="portal.election_objections")
async def objections(election_id: ElectionId, request: Request, rpc: RpcDep,
                     context: CallContextDep, actor: ActorDep):
    return await _objections_page(request, rpc, context, actor, election_id)


@router.post("/elections/{election_id}/objections/{objection_id}/decision",
             name="portal.election_objection_decision")
async def decide_objection(election_id: ElectionId, objection_id: ObjectionId,
                           request: Request, rpc: RpcDep, context: CallContextDep,
                           actor: ActorDep):
    _ = gettext(request)
    form = await read_form(request)
    decision = str(form.get("decision", ""))
    reason = str(form.get("reason", "")).strip()
    errors: dict[str, str] = {}
    if decision not in ("upheld", "dismissed"):
        errors["decision"] = _("Choose: uphold or dismiss the objection.")
    if problem := _reason_error(request, reason):
        errors["reason"] = problem
    if not errors:
        try:
            await rpc.call("elections", "decide_objection", {
                "election_id": election_id, "objection_id": objection_id,
                "decision": decision, "reason": reason}, context=context)
        except REFUSALS as refused:
            errors["form"] = refusal_text(request, refused)
            status_code = refusal_status(refused)
        else:
            return RedirectResponse(
                f"/elections/{election_id}/objections?decided={objection_id}",
                status_code=303)
    else:
        status_code = 422
    return await _objections_page(
        request, rpc, context, actor, election_id, status_code=status_code,
        failed={"id": objection_id, "errors": errors, "decision": decision,
                "reason": reason})


# ------------------------------------------------------------------ nominations


async def _nominations_page(request: Request, rpc, context, actor, election_id: str, *,
                            status_code: int = 200, failed: dict[str, Any] | None = None):
    status, offset = _status(request, NOMINATION_FILTERS), _offset(request)
    page = await rpc.call("elections", "list_nominations", {
        "election_id": election_id, "contest": None, "category": None,
        "status": status, "limit": PAGE_SIZE, "offset": offset}, context=context)
    next_link, previous_link = _pager(f"/elections/{election_id}/nominations", status,
                                      offset, page.get("next_offset"))
    return render(request, "election_nominations.html", election_id=election_id,
                  items=page["items"], status=status, filters=NOMINATION_FILTERS,
                  may_decide=RO in grants(actor, election_id), failed=failed or {},
                  decided=request.query_params.get("decided"), next_link=next_link,
                  previous_link=previous_link, status_code=status_code)


@router.get("/elections/{election_id}/nominations", name="portal.election_nominations")
async def nominations(election_id: ElectionId, request: Request, rpc: RpcDep,
                      context: CallContextDep, actor: ActorDep):
    return await _nominations_page(request, rpc, context, actor, election_id)


@router.post("/elections/{election_id}/nominations/{nomination_id}/decision",
             name="portal.election_nomination_decision")
async def decide_nomination(election_id: ElectionId, nomination_id: NominationId,
                            request: Request, rpc: RpcDep, context: CallContextDep,
                            actor: ActorDep):
    _ = gettext(request)
    form = await read_form(request)
    decision = str(form.get("decision", ""))
    text = str(form.get("reasons", "")).strip()
    reasons = [line.strip() for line in text.splitlines() if line.strip()]
    errors: dict[str, str] = {}
    if decision not in ("accept", "reject"):
        errors["decision"] = _("Choose: accept or reject the nomination.")
    if decision == "reject" and not reasons:
        errors["reasons"] = _("A rejection needs its reasons: one a line.")
    elif any(len(r) < MIN_REASON or len(r) > MAX_REASON for r in reasons) or len(reasons) > 20:
        errors["reasons"] = _("Up to 20 reasons, one a line, each 3 to 4,000 characters.")
    if not errors:
        try:
            await rpc.call("elections", "decide_nomination", {
                "election_id": election_id, "nomination_id": nomination_id,
                "decision": decision, "reasons": reasons}, context=context)
        except REFUSALS as refused:
            errors["form"] = refusal_text(request, refused)
            status_code = refusal_status(refused)
        else:
            return RedirectResponse(
                f"/elections/{election_id}/nominations?decided={nomination_id}",
                status_code=303)
    else:
        status_code = 422
    return await _nominations_page(
        request, rpc, context, actor, election_id, status_code=status_code,
        failed={"id": nomination_id, "errors": errors, "decision": decision,
                "reasons": text})
