"""Appeals and court cases over the real broker and PostgreSQL: an appeal within 60 days
of the order goes to the office above, one after is refused with both dates in Indian
format and nothing written; hearings and orders through the kind's actions; a court
case's public status by its number."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, OutsideWindow
from services.common.india import INDIA, day_text


def _appeal(order_date: date, **overrides) -> dict:
    body = {"order_ref": "RCS/MP/ORD/2026/17", "order_date": order_date.isoformat(),
            "order_office_id": "mp", "respondent": "Registrar of Cooperative Societies, MP",
            "subject": "Appeal against the order of disqualification",
            "grounds": "The appellant was not heard before the order.", "language": "hi"}
    body.update(overrides)
    return body


def _later(days: int) -> str:
    return (datetime.now(INDIA) + timedelta(days=days)).replace(
        hour=11, minute=0, second=0, microsecond=0, tzinfo=None).isoformat()


def test_an_appeal_in_time_is_heard_and_decided_one_late_is_refused(grievance_stack):
    stack = grievance_stack
    today = datetime.now(INDIA).date()
    appellant = stack.as_role("society_representative", "society:s-1", "rep-1")
    filed = appellant.file_appeal(payload=_appeal(today - timedelta(days=60)))
    assert filed["kind"] == "appeal" and filed["state"] == "filed"
    assert filed["office_id"] == "crcs"                  # the office above mp
    assert filed["reference"] == "RCS/MP/ORD/2026/17"

    order_date = today - timedelta(days=61)
    with pytest.raises(OutsideWindow) as late:
        appellant.file_appeal(payload=_appeal(order_date))
    assert late.value.message == (
        f"An appeal must be filed within 60 days of the order: the order is dated "
        f"{day_text(order_date)}, so the last day was "
        f"{day_text(order_date + timedelta(days=60))} (today is {day_text(today)}).")
    assert stack.sql("SELECT count(*) FROM grievance_case")[0][0] == 1

    registrar = stack.officer("crcs", "rcs-1", role="registrar")
    case_id = filed["id"]
    with pytest.raises(Conflict):                        # not admitted yet
        registrar.schedule_hearing(payload={"case_id": case_id, "hearing_at": _later(7),
                                            "place": "Krishi Bhawan", "purpose": "Arguments"})
    registrar.take_action(payload={"case_id": case_id, "action": "admit"})
    heard = registrar.schedule_hearing(payload={
        "case_id": case_id, "hearing_at": _later(7), "place": "Krishi Bhawan, New Delhi",
        "purpose": "Arguments"})
    assert heard["state"] == "hearing"
    assert heard["hearings"][0]["when"].endswith("11:00 IST")
    with pytest.raises(Forbidden):                       # the appellant does not decide
        appellant.record_order(payload={"case_id": case_id, "order_date": today.isoformat(),
                                        "summary": "Allowed.", "final": True})
    decided = registrar.record_order(payload={
        "case_id": case_id, "order_date": today.isoformat(),
        "summary": "Appeal allowed; the order is set aside.",
        "document_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "final": True})
    assert decided["state"] == "decided" and decided["closed_at"]
    assert decided["orders"][0]["dated"] == day_text(today)
    events = {r.event_type for r in stack.sql("SELECT event_type FROM outbox_message")}
    assert {"case_opened", "case_hearing_scheduled", "case_transitioned"} <= events


def test_a_court_case_is_public_by_its_number(grievance_stack):
    stack = grievance_stack
    officer = stack.officer("mp", "legal-1")
    writ = {"number": "W.P. 1234/2025", "court": "High Court of Madhya Pradesh, Jabalpur",
            "petitioners": ["Sahyog Credit Cooperative Society"],
            "respondents": ["Registrar of Cooperative Societies, Madhya Pradesh"],
            "subject": "Supersession of the board", "description": "Writ against the order."}
    with pytest.raises(Forbidden):                       # the office records court cases
        stack.citizen().open_court_case(payload=writ)
    recorded = officer.open_court_case(payload=writ)
    assert recorded["office_id"] == "mp" and recorded["state"] == "pending"
    with pytest.raises(Conflict):
        officer.open_court_case(payload={
            "number": "W.P. 1234/2025", "court": "High Court of Madhya Pradesh, Jabalpur",
            "petitioners": ["X"], "respondents": ["Y"], "subject": "Again",
            "description": "The same case again."})
    with pytest.raises(Forbidden):                       # outside the officer's office
        stack.officer("wb").open_court_case(payload={
            "number": "W.P. 9/2025", "court": "High Court", "office_id": "mp",
            "petitioners": ["X"], "respondents": ["Y"], "subject": "Other",
            "description": "Another case."})
    officer.schedule_hearing(payload={"case_id": recorded["id"], "hearing_at": _later(3),
                                      "place": "Court 4", "purpose": "Admission"})
    officer.record_order(payload={"case_id": recorded["id"],
                                  "order_date": datetime.now(INDIA).date().isoformat(),
                                  "summary": "Notice issued; reply in four weeks."})

    status = stack.system.public_case_status(payload={"number": "W.P. 1234/2025"})
    assert status["court"] == "High Court of Madhya Pradesh, Jabalpur"
    assert status["state"] == "hearing" and status["next_hearing"]["place"] == "Court 4"
    assert status["orders"][0]["summary"] == "Notice issued; reply in four weeks."
    assert "document_id" not in status["orders"][0]
    with pytest.raises(NotFound):
        stack.system.public_case_status(payload={"number": "W.P. 1/2020"})


def test_a_dispute_is_referred_heard_and_awarded_by_its_arbitrator(grievance_stack):
    stack = grievance_stack
    society_id = stack.add_society(office_id="wb")
    filed = stack.citizen("member-5").file_dispute(payload={
        "society_id": society_id, "respondent": "The society's board",
        "subject": "Expulsion without notice", "claim": "Reinstate the membership."})
    case_id = filed["id"]
    assert filed["kind"] == "arbitration" and filed["office_id"] == "wb"
    arbitrator = stack.as_role("arbitrator", f"case:{case_id}", "arb-1")
    with pytest.raises(Conflict):                        # not referred yet
        arbitrator.schedule_hearing(payload={"case_id": case_id, "hearing_at": _later(5),
                                             "place": "Kolkata", "purpose": "Evidence"})
    stack.officer("wb").take_action(payload={"case_id": case_id, "action": "refer",
                                             "assignee": "arb-1"})
    with pytest.raises(NotFound):                        # another case's arbitrator
        stack.as_role("arbitrator", "case:other", "arb-2").get_case(
            payload={"case_id": case_id})
    arbitrator.schedule_hearing(payload={"case_id": case_id, "hearing_at": _later(5),
                                         "place": "Kolkata", "purpose": "Evidence"})
    award = arbitrator.record_order(payload={
        "case_id": case_id, "order_date": datetime.now(INDIA).date().isoformat(),
        "summary": "Membership restored.", "final": True})
    assert award["state"] == "award" and award["assignee"] == "arb-1"


def test_a_hearing_within_a_day_is_reminded_once_by_mailbox_and_sms(grievance_stack):
    """The day before a hearing: one case_hearing_reminder with the alert numbers the
    office gave, however often the reminders run; a hearing further off waits."""
    stack = grievance_stack
    officer = stack.officer("mp", "legal-2")
    recorded = officer.open_court_case(payload={
        "number": "W.P. 77/2026", "court": "High Court of Madhya Pradesh, Indore",
        "petitioners": ["Malwa Bunkar Sahakari Samiti"], "respondents": ["Registrar"],
        "subject": "Supersession", "description": "Writ against the supersession."})
    soon = (datetime.now(INDIA) + timedelta(hours=20)).replace(tzinfo=None, microsecond=0)
    with pytest.raises(InvalidInput):                    # not a mobile number
        officer.schedule_hearing(payload={
            "case_id": recorded["id"], "hearing_at": soon.isoformat(), "place": "Court 2",
            "purpose": "Admission", "alert_phones": ["call the advocate"]})
    officer.schedule_hearing(payload={
        "case_id": recorded["id"], "hearing_at": soon.isoformat(), "place": "Court 2",
        "purpose": "Admission", "alert_phones": ["+919826000001", "9826000002"]})
    officer.schedule_hearing(payload={
        "case_id": recorded["id"], "hearing_at": _later(10), "place": "Court 2",
        "purpose": "Arguments"})
    with pytest.raises(Forbidden):
        officer.send_hearing_reminders(payload={})

    assert stack.system.send_hearing_reminders(payload={}) == {"reminded": 1}
    assert stack.system.send_hearing_reminders(payload={}) == {"reminded": 0}
    [reminder] = [r.payload for r in stack.sql(
        "SELECT payload FROM outbox_message WHERE event_type = 'case_hearing_reminder'")]
    assert reminder["case_id"] == recorded["id"] and reminder["place"] == "Court 2"
    assert reminder["alert_phones"] == ["+919826000001", "9826000002"]
    assert reminder["reference"] == "W.P. 77/2026"
    assert [r.action for r in stack.sql("SELECT action FROM audit_entry "
                                        "WHERE action = 'hearing_reminders_sent'")] == [
        "hearing_reminders_sent"]
