"""The applicant's side of a query and the office's audit trail of an application, in
process (the registry faked): the tracker shows the office's open query and a form to
reply to it only to the applicant's side while the application is at ``query_raised``;
the reply is checked beside its fields in English and Hindi before the registry is
asked, sent as ``POST /v1/applications/{id}/reply`` sends it, and the registry's
refusals come back beside the form or the field with what was typed kept. The audit
trail is the offices' (the registry's ``application_audit``, 50 a page, dd-mm-yyyy IST),
linked from the scrutiny page."""

from __future__ import annotations

import pytest

from gateway.pagination import encode_cursor
from services.common.errors import Conflict, InvalidInput
from tests.browser.portal_kit import calls, portal_kit, signed_in
from tests.gateway.unit.conftest import FakeRpc

APPLICATION_ID = "5b1c2d3e-0000-4000-8000-000000000b02"
DOCUMENT_ID = "0123456789abcdef0123456789abcdef"
TRACK = f"/track?number={APPLICATION_ID}"
REPLY = f"/applications/{APPLICATION_ID}/reply"
AUDIT = f"/applications/{APPLICATION_ID}/audit"
QUERY = "Send the bye-laws signed by every promoter."


def _application(stage: str) -> dict:
    history = [{"stage": "submitted", "previous_stage": "draft", "action": "submit",
                "actor_id": "a1", "actor_role": "applicant", "note": None,
                "deadline": None, "at": "2026-12-01T06:30:00+00:00"},
               {"stage": "under_scrutiny", "previous_stage": "submitted",
                "action": "take_up", "actor_id": "o1", "actor_role": "dealing_officer",
                "note": None, "deadline": None, "at": "2026-12-02T06:30:00+00:00"},
               {"stage": "query_raised", "previous_stage": "under_scrutiny",
                "action": "raise_query", "actor_id": "o1",
                "actor_role": "dealing_officer", "note": QUERY, "deadline": None,
                "at": "2026-12-03T06:30:00+00:00"}]
    return {
        "id": APPLICATION_ID, "kind": "registration", "stage": stage, "office_id": "crcs",
        "society_id": None, "applicant": {"name": "Sunita Patil", "phone": "+919876543210",
                                          "email": None, "language": "en"},
        "data": {"name": "Krishna Dairy Co-operative"}, "reason": QUERY,
        "hearing": None, "deadline": "2026-12-20T12:00:00+00:00",
        "time_left_seconds": 10 * 86400, "overdue": False,
        "submitted_at": "2026-12-01T06:30:00+00:00", "decided_at": None,
        "created_at": "2026-11-30T06:30:00+00:00",
        "history": history if stage == "query_raised" else history[:2],
        "promoters": []}


def _entry(n: int) -> dict:
    return {"id": n, "at": "2026-12-03T06:30:00+00:00", "actor_id": "o1",
            "actor_role": "dealing_officer", "action": "application_raise_query",
            "entity_type": "application", "entity_id": APPLICATION_ID,
            "request_id": None, "changes": {"action": "raise_query",
                                            "from": "under_scrutiny",
                                            "to": "query_raised"},
            "hash": f"{n:064x}"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def stage() -> dict:
    return {"now": "query_raised"}


@pytest.fixture
def rpc(stage) -> FakeRpc:
    fake = FakeRpc()
    fake.on("registry", "get_application", lambda p: _application(stage["now"]))
    fake.on("registry", "transition_application", lambda p: _application("under_scrutiny"))
    fake.on("registry", "application_audit", lambda p: {
        "items": [_entry(p["offset"] + i) for i in range(min(50, 60 - p["offset"]))],
        "next_offset": 50 if p["offset"] == 0 else None})
    return fake


@pytest.fixture
async def kit(rpc, tmp_path, monkeypatch):
    async with portal_kit(rpc, tmp_path, monkeypatch, ("registry",)) as built:
        yield built


async def _reply(kit, cookies, data: dict, language: str = "en"):
    await kit.client.get(TRACK, cookies=cookies)
    token = kit.client.cookies.get("portal_csrf")
    return await kit.client.post(REPLY, data={"csrf": token, **data},
                                 cookies={**cookies, "portal_lang": language})


@pytest.mark.anyio
async def test_the_applicant_reads_the_query_and_replies_with_documents(kit, rpc, stage):
    applicant = await signed_in(kit, role="applicant")
    page = await kit.client.get(TRACK, cookies=applicant)
    assert page.status_code == 200
    assert QUERY in page.text and "The office's query" in page.text
    assert f'action="{REPLY}"' in page.text and 'name="document_ids"' in page.text
    hindi = await kit.client.get(TRACK, cookies={**applicant, "portal_lang": "hi"})
    assert "कार्यालय का प्रश्न" in hindi.text and "उत्तर भेजें" in hindi.text
    sent = await _reply(kit, applicant, {
        "note": "The signed bye-laws are attached.",
        "document_ids": f"{DOCUMENT_ID.upper()}\n\n{DOCUMENT_ID}\n"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{TRACK}&done=reply"
    [step] = calls(rpc, "transition_application")
    assert step.context.actor_role == "applicant"
    assert step.payload == {"application_id": APPLICATION_ID, "action": "reply",
                            "note": "The signed bye-laws are attached.",
                            "document_ids": [DOCUMENT_ID]}
    stage["now"] = "under_scrutiny"
    after = await kit.client.get(f"{TRACK}&done=reply", cookies=applicant)
    assert "Your reply is sent" in after.text and f'action="{REPLY}"' not in after.text
    plain = await _reply(kit, await signed_in(kit, role="applicant"), {"note": "Done."})
    assert plain.status_code == 303
    assert calls(rpc, "transition_application")[1].payload == {
        "application_id": APPLICATION_ID, "action": "reply", "note": "Done."}


@pytest.mark.anyio
async def test_only_the_applicants_side_is_offered_the_reply(kit, rpc, stage):
    officer = await signed_in(kit, role="dealing_officer", scope_kind="office",
                              scope_id="crcs")
    shown = await kit.client.get(TRACK, cookies=officer)
    assert shown.status_code == 200 and f'action="{REPLY}"' not in shown.text
    refused = await _reply(kit, officer, {"note": "I reply for them."})
    assert refused.status_code == 403
    representative = await signed_in(kit, role="society_representative",
                                     scope_kind="society", scope_id="soc-1")
    offered = await kit.client.get(TRACK, cookies=representative)
    assert f'action="{REPLY}"' in offered.text
    stage["now"] = "under_scrutiny"
    applicant = await signed_in(kit, role="applicant")
    closed = await kit.client.get(TRACK, cookies=applicant)
    assert f'action="{REPLY}"' not in closed.text
    kit.client.cookies.clear()
    await kit.client.get("/")
    anonymous = await kit.client.post(REPLY, data={"csrf": kit.client.cookies.get(
        "portal_csrf"), "note": "x"})
    assert anonymous.status_code == 401
    forged = await kit.client.post(REPLY, cookies=applicant,
                                   data={"csrf": "forged", "note": "Why?"})
    assert forged.status_code == 422
    assert not calls(rpc, "transition_application")


@pytest.mark.anyio
async def test_the_reply_is_checked_beside_its_fields_in_hindi_first(kit, rpc):
    applicant = await signed_in(kit, role="applicant")
    empty = await _reply(kit, applicant, {"note": "", "document_ids": "abc"}, "hi")
    assert empty.status_code == 422
    assert "कार्यालय के प्रश्न का अपना उत्तर लिखें।" in empty.text
    assert "दस्तावेज़ आईडी नहीं: abc" in empty.text
    assert 'id="e-reply-note"' in empty.text and 'id="e-reply-document_ids"' in empty.text
    assert ">abc</textarea>" in empty.text            # what was typed is kept
    many = "\n".join(f"{n:032x}" for n in range(51))
    too_many = await _reply(kit, applicant, {"note": "Here.", "document_ids": many})
    assert too_many.status_code == 422
    assert "At most 50 documents with one reply." in too_many.text
    assert ">Here.</textarea>" in too_many.text
    assert not calls(rpc, "transition_application")


@pytest.mark.anyio
async def test_the_registrys_refusals_come_back_with_what_was_typed(kit, rpc):
    def answered(payload):
        raise Conflict("Cannot reply: the application is under scrutiny.",
                       {"stage": "under_scrutiny", "allowed_from": ["query_raised"]})

    rpc.on("registry", "transition_application", answered)
    applicant = await signed_in(kit, role="applicant")
    late = await _reply(kit, applicant, {"note": "Attached now."}, "hi")
    assert late.status_code == 409
    assert "यह कदम अभी संभव नहीं है: आवेदन “जाँच में” है।" in late.text
    assert ">Attached now.</textarea>" in late.text

    def unknown(payload):
        raise InvalidInput("The reply is not valid; see details.fields.",
                           fields={"document_ids.0": "no such document"})

    rpc.on("registry", "transition_application", unknown)
    refused = await _reply(kit, applicant, {"note": "See the file.",
                                            "document_ids": DOCUMENT_ID})
    assert refused.status_code == 422
    assert "The registry refused this: no such document" in refused.text
    assert 'id="e-reply-document_ids"' in refused.text
    assert f">{DOCUMENT_ID}</textarea>" in refused.text


@pytest.mark.anyio
async def test_the_audit_trail_is_the_offices_fifty_a_page(kit, rpc):
    officer = await signed_in(kit, role="dealing_officer", scope_kind="office",
                              scope_id="crcs")
    scrutiny = await kit.client.get(f"/applications/{APPLICATION_ID}/scrutiny",
                                    cookies=officer)
    assert f'href="{AUDIT}"' in scrutiny.text
    page = await kit.client.get(AUDIT, cookies=officer)
    assert page.status_code == 200
    assert page.text.count("<tr>") == 51                 # the head and 50 entries
    assert "03-12-2026" in page.text and "12:00" in page.text   # 06:30 UTC in IST
    assert "Query raised" in page.text and "under_scrutiny" in page.text
    assert f'href="{AUDIT}?cursor={encode_cursor(50)}"' in page.text
    [asked] = calls(rpc, "application_audit")
    assert asked.context.actor_role == "dealing_officer"
    assert asked.payload == {"application_id": APPLICATION_ID, "limit": 50, "offset": 0}
    second = await kit.client.get(f"{AUDIT}?cursor={encode_cursor(50)}",
                                  cookies={**officer, "portal_lang": "hi"})
    assert second.status_code == 200 and second.text.count("<tr>") == 11
    assert "ऑडिट विवरण" in second.text and f'href="{AUDIT}"' in second.text
    assert calls(rpc, "application_audit")[1].payload["offset"] == 50
    applicant = await signed_in(kit, role="applicant")
    assert (await kit.client.get(AUDIT, cookies=applicant)).status_code == 403
    tracker = await kit.client.get(TRACK, cookies=applicant)
    assert f'href="{AUDIT}"' not in tracker.text
    assert (await kit.client.get(AUDIT)).status_code == 401
