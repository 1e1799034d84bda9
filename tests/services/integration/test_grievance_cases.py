"""Grievances through the case engine over the real broker and PostgreSQL: raised by a
citizen, routed by the registry's office chain (housing societies to the monitoring
cell), assigned, replied to, resolved, rated, reopened within the window; refusals that
name the rule; the history and the audit trail."""

from __future__ import annotations

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.services.integration.grievance_kit import complaint


def test_a_citizen_raises_a_grievance_and_the_office_resolves_it(grievance_stack):
    stack = grievance_stack
    society_id = stack.add_society(office_id="mp")
    citizen = stack.citizen("citizen-7")
    raised = citizen.raise_grievance(payload=complaint(society_id, document_ids=[
        "0f8fad5b-d9cb-469f-a165-70867728950e"]))
    case_id = raised["id"]
    assert raised["number"].startswith("GRV/")
    assert raised["state"] == "received" and raised["office_id"] == "mp"
    assert raised["desk"] == "grievance_cell"
    assert raised["message"]["hi"] == f"आपकी शिकायत {raised['number']} प्राप्त हो गई है।"
    assert raised["allowed_actions"] == ["withdraw"]

    officer = stack.officer("mp", "do-1")
    assigned = officer.take_action(payload={"case_id": case_id, "action": "assign",
                                            "assignee": "do-2"})
    assert assigned["state"] == "assigned" and assigned["assignee"] == "do-2"
    officer.take_action(payload={"case_id": case_id, "action": "reply",
                                 "note": "The society has been asked to explain."})
    resolved = officer.take_action(payload={
        "case_id": case_id, "action": "resolve", "note": "Dividend credited on 01-12-2026.",
        "document_ids": ["7c9e6679-7425-40de-944b-e07fc1f90ae7"]})
    assert resolved["state"] == "resolved"
    assert resolved["message"]["en"].endswith("Please rate the resolution.")

    # Only the complainant rates; the office may not.
    with pytest.raises(Forbidden) as refused:
        officer.take_action(payload={"case_id": case_id, "action": "rate", "rating": 5})
    assert "'rate' goes from resolved to closed, taken by complainant" in str(
        refused.value.details["rule"])
    rated = citizen.take_action(payload={"case_id": case_id, "action": "rate", "rating": 4,
                                         "note": "Resolved, but late."})
    assert rated["state"] == "closed" and rated["rating"] == 4
    assert rated["feedback"] == "Resolved, but late." and rated["closed_at"]

    # Reopened within the 30 days' window; the office may assign it again.
    reopened = citizen.take_action(payload={"case_id": case_id, "action": "reopen",
                                            "note": "The amount credited is short."})
    assert reopened["state"] == "reopened" and reopened["closed_at"] is None

    history = citizen.case_history(payload={"case_id": case_id})["items"]
    assert [h["action"] for h in history] == ["open", "assign", "reply", "resolve", "rate",
                                              "reopen"]
    assert history[3]["document_ids"] == ["7c9e6679-7425-40de-944b-e07fc1f90ae7"]
    assert history[1]["actor_id"] == "do-1"
    trail = officer.case_audit(payload={"case_id": case_id})["items"]
    assert {t["action"] for t in trail} >= {"grievance_raised", "case_assign", "case_rate"}
    with pytest.raises(Forbidden):
        citizen.case_audit(payload={"case_id": case_id})


def test_refusals_name_the_rule_and_change_nothing(grievance_stack):
    stack = grievance_stack
    society_id = stack.add_society(office_id="mp")
    citizen = stack.citizen("citizen-8")
    case_id = citizen.raise_grievance(payload=complaint(society_id))["id"]

    # Wrong state: a received grievance cannot be resolved before it is assigned.
    with pytest.raises(Conflict) as wrong_state:
        stack.officer("mp").take_action(payload={"case_id": case_id, "action": "resolve",
                                                 "note": "Done."})
    assert wrong_state.value.details["rule"].startswith(
        "grievance v1: 'resolve' goes from assigned to resolved")
    # A citizen may not assign; an office elsewhere does not see the case at all.
    with pytest.raises(Forbidden):
        citizen.take_action(payload={"case_id": case_id, "action": "assign",
                                     "assignee": "x"})
    with pytest.raises(NotFound):
        stack.officer("wb").take_action(payload={"case_id": case_id, "action": "assign",
                                                 "assignee": "x"})
    with pytest.raises(NotFound):
        stack.citizen("someone-else").get_case(payload={"case_id": case_id})
    with pytest.raises(InvalidInput) as unknown:
        citizen.take_action(payload={"case_id": case_id, "action": "fly"})
    assert "withdraw" in unknown.value.fields["action"]
    with pytest.raises(NotFound):       # the registry knows no such society
        citizen.raise_grievance(payload=complaint("no-such-society"))
    case = citizen.get_case(payload={"case_id": case_id})
    assert case["state"] == "received"
    assert len(citizen.case_history(payload={"case_id": case_id})["items"]) == 1

    # The reopen window: 30 days after resolution, refused with both moments.
    officer = stack.officer("mp")
    officer.take_action(payload={"case_id": case_id, "action": "assign", "assignee": "do"})
    officer.take_action(payload={"case_id": case_id, "action": "resolve", "note": "Paid."})
    stack.sql("UPDATE grievance_case SET state_since = state_since - interval '31 days' "
              "WHERE id = :i", i=case_id)
    with pytest.raises(Conflict) as late:
        citizen.take_action(payload={"case_id": case_id, "action": "reopen"})
    assert "was possible until" in late.value.message and "IST" in late.value.message


def test_housing_complaints_go_to_the_regions_monitoring_cell(grievance_stack):
    stack = grievance_stack
    housing = stack.add_society(office_id="wb", kind="housing",
                                name="Salt Lake Housing Cooperative Society")
    citizen = stack.citizen("citizen-9")
    raised = citizen.raise_grievance(payload=complaint(
        housing, complainant_type="citizen", category="housing", language="en",
        against_type="board_member", against_name="Secretary"))
    assert raised["office_id"] == "wb" and raised["desk"] == "monitoring_cell"
    portal = citizen.raise_grievance(payload=complaint(
        None, against_type="portal", category="portal"))
    assert portal["office_id"] == "crcs" and portal["desk"] == "grievance_cell"
    with pytest.raises(InvalidInput) as missing:
        citizen.raise_grievance(payload=complaint(None))
    assert "society_id" in missing.value.fields

    # The state office lists its own cases; the national office (crcs) reaches all.
    wb_cases = stack.officer("wb").list_cases(payload={})
    assert [c["id"] for c in wb_cases["items"]] == [raised["id"]]
    assert stack.officer("crcs").list_cases(payload={"limit": 1})["next_offset"] == 1
    mine = citizen.list_cases(payload={})
    assert mine["total"] == 2 and mine["next_offset"] is None


def test_the_office_queue_puts_the_soonest_deadline_first_and_filters(grievance_stack):
    """The office's queue: open cases only, by category, the level's deadline soonest
    first across pages, a case with no clock running after all others."""
    stack = grievance_stack
    society_id = stack.add_society(office_id="mp")
    citizen = stack.citizen("citizen-queue")
    ids = [citizen.raise_grievance(payload=complaint(society_id, category=category,
                                                     subject=f"Complaint {n}"))["id"]
           for n, category in enumerate(["membership", "membership", "loans_and_deposits",
                                         "membership"])]
    # Deadlines out of the order of receipt: the third received is due soonest.
    for case_id, days in zip(ids, (5, 2, 1, 9), strict=True):
        stack.sql("UPDATE grievance_case SET due_at = now() + make_interval(days => :d) "
                  "WHERE id = :i", d=days, i=case_id)
    officer = stack.officer("mp")
    officer.take_action(payload={"case_id": ids[3], "action": "assign", "assignee": "do"})
    officer.take_action(payload={"case_id": ids[3], "action": "resolve", "note": "Done."})
    citizen.take_action(payload={"case_id": ids[3], "action": "rate", "rating": 5})

    queue = officer.list_cases(payload={"order": "due", "open": True})
    assert [c["id"] for c in queue["items"]] == [ids[2], ids[1], ids[0]]
    first = officer.list_cases(payload={"order": "due", "open": True, "limit": 2})
    rest = officer.list_cases(payload={"order": "due", "open": True, "limit": 2,
                                       "offset": first["next_offset"]})
    assert [c["id"] for c in first["items"] + rest["items"]] == [ids[2], ids[1], ids[0]]
    membership = officer.list_cases(payload={"order": "due", "open": True,
                                             "category": "membership"})
    assert [c["id"] for c in membership["items"]] == [ids[1], ids[0]]
    # Every case: the closed one has no clock running and comes last.
    everything = officer.list_cases(payload={"order": "due"})
    assert [c["id"] for c in everything["items"]] == [ids[2], ids[1], ids[0], ids[3]]
    closed = officer.list_cases(payload={"open": False})
    assert [c["id"] for c in closed["items"]] == [ids[3]]
    with pytest.raises(InvalidInput) as bad:
        officer.list_cases(payload={"order": "oldest", "category": "weather"})
    assert {"order", "category"} <= set(bad.value.fields)
