"""The scrutiny page of an application in process (the registry faked): the office
reads the form's data beside its documents and its steps so far, and is offered the
steps the application's stage allows its role (a dealing officer never approves or
rejects); each step is checked beside its fields in English and Hindi before the
registry is asked, sent as the API route sends it (a hearing in India time), and the
registry's refusals come back beside the form or the field with what was typed kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import Conflict, InvalidInput
from services.common.india import INDIA
from tests.browser.portal_kit import calls, portal_kit, signed_in
from tests.gateway.unit.conftest import FakeRpc

APPLICATION_ID = "5b1c2d3e-0000-4000-8000-000000000a01"
DOCUMENT_ID = "0123456789abcdef0123456789abcdef"
PATH = f"/applications/{APPLICATION_ID}/scrutiny"


def _application(stage: str) -> dict:
    return {
        "id": APPLICATION_ID, "kind": "registration", "stage": stage, "office_id": "crcs",
        "society_id": None, "applicant": {"name": "Sunita Patil", "phone": "+919876543210",
                                          "email": None, "language": "en"},
        "data": {"name": "Krishna Dairy Co-operative", "address": "Anand, Gujarat",
                 "state": "Gujarat", "district": "Anand", "area_of_operation": ["Gujarat",
                                                                                "Rajasthan"],
                 "type": "dairy", "board_seats": {"general": 9, "women": 2, "sc_st": 1},
                 "office_bearers": [{"role": "Chairman", "name": "R. Desai"}],
                 "contacts": {"email": "office@krishna.coop", "phone": "+912692000000",
                              "language": "en"},
                 "bye_law_document_ids": [DOCUMENT_ID]},
        "reason": None, "hearing": None, "deadline": "2026-12-20T12:00:00+00:00",
        "time_left_seconds": 10 * 86400, "overdue": False,
        "submitted_at": "2026-12-01T06:30:00+00:00", "decided_at": None,
        "created_at": "2026-11-30T06:30:00+00:00",
        "history": [{"stage": "submitted", "previous_stage": "draft", "action": "submit",
                     "actor_id": "a1", "actor_role": "applicant", "note": None,
                     "deadline": None, "at": "2026-12-01T06:30:00+00:00"}],
        "promoters": [{"id": 1, "name": "Sunita Patil", "aadhaar_last4": "1234",
                       "verified": True, "reference": "r", "failure": None,
                       "checked_at": "2026-11-30T06:30:00+00:00"}]}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def stage() -> dict:
    return {"now": "under_scrutiny"}


@pytest.fixture
def rpc(stage) -> FakeRpc:
    fake = FakeRpc()
    fake.on("registry", "get_application", lambda p: _application(stage["now"]))
    fake.on("registry", "transition_application", lambda p: _application(stage["now"]))
    fake.on("registry", "list_applications", lambda p: {"items": [{
        "id": APPLICATION_ID, "kind": "registration", "stage": "submitted",
        "office_id": "crcs", "society_id": None, "applicant_name": "Sunita Patil",
        "deadline": "2026-12-20T12:00:00+00:00", "time_left_seconds": 864000,
        "overdue": False, "created_at": "2026-11-30T06:30:00+00:00"}], "next_offset": None})
    return fake


@pytest.fixture
async def kit(rpc, tmp_path, monkeypatch):
    async with portal_kit(rpc, tmp_path, monkeypatch, ("registry",)) as built:
        yield built


def _officer(kit):
    return signed_in(kit, role="dealing_officer", scope_kind="office", scope_id="crcs")


def _registrar(kit):
    return signed_in(kit, role="registrar", scope_kind="office", scope_id="crcs")


async def _post(kit, cookies, step: str, data: dict, language: str = "en"):
    await kit.client.get(PATH, cookies=cookies)
    token = kit.client.cookies.get("portal_csrf")
    return await kit.client.post(f"{PATH}/{step}", data={"csrf": token, **data},
                                 cookies={**cookies, "portal_lang": language})


@pytest.mark.anyio
async def test_the_form_is_read_beside_its_documents_and_its_steps(kit, rpc, stage):
    stage["now"] = "submitted"
    cookies = await _officer(kit)
    page = await kit.client.get(PATH, cookies=cookies)
    assert page.status_code == 200
    for shown in ("Krishna Dairy Co-operative", "Area of operation", "Rajasthan",
                  "Board seats", "R. Desai", "office@krishna.coop", "Sunita Patil",
                  "XXXX XXXX 1234", "Submitted"):
        assert shown in page.text, shown
    assert f'href="/documents/{DOCUMENT_ID}"' in page.text
    assert "Take it up for scrutiny" in page.text
    assert "Raise a query to the applicant" not in page.text   # not from "submitted"
    [asked] = calls(rpc, "get_application")
    assert asked.context.actor_role == "dealing_officer"
    assert asked.payload == {"application_id": APPLICATION_ID}
    hindi = await kit.client.get(PATH, cookies={**cookies, "portal_lang": "hi"})
    assert "कार्यक्षेत्र" in hindi.text and "संवीक्षा के लिए लें" in hindi.text
    queue = await kit.client.get("/work", cookies=cookies)
    assert f'href="{PATH}"' in queue.text
    taken = await _post(kit, cookies, "take-up", {"note": ""})
    assert taken.status_code == 303 and taken.headers["location"] == f"{PATH}?done=take_up"
    [step] = calls(rpc, "transition_application")
    assert step.payload == {"application_id": APPLICATION_ID, "action": "take_up"}


@pytest.mark.anyio
async def test_only_the_registrar_is_offered_the_decision_and_others_are_refused(kit, rpc):
    officer = await _officer(kit)
    page = await kit.client.get(PATH, cookies=officer)
    assert "Raise a query to the applicant" in page.text and "Schedule the hearing" in page.text
    assert "Approve the application" not in page.text and "Reject the application" \
        not in page.text
    refused = await _post(kit, officer, "reject", {"note": "Bye-laws incomplete."})
    assert refused.status_code == 403
    registrar = await _registrar(kit)
    offered = await kit.client.get(PATH, cookies=registrar)
    assert "Approve the application" in offered.text and "Reject the application" \
        in offered.text
    applicant = await signed_in(kit, role="applicant")
    assert (await kit.client.get(PATH, cookies=applicant)).status_code == 403
    assert (await kit.client.get(PATH)).status_code == 401
    forged = await kit.client.post(f"{PATH}/query", cookies=officer,
                                   data={"csrf": "forged", "note": "Why?"})
    assert forged.status_code == 422
    assert not calls(rpc, "transition_application")


@pytest.mark.anyio
async def test_each_step_is_checked_beside_its_fields_in_hindi_first(kit, rpc):
    officer = await _officer(kit)
    query = await _post(kit, officer, "query", {"note": ""}, "hi")
    assert query.status_code == 422
    assert "आवेदक से प्रश्न लिखें।" in query.text and 'aria-invalid="true"' in query.text
    hearing = await _post(kit, officer, "hearing", {
        "hearing_day": "31-02-2027", "hearing_time": "9 am",
        "hearing_link": "http://meet.example/x"}, "hi")
    assert hearing.status_code == 422
    for message in ("सुनवाई का दिन, जैसे 15-01-2027।", "सुनवाई का समय (IST), जैसे 11:00।",
                    "https:// से शुरू"):
        assert message in hearing.text, message
    assert 'value="http://meet.example/x"' in hearing.text   # what was typed is kept
    registrar = await _registrar(kit)
    reject = await _post(kit, registrar, "reject", {"note": ""})
    assert reject.status_code == 422 and "Write the reasons for the rejection." in reject.text
    assert not calls(rpc, "transition_application")


@pytest.mark.anyio
async def test_a_hearing_is_sent_in_india_time_and_a_query_with_its_note(kit, rpc):
    officer = await _officer(kit)
    day = (datetime.now(UTC) + timedelta(days=10)).astimezone(INDIA)
    fixed = await _post(kit, officer, "hearing", {
        "hearing_day": day.strftime("%d-%m-%Y"), "hearing_time": "11:30",
        "hearing_link": "https://meet.example/crcs-17", "note": ""})
    assert fixed.status_code == 303
    asked = await _post(kit, officer, "query", {"note": "Send the promoters' list."})
    assert asked.status_code == 303
    hearing, query = calls(rpc, "transition_application")
    assert hearing.context.actor_role == "dealing_officer"
    assert hearing.payload == {
        "application_id": APPLICATION_ID, "action": "schedule_hearing",
        "hearing_at": f"{day.strftime('%Y-%m-%d')}T11:30:00+05:30",
        "hearing_link": "https://meet.example/crcs-17"}
    assert query.payload == {"application_id": APPLICATION_ID, "action": "raise_query",
                             "note": "Send the promoters' list."}


@pytest.mark.anyio
async def test_the_registrys_refusals_are_beside_the_form_or_the_field(kit, rpc):
    def decided(payload):
        raise Conflict("Cannot approve: the application is approved.",
                       {"stage": "approved", "allowed_from": ["under_scrutiny"]})

    rpc.on("registry", "transition_application", decided)
    registrar = await _registrar(kit)
    late = await _post(kit, registrar, "approve", {"note": "In order."}, "hi")
    assert late.status_code == 409
    assert "यह कदम अभी संभव नहीं है: आवेदन “स्वीकृत” है।" in late.text
    assert "In order." in late.text

    def past(payload):
        raise InvalidInput("The action is not valid; see details.fields.",
                           fields={"hearing_at": "must be in the future"})

    rpc.on("registry", "transition_application", past)
    day = (datetime.now(UTC) + timedelta(days=3)).astimezone(INDIA).strftime("%d-%m-%Y")
    moved = await _post(kit, registrar, "hearing", {
        "hearing_day": day, "hearing_time": "10:00",
        "hearing_link": "https://meet.example/crcs-18"})
    assert moved.status_code == 422
    assert "The registry refused this: must be in the future" in moved.text
    assert 'id="e-schedule_hearing-hearing_day"' in moved.text
    assert f'value="{day}"' in moved.text
