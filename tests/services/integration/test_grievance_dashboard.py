"""The cases dashboard over the real broker and PostgreSQL: open cases by kind, state,
office, officer and age, the late ones and SLA compliance, each office seeing its own."""

from __future__ import annotations

import pytest

from services.common.errors import Forbidden
from tests.services.integration.grievance_kit import complaint


def test_each_office_sees_its_open_late_and_closed_cases(grievance_stack):
    stack = grievance_stack
    mp_society = stack.add_society(office_id="mp")
    wb_society = stack.add_society(office_id="wb")
    citizen = stack.citizen("citizen-31")
    first = citizen.raise_grievance(payload=complaint(mp_society))["id"]
    second = citizen.raise_grievance(payload=complaint(mp_society))["id"]
    citizen.raise_grievance(payload=complaint(wb_society))
    officer = stack.officer("mp", "do-3")
    officer.take_action(payload={"case_id": first, "action": "assign", "assignee": "do-3"})
    officer.take_action(payload={"case_id": first, "action": "resolve", "note": "Paid."})
    citizen.take_action(payload={"case_id": first, "action": "rate", "rating": 5})
    officer.take_action(payload={"case_id": second, "action": "assign", "assignee": "do-4"})
    stack.sql("UPDATE grievance_case SET due_at = now() - interval '2 days', "
              "opened_at = now() - interval '40 days' WHERE id = :i", i=second)

    board = officer.case_dashboard(payload={})
    assert board["open_by_kind"] == {"grievance": 1}
    assert board["open_by_kind_and_state"] == {"grievance": {"assigned": 1}}
    assert board["open_by_office"] == {"mp": 1}
    assert board["open_by_age"] == {"31-90 days": 1}
    assert board["late_now"] == {"total": 1, "by_level": {"0": 1},
                                 "by_officer": {"do-4": 1}}
    assert board["sla"]["closed"] == 1 and board["sla"]["compliance_percent"] == 100.0

    national = stack.officer("crcs", "rcs-1", role="registrar").case_dashboard(payload={})
    assert national["open_by_office"] == {"mp": 1, "wb": 1}
    assert national["open_by_age"] == {"0-7 days": 1, "31-90 days": 1}
    with pytest.raises(Forbidden):
        citizen.case_dashboard(payload={})
