"""The case dashboard for the office side: the figures of ``GET /v1/cases/dashboard``
(``grievance.case_dashboard``, asked with the visitor's grant: the cases of the offices
it reaches) as bar charts drawn on the server (gateway/portal/charts.py) beside tables
of the same figures, as the reports page draws the registry's. Open cases by kind, by
state, by office and by age; the cases late now (their level's deadline passed) by
level and by officer; and the SLA: how many closed cases closed within their overall
time limit, how many late, and the open ones already past it."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request

from gateway.deps import CallContextDep, RpcDep
from gateway.portal import charts
from gateway.portal.case_pages import names
from gateway.portal.labels import N_
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from services.common.india import grouped

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

OFFICE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# The dashboard's age buckets (services/grievance/cases/dashboard.py), youngest first.
AGES = {"0-7 days": N_("0-7 days"), "8-30 days": N_("8-30 days"),
        "31-90 days": N_("31-90 days"), "over 90 days": N_("over 90 days")}


def _section(title: str, bars: list[charts.Bar], description: str) -> dict[str, Any]:
    return {"title": title, "bars": bars, "total": sum(b.value for b in bars),
            "chart": charts.bar_chart(title, bars, description=description)}


def _largest_first(figures: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(figures.items(), key=lambda item: (-item[1], str(item[0])))


def sections(request: Request, answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The dashboard's figures as chart sections, each with its table's rows."""
    _ = gettext(request)
    C = names(request)

    def open_cases(n: int) -> str:
        return _("%(n)s open cases.") % {"n": grouped(n)}

    by_state: dict[str, int] = {}
    for states in (answer.get("open_by_kind_and_state") or {}).values():
        for state, n in states.items():
            by_state[state] = by_state.get(state, 0) + n
    kinds = [charts.Bar(C.CASE_KINDS[k], n)
             for k, n in _largest_first(answer.get("open_by_kind") or {})]
    states = [charts.Bar(C.CASE_STATES[s], n) for s, n in _largest_first(by_state)]
    offices = [charts.Bar(_("No office") if o == "-" else o, n)
               for o, n in _largest_first(answer.get("open_by_office") or {})]
    ages_found = answer.get("open_by_age") or {}
    ages = [charts.Bar(_(name), int(ages_found.get(code, 0))) for code, name in AGES.items()]
    late = answer.get("late_now") or {}
    levels = [charts.Bar(_("Level %(level)s") % {"level": level}, n) for level, n in
              sorted((late.get("by_level") or {}).items(), key=lambda i: str(i[0]))]
    officers = [charts.Bar(_("Not assigned") if o == "unassigned" else o, n)
                for o, n in _largest_first(late.get("by_officer") or {})]
    sla = answer.get("sla") or {}
    closed, in_time = int(sla.get("closed") or 0), int(sla.get("closed_in_time") or 0)
    sla_bars = [charts.Bar(_("Closed within the time limit"), in_time),
                charts.Bar(_("Closed after the time limit"), closed - in_time),
                charts.Bar(_("Open past the time limit"),
                           int(sla.get("open_past_overall_clock") or 0))]
    percent = sla.get("compliance_percent")
    compliance = (_("%(percent)s%% of the closed cases closed within their time limit.")
                  % {"percent": percent} if percent is not None
                  else _("No case with a time limit is closed yet."))
    late_total = grouped(int(late.get("total") or 0))
    late_text = _("%(n)s cases late now (their level's deadline has passed).") % {
        "n": late_total}
    total_open = sum(b.value for b in kinds)
    return [
        _section(_("Open cases by kind"), kinds, open_cases(total_open)),
        _section(_("Open cases by state"), states, open_cases(total_open)),
        _section(_("Open cases by office"), offices, open_cases(total_open)),
        _section(_("Open cases by age (days since received)"), ages,
                 open_cases(total_open)),
        _section(_("Late now, by level"), levels, late_text),
        _section(_("Late now, by officer"), officers, late_text),
        {**_section(_("Time limits (SLA)"), sla_bars, compliance), "note": compliance,
         "no_total": True},
    ]


@router.get("/cases/dashboard", name="portal.case_dashboard")
async def case_dashboard(request: Request, rpc: RpcDep, context: CallContextDep):
    raw = request.query_params.get("office", "").strip()
    office = raw if OFFICE_ID.match(raw) else None
    answer = await rpc.call("grievance", "case_dashboard",
                            {"office_id": office} if office else {}, context=context)
    return render(request, "case_dashboard.html", sections=sections(request, answer),
                  office=office or "", as_at=answer.get("as_at"),
                  late_total=int((answer.get("late_now") or {}).get("total") or 0))
