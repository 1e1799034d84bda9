"""The election pages in process (the elections service faked): each page asks its RPC
with the call context the API route gives the same visitor and refuses whom the API
refuses; the decision forms need the form's token and their reasons, and the service's
refusal of a closed window reaches the visitor beside the form, in Hindi too."""

from __future__ import annotations

import pytest

from services.common.errors import NotFound, OutsideWindow
from tests.browser.portal_kit import calls, portal_kit, signed_in
from tests.gateway.unit.conftest import FakeRpc

ELECTION_ID = "3f2a9c1e-0000-4000-8000-000000000107"
OBJECTION_ID = "3f2a9c1e-0000-4000-8000-0000000000b1"
NOMINATION_ID = "3f2a9c1e-0000-4000-8000-0000000000c1"
FORM_ID = "3f2a9c1e-0000-4000-8000-0000000000f1"


def _stage(seq: int, code: str, starts: str, ends: str, daily_from=None, daily_to=None,
           done_at=None) -> dict:
    return {"stage": code, "seq": seq, "title": code, "starts_on": starts, "ends_on": ends,
            "daily_from": daily_from, "daily_to": daily_to, "window": "",
            "opens_at": f"{starts}T{daily_from or '00:00:00'}+05:30",
            "closes_at": f"{ends}T{daily_to or '23:59:59'}+05:30", "done_at": done_at}


ELECTION = {
    "id": ELECTION_ID, "number": "107/2025-26", "order_ref": "CEA/2025/107",
    "order_date": "2025-09-20", "society_id": "s1", "society_name": "Veershaiv Bank",
    "registration_number": "MSCS/CR/1/2010", "society_address": "Kolhapur",
    "area_states": ["Maharashtra"], "returning_officer": {"name": "Amol Yedge",
                                                         "designation": "Collector"},
    "is_bank": True, "voters_as_on": "2025-03-31", "bye_laws_require_proposer": False,
    "status": "ordered", "seats": {"general": 16, "women": 2, "sc_st": 1},
    "bye_law_seats": {"general": 16, "women": 2, "sc_st": 1}, "posts": ["chairman"],
    "booths": [{"number": 1, "location": "Kolhapur hall", "district": "Kolhapur",
                "state": "Maharashtra", "voters_assigned": 900, "officers": []},
               {"number": 2, "location": "Sangli hall", "district": "Sangli",
                "state": "Maharashtra", "voters_assigned": 800, "officers": []}],
    "stages": [
        _stage(1, "provisional_list", "2025-11-24", "2025-11-24", "17:00:00",
               done_at="2025-11-24T12:00:00+00:00"),
        _stage(2, "objections", "2025-11-25", "2025-11-29", "11:00:00", "15:00:00"),
        _stage(3, "objection_scrutiny", "2025-12-01", "2025-12-03", "11:00:00"),
    ],
    "programme": {"now": "2025-11-26T06:30:00+00:00", "open": ["objections"],
                  "next": "objection_scrutiny",
                  "next_opens_at": "2025-12-01T05:30:00+00:00", "overdue": []},
    "created_at": "2025-09-20T04:30:00+00:00", "updated_at": "2025-09-20T04:30:00+00:00",
}
OBJECTION = {"id": OBJECTION_ID, "election_id": ELECTION_ID, "kind": "delete",
             "membership_number": "M0012", "details": {}, "grounds": "Ceased in 2024.",
             "filed_by": "rep", "filed_by_member": None,
             "filed_at": "2025-11-26T06:30:00+00:00", "status": "pending",
             "decision_reason": None, "decided_by": None, "decided_at": None}
NOMINATION = {"id": NOMINATION_ID, "election_id": ELECTION_ID, "contest": "board",
              "category": "general", "membership_number": "M0001",
              "candidate_name": "Member 01", "relative_name": None, "address": None,
              "mobile": None, "proposer_number": None, "seconder_number": None,
              "central_govt_employee": False, "permission_document_id": None,
              "bank_director_since": None, "director_kind": None, "filed_by": "rep",
              "filed_at": "2025-12-09T06:30:00+00:00", "status": "filed", "reasons": [],
              "decided_by": None, "decided_at": None, "withdrawn_at": None}
FORM = {"id": FORM_ID, "election_id": ELECTION_ID, "form": "19M", "version": 1,
        "status": "submitted", "submitted_by": "ro",
        "submitted_at": "2026-01-08T06:30:00+00:00", "decided_by": None,
        "decided_at": None, "decision_reason": None,
        "body": {"form": "19M", "section_a": {
            "i_name_and_registration": "Veershaiv Bank, Registration No. MSCS/CR/1/2010",
            "iii_peaceful": "Yes", "iii_disruption": "Not applicable",
            "v_seats_notified": {"general": 2, "women": 1}, "xi_votes_cast": 11,
            "6_candidates": {}, "7_vacant": "Not applicable", "8_court_cases": "No"},
            "checks": [{"equation": "received = rejected + withdrawn + contesting",
                        "holds": True}],
            "elected": [{"nomination_id": NOMINATION_ID, "membership_number": "M0001",
                         "candidate_name": "Member 01", "category": "general",
                         "votes": 5}]}}


def _closed(payload):
    raise OutsideWindow(
        "Scrutiny of objections to the provisional list has not opened yet: its window is "
        "01-12-2025 to 03-12-2025, from 11:00 IST.",
        {"stage": "objection_scrutiny", "title": "Scrutiny of objections",
         "window": "01-12-2025 to 03-12-2025, from 11:00 IST",
         "opens_at": "2025-12-01T11:00:00+05:30", "closes_at": "2025-12-04T00:00:00+05:30",
         "now": "2025-11-26T12:00:00+05:30"})


def _no_meeting(payload):
    raise NotFound("No office bearers' meeting is recorded for this election.",
                   {"election_id": ELECTION_ID})


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def rpc() -> FakeRpc:
    fake = FakeRpc()
    fake.on("elections", "get_election", lambda p: ELECTION)
    fake.on("elections", "public_election", lambda p: ELECTION)
    fake.on("elections", "list_elections", lambda p: {"items": [{
        "id": ELECTION_ID, "number": "107/2025-26", "society_id": "s1",
        "society_name": "Veershaiv Bank", "status": "ordered",
        "open_stages": ["objections"], "next_stage": "objection_scrutiny",
        "overdue_stages": []}], "next_offset": None})
    fake.on("elections", "list_objections", lambda p: {"items": [OBJECTION],
                                                       "next_offset": None})
    fake.on("elections", "decide_objection", _closed)
    fake.on("elections", "list_nominations", lambda p: {"items": [NOMINATION],
                                                        "next_offset": None})
    fake.on("elections", "decide_nomination", lambda p: {
        "nomination": {**NOMINATION, "status": "accepted"}, "disqualifications": []})
    fake.on("elections", "get_form", lambda p: FORM)
    fake.on("elections", "decide_form", lambda p: {**FORM, "status": "approved"})
    fake.on("elections", "get_ob_meeting", _no_meeting)
    return fake


@pytest.fixture
async def kit(rpc, tmp_path, monkeypatch):
    async with portal_kit(rpc, tmp_path, monkeypatch, ("registry", "elections")) as built:
        yield built


def _ro(kit):
    return signed_in(kit, role="returning_officer", scope_kind="election",
                      scope_id=ELECTION_ID)


async def _post(kit, cookies, path: str, data: dict, language: str = "en"):
    await kit.client.get(f"/elections/{ELECTION_ID}", cookies=cookies)
    token = kit.client.cookies.get("portal_csrf")
    return await kit.client.post(path, data={"csrf": token, **data},
                                 cookies={**cookies, "portal_lang": language})


@pytest.mark.anyio
async def test_the_programme_shows_each_stage_with_its_window_and_what_is_open(kit, rpc):
    cookies = await _ro(kit)
    page = await kit.client.get(f"/elections/{ELECTION_ID}", cookies=cookies)
    assert page.status_code == 200
    assert "25-11-2025 to 29-11-2025, 11:00 to 15:00 IST each day" in page.text
    assert "Open now:" in page.text and "Objections to the provisional list" in page.text
    assert "Next: Scrutiny of objections to the provisional list, opening 01-12-2025 11:00 IST" \
        in page.text
    [call] = calls(rpc, "get_election")
    assert call.context.actor_role == "returning_officer"
    assert call.context.actor_scope == f"election:{ELECTION_ID}"
    hindi = await kit.client.get(f"/elections/{ELECTION_ID}",
                                 cookies={**cookies, "portal_lang": "hi"})
    assert "25-11-2025 से 29-11-2025, प्रतिदिन 11:00 से 15:00 IST" in hindi.text
    assert "अनंतिम सूची पर आपत्तियाँ" in hindi.text


@pytest.mark.anyio
async def test_another_elections_officer_and_a_registrar_are_refused(kit, rpc):
    other = await signed_in(kit, role="returning_officer", scope_kind="election",
                             scope_id="0" * 8 + "-0000-4000-8000-" + "0" * 12)
    assert (await kit.client.get(f"/elections/{ELECTION_ID}", cookies=other)).status_code \
        == 404
    registrar = await signed_in(kit, role="registrar")
    assert (await kit.client.get(f"/elections/{ELECTION_ID}/objections",
                                 cookies=registrar)).status_code == 403
    assert not calls(rpc, "get_election") and not calls(rpc, "list_objections")
    assert (await kit.client.get(f"/elections/{ELECTION_ID}")).status_code == 401


@pytest.mark.anyio
async def test_the_objection_decision_needs_the_token_and_reasons(kit, rpc):
    cookies = await _ro(kit)
    path = f"/elections/{ELECTION_ID}/objections/{OBJECTION_ID}/decision"
    forged = await kit.client.post(path, data={"csrf": "forged", "decision": "upheld",
                                               "reason": "Seen."}, cookies=cookies)
    assert forged.status_code == 422
    bare = await _post(kit, cookies, path, {"decision": "upheld", "reason": ""})
    assert bare.status_code == 422
    assert "Write the reasons for the decision" in bare.text
    assert 'aria-invalid="true"' in bare.text
    assert not calls(rpc, "decide_objection")


@pytest.mark.anyio
async def test_a_closed_window_is_said_beside_the_form_in_the_visitors_language(kit, rpc):
    cookies = await _ro(kit)
    path = f"/elections/{ELECTION_ID}/objections/{OBJECTION_ID}/decision"
    english = await _post(kit, cookies, path, {"decision": "upheld",
                                               "reason": "Cessation order seen."})
    assert english.status_code == 409
    assert ("Scrutiny of objections to the provisional list has not opened yet: its window "
            "is 01-12-2025 11:00 IST to 04-12-2025 00:00 IST") in english.text
    assert "Cessation order seen." in english.text  # what was typed is kept
    hindi = await _post(kit, cookies, path, {"decision": "upheld",
                                             "reason": "Cessation order seen."}, "hi")
    assert hindi.status_code == 409
    assert "आपत्तियों की संवीक्षा अभी खुला नहीं है" in hindi.text
    [call, _] = calls(rpc, "decide_objection")
    assert call.payload == {"election_id": ELECTION_ID, "objection_id": OBJECTION_ID,
                            "decision": "upheld", "reason": "Cessation order seen."}


@pytest.mark.anyio
async def test_scrutiny_rejects_only_with_reasons_and_an_aro_is_not_offered_it(kit, rpc):
    cookies = await _ro(kit)
    page = await kit.client.get(f"/elections/{ELECTION_ID}/nominations", cookies=cookies)
    assert "Record the scrutiny" in page.text
    # the officers' list (GET .../scrutiny/nominations): asked with the RO's own grant
    assert calls(rpc, "list_nominations")[0].context.actor_role == "returning_officer"
    path = f"/elections/{ELECTION_ID}/nominations/{NOMINATION_ID}/decision"
    bare = await _post(kit, cookies, path, {"decision": "reject", "reasons": ""})
    assert bare.status_code == 422 and "A rejection needs its reasons" in bare.text
    accepted = await _post(kit, cookies, path, {"decision": "accept", "reasons": ""})
    assert accepted.status_code == 303
    assert accepted.headers["location"].endswith(f"?decided={NOMINATION_ID}")
    [call] = calls(rpc, "decide_nomination")
    assert call.payload["reasons"] == [] and call.payload["decision"] == "accept"
    aro = await signed_in(kit, role="assistant_returning_officer", scope_kind="election",
                           scope_id=ELECTION_ID)
    listed = await kit.client.get(f"/elections/{ELECTION_ID}/nominations", cookies=aro)
    assert listed.status_code == 200 and "Record the scrutiny" not in listed.text
    refused = await _post(kit, aro, path, {"decision": "accept", "reasons": ""})
    assert refused.status_code == 403


@pytest.mark.anyio
async def test_the_cea_approves_form_19m_with_reasons(kit, rpc):
    cea = await signed_in(kit, role="cea_official")
    page = await kit.client.get(f"/elections/{ELECTION_ID}/forms/{FORM_ID}", cookies=cea)
    assert page.status_code == 200
    assert "Section B" in page.text and "Member 01" in page.text
    hindi = await kit.client.get(f"/elections/{ELECTION_ID}/forms/{FORM_ID}",
                                 cookies={**cea, "portal_lang": "hi"})
    assert "(i) समिति का नाम और पंजीकरण संख्या" in hindi.text and "हाँ" in hindi.text
    path = f"/elections/{ELECTION_ID}/forms/{FORM_ID}/decision"
    bare = await _post(kit, cea, path, {"decision": "approve", "reason": ""})
    assert bare.status_code == 422 and not calls(rpc, "decide_form")
    done = await _post(kit, cea, path, {"decision": "approve",
                                        "reason": "Held as per procedure."})
    assert done.status_code == 303
    [call] = calls(rpc, "decide_form")
    assert call.context.actor_role == "cea_official"
    ro = await _ro(kit)
    shown = await kit.client.get(f"/elections/{ELECTION_ID}/forms/{FORM_ID}", cookies=ro)
    assert "Section B" not in shown.text


@pytest.mark.anyio
async def test_the_public_notice_is_anyones(kit, rpc):
    def unpublished(payload):
        raise NotFound("not published")

    rpc.on("elections", "voter_list_page", unpublished)
    rpc.on("elections", "contesting_candidates", unpublished)
    page = await kit.client.get(f"/elections/{ELECTION_ID}/notice")
    assert page.status_code == 200
    assert "Election No. 107/2025-26" in page.text and "not published yet" in page.text
    assert calls(rpc, "public_election")[0].context.actor_role in (None, "anonymous")


@pytest.mark.anyio
async def test_form_19n_asks_the_meeting_first_then_previews_and_is_the_ros(kit, rpc):
    from services.common.errors import Conflict

    def not_yet(payload):
        raise Conflict("Form 19N follows the CEA's approval of Form 19M.",
                       {"form_19m": "submitted"})

    rpc.on("elections", "generate_form_19n", not_yet)
    cookies = await _ro(kit)
    path = f"/elections/{ELECTION_ID}/forms/19N/preview"
    empty = await kit.client.get(path, cookies=cookies)
    assert empty.status_code == 200 and "Date and time of the board meeting" in empty.text
    assert not calls(rpc, "generate_form_19n")
    bad = await kit.client.get(path, cookies=cookies, params={
        "meeting_at": "15-01-2026", "venue": "", "incumbent_directors": "3",
        "attended": "5", "chaired_by_ro": "no"})
    assert bad.status_code == 422
    for message in ("as 2026-01-15T11:00", "Where the meeting was held",
                    "More directors present than on the board", "Name who chaired"):
        assert message in bad.text
    asked = await kit.client.get(path, cookies={**cookies, "portal_lang": "hi"}, params={
        "meeting_at": "2026-01-15T11:00", "venue": "Head office, Kolhapur",
        "incumbent_directors": "3", "attended": "3", "chaired_by_ro": "yes"})
    assert asked.status_code == 409
    assert "निर्वाचन सेवा ने इसे अस्वीकार किया: Form 19N follows" in asked.text
    [call] = calls(rpc, "generate_form_19n")
    assert call.payload == {"election_id": ELECTION_ID, "peaceful": True, "disruption": None,
                            "court_cases": None, "meeting_at": "2026-01-15T11:00",
                            "venue": "Head office, Kolhapur", "chaired_by_ro": True,
                            "chair_name": None, "incumbent_directors": 3, "attended": 3}
    aro = await signed_in(kit, role="assistant_returning_officer", scope_kind="election",
                           scope_id=ELECTION_ID)
    assert (await kit.client.get(path, cookies=aro)).status_code == 403
