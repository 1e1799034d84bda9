"""The case pages in process (the grievance service faked): the office's case queue
with its deadlines marked, a case with the steps the visitor may take as forms, a
refused step said in the visitor's language, raising a grievance checked by field,
and a court case's public status — each asking its RPC with the call context the API
route gives the same visitor, refusing whom the API refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import Conflict, Forbidden, NotFound
from tests.browser.portal_kit import calls, csrf, portal_kit, signed_in
from tests.gateway.unit.conftest import FakeRpc

CASE_ID = "0b7c9d2e-0000-4000-8000-00000000c001"


def _case(**changes):
    now = datetime.now(UTC)
    return {"id": CASE_ID, "number": "GRV/2026/1A2B3C4D", "kind": "grievance",
            "kind_version": 1, "state": "received", "state_since": now.isoformat(),
            "due_at": (now + timedelta(days=1, hours=2)).isoformat(), "level": 0,
            "overall_due_at": (now + timedelta(days=30)).isoformat(),
            "society_id": "s1", "office_id": "mp", "desk": "grievance_cell",
            "category": "accounts_and_dividend", "subject": "Dividend not paid",
            "description": "The dividend for 2025 was not credited.",
            "against_type": "society", "against_name": None, "complainant_type": "member",
            "language": "en", "opened_by": "acct-1", "assignee": None, "rating": None,
            "feedback": None, "opened_at": now.isoformat(), "closed_at": None,
            "reference": None, "court": None, "order_date": None,
            "parties": {"complainant": "acct-1", "respondent": {
                "type": "society", "name": None, "society_id": "s1"}, "office": "mp"},
            "sla": None, "allowed_actions": ["assign"], "hearings": [], "orders": [],
            **changes}


LATE = _case(id="0b7c9d2e-0000-4000-8000-00000000c002", number="GRV/2026/LATE0001",
             due_at=(datetime.now(UTC) - timedelta(days=3, hours=1)).isoformat())


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def rpc() -> FakeRpc:
    fake = FakeRpc()
    fake.on("notify", "list_mailbox", lambda p: {"items": [], "next_cursor": None,
                                                 "unread": 0})
    fake.on("grievance", "list_cases", lambda p: {
        "items": [LATE, _case()], "total": 60,
        "next_offset": 50 if not p.get("offset") else None})
    fake.on("grievance", "get_case", lambda p: _case())
    fake.on("grievance", "case_history", lambda p: {"items": [{
        "action": "open", "from_state": None, "to_state": "received",
        "actor_id": "acct-1", "actor_role": "citizen", "note": None,
        "document_ids": [], "at": datetime.now(UTC).isoformat()}]})
    fake.on("grievance", "take_action", lambda p: _case(state="assigned"))
    fake.on("grievance", "raise_grievance", lambda p: _case())
    return fake


@pytest.fixture
async def kit(rpc, tmp_path, monkeypatch):
    async with portal_kit(rpc, tmp_path, monkeypatch, ("registry", "notify", "grievance")) as built:
        yield built


@pytest.mark.anyio
async def test_the_office_queue_marks_deadlines_and_asks_with_the_officers_grant(kit, rpc):
    cookies = await signed_in(kit, role="dealing_officer", scope_kind="office",
                               scope_id="mp")
    page = await kit.client.get("/cases?kind=grievance&state=received&state_bad=x",
                                cookies=cookies)
    assert page.status_code == 200, page.text
    assert "Case queue" in page.text and "Overdue by 3 days" in page.text
    assert "Due soon: 1 days left" in page.text
    assert "60 cases. On this page: 1 overdue, 1 due within two days" in page.text
    [call] = calls(rpc, "list_cases")
    # a state chosen: shown open or closed, in the queue's order
    assert call.payload == {"kind": "grievance", "state": "received", "order": "due",
                            "limit": 50, "offset": 0}
    assert call.context.actor_role == "dealing_officer"
    assert call.context.actor_scope == "office:mp"
    assert 'rel="next" href="/cases?kind=grievance&amp;state=received&amp;cursor=' in page.text
    # a state that is no case's state is not asked for
    rpc.calls.clear()
    await kit.client.get("/cases?state=DROP", cookies=cookies)
    assert "state" not in calls(rpc, "list_cases")[0].payload


@pytest.mark.anyio
async def test_the_office_queue_is_its_open_cases_soonest_deadline_first(kit, rpc):
    cookies = {**await signed_in(kit, role="registrar", scope_kind="office",
                                  scope_id="mp"), "portal_lang": "hi"}
    page = await kit.client.get("/cases", cookies=cookies)
    assert page.status_code == 200
    [call] = calls(rpc, "list_cases")
    assert call.payload == {"order": "due", "open": True, "limit": 50, "offset": 0}
    assert call.context.actor_scope == "office:mp"
    assert "सबसे निकट स्तर की समय-सीमा पहले" in page.text
    assert '<option value="open" selected>खुले मामले</option>' in page.text
    assert '<option value="due" selected>सबसे निकट समय-सीमा पहले</option>' in page.text
    # the category, closed cases, newest first: each asked as chosen, kept on the pager
    rpc.calls.clear()
    chosen = await kit.client.get("/cases?category=housing&show=closed&order=newest",
                                  cookies=cookies)
    [call] = calls(rpc, "list_cases")
    assert call.payload == {"category": "housing", "order": "newest", "open": False,
                            "limit": 50, "offset": 0}
    assert '<option value="housing" selected>' in chosen.text
    assert ('rel="next" href="/cases?category=housing&amp;order=newest&amp;show=closed'
            '&amp;cursor=') in chosen.text
    rpc.calls.clear()
    await kit.client.get("/cases?show=all&category=nonsense&order=oldest", cookies=cookies)
    assert calls(rpc, "list_cases")[0].payload == {"order": "due", "limit": 50,
                                                   "offset": 0}
    # anyone else's list is the service's own, newest first, open and closed
    rpc.calls.clear()
    citizen = await signed_in(kit, role="citizen")
    mine = await kit.client.get("/cases?category=housing&order=due&show=open",
                                cookies=citizen)
    assert mine.status_code == 200 and 'name="order"' not in mine.text
    assert calls(rpc, "list_cases")[0].payload == {"category": "housing", "limit": 50,
                                                   "offset": 0}


@pytest.mark.anyio
async def test_the_case_page_offers_only_the_allowed_steps_and_refusals_in_hindi(kit, rpc):
    cookies = {**await signed_in(kit, role="dealing_officer", scope_kind="office",
                                  scope_id="mp"), "portal_lang": "hi"}
    page = await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
    assert page.status_code == 200
    assert "अधिकारी को सौंपें" in page.text  # assign
    assert 'value="resolve"' not in page.text
    assert "लेखा और लाभांश" in page.text  # the category
    # the form without its token is refused; without an assignee, told by the field
    forged = await kit.client.post(f"/cases/{CASE_ID}/actions",
                                   data={"csrf": "forged", "action": "assign"},
                                   cookies=cookies)
    assert forged.status_code == 422 and not calls(rpc, "take_action")
    empty = await kit.client.post(f"/cases/{CASE_ID}/actions",
                                  data={"csrf": csrf(kit), "action": "assign"},
                                  cookies=cookies)
    assert empty.status_code == 422 and "सौंपा जा रहा है" in empty.text
    assert 'aria-invalid="true"' in empty.text and not calls(rpc, "take_action")

    def wrong_state(payload):
        raise Conflict("This grievance is closed: 'assign' is not possible now.",
                       {"rule": "grievance v1: ...", "state": "closed"})

    rpc.on("grievance", "take_action", wrong_state)
    refused = await kit.client.post(f"/cases/{CASE_ID}/actions", data={
        "csrf": csrf(kit), "action": "assign", "assignee": "do-1"}, cookies=cookies)
    assert refused.status_code == 409
    assert "यह कदम अभी संभव नहीं है: मामला “बंद” है।" in refused.text
    assert 'value="do-1"' in refused.text  # what was typed is kept

    def not_your_role(payload):
        raise Forbidden("A citizen may not assign this grievance.", {"rule": "..."})

    rpc.on("grievance", "take_action", not_your_role)
    forbidden = await kit.client.post(f"/cases/{CASE_ID}/actions", data={
        "csrf": csrf(kit), "action": "assign", "assignee": "do-1"}, cookies=cookies)
    assert forbidden.status_code == 403 and "आपकी भूमिका" in forbidden.text


@pytest.mark.anyio
async def test_a_step_taken_redirects_to_the_case_with_the_officers_context(kit, rpc):
    cookies = await signed_in(kit, role="dealing_officer", scope_kind="office",
                               scope_id="mp")
    await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
    moved = await kit.client.post(f"/cases/{CASE_ID}/actions", data={
        "csrf": csrf(kit), "action": "assign", "assignee": "do-1", "note": ""},
        cookies=cookies)
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/cases/{CASE_ID}?done=assign"
    [call] = calls(rpc, "take_action")
    assert call.payload == {"case_id": CASE_ID, "action": "assign", "assignee": "do-1",
                            "document_ids": []}
    assert call.context.actor_scope == "office:mp"


@pytest.mark.anyio
async def test_another_offices_case_is_not_found_and_other_roles_are_refused(kit, rpc):
    def elsewhere(payload):
        raise NotFound("No such case.", {"case_id": payload["case_id"]})

    rpc.on("grievance", "get_case", elsewhere)
    cookies = await signed_in(kit, role="dealing_officer", scope_kind="office",
                               scope_id="wb")
    other = await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
    assert other.status_code == 404 and "not yours to see" in other.text
    applicant = await signed_in(kit, role="applicant")
    assert (await kit.client.get("/cases", cookies=applicant)).status_code == 403
    # an officer does not raise grievances (the API's grievances.raise is theirs)
    assert (await kit.client.get("/grievances/new", cookies=cookies)).status_code == 403
    assert (await kit.client.get("/cases")).status_code == 401


@pytest.mark.anyio
async def test_a_citizen_raises_a_grievance_checked_field_by_field(kit, rpc):
    cookies = {**await signed_in(kit, role="citizen"), "portal_lang": "hi"}
    form = await kit.client.get("/grievances/new?society=s1", cookies=cookies)
    assert form.status_code == 200 and 'value="s1"' in form.text
    bad = await kit.client.post("/grievances/new", data={
        "csrf": csrf(kit), "complainant_type": "member", "against_type": "officer",
        "society_id": "s1", "category": "", "subject": "x", "description": ""},
        cookies=cookies)
    assert bad.status_code == 422 and not calls(rpc, "raise_grievance")
    for problem in ("उस व्यक्ति का नाम लिखें", "चुनें कि शिकायत किस विषय में है",
                    "3 से 300 अक्षरों का विषय", "शिकायत का विवरण"):
        assert problem in bad.text
    raised = await kit.client.post("/grievances/new", data={
        "csrf": csrf(kit), "complainant_type": "member", "against_type": "society",
        "society_id": "s1", "category": "accounts_and_dividend",
        "subject": "Dividend not paid", "description": "Not credited for 2025."},
        cookies=cookies)
    assert raised.status_code == 303
    assert raised.headers["location"] == f"/cases/{CASE_ID}?raised=1"
    [call] = calls(rpc, "raise_grievance")
    assert call.payload == {"complainant_type": "member", "against_type": "society",
                            "category": "accounts_and_dividend",
                            "subject": "Dividend not paid",
                            "description": "Not credited for 2025.", "language": "hi",
                            "society_id": "s1"}
    assert call.context.actor_role == "citizen"

    def unknown(payload):
        raise NotFound("No such society.", {"society_id": "zz"})

    rpc.on("grievance", "raise_grievance", unknown)
    missing = await kit.client.post("/grievances/new", data={
        "csrf": csrf(kit), "complainant_type": "member", "against_type": "society",
        "society_id": "zz", "category": "other", "subject": "Something",
        "description": "Something happened."}, cookies=cookies)
    assert missing.status_code == 404 and "इस आईडी की कोई पंजीकृत समिति नहीं है" in missing.text
    mine = await kit.client.get("/cases", cookies=cookies)
    assert mine.status_code == 200 and "मेरे मामले" in mine.text
    assert 'href="/grievances/new"' in mine.text


@pytest.mark.anyio
async def test_a_court_cases_status_is_public_and_asked_anonymously(kit, rpc):
    rpc.on("grievance", "public_case_status", lambda p: {
        "number": p["number"], "case_number": "CRT/2026/00000001",
        "court": "High Court of Madhya Pradesh", "subject": "Supersession",
        "state": "hearing", "petitioners": ["A Society"], "respondents": ["Registrar"],
        "hearings": [], "next_hearing": None, "orders": []})
    home = await kit.client.get("/")
    assert 'href="/court-cases"' in home.text
    page = await kit.client.get("/court-cases?number=W.P. 77/2026")
    assert page.status_code == 200 and "High Court of Madhya Pradesh" in page.text
    [call] = calls(rpc, "public_case_status")
    assert call.payload == {"number": "W.P. 77/2026"}
    assert call.context.actor_role == "anonymous"
    bad = await kit.client.get("/court-cases?number=<script>")
    assert bad.status_code == 422 and len(calls(rpc, "public_case_status")) == 1

    def unknown(payload):
        raise NotFound("No court case with this number.", {"number": payload["number"]})

    rpc.on("grievance", "public_case_status", unknown)
    missing = await kit.client.get("/court-cases?number=W.P. 78/2026",
                                   cookies={"portal_lang": "hi"})
    assert missing.status_code == 404 and "न्यायालय वाद की यह संख्या नहीं है" in missing.text


def test_case_labels_cover_the_kinds_and_the_contracts_codes():
    from typing import get_args

    from gateway.portal import case_labels
    from services.common.contracts import grievance as contracts
    from services.grievance.kinds import KINDS

    assert set(case_labels.CASE_KINDS) == set(get_args(contracts.CaseKind))
    assert set(case_labels.CASE_CATEGORIES) == set(get_args(contracts.Category))
    assert set(case_labels.AGAINST_TYPES) == set(get_args(contracts.AgainstType))
    assert set(case_labels.COMPLAINANT_TYPES) == set(get_args(contracts.ComplainantType))
    for kind in KINDS.values():
        assert set(kind.states) <= set(case_labels.CASE_STATES), kind.name
        assert {t.name for t in kind.transitions} <= set(case_labels.CASE_ACTIONS), kind.name
