"""The CEA's order and its programme over the real broker and PostgreSQL: seed 003's
order recorded with its figures, the programme checked on entry, the open stage and
the next one by the service's clock, amendments, scopes and the audit trail."""

from __future__ import annotations

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.services.integration.elections_kit import seed_order


def test_the_cea_orders_seed_003_and_the_ro_sees_which_stage_is_open(election_stack):
    stack = election_stack
    society_id = stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    created = stack.cea.create_election(payload=seed_order(society_id, number="107/2025-26"))
    election_id = created["id"]
    assert created["society_name"] == "Shri Veershaiv Cooperative Bank Limited"
    assert created["is_bank"] is True
    assert created["voters_as_on"] == "2025-03-31"      # 31 March of the previous FY
    assert created["seats"] == {"general": 16, "women": 2, "sc_st": 1}
    assert len(created["booths"]) == 35
    assert sum(b["state"] == "Karnataka" for b in created["booths"]) == 4
    assert [s["stage"] for s in created["stages"]][:3] == [
        "provisional_list", "objections", "objection_scrutiny"]
    objections = next(s for s in created["stages"] if s["stage"] == "objections")
    assert objections["window"] == "25-11-2025 to 29-11-2025, 11:00 to 15:00 IST each day"
    assert created["programme"]["open"] == []
    assert created["programme"]["next"] == "provisional_list"

    ro = stack.ro(election_id)
    stack.set_clock("2025-11-26 12:00")
    status = ro.programme_status(payload={"election_id": election_id})
    assert status["open"] == ["objections"] and status["next"] == "objection_scrutiny"
    assert status["overdue"] == ["provisional_list"]     # not published in its window
    board = stack.cea.cea_dashboard(payload={})
    assert board["open_by_stage"] == {"objections": 1} and board["by_status"] == {"ordered": 1}
    assert board["overdue"] == [{"election_id": election_id, "number": "107/2025-26",
                                 "stages": ["provisional_list"]}]
    with pytest.raises(Forbidden):
        ro.cea_dashboard(payload={})
    stack.set_clock("2025-11-26 16:00")                  # after the day's hours
    assert ro.programme_status(payload={"election_id": election_id})["open"] == []

    # The same number again is refused; the trail names who ordered it.
    with pytest.raises(Conflict):
        stack.cea.create_election(payload=seed_order(society_id, number="107/2025-26"))
    trail = stack.cea.election_audit(payload={"election_id": election_id})
    assert trail["items"][0]["action"] == "election_ordered"
    assert trail["items"][0]["actor_id"] == "cea-1"


def test_a_programme_out_of_order_is_refused_stage_by_stage(election_stack):
    stack = election_stack
    society_id = stack.add_society()
    order = seed_order(society_id)
    del order["stages"][-1]                                     # no ob_declaration
    with pytest.raises(InvalidInput) as refused:
        stack.cea.create_election(payload=order)
    assert "missing: ob_declaration" in refused.value.fields["stages"]
    order = seed_order(society_id)
    stages = {s["stage"]: s for s in order["stages"]}
    stages["objection_scrutiny"].update(starts_on="2025-11-28")  # inside objections
    stages["withdrawal"]["daily_to"] = "10:00"                      # ends before it starts
    with pytest.raises(InvalidInput) as refused:
        stack.cea.create_election(payload=order)
    fields = refused.value.fields
    assert "overlaps objections to the provisional list" in fields["stages.objection_scrutiny"]
    assert fields["stages.withdrawal"] == "its daily hours end before they start"
    order = seed_order(society_id)
    order["booths"][0]["state"] = "Goa"
    with pytest.raises(InvalidInput) as refused:
        stack.cea.create_election(payload=order)
    assert refused.value.fields == {"booths.1": "is in Goa, outside the area of operation"}
    assert stack.sql("SELECT count(*) FROM election")[0][0] == 0   # nothing half-written


def test_only_the_cea_orders_and_amends_and_others_do_not_see_the_election(election_stack):
    stack = election_stack
    society_id = stack.add_society()
    with pytest.raises(Forbidden):
        stack.as_role("registrar").create_election(payload=seed_order(society_id))
    with pytest.raises(NotFound):
        stack.cea.create_election(payload=seed_order("no-such-society"))
    stack.set_clock("2025-09-20 10:00")
    election_id = stack.cea.create_election(payload=seed_order(society_id))["id"]

    other_ro = stack.as_role("returning_officer", "election:" + "0" * 36)
    with pytest.raises(NotFound):
        other_ro.get_election(payload={"election_id": election_id})
    society = stack.as_role("society_representative", f"society:{society_id}")
    assert society.get_election(payload={"election_id": election_id})["id"] == election_id
    assert [e["id"] for e in stack.ro(election_id).list_elections(payload={})["items"]] == [
        election_id]
    assert other_ro.list_elections(payload={})["items"] == []

    # Amendments: stages not yet open move, the programme must stay in order.
    moved = stack.cea.amend_programme(payload={
        "election_id": election_id, "reason": "Polling day clashes with a local holiday.",
        "stages": [{"stage": "poll", "starts_on": "2026-01-05", "daily_from": "08:00",
                    "daily_to": "16:00"}]})
    poll = next(s for s in moved["stages"] if s["stage"] == "poll")
    assert poll["starts_on"] == "2026-01-05"
    with pytest.raises(InvalidInput):
        stack.cea.amend_programme(payload={
            "election_id": election_id, "reason": "Counting earlier.",
            "stages": [{"stage": "counting", "starts_on": "2026-01-03"}]})
    stack.set_clock("2025-11-26 12:00")
    with pytest.raises(Conflict):
        stack.cea.amend_programme(payload={
            "election_id": election_id, "reason": "Longer objections.",
            "stages": [{"stage": "objections", "starts_on": "2025-11-25",
                        "ends_on": "2025-11-30", "daily_from": "11:00",
                        "daily_to": "15:00"}]})
    with pytest.raises(Forbidden):
        stack.ro(election_id).amend_programme(payload={
            "election_id": election_id, "reason": "Mine.",
            "stages": [{"stage": "poll", "starts_on": "2026-01-06"}]})


def test_booth_officers_are_assigned_by_the_ro_only(election_stack):
    stack = election_stack
    society_id = stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    election_id = stack.cea.create_election(payload=seed_order(society_id))["id"]
    ro = stack.ro(election_id)
    ro.assign_booth_officer(payload={"election_id": election_id, "booth_number": 3,
                                     "account_id": "aro-1", "name": "S. Kulkarni"})
    with pytest.raises(Conflict):
        ro.assign_booth_officer(payload={"election_id": election_id, "booth_number": 3,
                                         "account_id": "aro-1", "name": "S. Kulkarni"})
    with pytest.raises(NotFound):
        ro.assign_booth_officer(payload={"election_id": election_id, "booth_number": 99,
                                         "account_id": "aro-2", "name": "R. Desai"})
    with pytest.raises(Forbidden):
        stack.aro(election_id).assign_booth_officer(payload={
            "election_id": election_id, "booth_number": 4, "account_id": "aro-2",
            "name": "R. Desai"})
    booth = next(b for b in ro.get_election(payload={"election_id": election_id})["booths"]
                 if b["number"] == 3)
    assert booth["officers"] == [{"account_id": "aro-1", "name": "S. Kulkarni"}]
