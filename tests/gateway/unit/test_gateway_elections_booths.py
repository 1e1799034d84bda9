"""The election routes of voters' booths with a fake elections service: the RO's rule as
JSON, the RO's CSV as the raw text/csv body (passed on whole, with the choice for the
voters it leaves out), a body that is not UTF-8 refused before any call, another
election's RO answered 404 by the gateway on the writes (reading the booths, like the
list, is checked by the service), and the published list's CSV with its booth column."""

from __future__ import annotations

import csv
import io
from contextlib import aclosing

import pytest

from gateway.settings import GatewaySettings
from tests.gateway.identity_kit import make_kit

pytestmark = pytest.mark.anyio

ELECTION = "0e3c1b8a-5f7d-4c2a-9b1e-7d6f5a4c3b2a"
OTHER = "9f8e7d6c-5b4a-4321-8fed-cba987654321"
BASE = f"/v1/elections/{ELECTION}/voter-list"
ANSWER = {"election_id": ELECTION, "rule": "file", "assigned": 2, "from_file": 2,
          "unassigned": 0, "assigned_by": "ro-1", "assigned_at": "2025-11-24T06:30:00Z",
          "booths": [{"number": 1, "location": "Kolhapur", "district": "Kolhapur",
                      "state": "Maharashtra", "voters_ordered": 900,
                      "voters_assigned": 2}]}


@pytest.fixture
async def kit(gateway_db_url, fake_rpc):
    kit = make_kit(gateway_db_url, rpc=fake_rpc)
    async with aclosing(kit.client):
        token = await kit.token_for(role="returning_officer", scope_kind="election",
                                    scope_id=ELECTION)
        kit.client.headers.update(kit.headers(token))
        yield kit


async def test_the_rule_and_the_file_reach_the_service(kit, fake_rpc):
    fake_rpc.on("elections", "assign_voter_booths", lambda p: ANSWER)
    response = await kit.client.post(f"{BASE}/booths", json={"rule": "serial_order"})
    assert response.status_code == 200, response.text
    assert fake_rpc.calls[-1].payload == {"election_id": ELECTION, "rule": "serial_order"}

    body = "\ufeffmembership_number,booth\nM0001,1\n\"M0002\",1\n"
    response = await kit.client.post(f"{BASE}/booths/file",
                                     params={"rest_in_serial_order": "true"},
                                     content=body.encode(),
                                     headers={"Content-Type": "text/csv"})
    assert response.status_code == 200, response.text
    assert response.json()["booths"][0]["voters_assigned"] == 2
    call = fake_rpc.calls[-1]
    assert call.payload == {"election_id": ELECTION, "rule": "file",
                            "csv": body.lstrip("\ufeff"), "rest_in_serial_order": True}

    calls = len(fake_rpc.calls)
    response = await kit.client.post(f"{BASE}/booths/file", content=b"\xff\xfe\x00booth",
                                     headers={"Content-Type": "text/csv"})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"] == {"body": "must be UTF-8 CSV"}
    assert len(fake_rpc.calls) == calls

    response = await kit.client.post(f"{BASE}/booths", json={"rule": "by_district"})
    assert response.status_code == 422


def _booth_file(size: int) -> bytes:
    """A booth file of at least ``size`` bytes: a voter a line with the RO's district and
    state beside the booth."""
    header = b"membership_number,booth,district,state\n"
    lines = [header]
    total, n = len(header), 0
    while total < size:
        n += 1
        line = f"MSCS-1259-{n:07d},{n % 35 + 1},Kolhapur,Maharashtra\n".encode()
        lines.append(line)
        total += len(line)
    return b"".join(lines)


async def test_a_file_far_over_the_json_limit_is_taken_up_to_its_own_ceiling(kit, fake_rpc):
    limit = GatewaySettings.model_fields["elections_max_booth_file_bytes"].default
    json_limit = GatewaySettings.model_fields["max_body_bytes"].default
    assert json_limit == 1024 * 1024 and limit == 16 * 1024 * 1024
    fake_rpc.on("elections", "assign_voter_booths", lambda p: ANSWER)

    body = _booth_file(3 * 1024 * 1024)       # ~68,000 voters: three times the JSON limit
    response = await kit.client.post(f"{BASE}/booths/file", content=body,
                                     headers={"Content-Type": "text/csv"})
    assert response.status_code == 200, response.text[:500]
    assert fake_rpc.calls[-1].payload["csv"] == body.decode()

    calls = len(fake_rpc.calls)
    too_large = _booth_file(limit + 1)
    response = await kit.client.post(f"{BASE}/booths/file", content=too_large,
                                     headers={"Content-Type": "text/csv"})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large"
    assert error["message"] == f"The request body is larger than {limit} bytes."
    assert error["details"]["limit_bytes"] == limit
    assert len(fake_rpc.calls) == calls      # refused before the service is asked

    # The JSON routes of the same election keep the JSON limit.
    response = await kit.client.post(f"{BASE}/booths", content=b" " * (json_limit + 1),
                                     headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["details"]["limit_bytes"] == json_limit


async def test_another_elections_booths_are_not_found(kit, fake_rpc):
    response = await kit.client.post(f"/v1/elections/{OTHER}/voter-list/booths",
                                     json={"rule": "serial_order"})
    assert response.status_code == 404
    response = await kit.client.post(f"/v1/elections/{OTHER}/voter-list/booths/file",
                                     content=b"membership_number,booth\n",
                                     headers={"Content-Type": "text/csv"})
    assert response.status_code == 404
    assert fake_rpc.calls == []


async def test_the_published_list_exports_its_booth_column(kit, fake_rpc):
    def page(payload):
        items = [{"serial_no": 1, "membership_number": "M0001", "name": "Asha",
                  "category": "individual", "booth": 7},
                 {"serial_no": 2, "membership_number": "M0002", "name": "Ravi",
                  "category": "individual", "booth": None}]
        return {"election_id": ELECTION, "number": "107/2025-26", "society_name": "Bank",
                "kind": "final", "published_at": "2025-12-06T11:30:00Z", "entries": 2,
                "items": items, "next": None}

    fake_rpc.on("elections", "voter_list_page", page)
    response = await kit.client.get(f"{BASE}/final/export.csv")
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows == [["serial_no", "membership_number", "name", "category", "booth"],
                    ["1", "M0001", "Asha", "individual", "7"],
                    ["2", "M0002", "Ravi", "individual", ""]]
