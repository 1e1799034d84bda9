"""Inquiries and inspections over the real broker and PostgreSQL: members' requests
carry supporting voters checked against the register by RPC (each one that is not a
member named), the office orders the inquiry, the inquirer with the case grant acts,
another role is refused naming the rule, and a winding-up recommendation leaves its
event for the registry."""

from __future__ import annotations

import pytest

from services.common.errors import Forbidden, InvalidInput


def _request(society_id: str, voters: list[str], **overrides) -> dict:
    body = {"kind": "inquiry", "society_id": society_id, "initiator_type": "member",
            "subject": "Loans to directors' relatives",
            "grounds": "Loans were sanctioned to relatives of directors without security.",
            "supporting_voters": voters}
    body.update(overrides)
    return body


def test_members_request_an_inquiry_and_the_inquirer_reports(grievance_stack):
    stack = grievance_stack
    society_id = stack.add_society(office_id="mp")
    stack.add_members(society_id, 3)
    member = stack.citizen("member-1")

    with pytest.raises(InvalidInput) as none:
        member.request_inquiry(payload=_request(society_id, []))
    assert "supporting_voters" in none.value.fields
    with pytest.raises(InvalidInput) as strangers:
        member.request_inquiry(payload=_request(society_id, ["M0001", "M0099", "M0001"]))
    assert strangers.value.fields == {
        "supporting_voters[1]": "M0099 is not an active member of the society",
        "supporting_voters[2]": "M0001 is listed twice"}
    assert stack.sql("SELECT count(*) FROM grievance_case")[0][0] == 0

    requested = member.request_inquiry(payload=_request(society_id, ["M0001", "M0002"]))
    case_id = requested["id"]
    assert requested["kind"] == "inquiry" and requested["state"] == "requested"
    assert requested["parties"]["supporting_voters"] == ["M0001", "M0002"]
    # A creditor's request needs no voters.
    assert member.request_inquiry(payload=_request(
        society_id, [], kind="inspection", initiator_type="creditor"))["kind"] == "inspection"

    stack.officer("mp").take_action(payload={"case_id": case_id, "action": "order",
                                             "assignee": "inquirer-1"})
    inquirer = stack.as_role("inquirer", f"case:{case_id}", "inquirer-1")
    inspector = stack.as_role("inspector", f"case:{case_id}", "inspector-1")
    inquirer.take_action(payload={"case_id": case_id, "action": "start"})
    with pytest.raises(Forbidden) as wrong_role:
        inspector.take_action(payload={"case_id": case_id, "action": "submit_report"})
    assert wrong_role.value.details["rule"] == (
        "inquiry v1: 'submit_report' goes from in_progress to reported, taken by inquirer")
    inquirer.take_action(payload={"case_id": case_id, "action": "request_documents",
                                  "note": "Loan files of 2024-25."})
    reported = inquirer.take_action(payload={
        "case_id": case_id, "action": "submit_report", "note": "Irregularities found.",
        "document_ids": ["0f8fad5b-d9cb-469f-a165-70867728950e"]})
    assert reported["state"] == "reported" and reported["assignee"] == "inquirer-1"
    inquirer.take_action(payload={"case_id": case_id, "action": "recommend_winding_up",
                                  "note": "Net worth fully eroded."})
    events = stack.sql("SELECT payload FROM outbox_message "
                       "WHERE event_type = 'case_winding_up_recommended'")
    assert [(e.payload["society_id"], e.payload["recommended_by"]) for e in events] == [
        (society_id, "inquirer-1")]


def test_an_inspector_on_two_cases_lists_both_and_no_third(grievance_stack):
    stack = grievance_stack
    society_id = stack.add_society(office_id="mp")
    creditor = stack.citizen("creditor-7")
    ids = [creditor.request_inquiry(payload=_request(
        society_id, [], kind="inspection", initiator_type="creditor"))["id"]
        for _ in range(3)]
    inspector = stack.as_role("inspector", f"case:{ids[0]} case:{ids[1]}", "inspector-2")
    listed = inspector.list_cases(payload={})
    assert sorted(item["id"] for item in listed["items"]) == sorted(ids[:2])
    assert listed["total"] == 2
    # The creditor who opened all three lists all three; "mine" keeps to those.
    assert creditor.list_cases(payload={"mine": True})["total"] >= 3
