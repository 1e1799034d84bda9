"""Raising a grievance from the portal (a citizen signed in by one-time code, or a
society's representative): the form of ``POST /v1/grievances``, checked field by field
in the visitor's language before the grievance service is asked, and the service's own
refusals (an unknown society, a field it refuses) shown beside their fields. The case
opens at the office the service routes it to; the page then shows it."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from gateway.access import ActorDep
from gateway.deps import CallContextDep, RpcDep
from gateway.portal import case_labels
from gateway.portal.case_pages import names
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.portal.session import read_form
from services.common.errors import InvalidInput, NotFound

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

SOCIETY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
FIELDS = ("complainant_type", "against_type", "against_name", "society_id", "category",
          "subject", "description")
# The contract's names for the form's fields (pydantic's error paths).
SERVICE_FIELDS = {name: name for name in FIELDS}


def _blank(request: Request, actor) -> dict[str, str]:
    return {"complainant_type": "citizen" if actor.role == "citizen" else "member",
            "against_type": "society", "against_name": "",
            "society_id": request.query_params.get("society", "")[:64], "category": "",
            "subject": "", "description": ""}


def _form_page(request: Request, values: dict[str, str], errors: dict[str, str],
               status_code: int = 200):
    return render(request, "case_raise.html", C=names(request), values=values,
                  errors=errors, status_code=status_code)


def _check(request: Request, values: dict[str, str]) -> dict[str, str]:
    """What the page can tell before asking: each field as the contract takes it."""
    _ = gettext(request)
    errors = {}
    if values["complainant_type"] not in case_labels.COMPLAINANT_TYPES:
        errors["complainant_type"] = _("Choose who you are in this grievance.")
    if values["against_type"] not in case_labels.AGAINST_TYPES:
        errors["against_type"] = _("Choose whom the grievance is against.")
    elif values["against_type"] != "portal" and not SOCIETY_ID.match(values["society_id"]):
        errors["society_id"] = _("Give the society's id, as its page in the directory "
                                 "shows it.")
    if (values["against_type"] in ("board_member", "officer", "external_user")
            and not values["against_name"]):
        errors["against_name"] = _("Name the person the grievance is against.")
    if len(values["against_name"]) > 300:
        errors["against_name"] = _("At most 300 characters.")
    if values["category"] not in case_labels.CASE_CATEGORIES:
        errors["category"] = _("Choose what the grievance is about.")
    if not 3 <= len(values["subject"]) <= 300:
        errors["subject"] = _("Write a subject of 3 to 300 characters.")
    if not 3 <= len(values["description"]) <= 8000:
        errors["description"] = _("Describe the grievance in 3 to 8,000 characters.")
    return errors


def _service_errors(request: Request, refused: Exception) -> dict[str, str]:
    _ = gettext(request)
    if isinstance(refused, NotFound):
        return {"society_id": _("No registered society has this id.")}
    errors = {}
    for path, problem in (refused.details.get("fields") or {}).items():
        name = SERVICE_FIELDS.get(str(path).split(".")[-1])
        if name:
            errors[name] = _("The grievance service refused this: %(reason)s") % {
                "reason": problem}
    return errors or {"form": _("The grievance service refused this: %(reason)s") % {
        "reason": refused.message}}


@router.get("/grievances/new", name="portal.grievance_form")
async def grievance_form(request: Request, actor: ActorDep):
    return _form_page(request, _blank(request, actor), {})


@router.post("/grievances/new", name="portal.grievance_raise")
async def raise_grievance(request: Request, rpc: RpcDep, context: CallContextDep):
    form = await read_form(request)
    values = {name: str(form.get(name, "")).strip() for name in FIELDS}
    errors = _check(request, values)
    if errors:
        return _form_page(request, values, errors, 422)
    payload: dict[str, Any] = {
        "complainant_type": values["complainant_type"],
        "against_type": values["against_type"], "category": values["category"],
        "subject": values["subject"], "description": values["description"],
        "language": request.state.portal_language}
    if values["against_name"]:
        payload["against_name"] = values["against_name"]
    if values["against_type"] != "portal":
        payload["society_id"] = values["society_id"]
    try:
        raised = await rpc.call("grievance", "raise_grievance", payload, context=context)
    except (InvalidInput, NotFound) as refused:
        status_code = 404 if isinstance(refused, NotFound) else 422
        return _form_page(request, values, _service_errors(request, refused), status_code)
    return RedirectResponse(f"/cases/{raised['id']}?raised=1", status_code=303)
