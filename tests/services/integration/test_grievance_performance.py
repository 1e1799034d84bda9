"""The offices' performance month by month, over the real broker and PostgreSQL: cases
count for the office they were routed to, in India's months; resolved, within the SLA,
escalated once however many levels, the median days; scoped like the dashboard."""

from __future__ import annotations

import pytest

from services.common.errors import Forbidden, InvalidInput
from tests.services.integration.grievance_kit import complaint

RANGE = {"from_month": "2026-10", "to_month": "2026-12"}


def _case(stack, society_id: str, opened: str, *, closed: str | None = None,
          overall: str | None = None, state: str = "closed") -> str:
    case_id = stack.citizen("citizen-perf").raise_grievance(
        payload=complaint(society_id))["id"]
    stack.sql("UPDATE grievance_case SET opened_at = :o, overall_due_at = :d, "
              "closed_at = :c, state = CASE WHEN :c IS NULL THEN state ELSE :s END "
              "WHERE id = :i", o=opened, d=overall, c=closed, s=state, i=case_id)
    return case_id


def _escalated(stack, case_id: str, *moments: str) -> None:
    for level, at in enumerate(moments):
        stack.sql("INSERT INTO grievance_case_event (case_id, action, from_state, to_state, "
                  "actor_id, actor_role, note, document_ids, at) VALUES (:i, 'escalate', "
                  "'received', 'received', 'system', 'system', :n, '[]', :a)",
                  i=case_id, n=f"level {level} -> {level + 1}", a=at)


def test_each_office_month_by_month(grievance_stack):
    stack = grievance_stack
    bhopal = stack.add_society("mp-bhopal")
    bengal = stack.add_society("wb")
    _case(stack, bhopal, "2026-10-05 06:00+00", closed="2026-10-09 06:00+00",
          overall="2026-11-04 06:00+00")                      # 4 days, in time
    late = _case(stack, bhopal, "2026-10-20 06:00+00", closed="2026-11-30 06:00+00",
                 overall="2026-11-19 06:00+00")               # 41 days, past its clock
    _escalated(stack, late, "2026-11-05 06:00+00", "2026-11-12 06:00+00")
    # 00:30 IST on 1 November is 31 October in UTC: a November case. Withdrawn: opened,
    # never resolved.
    _case(stack, bhopal, "2026-10-31 19:00+00", closed="2026-11-03 06:00+00",
          state="withdrawn")
    _case(stack, bhopal, "2026-11-02 06:00+00", closed="2026-11-12 06:00+00",
          overall="2026-12-02 06:00+00")                      # 10 days, in time
    # Closed at 01:30 IST on 1 January 2027: after the range.
    _case(stack, bhopal, "2026-12-20 06:00+00", closed="2026-12-31 20:00+00",
          overall="2027-01-19 06:00+00")
    _case(stack, bengal, "2026-11-10 06:00+00")               # open
    stack.rebuild_rollup()                  # the cases above were moved in time by SQL

    page = stack.system.case_performance(payload=RANGE)
    assert (page["from_month"], page["to_month"]) == ("2026-10", "2026-12")
    assert [o["office_id"] for o in page["offices"]] == ["mp-bhopal", "wb"]
    months = {m["month"]: m for m in page["offices"][0]["months"]}
    assert list(months) == ["2026-10", "2026-11", "2026-12"]
    assert months["2026-10"] == {
        "month": "2026-10", "opened": 2, "resolved": 1, "resolved_within_sla": 1,
        "resolved_with_sla": 1, "escalated": 0, "median_days_to_resolve": 4.0}
    assert months["2026-11"] == {
        "month": "2026-11", "opened": 2, "resolved": 2, "resolved_within_sla": 1,
        "resolved_with_sla": 2, "escalated": 1, "median_days_to_resolve": 25.5}
    assert months["2026-12"] == {
        "month": "2026-12", "opened": 1, "resolved": 0, "resolved_within_sla": 0,
        "resolved_with_sla": 0, "escalated": 0, "median_days_to_resolve": None}
    assert [m["opened"] for m in page["offices"][1]["months"]] == [0, 1, 0]

    # Scoped like the dashboard: a state's registrar sees its districts, not Bengal.
    mp = stack.officer("mp", "reg-mp", role="registrar").case_performance(payload=RANGE)
    assert [o["office_id"] for o in mp["offices"]] == ["mp-bhopal"]
    wb = stack.officer("wb", "do-wb").case_performance(payload={**RANGE,
                                                               "office_id": "mp-bhopal"})
    assert wb["offices"] == []
    assert [o["office_id"] for o in stack.system.case_performance(
        payload={**RANGE, "office_id": "wb"})["offices"]] == ["wb"]
    assert stack.system.case_performance(payload={**RANGE, "kind": "appeal"})[
        "offices"] == []
    with pytest.raises(Forbidden):
        stack.citizen("citizen-perf").case_performance(payload=RANGE)


def test_the_range_is_checked(grievance_stack):
    system = grievance_stack.system
    with pytest.raises(InvalidInput) as backwards:
        system.case_performance(payload={"from_month": "2026-12", "to_month": "2026-10"})
    assert backwards.value.details["rule"] == "from_month <= to_month"
    with pytest.raises(InvalidInput) as long:
        system.case_performance(payload={"from_month": "2023-01", "to_month": "2026-12"})
    assert long.value.details["rule"] == "at most 36 months"
    with pytest.raises(InvalidInput):
        system.case_performance(payload={"from_month": "2026-13"})
    assert len(system.case_performance(payload={"from_month": "2024-01",
                                                "to_month": "2026-12"})["offices"]) == 0
    default = system.case_performance(payload={})
    assert default["from_month"] < default["to_month"]
