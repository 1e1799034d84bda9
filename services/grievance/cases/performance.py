"""Each office's performance month by month, read from the monthly roll-up
(cases/rollup.py keeps it as cases change), over the cases the caller's grant reaches
(as the dashboard).

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

Two reads over the months' range: the roll-up's counts (one row per office chain, kind
and month) and the medians over the resolution rows (a median cannot be summed)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from services.common.errors import InvalidInput
from services.common.india import INDIA
from services.grievance.cases.dashboard import reach_condition
from services.grievance.tables import case_month, case_resolution

MAX_MONTHS = 36
DEFAULT_MONTHS = 12
COUNTS = ("opened", "resolved", "resolved_within_sla", "resolved_with_sla", "escalated")


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


def performance(session: Session, reach: list[str] | None, query: Any,
                now: datetime) -> dict[str, Any]:
    months = months_of(query.from_month, query.to_month, now)
    labels = [m.strftime("%Y-%m") for m in months]

    def conditions(table) -> list:
        found = [table.c.month >= labels[0], table.c.month <= labels[-1]]
        within_reach = reach_condition(reach, table.c.chain)
        if within_reach is not None:
            found.append(within_reach)
        if query.office_id is not None:
            found.append(table.c.office == query.office_id)
        if query.kind is not None:
            found.append(table.c.kind == query.kind)
        return found

    series: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)

    def cell(office: str | None, month: str) -> dict[str, Any]:
        return series[office or "-"].setdefault(month, {
            "opened": 0, "resolved": 0, "resolved_within_sla": 0, "resolved_with_sla": 0,
            "escalated": 0, "median_days_to_resolve": None})

    rolled = case_month.c
    for office, month, *counts in session.execute(
            select(rolled.office, rolled.month, *[func.sum(rolled[c]) for c in COUNTS])
            .where(*conditions(case_month)).group_by(rolled.office, rolled.month)):
        found = dict(zip(COUNTS, (int(n or 0) for n in counts), strict=True))
        if found["opened"] or found["resolved"] or found["escalated"]:
            cell(office, month).update(found)

    if session.get_bind().dialect.name == "postgresql":
        for office, month, count, values in session.execute(
                _middles(conditions(case_month), conditions(case_resolution))):
            cell(office, month)["median_days_to_resolve"] = _median(count, values)
    else:
        _median_in_python(session, conditions(case_resolution), cell)

    return {
        "from_month": labels[0], "to_month": labels[-1], "office_id": query.office_id,
        "kind": query.kind,
        "offices": [{"office_id": office,
                     "months": [{"month": label, **cell(office, label)} for label in labels]}
                    for office in sorted(series)],
        "as_at": now.isoformat(),
    }


def _middles(counted: list, resolved: list):
    """Per office and month: how many were resolved (the roll-up's count, filtered as
    asked) and the one or two middle durations, read off the resolution index in order
    of days from the (n - 1) // 2-th on: a walk of half of each month's index entries,
    no sort (PostgreSQL's ``percentile_cont`` over the same rows sorts them all)."""
    rolled, resolution = case_month.c, case_resolution.c
    months = (select(rolled.office, rolled.month, func.sum(rolled.resolved).label("n"))
              .where(*counted).group_by(rolled.office, rolled.month)
              .having(func.sum(rolled.resolved) > 0).subquery("months"))
    middle = (select(resolution.days)
              .where(resolution.office == months.c.office,
                     resolution.month == months.c.month, *resolved)
              .order_by(resolution.days).offset((months.c.n - 1) // 2).limit(2)
              .lateral("middle"))
    return (select(months.c.office, months.c.month, months.c.n,
                   func.array_agg(middle.c.days))
            .select_from(months.join(middle, true()))
            .group_by(months.c.office, months.c.month, months.c.n))


def _median(count: int, values: list[float]) -> float | None:
    """The median as ``percentile_cont(0.5)`` gives it (the value at (n - 1) / 2, or
    between the two either side of it), to one decimal."""
    low, high = min(values), max(values)
    position = 0.5 * (count - 1)
    share = position - int(position)
    middle = low if share == 0 or len(values) < 2 else low + (high - low) * share
    return round(middle, 1)


def _median_in_python(session: Session, conditions: list, cell) -> None:
    """SQLite has no percentile: the durations are read and the median taken here."""
    resolution = case_resolution.c
    durations: dict[tuple[str, str], list[float]] = defaultdict(list)
    for office, month, opened_at, closed_at in session.execute(
            select(resolution.office, resolution.month, resolution.opened_at,
                   resolution.closed_at).where(*conditions)):
        durations[(office, month)].append((closed_at - opened_at).total_seconds() / 86400)
    for (office, month), values in durations.items():
        cell(office, month)["median_days_to_resolve"] = round(statistics.median(values), 1)
