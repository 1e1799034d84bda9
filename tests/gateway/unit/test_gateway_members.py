"""The member register's routes with a fake registry: validation as 422 with every
field, scope as 404, CSV uploads parsed as they stream and sent in chunks, rejected
imports as 422 with their bad rows, and the CSV export paged through the RPC."""

from __future__ import annotations

import csv
import io
from contextlib import aclosing

import pytest

from services.common.contracts.registry_members import MAX_IMPORT_CHUNK
from tests.gateway.identity_kit import make_kit

pytestmark = pytest.mark.anyio

SOCIETY = "soc-a"
OTHER = "soc-b"
BASE = f"/v1/societies/{SOCIETY}/members"


@pytest.fixture
async def kit(gateway_db_url, fake_rpc):
    kit = make_kit(gateway_db_url, rpc=fake_rpc)
    async with aclosing(kit.client):
        token = await kit.token_for(role="society_representative", scope_kind="society",
                                    scope_id=SOCIETY)
        kit.client.headers.update(kit.headers(token))
        yield kit


def member(number: str, **extra):
    return {"member_id": f"id-{number}", "society_id": SOCIETY, "membership_number": number,
            "name": f"M {number}", "category": "individual", "admission_date": "2020-04-01",
            "cessation_date": None, "cessation_reason": None, "status": "active",
            "phone": None, "email": None, "language": "en", "shares": None,
            "valid_from": "2020-04-01", **extra}


async def test_a_bad_member_is_422_with_every_field(kit, fake_rpc):
    response = await kit.client.post(BASE, json={
        "membership_number": " ", "name": "", "category": "club",
        "admission_date": "2999-01-01", "phone": "123", "language": "xx"})
    assert response.status_code == 422
    fields = response.json()["error"]["details"]["fields"]
    assert {name.rsplit(".", 1)[-1] for name in fields} >= {
        "membership_number", "name", "category", "admission_date", "phone", "language"}
    assert fake_rpc.calls == []


async def test_an_admission_reaches_the_registry_with_its_key(kit, fake_rpc):
    fake_rpc.on("registry", "add_member", lambda p: member(p["membership_number"]))
    response = await kit.client.post(BASE, headers={"Idempotency-Key": "admit-42"}, json={
        "membership_number": "42", "name": "Asha", "category": "individual",
        "admission_date": "2020-04-01"})
    assert response.status_code == 201, response.text
    call = fake_rpc.calls[-1]
    assert call.payload["society_id"] == SOCIETY and call.payload["language"] == "en"
    assert call.context.idempotency_key == "admit-42"


async def test_another_societys_register_is_not_found(kit, fake_rpc):
    response = await kit.client.get(f"/v1/societies/{OTHER}/members/export.csv")
    assert response.status_code == 404
    assert fake_rpc.calls == []


async def test_an_update_sends_only_what_changes(kit, fake_rpc):
    fake_rpc.on("registry", "update_member", lambda p: member("7", phone=None))
    response = await kit.client.patch(f"{BASE}/id-7", json={"phone": None})
    assert response.status_code == 200, response.text
    assert fake_rpc.calls[-1].payload == {"phone": None, "society_id": SOCIETY,
                                          "member_id": "id-7"}
    bad = await kit.client.patch(f"{BASE}/id-7", json={"effective_date": "2999-01-01"})
    assert bad.status_code == 422


def _csv(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["membership_number", "name", "category", "admission_date"])
    for i in range(rows):
        writer.writerow([f"N{i}", f"Name\n{i}" if i == 1 else f"Name {i}", "individual",
                         "2019-03-31"])
    buffer.write("broken,row\n")
    return buffer.getvalue().encode()


async def _stream(data: bytes, size: int = 1000):
    for start in range(0, len(data), size):
        yield data[start:start + size]


async def test_an_upload_streams_in_chunks_and_a_rejection_lists_bad_rows(kit, fake_rpc):
    received: list[dict] = []
    fake_rpc.on("registry", "begin_member_import",
                lambda p: {"job_id": "job-1", "society_id": SOCIETY, "status": "open"})
    fake_rpc.on("registry", "add_member_import_rows",
                lambda p: received.extend(p["rows"]) or {"status": "open"})
    report = {"job_id": "job-1", "society_id": SOCIETY, "status": "rejected",
              "rows_received": 0, "bad_row_count": 1, "imported": 0,
              "bad_rows": [{"line": 0, "field": "line", "reason": "x"}],
              "bad_rows_truncated": False}
    fake_rpc.on("registry", "finish_member_import", lambda p: report)
    rows = MAX_IMPORT_CHUNK + 5
    response = await kit.client.post(f"{BASE}/import", content=_stream(_csv(rows)),
                                     headers={"Content-Type": "text/csv"})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["bad_rows"] == report["bad_rows"]
    chunks = [c for c in fake_rpc.calls if c.method == "add_member_import_rows"]
    assert [len(c.payload["rows"]) for c in chunks] == [MAX_IMPORT_CHUNK, 6]
    assert received[1]["cells"]["name"] == "Name\n1"       # a quoted cell over two lines
    assert received[2]["line"] == 5                         # lines count physical lines
    assert received[-1]["problem"] == "has 2 cells, the header 4"
    assert fake_rpc.calls[-1].payload["skip_bad_rows"] is False


async def test_an_upload_without_the_required_columns_is_refused(kit, fake_rpc):
    response = await kit.client.post(f"{BASE}/import", content=b"name,category\nx,firm\n")
    assert response.status_code == 422
    assert set(response.json()["error"]["details"]["fields"]) == {
        "membership_number", "admission_date"}
    assert fake_rpc.calls == []


async def test_the_export_pages_through_the_register(kit, fake_rpc):
    pages = {None: ([member("1"), member("2")], "c2"), "c2": ([member("3")], None)}

    def page(payload):
        items, following = pages[payload["after"]]
        assert payload["limit"] == 5000 and payload["as_on"] == "2025-03-31"
        return {"items": items, "next": following}

    fake_rpc.on("registry", "list_members", page)
    response = await kit.client.get(f"{BASE}/export.csv", params={"as_on": "2025-03-31"})
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.text)))
    assert lines[0][0] == "membership_number"
    assert [line[0] for line in lines[1:]] == ["1", "2", "3"]


@pytest.mark.parametrize("import_limit, status", [(1024 * 1024, 422), (8 * 1024, 413)])
async def test_an_import_has_its_own_body_ceiling_not_the_json_one(gateway_db_url, fake_rpc,
                                                                   import_limit, status):
    kit = make_kit(gateway_db_url, rpc=fake_rpc, max_body_bytes=4096,
                   members_max_import_bytes=import_limit)
    fake_rpc.on("registry", "begin_member_import",
                lambda p: {"job_id": "job-1", "society_id": SOCIETY, "status": "open"})
    fake_rpc.on("registry", "add_member_import_rows", lambda p: {"status": "open"})
    fake_rpc.on("registry", "finish_member_import", lambda p: {
        "job_id": "job-1", "society_id": SOCIETY, "status": "rejected", "rows_received": 0,
        "bad_row_count": 1, "imported": 0, "bad_rows_truncated": False,
        "bad_rows": [{"line": 2002, "field": "line", "reason": "has 2 cells, the header 4"}]})
    body = _csv(2000)  # about 60 KB: far over the JSON limit
    async with aclosing(kit.client):
        token = await kit.token_for(role="society_representative", scope_kind="society",
                                    scope_id=SOCIETY)
        response = await kit.client.post(f"{BASE}/import", content=body,
                                         headers={**kit.headers(token),
                                                  "Content-Type": "text/csv"})
        json_route = await kit.client.post(BASE, content=b" " * 5000,
                                           headers={**kit.headers(token),
                                                    "Content-Type": "application/json"})
    assert response.status_code == status, response.text
    assert json_route.status_code == 413  # every other route keeps the JSON limit
