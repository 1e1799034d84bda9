"""Escalation over the real broker and PostgreSQL: a late grievance moves one level up
its office chain, once, recorded in its history and the sweep's audit entry, with its event in the
outbox; the overall clock sends it straight to the top; two replicas sweeping at once
escalate each late case exactly once."""

from __future__ import annotations

import eventlet

from services.grievance.service import GrievanceService
from tests.services.integration.grievance_kit import complaint


def _late(stack, case_id: str, column: str = "due_at") -> None:
    statement = f"UPDATE grievance_case SET {column} = now() - interval '1 hour' "  # noqa: S608 (a column name of this module)
    stack.sql(statement + "WHERE id = :i", i=case_id)


def test_a_late_grievance_escalates_once_per_level_and_is_recorded(grievance_stack):
    stack = grievance_stack
    society_id = stack.add_society(office_id="mp")
    citizen = stack.citizen("citizen-21")
    raised = citizen.raise_grievance(payload=complaint(society_id))
    case_id = raised["id"]
    assert raised["level"] == 0 and raised["due_at"] and raised["overall_due_at"]
    stack.officer("mp").take_action(payload={"case_id": case_id, "action": "assign",
                                             "assignee": "do-7"})
    assert stack.system.escalate_late_cases(payload={}) == {"escalated": 0}

    _late(stack, case_id)
    assert stack.system.escalate_late_cases(payload={}) == {"escalated": 1}
    assert stack.system.escalate_late_cases(payload={}) == {"escalated": 0}   # once
    case = stack.officer("crcs").get_case(payload={"case_id": case_id})
    assert case["level"] == 1 and case["office_id"] == "crcs"
    assert case["assignee"] == "do-7"             # the officer stays responsible
    history = citizen.case_history(payload={"case_id": case_id})["items"]
    assert history[-1]["action"] == "escalate"
    assert history[-1]["note"] == "level 0 -> 1, office crcs"
    trail = stack.system.audit_entries(payload={"entity_type": "escalation"})["items"]
    assert trail[0]["action"] == "cases_escalated" and trail[0]["actor_role"] == "system"
    assert [(c["case_id"], c["from_office_id"], c["to_office_id"])
            for c in trail[0]["changes"]["cases"]] == [(case_id, "mp", "crcs")]
    events = stack.sql("SELECT payload FROM outbox_message WHERE event_type = "
                       "'case_escalated'")
    assert [e.payload["to_level"] for e in events] == [1]
    assert events[0].payload["assignee"] == "do-7"

    # Late again at the top level (2): recorded once, the level clock stops.
    _late(stack, case_id)
    assert stack.system.escalate_late_cases(payload={}) == {"escalated": 1}
    _late(stack, case_id)
    assert stack.system.escalate_late_cases(payload={}) == {"escalated": 0}
    case = citizen.get_case(payload={"case_id": case_id})
    assert case["level"] == 2 and case["due_at"] is None
    assert [h["action"] for h in citizen.case_history(
        payload={"case_id": case_id})["items"]][-3:] == [
        "escalate", "escalate", "late_at_top_level"]


def test_the_overall_clock_sends_a_case_straight_to_the_top(grievance_stack):
    stack = grievance_stack
    society_id = stack.add_society(office_id="wb")
    case_id = stack.citizen().raise_grievance(payload=complaint(society_id))["id"]
    _late(stack, case_id)
    _late(stack, case_id, "overall_due_at")
    assert stack.system.escalate_late_cases(payload={}) == {"escalated": 1}
    case = stack.system.get_case(payload={"case_id": case_id})
    assert case["level"] == 2 and case["office_id"] == "crcs"
    resolved = stack.system.take_action(payload={"case_id": case_id, "action": "assign",
                                                 "assignee": "r-1"})
    assert resolved["state"] == "assigned"


def test_two_replicas_sweeping_at_once_escalate_each_case_exactly_once(
        grievance_stack, containers, monkeypatch):
    stack = grievance_stack
    monkeypatch.setenv("GRIEVANCE_ESCALATION_BATCH", "25")
    from services.grievance.settings import grievance_settings
    grievance_settings.cache_clear()
    containers(GrievanceService, stack.grievance_url)          # the second replica
    society_id = stack.add_society(office_id="mp")
    citizen = stack.citizen("citizen-22")
    ids = [citizen.raise_grievance(payload=complaint(society_id))["id"] for _ in range(12)]
    # 400 more late cases, stored directly (raising each over RPC would take long).
    columns = ("kind, kind_version, state, state_since, overall_due_at, level, society_id, "
               "office_id, office_ids, desk, category, subject, description, against_type, "
               "against_name, opened_by, opened_by_role, complainant_type, language, "
               "parties, assignee, rating, feedback, opened_at, updated_at, closed_at")
    copy = (f"INSERT INTO grievance_case (id, number, due_at, {columns}) "  # noqa: S608
            "SELECT md5(random()::text || g)::uuid::text, 'GRV/2026/B' || g, now(), "
            f"{columns} FROM grievance_case, generate_series(1, 400) AS g WHERE id = :i")
    stack.sql(copy, i=ids[0])
    stack.sql("UPDATE grievance_case SET due_at = now() - interval '1 hour'")

    sweeps = [eventlet.spawn(stack.system.escalate_late_cases, payload={})
              for _ in range(4)]
    counts = [s.wait()["escalated"] for s in sweeps]
    assert sum(counts) == 412
    assert stack.sql("SELECT count(*) FROM grievance_case WHERE level = 1")[0][0] == 412
    per_case = stack.sql("SELECT case_id, count(*) FROM grievance_case_event "
                         "WHERE action = 'escalate' GROUP BY case_id HAVING count(*) > 1")
    assert per_case == []
    assert stack.sql("SELECT count(*) FROM outbox_message "
                     "WHERE event_type = 'case_escalated'")[0][0] == 412
    grievance_settings.cache_clear()
