"""The scrutiny page of one application, for the registrar's staff: the application as
``GET /v1/applications/{id}`` answers the officer (its stage and deadline, the
applicant, its steps so far, its promoters' e-verification), the form's data field by
field beside the documents it names (each a link to the portal's ``/documents/{id}``),
and the office's steps the registry takes from the application's stage and the
officer's role, each a form posting to a page with its API route's rule: take it up
(``POST .../take-up``), raise a query (``.../query``), schedule the hearing
(``.../hearing``: a day and time in IST and the meeting link), approve (``.../approve``)
or reject with the reasons (``.../reject``).

What the page can check it checks first, beside the field, in the visitor's language;
the registry's refusals (a step its stage does not allow, a role that may not, a field
it refuses) come back beside the form or the field, with what was typed kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from gateway.access import ActorDep
from gateway.deps import CallContextDep, RpcDep
from gateway.portal import labels
from gateway.portal.case_hearings import TIME, parse_day
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.portal.session import read_form
from gateway.routes.applications import ApplicationId
from gateway.rules.registry import RULES as REGISTRY_RULES
from services.common.errors import Conflict, Forbidden, InvalidInput
from services.common.india import INDIA

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

MAX_NOTE, MAX_LINK = 4000, 500
LINK = re.compile(r"^https://\S+$")
REFUSALS = (Conflict, Forbidden, InvalidInput)
AUDIT_RULE = REGISTRY_RULES["applications.audit"]
# The office's steps (services/registry/applications/workflow.py ``STEPS``): the stages
# each starts from and the roles that take it. The registry checks again.
STAFF, REGISTRAR = ("dealing_officer", "registrar"), ("registrar",)
ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "take_up": (("submitted",), STAFF),
    "raise_query": (("under_scrutiny", "hearing_scheduled"), STAFF),
    "schedule_hearing": (("under_scrutiny", "hearing_scheduled"), STAFF),
    "approve": (("under_scrutiny", "hearing_scheduled"), REGISTRAR),
    "reject": (("under_scrutiny", "hearing_scheduled"), REGISTRAR),
}
# The page's path for each step, and the form's field for each field the registry names.
PATHS = {"take_up": "take-up", "raise_query": "query", "schedule_hearing": "hearing",
         "approve": "approve", "reject": "reject"}
FIELD_OF = {"note": "note", "hearing_at": "hearing_day", "hearing_link": "hearing_link"}


def _roles(actor) -> set[str]:
    principal = actor.principal
    return {grant.role for grant in (principal.grants if principal else ())}


def offered(application: dict[str, Any], roles: set[str]) -> list[str]:
    """The office's steps the application's stage allows and the visitor's role takes."""
    return [action for action, (stages, takers) in ACTIONS.items()
            if application["stage"] in stages and roles & set(takers)]


def documents_of(data: Any) -> list[str]:
    """Every document id the form names (fields ending ``document_ids`` or
    ``document_id``, anywhere in it), in order, once each."""
    found: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key.endswith(("document_ids", "document_id")):
            if value not in found:
                found.append(value)

    walk(data)
    return found


def read_step(request: Request, action: str, form, now: datetime | None = None
              ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The posted step as ``transition_application``'s payload (without the
    application), each field's error the page can tell, and what was typed."""
    _ = gettext(request)
    typed = {name: str(form.get(name, "")).strip()
             for name in ("note", "hearing_day", "hearing_time", "hearing_link")}
    errors: dict[str, str] = {}
    payload: dict[str, Any] = {"action": action}
    note = typed["note"]
    if action == "raise_query" and not note:
        errors["note"] = _("Write the query to the applicant.")
    elif action == "reject" and not note:
        errors["note"] = _("Write the reasons for the rejection.")
    elif len(note) > MAX_NOTE:
        errors["note"] = _("At most 4,000 characters.")
    if note:
        payload["note"] = note
    if action == "schedule_hearing":
        day, clock = parse_day(typed["hearing_day"]), TIME.match(typed["hearing_time"])
        if day is None:
            errors["hearing_day"] = _("The day of the hearing, as 15-01-2027.")
        if clock is None:
            errors["hearing_time"] = _("The time of the hearing (IST), as 11:00.")
        if day is not None and clock is not None:
            at = datetime(day.year, day.month, day.day, int(clock[1]), int(clock[2]),
                          tzinfo=INDIA)
            if at <= (now or datetime.now(UTC)):
                errors["hearing_day"] = _("A hearing is fixed for a later day and time.")
            payload["hearing_at"] = at.isoformat()
        link = typed["hearing_link"]
        if not LINK.match(link) or len(link) > MAX_LINK:
            errors["hearing_link"] = _("The virtual meeting's link, starting https://.")
        payload["hearing_link"] = link
    return payload, errors, typed


def refusal_errors(request: Request, refused: Exception,
                   field_of: dict[str, str] = FIELD_OF) -> dict[str, str]:
    """The registry's refusal beside the field it names (``field_of``: the registry's
    field names to the form's), or beside the form."""
    _ = gettext(request)
    details = getattr(refused, "details", {}) or {}
    if isinstance(refused, Forbidden):
        return {"form": _("Your role may not take this step on this application.")}
    if isinstance(refused, Conflict) and details.get("stage"):
        stage = gettext(request)(labels.APPLICATION_STAGES_SHOWN.get(
            details["stage"], details["stage"]))
        return {"form": _("This step is not possible now: the application is "
                          "“%(stage)s”.") % {"stage": stage}}
    errors: dict[str, str] = {}
    for path, problem in (details.get("fields") or {}).items():
        name = next((field_of[part] for part in reversed(str(path).split("."))
                     if part in field_of), "form")
        errors[name] = _("The registry refused this: %(reason)s") % {"reason": problem}
    if "form" not in errors:
        errors["form"] = _("The registry refused this: %(reason)s") % {
            "reason": getattr(refused, "message", str(refused))}
    return errors


async def _page(request: Request, rpc, context, actor, application_id: str, *,
                status_code: int = 200, failed: dict[str, Any] | None = None):
    application = await rpc.call("registry", "get_application",
                                 {"application_id": application_id}, context=context)
    data = application.get("data") or {}
    order = list(labels.APPLICATION_FIELDS)
    fields = sorted(((k, v) for k, v in data.items() if not k.endswith("document_ids")),
                    key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    return render(request, "application_scrutiny.html", application=application,
                  fields=fields, documents=documents_of(data),
                  actions=offered(application, _roles(actor)), paths=PATHS,
                  failed=failed or {}, done=request.query_params.get("done"),
                  may_audit=context.actor_role in AUDIT_RULE.roles,
                  status_code=status_code)


@router.get("/applications/{application_id}/scrutiny", name="portal.application_scrutiny")
async def scrutiny(application_id: ApplicationId, request: Request, rpc: RpcDep,
                   context: CallContextDep, actor: ActorDep):
    return await _page(request, rpc, context, actor, application_id)


async def _step(request: Request, rpc, context, actor, application_id: str, action: str):
    form = await read_form(request)
    payload, errors, typed = read_step(request, action, form)
    status_code = 422
    if not errors:
        try:
            await rpc.call("registry", "transition_application",
                           {"application_id": application_id, **payload}, context=context)
        except REFUSALS as refused:
            errors = refusal_errors(request, refused)
            status_code = getattr(refused, "http_status", 422)
        else:
            return RedirectResponse(
                f"/applications/{application_id}/scrutiny?done={action}", status_code=303)
    return await _page(request, rpc, context, actor, application_id,
                       status_code=status_code,
                       failed={"action": action, "errors": errors, "typed": typed})


@router.post("/applications/{application_id}/scrutiny/take-up",
             name="portal.application_take_up")
async def take_up(application_id: ApplicationId, request: Request, rpc: RpcDep,
                  context: CallContextDep, actor: ActorDep):
    return await _step(request, rpc, context, actor, application_id, "take_up")


@router.post("/applications/{application_id}/scrutiny/query",
             name="portal.application_query")
async def raise_query(application_id: ApplicationId, request: Request, rpc: RpcDep,
                      context: CallContextDep, actor: ActorDep):
    return await _step(request, rpc, context, actor, application_id, "raise_query")


@router.post("/applications/{application_id}/scrutiny/hearing",
             name="portal.application_hearing")
async def schedule_hearing(application_id: ApplicationId, request: Request, rpc: RpcDep,
                           context: CallContextDep, actor: ActorDep):
    return await _step(request, rpc, context, actor, application_id, "schedule_hearing")


@router.post("/applications/{application_id}/scrutiny/approve",
             name="portal.application_approve")
async def approve(application_id: ApplicationId, request: Request, rpc: RpcDep,
                  context: CallContextDep, actor: ActorDep):
    return await _step(request, rpc, context, actor, application_id, "approve")


@router.post("/applications/{application_id}/scrutiny/reject",
             name="portal.application_reject")
async def reject(application_id: ApplicationId, request: Request, rpc: RpcDep,
                 context: CallContextDep, actor: ActorDep):
    return await _step(request, rpc, context, actor, application_id, "reject")
