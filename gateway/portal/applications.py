"""The application tracker: the stage, the deadline, the time left and every step of an
application the visitor may see. The registry decides which (the applicant's own, or the
office's), as it does for ``GET /v1/applications/{id}``; the page has that route's rule.

While the office's query is open (``query_raised``) the applicant, or the society's
representative, reads the query on the tracker and replies there: the reply and the ids
of the documents it adds, posted as ``POST /v1/applications/{id}/reply`` posts them
(``registry.transition_application`` with ``action: reply``). What the page can check it
checks first, beside the field; the registry's refusals come back beside the form or the
field, with what was typed kept."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from gateway.deps import CallContextDep, RpcDep
from gateway.portal.application_scrutiny import MAX_NOTE, REFUSALS, refusal_errors
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.portal.session import read_form
from gateway.routes.applications import ApplicationId
from gateway.rules.registry import APPLICANTS
from services.common.errors import NotFound

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

APPLICATION_NUMBER = re.compile(r"^[0-9a-f-]{36}$")
# A document id as the documents service gives it (32 hex digits) or as a UUID.
DOCUMENT_ID = re.compile(r"^([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                         r"[0-9a-f]{4}-[0-9a-f]{12})$")
MAX_DOCUMENTS = 50      # as the API's ReplyIn takes them
REPLY_FIELDS = {"note": "note", "document_ids": "document_ids"}


def the_query(application: dict[str, Any]) -> str | None:
    """The office's open query: the note of the step that raised it (the latest)."""
    for step in reversed(application.get("history") or []):
        if step.get("stage") == "query_raised":
            return step.get("note") or application.get("reason")
    return application.get("reason")


def may_reply(application: dict[str, Any] | None, role: str | None) -> bool:
    return bool(application) and application["stage"] == "query_raised" \
        and role in APPLICANTS


def read_reply(request: Request, form) -> tuple[dict[str, Any], dict[str, str],
                                                 dict[str, str]]:
    """The posted reply as the API's ``ReplyIn`` (note, document ids), each field's
    error the page can tell, and what was typed."""
    _ = gettext(request)
    typed = {name: str(form.get(name, "")).strip() for name in ("note", "document_ids")}
    errors: dict[str, str] = {}
    note = typed["note"]
    if not note:
        errors["note"] = _("Write your reply to the office's query.")
    elif len(note) > MAX_NOTE:
        errors["note"] = _("At most 4,000 characters.")
    documents: list[str] = []
    for line in typed["document_ids"].splitlines():
        line = line.strip().lower()
        if line and line not in documents:
            documents.append(line)
    wrong = [d for d in documents if not DOCUMENT_ID.match(d)]
    if wrong:
        errors["document_ids"] = _("Not a document id: %(ids)s. A document id has 32 "
                                   "characters, as the documents page shows it.") % {
            "ids": ", ".join(w[:40] for w in wrong[:3])}
    elif len(documents) > MAX_DOCUMENTS:
        errors["document_ids"] = _("At most 50 documents with one reply.")
    payload: dict[str, Any] = {"action": "reply", "note": note}
    if documents:
        payload["document_ids"] = documents
    return payload, errors, typed


def _track_page(request: Request, context, number: str, application, errors, *,
                reply: dict[str, Any] | None = None, status_code: int | None = None):
    return render(request, "track.html", number=number, application=application,
                  errors=errors, query=the_query(application) if application else None,
                  may_reply=may_reply(application, context.actor_role),
                  reply=reply or {"errors": {}, "typed": {}},
                  done=request.query_params.get("done") == "reply",
                  status_code=status_code or (422 if errors else 200))


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
    return _track_page(request, context, number, application, errors)


@router.post("/applications/{application_id}/reply", name="portal.application_reply")
async def reply(application_id: ApplicationId, request: Request, rpc: RpcDep,
                context: CallContextDep):
    """The applicant's reply to the office's query, then the tracker again."""
    form = await read_form(request)
    payload, errors, typed = read_reply(request, form)
    status_code = 422
    if not errors:
        try:
            await rpc.call("registry", "transition_application",
                           {"application_id": application_id, **payload}, context=context)
        except REFUSALS as refused:
            errors = refusal_errors(request, refused, REPLY_FIELDS)
            status_code = getattr(refused, "http_status", 422)
        else:
            return RedirectResponse(f"/track?number={application_id}&done=reply",
                                    status_code=303)
    application = await rpc.call("registry", "get_application",
                                 {"application_id": application_id}, context=context)
    return _track_page(request, context, application_id, application, {},
                       reply={"errors": errors, "typed": typed, "shown": True},
                       status_code=status_code)
