"""The application tracker: the stage, the deadline, the time left and every step of an
application the visitor may see. The registry decides which (the applicant's own, or the
office's), as it does for ``GET /v1/applications/{id}``; the page has that route's rule."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request

from gateway.deps import CallContextDep, RpcDep
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from services.common.errors import NotFound

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

APPLICATION_NUMBER = re.compile(r"^[0-9a-f-]{36}$")


@router.get("/track", name="portal.track")
async def track(request: Request, rpc: RpcDep, context: CallContextDep):
    _ = gettext(request)
    number = request.query_params.get("number", "").strip().lower()
    application, errors = None, {}
    if number:
        if not APPLICATION_NUMBER.match(number):
            errors["number"] = _("An application number has 36 characters, as the "
                                 "acknowledgement shows it.")
        else:
            try:
                application = await rpc.call("registry", "get_application",
                                             {"application_id": number}, context=context)
            except NotFound:
                errors["number"] = _("No application with this number is yours to see.")
    return render(request, "track.html", number=number, application=application,
                  errors=errors, status_code=422 if errors else 200)
