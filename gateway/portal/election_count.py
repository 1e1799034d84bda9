"""The count's pages: booth result entry for the officers assigned to a booth (each
visitor sees the booths the order's officers list names them on; the service checks
again), the RO's reconciliation queue with the figure that counts and its reason, and
Forms 19M/19N: the list, the RO's preview of each and its submission, a submitted
form with the CEA's approval or rejection (reasons required). Each page has the rule of
the API route it stands for; a refusal is shown beside the form in the visitor's
language and nothing is recorded."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from gateway.access import ActorDep
from gateway.deps import CallContextDep, RpcDep
from gateway.portal.election_meeting import recorded_meeting
from gateway.portal.election_pages import (
    CEA,
    REFUSALS,
    RO,
    grants,
    public_context,
    refusal_status,
    refusal_text,
)
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.portal.session import read_form
from gateway.routes.elections import BoothNumber, ElectionId
from gateway.routes.elections_counting import FormId
from services.common.errors import NotFound

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

MAX_VOTES = 10_000_000
MIN_REASON, MAX_REASON = 3, 4000



async def _candidates(rpc, context, election_id: str) -> list[dict[str, Any]]:
    """The contesting candidates of the categories that go to the poll, in order."""
    try:
        contest = await rpc.call("elections", "contesting_candidates", {
            "election_id": election_id, "contest": "board"}, context=public_context(context))
    except NotFound:
        return []
    polled = []
    for category, people in contest["candidates"].items():
        if contest["summary"].get(category, {}).get("unopposed"):
            continue
        polled += [{**person, "category": category} for person in people]
    return polled


def _figures(request: Request, form, candidates: list[dict]) -> tuple[dict, dict]:
    """The posted figures as the API takes them, and each field's error."""
    _ = gettext(request)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def number(field: str) -> int | None:
        raw = str(form.get(field, "")).strip()
        values[field] = raw
        if not raw.isdigit() or int(raw) > MAX_VOTES:
            errors[field] = _("A whole number of votes, 0 or more.")
            return None
        return int(raw)

    figures = {"votes_cast": number("votes_cast"), "rejected": number("rejected"),
               "votes": {}}
    for person in candidates:
        figures["votes"][person["nomination_id"]] = number(f"votes_{person['nomination_id']}")
    return figures, {"errors": errors, "values": values}


def _assigned(election: dict[str, Any], account_id: str | None) -> list[dict[str, Any]]:
    return [booth for booth in election["booths"]
            if any(o.get("account_id") == account_id for o in booth.get("officers", []))]


# ------------------------------------------------------------------ booth results


async def _booths_page(request: Request, rpc, context, actor, election_id: str, *,
                       status_code: int = 200, failed: dict[str, Any] | None = None):
    election = await rpc.call("elections", "get_election", {"election_id": election_id},
                              context=context)
    return render(request, "election_booths.html", election=election,
                  booths=_assigned(election, actor.account_id),
                  candidates=await _candidates(rpc, context, election_id),
                  failed=failed or {}, entered=request.query_params.get("entered"),
                  outcome=request.query_params.get("status"), status_code=status_code)


@router.get("/elections/{election_id}/booths", name="portal.election_booths")
async def booths(election_id: ElectionId, request: Request, rpc: RpcDep,
                 context: CallContextDep, actor: ActorDep):
    return await _booths_page(request, rpc, context, actor, election_id)


@router.post("/elections/{election_id}/booths/{booth_number}/result",
             name="portal.election_booth_result")
async def enter_result(election_id: ElectionId, booth_number: BoothNumber, request: Request,
                       rpc: RpcDep, context: CallContextDep, actor: ActorDep):
    form = await read_form(request)
    candidates = await _candidates(rpc, context, election_id)
    figures, failed = _figures(request, form, candidates)
    if not failed["errors"]:
        try:
            answer = await rpc.call("elections", "enter_booth_result", {
                "election_id": election_id, "booth_number": booth_number,
                **figures}, context=context)
        except REFUSALS as refused:
            failed["errors"]["form"] = refusal_text(request, refused)
            status_code = refusal_status(refused)
        else:
            return RedirectResponse(
                f"/elections/{election_id}/booths?entered={booth_number}"
                f"&status={answer['status']}", status_code=303)
    else:
        status_code = 422
    return await _booths_page(request, rpc, context, actor, election_id,
                              status_code=status_code,
                              failed={**failed, "booth": booth_number})


# ------------------------------------------------------------------ reconciliation


def _differs(entries: list[dict[str, Any]]) -> set[str]:
    """The figures the booth's entries do not agree on (nomination ids for votes)."""
    keys = {"votes_cast", "rejected"}
    differ = {k for k in keys if len({e[k] for e in entries}) > 1}
    candidates = {n for e in entries for n in e["votes"]}
    return differ | {n for n in candidates if len({e["votes"].get(n) for e in entries}) > 1}


async def _queue_page(request: Request, rpc, context, election_id: str, *,
                      status_code: int = 200, failed: dict[str, Any] | None = None):
    queue = await rpc.call("elections", "reconciliation_queue", {
        "election_id": election_id}, context=context)
    return render(request, "election_reconciliation.html", election_id=election_id,
                  items=[{**item, "differs": _differs(item["entries"])}
                         for item in queue["items"]],
                  candidates=await _candidates(rpc, context, election_id),
                  failed=failed or {}, reconciled=request.query_params.get("reconciled"),
                  status_code=status_code)


@router.get("/elections/{election_id}/reconciliation", name="portal.election_reconciliation")
async def reconciliation(election_id: ElectionId, request: Request, rpc: RpcDep,
                         context: CallContextDep):
    return await _queue_page(request, rpc, context, election_id)


@router.post("/elections/{election_id}/reconciliation/{booth_number}",
             name="portal.election_reconcile")
async def reconcile(election_id: ElectionId, booth_number: BoothNumber, request: Request,
                    rpc: RpcDep, context: CallContextDep):
    _ = gettext(request)
    form = await read_form(request)
    candidates = await _candidates(rpc, context, election_id)
    figures, failed = _figures(request, form, candidates)
    reason = str(form.get("reason", "")).strip()
    failed["values"]["reason"] = reason
    if not MIN_REASON <= len(reason) <= MAX_REASON:
        failed["errors"]["reason"] = _("Write why this figure counts (3 to 4,000 "
                                       "characters).")
    if not failed["errors"]:
        try:
            await rpc.call("elections", "reconcile_booth", {
                "election_id": election_id, "booth_number": booth_number,
                **figures, "reason": reason}, context=context)
        except REFUSALS as refused:
            failed["errors"]["form"] = refusal_text(request, refused)
            status_code = refusal_status(refused)
        else:
            return RedirectResponse(
                f"/elections/{election_id}/reconciliation?reconciled={booth_number}",
                status_code=303)
    else:
        status_code = 422
    return await _queue_page(request, rpc, context, election_id, status_code=status_code,
                             failed={**failed, "booth": booth_number})


# ------------------------------------------------------------------ Forms 19M and 19N


@router.get("/elections/{election_id}/forms", name="portal.election_forms")
async def forms(election_id: ElectionId, request: Request, rpc: RpcDep,
                context: CallContextDep, actor: ActorDep):
    listed = await rpc.call("elections", "list_forms", {"election_id": election_id},
                            context=context)
    return render(request, "election_forms.html", election_id=election_id,
                  items=listed["items"], is_ro=RO in grants(actor, election_id))


MEETING_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
MAX_DIRECTORS = 1000
GENERATE = {"19M": "generate_form_19m", "19N": "generate_form_19n"}


def _inputs(request: Request, kind: str, source, *, meeting_recorded: bool = False
            ) -> tuple[dict[str, Any], dict[str, str]]:
    """A form's inputs from the preview's query or the submitted form: Form 19M's (was
    the election peaceful, court cases), and for Form 19N the board meeting's (when and
    where, directors on the board and present, who chaired it) unless the meeting is
    recorded (the service prints the form from the record and ignores them then)."""
    _ = gettext(request)
    peaceful = str(source.get("peaceful", "yes")) != "no"
    disruption = str(source.get("disruption", "")).strip() or None
    court_cases = str(source.get("court_cases", "")).strip() or None
    errors: dict[str, str] = {}
    if not peaceful and not disruption:
        errors["disruption"] = _("Describe the instances of disruption.")
    for field, text in (("disruption", disruption), ("court_cases", court_cases)):
        if text and len(text) > 500:
            errors[field] = _("At most 500 characters.")
    inputs: dict[str, Any] = {"peaceful": peaceful, "disruption": disruption,
                              "court_cases": court_cases}
    if kind == "19N" and not meeting_recorded:
        meeting_at = str(source.get("meeting_at", "")).strip()
        venue = str(source.get("venue", "")).strip()
        chaired = str(source.get("chaired_by_ro", "yes")) != "no"
        chair = str(source.get("chair_name", "")).strip() or None
        counts = {}
        for field in ("incumbent_directors", "attended"):
            raw = str(source.get(field, "")).strip()
            counts[field] = int(raw) if raw.isdigit() and int(raw) <= MAX_DIRECTORS else raw
            if not isinstance(counts[field], int):
                errors[field] = _("A whole number, 0 to 1,000.")
        if not MEETING_AT.match(meeting_at):
            errors["meeting_at"] = _("The date and time of the meeting, as 2026-01-15T11:00.")
        if not venue or len(venue) > 500:
            errors["venue"] = _("Where the meeting was held (up to 500 characters).")
        if not chaired and not chair:
            errors["chair_name"] = _("Name who chaired the meeting.")
        if isinstance(counts["attended"], int) and isinstance(
                counts["incumbent_directors"], int) and \
                counts["attended"] > counts["incumbent_directors"]:
            errors["attended"] = _("More directors present than on the board.")
        inputs.update(meeting_at=meeting_at, venue=venue, chaired_by_ro=chaired,
                      chair_name=chair, **counts)
    return inputs, errors


async def _meeting(rpc, context, election_id: str, kind: str) -> dict[str, Any] | None:
    """The office bearers' meeting as recorded, for Form 19N (None: not recorded)."""
    return await recorded_meeting(rpc, context, election_id) if kind == "19N" else None


async def _preview_page(request: Request, rpc, context, election_id: str, kind: str,
                        inputs, errors, *, status_code: int = 200,
                        refusal: str | None = None, meeting: dict | None = None):
    preview = None
    if not errors:
        try:
            preview = await rpc.call("elections", GENERATE[kind],
                                     {"election_id": election_id, **inputs}, context=context)
        except REFUSALS as refused:
            refusal = refusal or refusal_text(request, refused)
            status_code = max(status_code, refusal_status(refused))
    return render(request, "election_form_preview.html", election_id=election_id,
                  kind=kind, preview=preview, inputs=inputs, errors=errors, refusal=refusal,
                  meeting=meeting, status_code=422 if errors else status_code)


async def _preview(request: Request, rpc, context, election_id: str, kind: str):
    meeting = await _meeting(rpc, context, election_id, kind)
    inputs, errors = _inputs(request, kind, request.query_params,
                             meeting_recorded=meeting is not None)
    if kind == "19N" and meeting is None and not request.query_params:
        # Form 19N needs the meeting's inputs first: the empty form, nothing refused yet.
        return render(request, "election_form_preview.html", election_id=election_id,
                      kind=kind, preview=None, inputs=inputs, errors={}, refusal=None,
                      meeting=None)
    return await _preview_page(request, rpc, context, election_id, kind, inputs, errors,
                               meeting=meeting)


async def _submit(request: Request, rpc, context, election_id: str, kind: str):
    form = await read_form(request)
    meeting = await _meeting(rpc, context, election_id, kind)
    inputs, errors = _inputs(request, kind, form, meeting_recorded=meeting is not None)
    if not errors:
        try:
            submitted = await rpc.call("elections", "submit_form", {
                "election_id": election_id, "form": kind, **inputs}, context=context)
        except REFUSALS as refused:
            return await _preview_page(
                request, rpc, context, election_id, kind, inputs, {},
                status_code=refusal_status(refused),
                refusal=refusal_text(request, refused), meeting=meeting)
        return RedirectResponse(f"/elections/{election_id}/forms/{submitted['id']}",
                                status_code=303)
    return await _preview_page(request, rpc, context, election_id, kind, inputs, errors,
                               meeting=meeting)


@router.get("/elections/{election_id}/forms/19M/preview",
            name="portal.election_form_19m_preview")
async def preview_19m(election_id: ElectionId, request: Request, rpc: RpcDep,
                      context: CallContextDep):
    return await _preview(request, rpc, context, election_id, "19M")


@router.post("/elections/{election_id}/forms/19M", name="portal.election_form_19m_submit")
async def submit_19m(election_id: ElectionId, request: Request, rpc: RpcDep,
                     context: CallContextDep):
    return await _submit(request, rpc, context, election_id, "19M")


@router.get("/elections/{election_id}/forms/19N/preview",
            name="portal.election_form_19n_preview")
async def preview_19n(election_id: ElectionId, request: Request, rpc: RpcDep,
                      context: CallContextDep):
    return await _preview(request, rpc, context, election_id, "19N")


@router.post("/elections/{election_id}/forms/19N", name="portal.election_form_19n_submit")
async def submit_19n(election_id: ElectionId, request: Request, rpc: RpcDep,
                     context: CallContextDep):
    return await _submit(request, rpc, context, election_id, "19N")


async def _form_page(request: Request, rpc, context, actor, election_id: str, form_id: str,
                     *, status_code: int = 200, failed: dict[str, Any] | None = None):
    found = await rpc.call("elections", "get_form", {"election_id": election_id,
                                                     "form_id": form_id}, context=context)
    return render(request, "election_form.html", election_id=election_id, form=found,
                  may_decide=CEA in grants(actor, election_id), failed=failed or {},
                  status_code=status_code)


@router.get("/elections/{election_id}/forms/{form_id}", name="portal.election_form")
async def form_page(election_id: ElectionId, form_id: FormId, request: Request,
                    rpc: RpcDep, context: CallContextDep, actor: ActorDep):
    return await _form_page(request, rpc, context, actor, election_id, form_id)


@router.post("/elections/{election_id}/forms/{form_id}/decision",
             name="portal.election_form_decision")
async def decide_form(election_id: ElectionId, form_id: FormId, request: Request,
                      rpc: RpcDep, context: CallContextDep, actor: ActorDep):
    _ = gettext(request)
    form = await read_form(request)
    decision = str(form.get("decision", ""))
    reason = str(form.get("reason", "")).strip()
    errors: dict[str, str] = {}
    if decision not in ("approve", "reject"):
        errors["decision"] = _("Choose: approve or reject the form.")
    if not MIN_REASON <= len(reason) <= MAX_REASON:
        errors["reason"] = _("Write the reasons for the decision (at least 3 characters).")
    status_code = 422
    if not errors:
        try:
            await rpc.call("elections", "decide_form", {
                "election_id": election_id, "form_id": form_id, "decision": decision,
                "reason": reason}, context=context)
        except REFUSALS as refused:
            errors["form"] = refusal_text(request, refused)
            status_code = refusal_status(refused)
        else:
            return RedirectResponse(f"/elections/{election_id}/forms/{form_id}",
                                    status_code=303)
    return await _form_page(request, rpc, context, actor, election_id, form_id,
                            status_code=status_code,
                            failed={"errors": errors, "decision": decision, "reason": reason})
