"""Hearings and orders from a case's page: the forms of ``POST /v1/cases/{id}/hearings``
and ``POST /v1/cases/{id}/orders`` for whom the case lets take them. A hearing is the
kind's hearing action (``hear`` of an appeal or an arbitration, ``list_hearing`` of a
court case), an order its order action (an appeal's ``decide``, an arbitration's
``make_award``, a court case's ``record_order`` or, final, ``dispose``): the page offers
a form only when that action is among the case's ``allowed_actions``, in place of the
bare step. Each form is checked as the contract takes it, beside its fields, in the
visitor's language, before the grievance service is asked; the service's refusals
(the role, the state, each naming its rule; a moment in the past) come back beside the
form with what was typed kept."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from gateway.deps import CallContextDep, RpcDep
from gateway.portal.case_pages import REFUSALS, refusal_errors, refusal_status
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext
from gateway.portal.session import read_form
from gateway.routes.grievance import CaseId
from services.common.india import INDIA

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

# The kind's action a hearing takes, and an order's by (kind, final): the grievance
# service's tables (services/grievance/hearings/rules.py; a unit test keeps them equal).
HEARING_ACTION = {"appeal": "hear", "arbitration": "hear", "court_case": "list_hearing"}
ORDER_ACTION = {("appeal", True): "decide", ("arbitration", True): "make_award",
                ("court_case", False): "record_order", ("court_case", True): "dispose"}


def taken_by_form(kind: str) -> set[str]:
    """The kind's actions the hearing and order forms take (not offered bare)."""
    return ({HEARING_ACTION[kind]} if kind in HEARING_ACTION else set()) | {
        action for (of, _final), action in ORDER_ACTION.items() if of == kind}


DAY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
PHONE = re.compile(r"^\+?[0-9]{10,15}$")
DOCUMENT_ID = re.compile(r"^[0-9a-f-]{36}$")
MAX_NAME, MIN_SUMMARY, MAX_SUMMARY, MAX_PHONES = 300, 3, 8000, 10
HEARING_FIELDS = ("hearing_day", "hearing_time", "place", "purpose", "alert_phones")
ORDER_FIELDS = ("order_day", "summary", "document_id", "final")
# The contracts' field names to the forms' (pydantic's paths keep the payload's names).
HEARING_FIELD_OF = {"hearing_at": "hearing_day", "place": "place", "purpose": "purpose",
                    "alert_phones": "alert_phones", "case_id": "form"}
ORDER_FIELD_OF = {"order_date": "order_day", "summary": "summary",
                  "document_id": "document_id", "final": "final", "case_id": "form"}


def forms_for(case: dict[str, Any]) -> dict[str, Any]:
    """Which of the two forms the case's page offers the visitor: the hearing form if
    the kind's hearing action is allowed, the order form with the finalities whose
    action is allowed (a court case may take both, an appeal and an arbitration only a
    final one)."""
    allowed = set(case.get("allowed_actions") or ())
    kind = case.get("kind")
    finals = [final for (of, final), action in ORDER_ACTION.items()
              if of == kind and action in allowed]
    return {"hearing": HEARING_ACTION.get(kind) in allowed, "order_finals": finals}


def parse_day(text: str) -> date | None:
    """A day as India writes it (dd-mm-yyyy; dots or slashes too), or None."""
    found = DAY.match(text)
    if not found:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_hearing(request: Request, form, now: datetime | None = None
                 ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The posted hearing as ``schedule_hearing``'s payload (without the case), the
    errors the page can tell beside their fields, and what was typed."""
    _ = gettext(request)
    typed = {name: str(form.get(name, "")).strip() for name in HEARING_FIELDS}
    errors: dict[str, str] = {}
    payload: dict[str, Any] = {}
    day = parse_day(typed["hearing_day"])
    clock = TIME.match(typed["hearing_time"])
    if day is None:
        errors["hearing_day"] = _("The day of the hearing, as 15-01-2027.")
    if clock is None:
        errors["hearing_time"] = _("The time of the hearing (IST), as 11:00.")
    if day is not None and clock is not None:
        at = datetime(day.year, day.month, day.day, int(clock[1]), int(clock[2]))
        if at.replace(tzinfo=INDIA) <= (now or datetime.now(UTC)):
            errors["hearing_day"] = _("A hearing is fixed for a later day and time.")
        payload["hearing_at"] = at.isoformat()
    for name in ("place", "purpose"):
        if not typed[name]:
            errors[name] = (_("Where the hearing is held.") if name == "place"
                            else _("What the hearing is for."))
        elif len(typed[name]) > MAX_NAME:
            errors[name] = _("At most 300 characters.")
        payload[name] = typed[name]
    phones = typed["alert_phones"].split()
    if len(phones) > MAX_PHONES or not all(PHONE.match(p) for p in phones):
        errors["alert_phones"] = _("Up to 10 mobile numbers, one a line, 10 to 15 digits "
                                   "each.")
    payload["alert_phones"] = phones
    return payload, errors, typed


def read_order(request: Request, form, finals: list[bool]
               ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The posted order as ``record_order``'s payload (without the case), the errors
    the page can tell beside their fields, and what was typed. Final or interim is
    the form's choice only where the case takes both; else the one it takes."""
    _ = gettext(request)
    typed = {name: str(form.get(name, "")).strip() for name in ORDER_FIELDS}
    errors: dict[str, str] = {}
    payload: dict[str, Any] = {}
    day = parse_day(typed["order_day"])
    if day is None:
        errors["order_day"] = _("The date of the order, as 15-01-2027.")
    else:
        payload["order_date"] = day.isoformat()
    summary = typed["summary"]
    if not MIN_SUMMARY <= len(summary) <= MAX_SUMMARY:
        errors["summary"] = _("What the order says, in 3 to 8,000 characters.")
    payload["summary"] = summary
    if typed["document_id"]:
        if not DOCUMENT_ID.match(typed["document_id"]):
            errors["document_id"] = _("A document id as the documents service gave it "
                                      "(36 characters).")
        payload["document_id"] = typed["document_id"]
    if len(finals) == 1:
        payload["final"] = finals[0]
    elif typed["final"] in ("yes", "no"):
        payload["final"] = typed["final"] == "yes"
    else:
        errors["final"] = _("Say whether the order is final or interim.")
    return payload, errors, typed


def _refused(request: Request, refused: Exception, field_of: dict[str, str]):
    return refusal_errors(request, refused, field_of), refusal_status(refused)


@router.post("/cases/{case_id}/hearings", name="portal.case_hearing")
async def fix_hearing(case_id: CaseId, request: Request, rpc: RpcDep,
                      context: CallContextDep):
    """Fix a hearing: the parties are told by the grievance service (mailbox, SMS to
    the numbers given the day before)."""
    from gateway.portal.cases import case_page

    form = await read_form(request)
    payload, errors, typed = read_hearing(request, form)
    status_code = 422
    if not errors:
        try:
            await rpc.call("grievance", "schedule_hearing", {"case_id": case_id, **payload},
                           context=context)
        except REFUSALS as refused:
            errors, status_code = _refused(request, refused, HEARING_FIELD_OF)
        else:
            return RedirectResponse(f"/cases/{case_id}?fixed=hearing", status_code=303)
    return await case_page(request, rpc, context, case_id, status_code=status_code,
                           failed={"action": "hearing", "errors": errors, **typed})


@router.post("/cases/{case_id}/orders", name="portal.case_order")
async def pass_order(case_id: CaseId, request: Request, rpc: RpcDep,
                     context: CallContextDep):
    """Record an order; a final one decides or disposes of the case."""
    from gateway.portal.cases import case_page

    form = await read_form(request)
    found = await rpc.call("grievance", "get_case", {"case_id": case_id}, context=context)
    payload, errors, typed = read_order(request, form, forms_for(found)["order_finals"]
                                        or [True, False])
    status_code = 422
    if not errors:
        try:
            await rpc.call("grievance", "record_order", {"case_id": case_id, **payload},
                           context=context)
        except REFUSALS as refused:
            errors, status_code = _refused(request, refused, ORDER_FIELD_OF)
        else:
            return RedirectResponse(f"/cases/{case_id}?fixed=order", status_code=303)
    return await case_page(request, rpc, context, case_id, status_code=status_code,
                           failed={"action": "order", "errors": errors, **typed})
