"""Each office's performance month by month, computed from the case tables on each call
(nothing is stored for it), over the cases the caller's grant reaches (as the dashboard).

A case counts for the office it was routed to (the first office of its chain), wherever
escalation took it since: the series says how the office's own cases fared. Months are
India's (a case received at 00:30 IST on the 1st is that month's). Per office and month:

- ``opened``: cases received;
- ``resolved``: cases closed that month in any closed state but ``withdrawn`` (decided,
  rejected, dismissed, disposed, a grievance rated or closed by the office), the moment
  the dashboard's compliance also uses;
- ``resolved_within_sla``: of those, closed by their overall clock (``overall_due_at``;
  only cases with one: grievances), beside ``resolved_with_sla`` (how many had one);
- ``escalated``: cases moved up a level that month (once each, however many levels);
- ``median_days_to_resolve``: the median of (closed - received) in days over the
  month's resolved cases, one decimal; null when none.

Three GROUP BYs over the months' range, each on an index (``opened_at``, ``closed_at``,
the history's ``(action, at)``)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, cast, extract, func, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from services.common.errors import InvalidInput
from services.common.india import INDIA
from services.grievance.cases.dashboard import reach_condition
from services.grievance.tables import case, case_event

MAX_MONTHS = 36
DEFAULT_MONTHS = 12
NOT_RESOLVED = ("withdrawn",)


def _month(text: str) -> date:
    return date(int(text[:4]), int(text[5:7]), 1)


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def months_of(from_month: str | None, to_month: str | None, now: datetime) -> list[date]:
    """The months asked, first to last (the last 12 up to this month by default)."""
    last = _month(to_month) if to_month else now.astimezone(INDIA).date().replace(day=1)
    first = _month(from_month) if from_month else _back(last, DEFAULT_MONTHS - 1)
    if first > last:
        raise InvalidInput("The first month comes after the last.",
                           {"rule": "from_month <= to_month"},
                           fields={"from_month": f"after to_month ({last:%Y-%m})"})
    months = [first]
    while months[-1] < last:
        months.append(_next(months[-1]))
        if len(months) > MAX_MONTHS:
            raise InvalidInput(f"At most {MAX_MONTHS} months at a time.",
                               {"rule": f"at most {MAX_MONTHS} months"},
                               fields={"to_month": f"within {MAX_MONTHS} months of "
                                                   f"from_month"})
    return months


def _start(month: date) -> datetime:
    """The UTC moment India's month begins."""
    return datetime(month.year, month.month, 1, tzinfo=INDIA)


def _labelled(column, months: list[date]):
    """``YYYY-MM`` of India's month the moment falls in (within the range)."""
    return when(*[(column < _start(_next(m)), m.strftime("%Y-%m")) for m in months],
                else_=None).label("month")


def performance(session: Session, reach: list[str] | None, query: Any,
                now: datetime) -> dict[str, Any]:
    months = months_of(query.from_month, query.to_month, now)
    begin, end = _start(months[0]), _start(_next(months[-1]))
    routed = case.c.office_ids[0].as_string().label("office")
    conditions = [c for c in (reach_condition(reach),) if c is not None]
    if query.office_id is not None:
        conditions.append(routed == query.office_id)
    if query.kind is not None:
        conditions.append(case.c.kind == query.kind)
    series: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)

    def cell(office: str | None, month: str) -> dict[str, Any]:
        return series[office or "-"].setdefault(month, {
            "opened": 0, "resolved": 0, "resolved_within_sla": 0, "resolved_with_sla": 0,
            "escalated": 0, "median_days_to_resolve": None})

    opened = _labelled(case.c.opened_at, months)
    for office, month, count in session.execute(
            select(routed, opened, func.count())
            .where(case.c.opened_at >= begin, case.c.opened_at < end, *conditions)
            .group_by(routed, opened)):
        cell(office, month)["opened"] = count

    closed = _labelled(case.c.closed_at, months)
    resolved = [case.c.closed_at >= begin, case.c.closed_at < end,
                case.c.state.not_in(NOT_RESOLVED), *conditions]
    in_time = func.sum(cast(case.c.closed_at <= case.c.overall_due_at, Integer))
    with_clock = func.count(case.c.overall_due_at)
    postgres = session.get_bind().dialect.name == "postgresql"
    days = extract("epoch", case.c.closed_at - case.c.opened_at) / 86400.0
    median = (func.percentile_cont(0.5).within_group(days) if postgres
              else func.count())                        # SQLite: computed below
    for office, month, count, in_sla, with_sla, middle in session.execute(
            select(routed, closed, func.count(), in_time, with_clock, median)
            .where(*resolved).group_by(routed, closed)):
        found = cell(office, month)
        found.update(resolved=count, resolved_within_sla=int(in_sla or 0),
                     resolved_with_sla=with_sla)
        if postgres and middle is not None:
            found["median_days_to_resolve"] = round(float(middle), 1)
    if not postgres:
        _median_in_python(session, routed, closed, resolved, cell)

    moved = _labelled(case_event.c.at, months)
    for office, month, count in session.execute(
            select(routed, moved, func.count(func.distinct(case_event.c.case_id)))
            .join_from(case_event, case, case.c.id == case_event.c.case_id)
            .where(case_event.c.action == "escalate", case_event.c.at >= begin,
                   case_event.c.at < end, *conditions)
            .group_by(routed, moved)):
        cell(office, month)["escalated"] = count

    labels = [m.strftime("%Y-%m") for m in months]
    return {
        "from_month": labels[0], "to_month": labels[-1], "office_id": query.office_id,
        "kind": query.kind,
        "offices": [{"office_id": office,
                     "months": [{"month": label, **cell(office, label)} for label in labels]}
                    for office in sorted(series)],
        "as_at": now.isoformat(),
    }


def _median_in_python(session: Session, routed, closed, resolved, cell) -> None:
    """SQLite has no percentile: the durations are read and the median taken here."""
    durations: dict[tuple[str, str], list[float]] = defaultdict(list)
    for office, month, opened_at, closed_at in session.execute(
            select(routed, closed, case.c.opened_at, case.c.closed_at).where(*resolved)):
        durations[(office, month)].append((closed_at - opened_at).total_seconds() / 86400)
    for (office, month), values in durations.items():
        cell(office, month)["median_days_to_resolve"] = round(statistics.median(values), 1)
