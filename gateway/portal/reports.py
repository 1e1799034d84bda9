"""The registrar's staff's reports: societies by state, type and status, the open and
overdue applications of each office, and one return's filing compliance, each a bar
chart drawn on the server (gateway/portal/charts.py) beside a table of the same
figures.

The figures are the API's: ``GET /v1/reports/societies?by=`` (``registry.
report_societies``), ``GET /v1/reports/applications?by=overdue`` and ``GET
/v1/filings/compliance/view`` (its ``summary``), asked with the visitor's grant, so an
office sees its own offices' figures and no page shows what those routes would not.
The three are asked at once; one that cannot be read (its service down, a form code
the filings service does not know) is said in its place and the others are shown."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from fastapi import APIRouter, Request

from gateway.deps import CallContextDep, RpcDep
from gateway.portal import charts, labels
from gateway.portal.labels import N_
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.rpc import BrokerUnavailable, RpcTimeout, ServiceUnavailable
from services.common.errors import Forbidden, InvalidInput, NotFound
from services.common.india import grouped

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

DEFAULT_FORM = "MSCS/ANNUAL"
FORM_CODE = re.compile(r"^[A-Z0-9][A-Z0-9/_-]{1,39}$")
OFFICE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# What may keep one report from being read without keeping the others.
NOT_ANSWERING = (BrokerUnavailable, ServiceUnavailable, RpcTimeout)
UNREADABLE = (*NOT_ANSWERING, NotFound, Forbidden, InvalidInput)
COMPLIANCE_STATUSES = {
    "filed_on_time": N_("Filed on time"), "filed_late": N_("Filed late"),
    "overdue": N_("Overdue"), "not_yet_due": N_("Not yet due"),
}
SOCIETY_REPORTS = (
    ("state", N_("Societies by state"), None),
    ("type", N_("Societies by type"), labels.SOCIETY_TYPES),
    ("status", N_("Societies by status"), labels.SOCIETY_STATUSES_SHOWN),
)


def _chosen(request: Request, name: str, pattern: re.Pattern, default: str | None):
    raw = request.query_params.get(name, "").strip()
    return raw if pattern.match(raw) else default


def _society_section(_, title: str, names: dict | None, answer: dict) -> dict[str, Any]:
    key = answer["by"]
    rows = sorted(answer["rows"], key=lambda r: (-r["count"], str(r[key])))
    bars = [charts.Bar(_(names[r[key]]) if names and r[key] in names
                       else str(r[key] or _("Not recorded")), r["count"]) for r in rows]
    return {"title": _(title), "bars": bars, "total": answer["total"],
            "chart": charts.bar_chart(_(title), bars, description=_(
                "%(n)s societies in all.") % {"n": grouped(answer["total"])})}


def _applications_section(_, answer: dict) -> dict[str, Any]:
    offices: dict[str, list[int]] = {}
    for row in answer["rows"]:      # one row per office and stage
        figures = offices.setdefault(row["office_id"], [0, 0])
        figures[0] += row["open"]
        figures[1] += row["overdue"]
    bars = [charts.Bar(office, figures[0], figures[1]) for office, figures in
            sorted(offices.items(), key=lambda item: (-item[1][1], -item[1][0], item[0]))]
    title = _("Open applications by office, the overdue in red")
    late = sum(b.part or 0 for b in bars)
    return {"title": title, "bars": bars, "total": sum(b.value for b in bars),
            "overdue": late,
            "chart": charts.bar_chart(title, bars, part_name=_("overdue"), description=_(
                "%(open)s open applications, %(late)s of them overdue.") % {
                "open": grouped(sum(b.value for b in bars)),
                "late": grouped(late)})}


def _compliance_section(_, form_code: str, answer: dict) -> dict[str, Any]:
    summary = answer.get("summary", {})
    bars = [charts.Bar(_(name), int(summary.get(status, 0)))
            for status, name in COMPLIANCE_STATUSES.items()]
    title = _("Filing compliance of %(form)s") % {"form": form_code}
    return {"title": title, "bars": bars, "total": sum(b.value for b in bars),
            "as_on": answer.get("as_on"),
            "chart": charts.bar_chart(title, bars, description=_(
                "%(n)s societies owe this return.") % {
                "n": grouped(sum(b.value for b in bars))})}


@router.get("/reports", name="portal.reports")
async def reports(request: Request, rpc: RpcDep, context: CallContextDep):
    _ = gettext(request)
    office = _chosen(request, "office", OFFICE_ID, None)
    form_code = _chosen(request, "form", FORM_CODE, DEFAULT_FORM)
    asked = [rpc.call("registry", "report_societies", {"by": by, "office_id": office},
                      context=context) for by, _title, _names in SOCIETY_REPORTS]
    asked.append(rpc.call("registry", "report_applications",
                          {"by": "overdue", "office_id": office}, context=context))
    asked.append(rpc.call("filings", "compliance_view",
                          {"form_code": form_code, "limit": 1, "offset": 0},
                          context=context))
    answers = await asyncio.gather(*asked, return_exceptions=True)
    for answer in answers:
        if isinstance(answer, BaseException) and not isinstance(answer, UNREADABLE):
            raise answer
    sections = []
    for (_by, title, names), answer in zip(SOCIETY_REPORTS, answers[:3], strict=True):
        sections.append(_unreadable(_, _(title), answer) if isinstance(answer, Exception)
                        else _society_section(_, title, names, answer))
    applications, compliance = answers[3], answers[4]
    sections.append(_unreadable(_, _("Open applications by office"), applications)
                    if isinstance(applications, Exception)
                    else _applications_section(_, applications))
    sections.append(_unreadable(_, _("Filing compliance of %(form)s") % {"form": form_code},
                                compliance)
                    if isinstance(compliance, Exception)
                    else _compliance_section(_, form_code, compliance))
    return render(request, "reports.html", sections=sections, office=office or "",
                  form_code=form_code,
                  key=[(charts.FILL, _("open")), (charts.PART_FILL, _("overdue"))])


def _unreadable(_, title: str, refused: Exception) -> dict[str, Any]:
    reason = (_("The service that keeps these figures is not answering; try again in a "
                "few minutes.") if isinstance(refused, NOT_ANSWERING)
              else _("These figures could not be read: %(reason)s") % {
                  "reason": getattr(refused, "message", str(refused))})
    return {"title": title, "unreadable": reason}
