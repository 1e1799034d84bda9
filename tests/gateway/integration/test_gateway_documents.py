"""Documents through the gateway: the real documents service (a subprocess on its own
PostgreSQL database and a filesystem store) behind the gateway app, over the real broker.
Uploads stream to the data plane and downloads stream back; every bad input is a clear
4xx that leaves nothing stored; access levels hold for each kind of reader."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from kombu import Connection, Exchange, Producer

from gateway.rpc import RpcClient
from services.common.contracts.registry import SocietyRegisteredV1
from tests.gateway.identity_kit import make_kit
from tests.support import pg
from tests.support.broker import AMQP_URI, delete_queues
from tests.support.ports import free_port

pytestmark = pytest.mark.anyio
REPO = Path(__file__).resolve().parents[3]
PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 5000 + b"%%EOF\n"
SOCIETY = "soc-" + uuid.uuid4().hex[:8]


@pytest.fixture(scope="module")
def documents_service(tmp_path_factory):
    """``python -m services.documents run`` on a fresh database, as deployed."""
    name, url = pg.create_database("docs_gw")
    data_dir = tmp_path_factory.mktemp("docs-data")
    env = dict(os.environ, AMQP_URI=AMQP_URI, DOCUMENTS_DATABASE_URL=url,
               DOCUMENTS_METRICS_PORT="0", DATA_DIR=str(data_dir),
               DOCUMENTS_DATA_PORT=str(free_port()), DOCUMENTS_STORE="filesystem",
               DOCUMENTS_REGISTRY_TIMEOUT="1", PYTHONPATH=str(REPO), LOG_LEVEL="WARNING")
    subprocess.run([sys.executable, "-m", "services.documents", "migrate"], env=env,
                   check=True, cwd=REPO, capture_output=True)
    log = open(data_dir / "service.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "services.documents", "run"], env=env,
                               cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    yield {"url": url, "files": data_dir / "documents", "log": data_dir / "service.log"}
    process.terminate()
    process.wait(timeout=15)
    log.close()
    delete_queues(["rpc-documents",
                   "evt-registry-society_registered--documents.on_society_registered"])
    pg.drop_database(name)


@pytest.fixture
async def kit(documents_service, gateway_db_url):
    client = RpcClient(AMQP_URI + "?heartbeat=10", default_timeout=10.0)
    assert await client.connect(wait=5.0)
    for _ in range(100):  # the service process may still be starting
        try:
            await client.call("documents", "health", {}, timeout=2,
                              context=__import__("gateway.context").context.CallContext(
                                  request_id="wait-for-documents"))
            break
        except Exception:
            await asyncio.sleep(0.2)
    made = make_kit(gateway_db_url, rpc=client)
    made.files = documents_service["files"]
    yield made
    await made.client.aclose()
    await client.close()


def stored_files(kit) -> list[Path]:
    return [p for p in kit.files.rglob("*") if p.is_file()] if kit.files.exists() else []


async def upload(kit, token, body=PDF, headers=None, **query):
    params = {"owner": f"society:{SOCIETY}", "kind": "balance_sheet", "title": "BS 2025",
              "file_name": "bs.pdf", "access_level": "society_and_office", **query}
    return await kit.client.post("/v1/documents", params=params, content=body,
                                 headers={**kit.headers(token), **(headers or {})})


async def test_upload_download_and_versions_through_the_gateway(kit):
    rep = await kit.token_for(role="society_representative", scope_kind="society",
                              scope_id=SOCIETY)
    body = PDF * 30  # over the gateway's 1 MiB JSON limit: the upload ceiling applies
    assert len(body) > 1024 * 1024
    created = await upload(kit, rep, body,
                           headers={"X-Content-SHA256": hashlib.sha256(body).hexdigest()})
    assert created.status_code == 201, created.text
    doc = created.json()
    assert doc["current"]["size"] == len(body)
    got = await kit.client.get(f"/v1/documents/{doc['document_id']}/content",
                               headers=kit.headers(rep))
    assert got.status_code == 200
    assert got.content == body
    assert got.headers["x-content-sha256"] == hashlib.sha256(body).hexdigest()
    assert got.headers["content-disposition"].startswith('attachment; filename="bs.pdf"')
    second = await kit.client.post(f"/v1/documents/{doc['document_id']}/versions",
                                   params={"file_name": "bs-v2.pdf"}, content=PDF,
                                   headers=kit.headers(rep))
    assert second.status_code == 201, second.text
    assert second.json()["current"]["version"] == 2
    first = await kit.client.get(f"/v1/documents/{doc['document_id']}/content",
                                 params={"version": 1}, headers=kit.headers(rep))
    assert first.content == body


async def test_bad_uploads_are_clear_4xx_and_store_nothing(kit):
    rep = await kit.token_for(role="society_representative", scope_kind="society",
                              scope_id=SOCIETY)
    before = stored_files(kit)
    cases = [
        (await upload(kit, rep, b"GIF89a" + os.urandom(100), kind="order"), 415),
        (await upload(kit, rep, b""), 422),
        (await upload(kit, rep, headers={"X-Content-SHA256": "0" * 64}), 422),
        (await upload(kit, rep, os.urandom(10), kind="certificate"), 403),
        (await upload(kit, rep, owner="society:not-mine"), 403),
        (await upload(kit, rep, owner="../etc", kind="novel", access_level="x"), 422),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        assert response.json()["error"]["request_id"]
    assert {"owner", "kind", "access_level"} <= {
        key.removeprefix("query.") for key in cases[-1][0].json()["error"]["details"]["fields"]}
    # A declared length over the kind's limit is refused before any byte moves.
    big = await kit.client.post("/v1/documents", params={
        "owner": f"society:{SOCIETY}", "kind": "newspaper_cutting", "title": "t",
        "file_name": "n.pdf", "access_level": "public"},
        content=b"%PDF" + b"0" * (21 * 1024 * 1024), headers=kit.headers(rep))
    assert big.status_code == 413
    assert big.json()["error"]["details"]["limit_bytes"] == 20 * 1024 * 1024
    assert stored_files(kit) == before
    unknown = await kit.client.get(f"/v1/documents/{'0' * 32}", headers=kit.headers(rep))
    assert unknown.status_code == 404


async def test_access_levels_for_anonymous_citizen_society_and_office(kit):
    rep = await kit.token_for(role="society_representative", scope_kind="society",
                              scope_id=SOCIETY)
    other = await kit.token_for(role="society_representative", scope_kind="society",
                                scope_id="someone-else")
    registrar = await kit.token_for(role="registrar")
    citizen = await kit.token_for(role="citizen")
    ids = {}
    for level in ("public", "citizens_with_otp", "society_and_office"):
        response = await upload(kit, rep, access_level=level)
        assert response.status_code == 201, response.text
        ids[level] = response.json()["document_id"]

    async def status(path, token=None):
        return (await kit.client.get(path, headers=kit.headers(token))).status_code

    assert await status(f"/v1/documents/public/{ids['public']}/content") == 200
    assert await status(f"/v1/documents/public/{ids['citizens_with_otp']}/content") == 401
    assert await status(f"/v1/documents/public/{ids['society_and_office']}/content") == 404
    assert await status(f"/v1/documents/{ids['citizens_with_otp']}/content", citizen) == 200
    assert await status(f"/v1/documents/{ids['society_and_office']}/content", citizen) == 404
    assert await status(f"/v1/documents/{ids['society_and_office']}/content", other) == 404
    assert await status(f"/v1/documents/{ids['society_and_office']}/content", registrar) == 200
    records = await kit.client.get(f"/v1/documents/{ids['society_and_office']}/downloads",
                                   headers=kit.headers(registrar))
    assert records.status_code == 200
    assert [r["actor_role"] for r in records.json()["items"]] == ["registrar"]
    assert await status(f"/v1/documents/{ids['society_and_office']}/downloads", rep) == 403
    listed = await kit.client.get("/v1/documents", params={"owner": f"society:{SOCIETY}"},
                                  headers=kit.headers(citizen))
    assert {d["access_level"] for d in listed.json()["items"]} == {
        "public", "citizens_with_otp"}


async def test_office_scoped_staff_get_503_when_registry_is_silent(kit):
    rep = await kit.token_for(role="society_representative", scope_kind="society",
                              scope_id=SOCIETY)
    office = await kit.token_for(role="registrar", scope_kind="office", scope_id="mp")
    doc = (await upload(kit, rep)).json()
    response = await kit.client.get(f"/v1/documents/{doc['document_id']}/content",
                                    headers=kit.headers(office))
    assert response.status_code == 503
    assert response.headers["retry-after"]


async def test_registration_certificate_verifies_by_code_and_by_file(kit):
    event = SocietyRegisteredV1(
        society_id=SOCIETY, registration_number="MP/RCS/42/2026",
        registration_date=date(2026, 11, 30), name="Gram Seva Sahakari Samiti", type="pacs",
        address="Ward 4, Berasia", state="Madhya Pradesh", district="Bhopal",
        area_of_operation=["Madhya Pradesh"], office_id="mp-bhopal",
        office_name="Deputy Registrar, Bhopal", application_id="app-42").wire()
    with Connection(AMQP_URI) as connection:
        exchange = Exchange("registry.events", type="topic", durable=True)
        Producer(connection.channel()).publish(
            json.dumps(event), exchange=exchange, routing_key="society_registered",
            declare=[exchange], content_type="application/json", delivery_mode=2,
            headers={"nameko.event_id": uuid.uuid4().hex, "nameko.request_id": "cert-e2e-1"})
    page = None
    for _ in range(100):
        listed = await kit.client.get("/v1/documents/public", params={
            "owner": f"society:{SOCIETY}", "kind": "certificate"})
        if listed.json()["items"]:
            page = listed.json()
            break
        await asyncio.sleep(0.2)
    assert page is not None, "no certificate was issued"
    cert = page["items"][0]
    pdf = (await kit.client.get(f"/v1/documents/public/{cert['document_id']}/content")).content
    verdict = await kit.client.post("/v1/documents/verify", content=pdf)
    assert verdict.status_code == 200
    assert verdict.json()["genuine"] is True
    assert verdict.json()["subject"]["registration_number"] == "MP/RCS/42/2026"
    code = verdict.json()["verification_code"]
    by_code = await kit.client.get(f"/v1/documents/verify/{code}")
    assert by_code.json()["genuine"] is True
    tampered = await kit.client.post("/v1/documents/verify", params={"code": code},
                                     content=pdf[:600] + bytes([pdf[600] ^ 1]) + pdf[601:])
    assert tampered.json()["genuine"] is False
    assert tampered.json()["file_matches"] is False
