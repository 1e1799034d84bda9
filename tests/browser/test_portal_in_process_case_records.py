"""The case pages' hearings, orders, audit trail and documents in process (the grievance
and documents services faked): the office fixes a hearing and passes an order from a
case's page, each form checked beside its fields in English and Hindi before the
service is asked and the service's refusals shown naming their rule with what was typed
kept; the audit trail for the office side only; a document a case names opens through
the documents download route, as that route answers the same visitor."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from gateway.portal import case_hearings
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.india import INDIA
from tests.browser.portal_kit import calls, csrf, portal_kit, signed_in
from tests.gateway.unit.conftest import FakeRpc

CASE_ID = "0b7c9d2e-0000-4000-8000-00000000c101"
DOCUMENT = "5f1e3c7a-9b2d-4e6f-8a1b-3c5d7e9f1a2b"
RULE = ("court_case v1: 'list_hearing' goes from pending or hearing or reserved to "
        "hearing, taken by dealing_officer, registrar")


def _court_case(**changes):
    now = datetime.now(UTC)
    return {"id": CASE_ID, "number": "CRT/2026/00000007", "kind": "court_case",
            "kind_version": 1, "state": "pending", "state_since": now.isoformat(),
            "due_at": None, "level": 0, "overall_due_at": None, "society_id": "s1",
            "office_id": "mp", "desk": "legal_cell", "category": None,
            "subject": "Supersession", "description": "Writ against supersession.",
            "against_type": None, "against_name": None, "complainant_type": None,
            "language": "en", "opened_by": "reg-1", "assignee": None, "rating": None,
            "feedback": None, "opened_at": now.isoformat(), "closed_at": None,
            "reference": "W.P. 77/2026", "court": "High Court of Madhya Pradesh",
            "order_date": None, "parties": {"petitioners": ["A Society"],
                                            "respondents": ["Registrar"], "office": "mp"},
            "sla": None, "hearings": [],
            "orders": [{"order_date": "2026-11-02", "summary": "Notice issued.",
                        "final": False, "document_id": DOCUMENT}],
            "allowed_actions": ["list_hearing", "reserve", "record_order", "dispose"],
            **changes}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def rpc() -> FakeRpc:
    fake = FakeRpc()
    fake.on("notify", "list_mailbox", lambda p: {"items": [], "next_cursor": None,
                                                 "unread": 0})
    fake.on("grievance", "get_case", lambda p: _court_case())
    fake.on("grievance", "case_history", lambda p: {"items": [{
        "action": "open", "from_state": None, "to_state": "pending",
        "actor_id": "reg-1", "actor_role": "registrar", "note": None,
        "document_ids": [DOCUMENT], "at": datetime.now(UTC).isoformat()}]})
    fake.on("grievance", "schedule_hearing", lambda p: _court_case(state="hearing"))
    fake.on("grievance", "record_order", lambda p: _court_case(state="hearing"))
    return fake


@pytest.fixture
async def kit(rpc, tmp_path, monkeypatch):
    async with portal_kit(rpc, tmp_path, monkeypatch,
                          ("registry", "notify", "grievance", "documents")) as built:
        yield built


async def _officer(kit, language: str = "en") -> dict[str, str]:
    cookies = await signed_in(kit, role="dealing_officer", scope_kind="office",
                              scope_id="mp")
    return {**cookies, "portal_lang": language}


def _later(days: int = 10) -> datetime:
    return datetime.now(INDIA) + timedelta(days=days)


@pytest.mark.anyio
async def test_the_court_cases_page_offers_the_hearing_and_order_forms_in_place_of_the_steps(
        kit, rpc):
    cookies = await _officer(kit)
    page = await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
    assert page.status_code == 200
    assert 'action="/cases/' + CASE_ID + '/hearings"' in page.text
    assert 'action="/cases/' + CASE_ID + '/orders"' in page.text
    assert "Interim: the case goes on" in page.text and "Final: it disposes" in page.text
    # the hearing and the orders go through their own forms, not the bare steps
    for bare in ("list_hearing", "record_order", "dispose"):
        assert f'name="action" value="{bare}"' not in page.text
    assert 'name="action" value="reserve"' in page.text
    # an appeal takes only a final order: no choice offered
    rpc.on("grievance", "get_case", lambda p: _court_case(
        kind="appeal", state="hearing", allowed_actions=["hear", "decide", "withdraw"]))
    appeal = await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
    assert "This order is final: it decides the case." in appeal.text
    assert 'name="final"' not in appeal.text and "Fix a hearing" in appeal.text
    # a case that allows neither (a citizen's grievance) shows neither form
    rpc.on("grievance", "get_case", lambda p: _court_case(
        kind="grievance", allowed_actions=["withdraw"]))
    plain = await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
    assert "/hearings" not in plain.text and "/orders\"" not in plain.text


@pytest.mark.anyio
async def test_a_hearing_is_checked_by_field_in_hindi_before_the_service_is_asked(kit, rpc):
    cookies = await _officer(kit, "hi")
    await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
    forged = await kit.client.post(f"/cases/{CASE_ID}/hearings", data={
        "csrf": "forged", "hearing_day": "01-01-2030"}, cookies=cookies)
    assert forged.status_code == 422 and not calls(rpc, "schedule_hearing")
    bad = await kit.client.post(f"/cases/{CASE_ID}/hearings", data={
        "csrf": csrf(kit), "hearing_day": "31-02-2027", "hearing_time": "25:00",
        "place": "", "purpose": "Arguments", "alert_phones": "98765\n+919876543210"},
        cookies=cookies)
    assert bad.status_code == 422 and not calls(rpc, "schedule_hearing")
    for problem in ("सुनवाई का दिन, जैसे 15-01-2027।", "सुनवाई का समय (IST), जैसे 11:00।",
                    "सुनवाई कहाँ होगी।", "अधिकतम 10 मोबाइल नंबर"):
        assert problem in bad.text
    assert 'id="f-hearing-place" name="place" type="text" value="" aria-describedby' \
        in bad.text
    assert 'value="Arguments"' in bad.text and "+919876543210" in bad.text  # kept
    past = datetime.now(INDIA) - timedelta(days=1)
    gone = await kit.client.post(f"/cases/{CASE_ID}/hearings", data={
        "csrf": csrf(kit), "hearing_day": past.strftime("%d-%m-%Y"),
        "hearing_time": "11:00", "place": "Court room 3", "purpose": "Arguments"},
        cookies=cookies)
    assert gone.status_code == 422 and "आगे के किसी दिन और समय" in gone.text
    assert not calls(rpc, "schedule_hearing")


@pytest.mark.anyio
async def test_a_hearing_fixed_is_asked_in_india_time_with_the_officers_context(kit, rpc):
    cookies = await _officer(kit)
    await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
    day = _later()
    fixed = await kit.client.post(f"/cases/{CASE_ID}/hearings", data={
        "csrf": csrf(kit), "hearing_day": day.strftime("%d-%m-%Y"), "hearing_time": "9:30",
        "place": " Court room 3 ", "purpose": "Arguments on the stay",
        "alert_phones": "+919876543210\n9876500000"}, cookies=cookies)
    assert fixed.status_code == 303
    assert fixed.headers["location"] == f"/cases/{CASE_ID}?fixed=hearing"
    [call] = calls(rpc, "schedule_hearing")
    assert call.payload == {
        "case_id": CASE_ID, "hearing_at": f"{day.strftime('%Y-%m-%d')}T09:30:00",
        "place": "Court room 3", "purpose": "Arguments on the stay",
        "alert_phones": ["+919876543210", "9876500000"]}
    assert call.context.actor_role == "dealing_officer"
    assert call.context.actor_scope == "office:mp"
    shown = await kit.client.get(fixed.headers["location"], cookies=cookies)
    assert "The hearing is fixed; the parties are told." in shown.text


@pytest.mark.anyio
async def test_the_services_refusals_name_the_rule_and_keep_what_was_typed(kit, rpc):
    cookies = await _officer(kit, "hi")
    await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
    typed = {"csrf": csrf(kit), "hearing_day": _later().strftime("%d-%m-%Y"),
             "hearing_time": "11:00", "place": "Court room 3", "purpose": "Arguments"}

    def not_now(payload):
        raise Conflict("This court case is disposed: 'list_hearing' is not possible now.",
                       {"rule": RULE, "state": "disposed"})

    rpc.on("grievance", "schedule_hearing", not_now)
    refused = await kit.client.post(f"/cases/{CASE_ID}/hearings", data=typed,
                                    cookies=cookies)
    assert refused.status_code == 409
    assert "यह कदम अभी संभव नहीं है: मामला “निस्तारित” है।" in refused.text
    assert "नियम: court_case v1: &#39;list_hearing&#39; goes from" in refused.text
    assert 'value="Court room 3"' in refused.text

    def past(payload):
        raise InvalidInput("A hearing is fixed for a later moment.",
                           fields={"hearing_at": "in the past"})

    rpc.on("grievance", "schedule_hearing", past)
    late = await kit.client.post(f"/cases/{CASE_ID}/hearings", data=typed, cookies=cookies)
    assert late.status_code == 422
    assert ('id="e-hearing-hearing_day">शिकायत सेवा ने इसे अस्वीकार किया: in the past'
            in late.text)

    def not_your_role(payload):
        raise Forbidden("A arbitrator may not record order this court case.",
                        {"rule": "court_case v1: 'record_order' ...", "your_role": "x"})

    rpc.on("grievance", "record_order", not_your_role)
    order = {"csrf": csrf(kit), "order_day": "02-12-2026", "summary": "Stay granted.",
             "final": "no", "document_id": DOCUMENT}
    forbidden = await kit.client.post(f"/cases/{CASE_ID}/orders", data=order,
                                      cookies=cookies)
    assert forbidden.status_code == 403 and "आपकी भूमिका" in forbidden.text
    assert "नियम: court_case v1: &#39;record_order&#39;" in forbidden.text
    assert "Stay granted." in forbidden.text and f'value="{DOCUMENT}"' in forbidden.text
    assert 'value="no" checked' in forbidden.text


@pytest.mark.anyio
async def test_an_order_is_checked_and_recorded_final_or_interim_as_the_case_takes(kit, rpc):
    cookies = await _officer(kit)
    await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
    bad = await kit.client.post(f"/cases/{CASE_ID}/orders", data={
        "csrf": csrf(kit), "order_day": "2026-12-02", "summary": "ok",
        "document_id": "not-a-document"}, cookies=cookies)
    assert bad.status_code == 422 and not calls(rpc, "record_order")
    for problem in ("The date of the order, as 15-01-2027.",
                    "What the order says, in 3 to 8,000 characters.",
                    "A document id as the documents service gave it",
                    "Say whether the order is final or interim."):
        assert problem in bad.text
    passed = await kit.client.post(f"/cases/{CASE_ID}/orders", data={
        "csrf": csrf(kit), "order_day": "2-12-2026", "summary": "Writ disposed of.",
        "final": "yes"}, cookies=cookies)
    assert passed.status_code == 303
    assert passed.headers["location"] == f"/cases/{CASE_ID}?fixed=order"
    [call] = calls(rpc, "record_order")
    assert call.payload == {"case_id": CASE_ID, "order_date": "2026-12-02",
                            "summary": "Writ disposed of.", "final": True}
    assert call.context.actor_scope == "office:mp"
    # an arbitration's award is final without a choice; the service's field refusal
    # is said beside the form even so
    rpc.on("grievance", "get_case", lambda p: _court_case(
        kind="arbitration", state="hearing", allowed_actions=["make_award", "dismiss"]))

    def no_interim(payload):
        raise InvalidInput("A arbitration takes no final order here.",
                           fields={"final": "no final order for a arbitration"})

    rpc.on("grievance", "record_order", no_interim)
    award = await kit.client.post(f"/cases/{CASE_ID}/orders", data={
        "csrf": csrf(kit), "order_day": "02-12-2026", "summary": "Award made.",
        "final": "no"}, cookies=cookies)
    assert award.status_code == 422
    assert calls(rpc, "record_order")[-1].payload["final"] is True
    assert "no final order for a arbitration" in award.text


@pytest.mark.anyio
async def test_the_audit_trail_is_the_office_sides_page_with_its_entries_named(kit, rpc):
    at = datetime(2026, 12, 7, 20, 15, tzinfo=UTC).isoformat()   # 08-12-2026 01:45 IST
    rpc.on("grievance", "case_audit", lambda p: {"items": [
        {"id": 1, "at": at, "actor_id": "reg-1", "actor_role": "registrar",
         "action": "court_case_recorded", "entity_type": "case", "entity_id": CASE_ID,
         "changes": {"number": "CRT/2026/00000007", "office_id": "mp"},
         "hash": "ab" * 32},
        {"id": 2, "at": at, "actor_id": "do-1", "actor_role": "dealing_officer",
         "action": "case_reserve", "entity_type": "case", "entity_id": CASE_ID,
         "changes": {"from_state": "hearing", "to_state": "reserved"}, "hash": "cd" * 32},
    ], "next_offset": 50 if not p.get("offset") else None})
    cookies = await _officer(kit, "hi")
    case = await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
    assert f'href="/cases/{CASE_ID}/audit"' in case.text
    page = await kit.client.get(f"/cases/{CASE_ID}/audit", cookies=cookies)
    assert page.status_code == 200
    assert "ऑडिट विवरण" in page.text and "न्यायालय वाद दर्ज किया गया" in page.text
    assert "आदेश सुरक्षित रखें" in page.text  # a step, named as the history names it
    assert "08-12-2026" in page.text and "IST" in page.text
    assert "CRT/2026/00000007" in page.text and "abababababab" in page.text
    [call] = calls(rpc, "case_audit")
    assert call.payload == {"case_id": CASE_ID, "limit": 50, "offset": 0}
    assert call.context.actor_scope == "office:mp"
    assert 'rel="next" href="/cases/' + CASE_ID + '/audit?cursor=' in page.text
    # a citizen is refused by the rule (the API's cases.audit) and not offered the link
    citizen = await signed_in(kit, role="citizen")
    rpc.on("grievance", "get_case", lambda p: _court_case(kind="grievance",
                                                         allowed_actions=[]))
    theirs = await kit.client.get(f"/cases/{CASE_ID}", cookies=citizen)
    assert theirs.status_code == 200 and "/audit" not in theirs.text
    assert (await kit.client.get(f"/cases/{CASE_ID}/audit",
                                 cookies=citizen)).status_code == 403

    def elsewhere(payload):
        raise NotFound("No such case.", {"case_id": payload["case_id"]})

    rpc.on("grievance", "case_audit", elsewhere)
    assert (await kit.client.get(f"/cases/{CASE_ID}/audit",
                                 cookies=cookies)).status_code == 404


async def _serve(body: bytes):
    async def on_connect(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/b/k"


@pytest.mark.anyio
async def test_a_document_the_case_names_opens_through_the_download_route(kit, rpc):
    body = b"%PDF-1.4 the order\n"
    server, url = await _serve(body)
    rpc.on("documents", "open_download", lambda p: {
        "download_url": url, "content_type": "application/pdf", "size": len(body),
        "sha256": hashlib.sha256(body).hexdigest(), "version": 1,
        "file_name": "order.pdf"})
    try:
        cookies = await _officer(kit)
        case = await kit.client.get(f"/cases/{CASE_ID}", cookies=cookies)
        # in the history (the case's opening documents) and beside the order
        assert case.text.count(f'href="/documents/{DOCUMENT}"') == 2
        got = await kit.client.get(f"/documents/{DOCUMENT}", cookies=cookies)
        assert got.status_code == 200 and got.content == body
        assert got.headers["content-type"] == "application/pdf"
        assert "order.pdf" in got.headers["content-disposition"]
        [call] = calls(rpc, "open_download")
        assert call.payload == {"document_id": DOCUMENT.replace("-", ""), "version": None}
        assert call.context.actor_scope == "office:mp"
    finally:
        server.close()

    def not_theirs(payload):
        raise NotFound("No such document.", {"document_id": payload["document_id"]})

    rpc.on("documents", "open_download", not_theirs)
    citizen = {**await signed_in(kit, role="citizen"), "portal_lang": "hi"}
    missing = await kit.client.get(f"/documents/{DOCUMENT}", cookies=citizen)
    assert missing.status_code == 404 and "<html" in missing.text
    assert (await kit.client.get("/documents/not-an-id", cookies=citizen)).status_code == 422
    assert (await kit.client.get(f"/documents/{DOCUMENT}")).status_code == 401


def test_the_forms_tables_are_the_grievance_services():
    from services.grievance.hearings import rules

    assert case_hearings.HEARING_ACTION == rules.HEARING_ACTION
    assert case_hearings.ORDER_ACTION == rules.ORDER_ACTION
