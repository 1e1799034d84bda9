"""The office bearers' meeting routes with a fake elections service: the RO's record
reaches the service as given, a malformed one is refused before any call, an ARO is
refused and another election's RO answered 404 by the gateway; Form 19N is previewed
without the meeting's items once the meeting is recorded."""

from __future__ import annotations

from contextlib import aclosing

import pytest

from tests.gateway.identity_kit import make_kit

pytestmark = pytest.mark.anyio

ELECTION = "0e3c1b8a-5f7d-4c2a-9b1e-7d6f5a4c3b2a"
OTHER = "9f8e7d6c-5b4a-4321-8fed-cba987654321"
G1 = "11111111-1111-4111-8111-111111111111"
G2 = "22222222-2222-4222-8222-222222222222"
BASE = f"/v1/elections/{ELECTION}/office-bearers/meeting"
RECORD = {"meeting_at": "2026-01-16T11:30:00+05:30", "venue": "Head office, Kolhapur",
          "directors_present": ["M0001", "M0002", "M0003"], "chaired_by_ro": True,
          "posts": {"chairman": {"votes": {G1: 2, G2: 1}}}}
CANDIDATES = [{"nomination_id": G1, "membership_number": "M0001", "candidate_name": "G1",
               "category": "chairman", "votes": 2, "elected": True},
              {"nomination_id": G2, "membership_number": "M0002", "candidate_name": "G2",
               "category": "chairman", "votes": 1, "elected": False}]
ANSWER = {"election_id": ELECTION, "meeting_at": "2026-01-16T06:00:00Z",
          "venue": "Head office, Kolhapur", "chaired_by_ro": True,
          "chair_name": "District Collector Kolhapur", "directors_in_office": 4,
          "directors_present": [{"membership_number": f"M000{i}",
                                 "candidate_name": f"G{i}", "category": "general"}
                                for i in (1, 2, 3)],
          "posts": {"chairman": {"seats": 1, "contesting": 2, "unopposed": False,
                                 "polled_seats": 1, "vacant": 0, "candidates": CANDIDATES,
                                 "winners": [G1], "tie": None, "draw": None}},
          "elected": CANDIDATES[:1], "recorded_by": "ro-1",
          "recorded_at": "2026-01-16T06:30:00Z"}


async def _kit(gateway_db_url, fake_rpc, role="returning_officer"):
    kit = make_kit(gateway_db_url, rpc=fake_rpc)
    token = await kit.token_for(role=role, scope_kind="election", scope_id=ELECTION)
    kit.client.headers.update(kit.headers(token))
    return kit


async def test_the_ros_record_reaches_the_service(gateway_db_url, fake_rpc):
    kit = await _kit(gateway_db_url, fake_rpc)
    async with aclosing(kit.client):
        fake_rpc.on("elections", "record_ob_meeting", lambda p: ANSWER)
        fake_rpc.on("elections", "get_ob_meeting", lambda p: ANSWER)
        response = await kit.client.put(BASE, json=RECORD)
        assert response.status_code == 200, response.text
        assert response.json()["posts"]["chairman"]["winners"] == [G1]
        call = fake_rpc.calls[-1]
        assert call.method == "record_ob_meeting"
        assert call.payload == {"election_id": ELECTION, **RECORD, "chair_name": None,
                                "posts": {"chairman": {"votes": {G1: 2, G2: 1},
                                                       "draw": None}}}
        response = await kit.client.get(BASE)
        assert response.status_code == 200
        assert fake_rpc.calls[-1].payload == {"election_id": ELECTION}

        # Malformed: negative votes, no director present, an unknown field.
        calls = len(fake_rpc.calls)
        for bad in ({**RECORD, "posts": {"chairman": {"votes": {G1: -1}}}},
                    {**RECORD, "directors_present": []},
                    {**RECORD, "attended": 3}):
            response = await kit.client.put(BASE, json=bad)
            assert response.status_code == 422, bad
        assert len(fake_rpc.calls) == calls

        # Form 19N without the meeting's items: the service prints it from the record.
        fake_rpc.on("elections", "generate_form_19n",
                    lambda p: {"election_id": ELECTION, "form": "19N", "body": {}})
        response = await kit.client.post(f"/v1/elections/{ELECTION}/forms/19N/preview",
                                         json={})
        assert response.status_code == 200, response.text
        assert fake_rpc.calls[-1].payload["meeting_at"] is None


async def test_only_the_elections_ro_records_it(gateway_db_url, fake_rpc):
    kit = await _kit(gateway_db_url, fake_rpc, role="assistant_returning_officer")
    async with aclosing(kit.client):
        response = await kit.client.put(BASE, json=RECORD)
        assert response.status_code == 403
    kit = await _kit(gateway_db_url, fake_rpc)
    async with aclosing(kit.client):
        response = await kit.client.put(f"/v1/elections/{OTHER}/office-bearers/meeting",
                                        json=RECORD)
        assert response.status_code == 404
        response = await kit.client.get(f"/v1/elections/{OTHER}/office-bearers/meeting")
        assert response.status_code == 404
    assert fake_rpc.calls == []
