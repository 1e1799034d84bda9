"""The office bearers' meeting page in process (the elections service faked): the RO
records the meeting of the new board (day and time in IST, venue, the declared
directors present, the chair, each contested post's votes and the draw of lots for a
tie), each field checked beside it in English and Hindi before the service is asked;
the service's refusals come back beside their fields or the form with what was typed
kept; the meeting as recorded is shown, and Form 19N stops asking for the meeting once
it is recorded. Also the nominations page, asked as the officers' list is, with the
officer's own identity, so the RO sees the nominations before their display."""

from __future__ import annotations

import pytest

from services.common.errors import Conflict, InvalidInput, NotFound
from tests.browser.portal_kit import calls, portal_kit, signed_in
from tests.browser.test_portal_in_process_elections import ELECTION, ELECTION_ID, NOMINATION
from tests.gateway.unit.conftest import FakeRpc

PATH = f"/elections/{ELECTION_ID}/office-bearers/meeting"
A = "3f2a9c1e-0000-4000-8000-0000000000a1"   # chairman candidates (contested)
B = "3f2a9c1e-0000-4000-8000-0000000000a2"
C = "3f2a9c1e-0000-4000-8000-0000000000a3"   # vice-chairman, unopposed
BOARD = [{"nomination_id": f"3f2a9c1e-0000-4000-8000-00000000010{i}",
          "membership_number": f"M000{i}", "candidate_name": f"Member 0{i}",
          "category": "general", "votes": 10 - i} for i in (1, 2, 3)]


def _candidate(nomination_id: str, number: str, name: str, post: str) -> dict:
    return {"nomination_id": nomination_id, "membership_number": number,
            "candidate_name": name, "relative_name": None, "address": None,
            "mobile": None, "category": post}


def _summary(seats: int, contesting: int, unopposed: bool) -> dict:
    return {"seats": seats, "received": contesting, "pending": 0, "rejected": 0,
            "withdrawn": 0, "contesting": contesting, "unopposed": unopposed,
            "elected_unopposed": [], "vacant": 0}


CONTEST = {"election_id": ELECTION_ID, "contest": "office_bearer",
           "published_at": "2026-01-18T06:30:00+00:00",
           "candidates": {"chairman": [_candidate(A, "M0001", "Member 01", "chairman"),
                                       _candidate(B, "M0002", "Member 02", "chairman")],
                          "vice_chairman": [_candidate(C, "M0003", "Member 03",
                                                       "vice_chairman")]},
           "summary": {"chairman": _summary(1, 2, False),
                       "vice_chairman": _summary(1, 1, True)}}
MEETING = {
    "election_id": ELECTION_ID, "meeting_at": "2026-01-20T05:30:00+00:00",
    "venue": "Head office, Kolhapur", "chaired_by_ro": True, "chair_name": "Amol Yedge",
    "directors_in_office": 3,
    "directors_present": [{"membership_number": "M0001", "candidate_name": "Member 01",
                           "category": "general"},
                          {"membership_number": "M0002", "candidate_name": "Member 02",
                           "category": "general"}],
    "posts": {"chairman": {
        "seats": 1, "contesting": 2, "unopposed": False, "polled_seats": 1, "vacant": 0,
        "candidates": [
            {"nomination_id": A, "membership_number": "M0001", "candidate_name": "Member 01",
             "category": "chairman", "votes": 2, "elected": True},
            {"nomination_id": B, "membership_number": "M0002", "candidate_name": "Member 02",
             "category": "chairman", "votes": 0, "elected": False}],
        "winners": [A], "tie": None, "draw": None}},
    "elected": [], "recorded_by": "ro", "recorded_at": "2026-01-20T07:00:00+00:00"}
NOW = "2026-01-21T06:30:00+00:00"


def _none(payload):
    raise NotFound("No office bearers' meeting is recorded for this election.",
                   {"election_id": ELECTION_ID})


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def rpc() -> FakeRpc:
    fake = FakeRpc()
    election = {**ELECTION, "status": "board_declared",
                "programme": {**ELECTION["programme"], "now": NOW}}
    fake.on("elections", "get_election", lambda p: election)
    fake.on("elections", "get_ob_meeting", _none)
    fake.on("elections", "list_declarations", lambda p: {"items": [{
        "election_id": ELECTION_ID, "contest": "board", "form_id": "f", "elected": BOARD,
        "declared_by": "ro", "declared_at": "2026-01-12T06:30:00+00:00"}]})
    fake.on("elections", "contesting_candidates", lambda p: CONTEST)
    fake.on("elections", "record_ob_meeting", lambda p: MEETING)
    return fake


@pytest.fixture
async def kit(rpc, tmp_path, monkeypatch):
    async with portal_kit(rpc, tmp_path, monkeypatch, ("registry", "elections")) as built:
        yield built


def _ro(kit):
    return signed_in(kit, role="returning_officer", scope_kind="election",
                      scope_id=ELECTION_ID)


async def _post(kit, cookies, data: dict, language: str = "en"):
    await kit.client.get(f"/elections/{ELECTION_ID}", cookies=cookies)
    token = kit.client.cookies.get("portal_csrf")
    return await kit.client.post(PATH, data={"csrf": token, **data},
                                 cookies={**cookies, "portal_lang": language})


GOOD = {"meeting_day": "20-01-2026", "meeting_time": "11:00",
        "venue": "Head office, Kolhapur", "present": ["M0001", "M0002"],
        "chaired_by_ro": "yes", "chair_name": "", f"v_chairman_{A}": "2",
        f"v_chairman_{B}": "0"}


@pytest.mark.anyio
async def test_the_ro_is_offered_the_declared_board_and_the_contested_posts(kit, rpc):
    cookies = await _ro(kit)
    page = await kit.client.get(PATH, cookies=cookies)
    assert page.status_code == 200
    assert "No office bearers' meeting is recorded yet." in page.text
    for number in ("M0001", "M0002", "M0003"):   # a box for each declared director
        assert f'name="present" value="{number}" checked' in page.text
    assert f'name="v_chairman_{A}"' in page.text and f'name="v_chairman_{B}"' in page.text
    assert f'name="v_vice_chairman_{C}"' not in page.text   # unopposed: no votes taken
    [asked] = calls(rpc, "get_ob_meeting")
    assert asked.context.actor_role == "returning_officer"
    assert asked.context.actor_scope == f"election:{ELECTION_ID}"
    assert calls(rpc, "list_declarations")[0].context.actor_role == "returning_officer"
    hindi = await kit.client.get(PATH, cookies={**cookies, "portal_lang": "hi"})
    assert "पदाधिकारियों की बैठक" in hindi.text and "अध्यक्ष" in hindi.text
    election = await kit.client.get(f"/elections/{ELECTION_ID}", cookies=cookies)
    assert f'href="{PATH}"' in election.text


@pytest.mark.anyio
async def test_an_aro_reads_it_without_the_form_and_others_are_refused(kit, rpc):
    aro = await signed_in(kit, role="assistant_returning_officer", scope_kind="election",
                           scope_id=ELECTION_ID)
    page = await kit.client.get(PATH, cookies=aro)
    assert page.status_code == 200 and "Record the meeting" not in page.text
    assert (await _post(kit, aro, GOOD)).status_code == 403
    registrar = await signed_in(kit, role="registrar")
    assert (await kit.client.get(PATH, cookies=registrar)).status_code == 403
    other = await signed_in(kit, role="returning_officer", scope_kind="election",
                             scope_id="0" * 8 + "-0000-4000-8000-" + "0" * 12)
    assert (await kit.client.get(PATH, cookies=other)).status_code == 404
    assert not calls(rpc, "record_ob_meeting")


@pytest.mark.anyio
async def test_each_field_is_checked_beside_it_in_hindi_before_the_service(kit, rpc):
    cookies = await _ro(kit)
    bad = await _post(kit, cookies, {
        "meeting_day": "31-02-2026", "meeting_time": "25:00", "venue": "",
        "chaired_by_ro": "no", "chair_name": "", f"v_chairman_{A}": "two",
        f"v_chairman_{B}": "0"}, "hi")
    assert bad.status_code == 422
    for message in ("बैठक का दिन, जैसे 15-01-2027।", "बैठक का समय (IST), जैसे 11:00।",
                    "बैठक कहाँ हुई", "उपस्थित निर्वाचित निदेशकों पर निशान लगाएँ",
                    "बैठक की अध्यक्षता किसने की, नाम लिखें (200 अक्षरों तक)।",
                    "मतों की पूर्ण संख्या"):
        assert message in bad.text, message
    assert 'id="f-meeting_day" name="meeting_day" type="text" value="31-02-2026"' in bad.text
    assert 'aria-invalid="true"' in bad.text
    tied = await _post(kit, cookies, {**GOOD, f"v_chairman_{A}": "1",
                                      f"v_chairman_{B}": "1"})
    assert tied.status_code == 422
    assert "The most votes are tied: record the Returning Officer&#39;s draw of lots." \
        in tied.text
    later = await _post(kit, cookies, {**GOOD, "meeting_day": "22-01-2026",
                                       f"v_chairman_{A}": "3"})
    assert later.status_code == 422
    assert "a day and time not later than now" in later.text
    assert "More votes than the directors present" in later.text
    assert not calls(rpc, "record_ob_meeting")


@pytest.mark.anyio
async def test_the_meeting_is_recorded_in_india_time_with_the_votes_and_the_draw(kit, rpc):
    cookies = await _ro(kit)
    done = await _post(kit, cookies, GOOD)
    assert done.status_code == 303 and done.headers["location"] == f"{PATH}?recorded=1"
    drawn = await _post(kit, cookies, {**GOOD, f"v_chairman_{A}": "1",
                                       f"v_chairman_{B}": "1", "draw_chairman": [B],
                                       "note_chairman": "Drawn by the RO before the board."})
    assert drawn.status_code == 303
    first, second = calls(rpc, "record_ob_meeting")
    assert first.context.actor_role == "returning_officer"
    assert first.payload == {
        "election_id": ELECTION_ID, "meeting_at": "2026-01-20T11:00:00+05:30",
        "venue": "Head office, Kolhapur", "directors_present": ["M0001", "M0002"],
        "chaired_by_ro": True, "chair_name": None,
        "posts": {"chairman": {"votes": {A: 2, B: 0}, "draw": None}}}
    assert second.payload["posts"] == {"chairman": {
        "votes": {A: 1, B: 1},
        "draw": {"winners": [B], "note": "Drawn by the RO before the board."}}}


@pytest.mark.anyio
async def test_the_services_refusals_are_beside_their_fields_naming_the_rule(kit, rpc):
    def refused(payload):
        raise InvalidInput("The office bearers' meeting is not recorded: 2 problem(s), "
                           "nothing was kept.", fields={
                               "directors_present.1": "M0002 is not a director elected in "
                               "the declared Form 19M (rule 19N(1): only the elected "
                               "directors vote)",
                               f"posts.chairman.votes.{B}": "not a candidate on this "
                               "post's final contesting list"})

    rpc.on("elections", "record_ob_meeting", refused)
    cookies = await _ro(kit)
    page = await _post(kit, cookies, GOOD, "hi")
    assert page.status_code == 422
    assert ("निर्वाचन सेवा ने इसे अस्वीकार किया: M0002 is not a director elected in the "
            "declared Form 19M (rule 19N(1)") in page.text
    assert 'id="e-present"' in page.text and f'id="e-v_chairman_{B}"' in page.text
    assert 'value="Head office, Kolhapur"' in page.text   # what was typed is kept

    def submitted(payload):
        raise Conflict("Form 19N version 1 is submitted with the meeting as recorded: the "
                       "record changes only after the CEA rejects the form (rule 19N(4)).",
                       {"rule": "19N(4)", "form_id": "f", "status": "submitted"})

    rpc.on("elections", "record_ob_meeting", submitted)
    again = await _post(kit, cookies, GOOD)
    assert again.status_code == 409
    assert "The election service refused this: Form 19N version 1 is submitted" in again.text
    assert "(rule 19N(4))" in again.text and 'value="20-01-2026"' in again.text


@pytest.mark.anyio
async def test_the_meeting_as_recorded_and_form_19n_printed_from_it(kit, rpc):
    rpc.on("elections", "get_ob_meeting", lambda p: MEETING)
    rpc.on("elections", "generate_form_19n", lambda p: {
        "election_id": ELECTION_ID, "form": "19N",
        "body": {"form": "19N", "meeting": "recorded", "section_a": {}, "checks": [],
                 "elected": []}})
    rpc.on("elections", "submit_form", lambda p: {"id": "3f2a9c1e-0000-4000-8000-"
                                                        "0000000000f2"})
    cookies = await _ro(kit)
    page = await kit.client.get(PATH, cookies=cookies)
    assert page.status_code == 200
    assert "20-01-2026 11:00 IST" in page.text and "Head office, Kolhapur" in page.text
    assert "2 of 3" in page.text and "The Returning Officer, Amol Yedge" in page.text
    # the form to record it again starts from the record
    assert 'value="20-01-2026"' in page.text
    assert f'name="v_chairman_{A}" type="text" inputmode="numeric" value="2"' in page.text
    preview = await kit.client.get(f"/elections/{ELECTION_ID}/forms/19N/preview",
                                   cookies=cookies)
    assert preview.status_code == 200
    assert "Date and time of the board meeting" not in preview.text
    assert f'href="{PATH}"' in preview.text and "Form 19N is printed from that record" \
        in preview.text
    [generated] = calls(rpc, "generate_form_19n")
    assert generated.payload == {"election_id": ELECTION_ID, "peaceful": True,
                                 "disruption": None, "court_cases": None}
    await kit.client.get(f"/elections/{ELECTION_ID}", cookies=cookies)
    sent = await kit.client.post(f"/elections/{ELECTION_ID}/forms/19N", cookies=cookies,
                                 data={"csrf": kit.client.cookies.get("portal_csrf"),
                                       "peaceful": "yes"})
    assert sent.status_code == 303
    [submitted] = calls(rpc, "submit_form")
    assert "meeting_at" not in submitted.payload and submitted.payload["form"] == "19N"


@pytest.mark.anyio
async def test_the_ro_sees_the_nominations_before_their_display(kit, rpc):
    def listed(payload):
        # the service answers the officers' list to an officer before the display, and
        # the public one (anyone's context) only after it
        if rpc.calls[-1].context.actor_role == "anonymous":
            raise NotFound("The nominations are not displayed yet.",
                           {"stage": "nomination_display"})
        return {"items": [{**NOMINATION, "mobile": "9876543210"}], "next_offset": None}

    rpc.on("elections", "list_nominations", listed)
    cookies = await _ro(kit)
    page = await kit.client.get(f"/elections/{ELECTION_ID}/nominations", cookies=cookies)
    assert page.status_code == 200
    assert "Member 01 (M0001)" in page.text and "Mobile 9876543210" in page.text
    assert "Record the scrutiny" in page.text
    [call] = calls(rpc, "list_nominations")
    assert call.context.actor_role == "returning_officer"
    assert call.context.actor_scope == f"election:{ELECTION_ID}"
    assert call.payload == {"election_id": ELECTION_ID, "contest": None, "category": None,
                            "status": None, "limit": 50, "offset": 0}
