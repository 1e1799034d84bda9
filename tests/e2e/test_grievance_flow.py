"""Grievances through the real gateway, the registry and the grievance service as
processes on the real broker and PostgreSQL: a society raises one against an officer,
the society's office resolves it and the citizen rates it, refusals come back naming
the rule in the platform's error body, and a court case's status is public."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.e2e.harness import DomainStack
from tests.services.integration.grievance_kit import complaint


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[DomainStack]:
    running = DomainStack(tmp_path_factory.mktemp("grievance-stack"), "grievance")
    try:
        yield running.start()
    finally:
        running.close()


def test_a_citizen_raises_a_grievance_and_the_office_resolves_it(stack):
    society_id = stack.society(uuid.uuid4().hex[:12], "Sahyog Credit Cooperative Society",
                               office_id="mp")
    # Citizens sign in by OTP (covered by the service's tests); a society's
    # representative raises it here, as the society's own complaint.
    citizen = stack.token("society_representative", "society", society_id)
    raised = stack.http.post("/v1/grievances", headers=citizen, json=complaint(
        society_id, against_type="officer", against_name="Dealing officer"))
    assert raised.status_code == 201, raised.text
    case_id = raised.json()["id"]
    assert raised.json()["office_id"] == "mp"
    assert raised.json()["message"]["hi"].startswith("आपकी शिकायत")

    officer = stack.token("dealing_officer", "office", "mp")
    elsewhere = stack.token("dealing_officer", "office", "wb")
    queue = stack.http.get("/v1/cases", headers=officer, params={
        "order": "due", "open": "true", "category": "accounts_and_dividend"})
    assert queue.status_code == 200, queue.text
    assert case_id in [c["id"] for c in queue.json()["items"]]
    unknown = stack.http.get("/v1/cases", headers=officer, params={"order": "oldest"})
    assert unknown.status_code == 422
    assert "query.order" in unknown.json()["error"]["details"]["fields"]
    assert stack.http.get(f"/v1/cases/{case_id}", headers=elsewhere).status_code == 404
    wrong_state = stack.http.post(f"/v1/cases/{case_id}/actions", headers=officer,
                                  json={"action": "resolve", "note": "Done."})
    assert wrong_state.status_code == 409
    assert wrong_state.json()["error"]["details"]["rule"].startswith(
        "grievance v1: 'resolve' goes from assigned")
    for body in ({"action": "assign", "assignee": "do-1"},
                 {"action": "resolve", "note": "The dividend has been credited."}):
        moved = stack.http.post(f"/v1/cases/{case_id}/actions", headers=officer, json=body)
        assert moved.status_code == 200, moved.text
    not_yours = stack.http.post(f"/v1/cases/{case_id}/actions", headers=officer,
                                json={"action": "rate", "rating": 5})
    assert not_yours.status_code == 403
    rated = stack.http.post(f"/v1/cases/{case_id}/actions", headers=citizen,
                            json={"action": "rate", "rating": 4, "note": "Thank you."})
    assert rated.status_code == 200 and rated.json()["state"] == "closed"
    still_open = stack.http.get("/v1/cases", headers=officer, params={"open": "true"})
    assert case_id not in [c["id"] for c in still_open.json()["items"]]
    history = stack.http.get(f"/v1/cases/{case_id}/history", headers=citizen).json()
    assert [h["action"] for h in history["items"]] == ["open", "assign", "resolve", "rate"]
    board = stack.http.get("/v1/cases/dashboard", headers=officer)
    assert board.status_code == 200 and board.json()["sla"]["closed"] == 1
    assert stack.http.get("/v1/cases/dashboard", headers=citizen).status_code == 403


def test_a_court_case_status_is_public_by_its_number(stack):
    officer = stack.token("registrar", "office", "mp")
    recorded = stack.http.post("/v1/court-cases", headers=officer, json={
        "number": "W.P. 77/2026", "court": "High Court of Madhya Pradesh",
        "petitioners": ["A Society"], "respondents": ["Registrar"],
        "subject": "Supersession", "description": "Writ against supersession."})
    assert recorded.status_code == 201, recorded.text
    public = stack.http.get("/v1/court-cases/status/W.P. 77/2026")
    assert public.status_code == 200, public.text
    assert public.json()["court"] == "High Court of Madhya Pradesh"
    assert stack.http.get("/v1/court-cases/status/W.P. 78/2026").status_code == 404
