"""A court case's public status by its number, for anyone: what
``GET /v1/court-cases/status/{number}`` answers (the court, the parties, the state, the
hearings with the next one, the orders without their documents), asked with the
anonymous context as that public route asks it. Other kinds of case are not public."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request

from gateway.deps import CallContextDep, RpcDep
from gateway.portal.case_pages import names
from gateway.portal.election_pages import public_context
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from services.common.errors import NotFound

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

# The route's own pattern (gateway/routes/grievance_hearings.py, CourtNumber).
NUMBER = re.compile(r"^[A-Za-z0-9()./ -]{1,100}$")


@router.get("/court-cases", name="portal.court_case_status")
async def court_case_status(request: Request, rpc: RpcDep, context: CallContextDep):
    _ = gettext(request)
    number = request.query_params.get("number", "").strip()
    errors, found, status_code = {}, None, 200
    if number and not NUMBER.match(number):
        errors["number"] = _("A case number has letters, digits, spaces and ( ) . / - "
                             "only, up to 100 of them.")
        status_code = 422
    elif number:
        try:
            found = await rpc.call("grievance", "public_case_status", {"number": number},
                                   context=public_context(context))
        except NotFound:
            errors["number"] = _("No court case the registrar's offices are party to has "
                                 "this number.")
            status_code = 404
    return render(request, "case_status.html", C=names(request), number=number,
                  errors=errors, found=found, status_code=status_code)
