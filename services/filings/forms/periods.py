"""Periods and due dates of a form: a period ends on one of the form's month-days, and
its return is due by the form's rule (so many days or months after the end, or on a
month-day after it, e.g. 31 October for the year ended 31 March)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from services.filings.forms.schema import Form


def is_period_end(form: Form, day: date) -> bool:
    return day.strftime("%m-%d") in form.period_ends


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    # a month-end period stays on month-ends: 31 March + 6 months is 30 September
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, month, last)
    return date(year, month, min(day.day, last))


def due_on(form: Form, period_end: date) -> date:
    rule = form.due
    if "days_after_end" in rule:
        return period_end + timedelta(days=rule["days_after_end"])
    if "months_after_end" in rule:
        return _add_months(period_end, rule["months_after_end"])
    month, day = (int(x) for x in rule["on"].split("-"))
    candidate = date(period_end.year, month, min(day, calendar.monthrange(
        period_end.year, month)[1]))
    return candidate if candidate > period_end else date(period_end.year + 1, month, day)


def period_ends_between(form: Form, start: date, end: date) -> list[date]:
    """Every period end of the form from ``start`` to ``end`` (both included)."""
    found = []
    for year in range(start.year, end.year + 1):
        for month_day in form.period_ends:
            month, day = (int(x) for x in month_day.split("-"))
            candidate = date(year, month, day)
            if start <= candidate <= end:
                found.append(candidate)
    return sorted(found)


def latest_due_period(form: Form, today: date) -> date:
    """The most recent period end (the one whose return is being asked for now)."""
    ends = period_ends_between(form, date(today.year - 1, 1, 1), today)
    return ends[-1]


def next_due(form: Form, today: date, filed: set[date],
             since: date | None = None) -> tuple[date, date] | None:
    """The earliest period (ending after ``since``, at most two years back) whose return
    is not filed: (period end, due date); past due means overdue."""
    start = max(since or date.min, date(today.year - 2, 1, 1))
    for end in period_ends_between(form, start, date(today.year + 1, 12, 31)):
        if end not in filed:
            return end, due_on(form, end)
    return None
