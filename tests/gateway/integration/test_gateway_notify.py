"""Notify through the gateway: the real notify service (a subprocess on its own
PostgreSQL database, sending to the SMS stand-in and SMTP sink on loopback) behind the
gateway app, over the real broker. The member register is answered on the bus by a
stand-in ``registry`` responder. Society mailboxes open to their own society only
(another society's is a 404), mass messages are accepted as jobs whose progress and
delivery records can be followed, and bad input is a 422 naming every field."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from gateway_bus import Responder, ok
from kombu import Connection, Exchange, Producer

from gateway.context import CallContext
from gateway.rpc import RpcClient
from services.common.contracts.documents import CertificateIssuedV1
from services.common.contracts.registry import SocietyRegisteredV1
from services.common.topology import SUBSCRIPTIONS, declare_all
from tests.gateway.identity_kit import make_kit
from tests.support import pg
from tests.support.broker import AMQP_URI, delete_queues
from tests.support.ports import free_port
from tests.support.sms_sink import SmsSink
from tests.support.smtp_sink import SmtpSink

pytestmark = pytest.mark.anyio
REPO = Path(__file__).resolve().parents[3]
SOCIETY = "soc-" + uuid.uuid4().hex[:8]
OTHER = "soc-" + uuid.uuid4().hex[:8]
SUBS = [s for s in SUBSCRIPTIONS if s.consumer == "notify"]
MEMBERS = [
    {"member_id": "m-1", "membership_number": "000001", "name": "Asha Patil",
     "category": "individual", "phone": "9800000001", "email": "asha@example.org",
     "language": "en"},
    {"member_id": "m-2", "membership_number": "000002", "name": "Ravi Jain",
     "category": "individual", "phone": "9800000002", "email": "ravi@example.org",
     "language": "hi"},
    {"member_id": "m-3", "membership_number": "000003", "name": "No Phone",
     "category": "firm", "phone": "12345", "email": "firm@example.org", "language": "en"},
]


@pytest.fixture(scope="module")
def sinks():
    sms = SmsSink(free_port()).start()
    smtp = SmtpSink(free_port(), free_port()).start()
    yield sms, smtp
    sms.stop()
    smtp.stop()


@pytest.fixture(scope="module")
def notify_service(sinks, tmp_path_factory):
    """``python -m services.notify run`` on a fresh database, as deployed."""
    sms, smtp = sinks
    name, url = pg.create_database("notify_gw")
    logs = tmp_path_factory.mktemp("notify")
    env = dict(os.environ, AMQP_URI=AMQP_URI, NOTIFY_DATABASE_URL=url,
               NOTIFY_METRICS_PORT="0", NOTIFY_SMS_URL=sms.url,
               NOTIFY_SMS_API_KEY=sms.api_key, NOTIFY_SMTP_PORT=str(smtp.port),
               NOTIFY_POLL_SECONDS="0.1", PYTHONPATH=str(REPO), LOG_LEVEL="WARNING")
    subprocess.run([sys.executable, "-m", "services.notify", "migrate"], env=env,
                   check=True, cwd=REPO, capture_output=True)
    declare_all(AMQP_URI, SUBS)
    log = open(logs / "service.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "services.notify", "run"], env=env,
                               cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    yield {"url": url, "log": logs / "service.log"}
    process.terminate()
    process.wait(timeout=15)
    log.close()
    delete_queues(["rpc-notify", *(s.queue_name for s in SUBS)])
    pg.drop_database(name)


async def _register(method: str, payload: dict, message) -> dict | None:
    """The member register: every member of SOCIETY in one page."""
    if method != "list_member_contacts":
        return None
    items = MEMBERS if payload["society_id"] == SOCIETY else []
    category = (payload.get("filters") or {}).get("category")
    return ok({"items": [m for m in items if not category or m["category"] == category],
               "next": None})


@pytest.fixture
async def kit(notify_service, gateway_db_url):
    registry = await Responder("registry", _register).start()
    client = RpcClient(AMQP_URI + "?heartbeat=10", default_timeout=10.0)
    assert await client.connect(wait=5)
    for _ in range(150):  # the service process may still be starting
        try:
            await client.call("notify", "health", {}, timeout=2,
                              context=CallContext(request_id="wait-for-notify"))
            break
        except Exception:
            await asyncio.sleep(0.2)
    made = make_kit(gateway_db_url, rpc=client)
    yield made
    await made.client.aclose()
    await client.close()
    await registry.stop()


def publish(source: str, event_type: str, payload: dict) -> None:
    with Connection(AMQP_URI) as connection:
        exchange = Exchange(f"{source}.events", type="topic", durable=True)
        Producer(connection.channel()).publish(
            json.dumps(payload), exchange=exchange, routing_key=event_type,
            declare=[exchange], content_type="application/json", delivery_mode=2,
            headers={"nameko.event_id": uuid.uuid4().hex,
                     "nameko.request_id": f"gw-notify-{uuid.uuid4().hex[:8]}"})


async def eventually(probe, timeout: float = 30.0):
    """Poll ``probe`` (async, answers a value or None) until it answers."""
    for _ in range(int(timeout / 0.2)):
        found = await probe()
        if found:
            return found
        await asyncio.sleep(0.2)
    raise AssertionError("the condition did not hold in time")


def fields_of(response) -> dict:
    assert response.status_code == 422, response.text
    return response.json()["error"]["details"]["fields"]


async def test_society_mailbox_read_archive_search_and_scope(kit):
    rep = await kit.token_for(role="society_representative", scope_kind="society",
                              scope_id=SOCIETY)
    other = await kit.token_for(role="society_representative", scope_kind="society",
                                scope_id=OTHER)
    publish("registry", "society_registered", SocietyRegisteredV1(
        society_id=SOCIETY, registration_number="MH/KLP/77/2026",
        registration_date=date(2026, 11, 29), name="Panchganga Dairy Co-op", type="dairy",
        address="Kolhapur", state="Maharashtra", district="Kolhapur",
        area_of_operation=["Maharashtra"], office_id="mh-kolhapur",
        office_name="District Registrar, Kolhapur", application_id="app-77").wire())
    publish("documents", "certificate_issued", CertificateIssuedV1(
        document_id=str(uuid.uuid4()), document_version=1, society_id=SOCIETY,
        certificate_kind="registration", verification_code="VC-7781",
        subject={"name": "Panchganga Dairy Co-op"},
        issued_at=datetime(2026, 11, 29, 10, tzinfo=UTC)).wire())
    box = f"/v1/mailboxes/societies/{SOCIETY}/messages"

    async def both():
        page = (await kit.client.get(box, headers=kit.headers(rep))).json()
        return page if len(page.get("items", [])) == 2 else None
    page = await eventually(both)
    assert page["unread"] == 2
    certificate = next(m for m in page["items"] if "VC-7781" in m["body"])
    assert certificate["links"] and certificate["links"][0]["url"].endswith(
        certificate["links"][0]["document_id"])

    # read, then the unread filter and count follow
    read = await kit.client.patch(f"{box}/{certificate['id']}", json={"read": True},
                                  headers=kit.headers(rep))
    assert read.status_code == 200, read.text
    assert read.json()["read_at"] is not None
    unread = (await kit.client.get(box, params={"state": "unread"},
                                   headers=kit.headers(rep))).json()
    assert [m["id"] for m in unread["items"]] != [certificate["id"]]
    assert unread["unread"] == 1 and len(unread["items"]) == 1
    # search by text
    found = (await kit.client.get(box, params={"q": "mh/klp/77"},
                                  headers=kit.headers(rep))).json()
    assert len(found["items"]) == 1 and "MH/KLP/77/2026" in found["items"][0]["body"]
    # archive: gone from the inbox, present among the archived
    archived = await kit.client.patch(f"{box}/{certificate['id']}", json={"archived": True},
                                      headers=kit.headers(rep))
    assert archived.status_code == 200 and archived.json()["archived_at"] is not None
    inbox = (await kit.client.get(box, headers=kit.headers(rep))).json()
    assert certificate["id"] not in [m["id"] for m in inbox["items"]]
    shelf = (await kit.client.get(box, params={"archived": "true"},
                                  headers=kit.headers(rep))).json()
    assert [m["id"] for m in shelf["items"]] == [certificate["id"]]
    # pages of one with an opaque cursor walk both messages once
    first = (await kit.client.get(box, params={"limit": 1, "archived": "false"},
                                  headers=kit.headers(rep))).json()
    assert len(first["items"]) == 1 and first["next_cursor"] is None

    # another society's representative: the mailbox and its messages do not exist
    assert (await kit.client.get(box, headers=kit.headers(other))).status_code == 404
    touched = await kit.client.patch(f"{box}/{certificate['id']}", json={"read": False},
                                     headers=kit.headers(other))
    assert touched.status_code == 404
    own = await kit.client.get(f"/v1/mailboxes/societies/{OTHER}/messages",
                               headers=kit.headers(other))
    assert own.status_code == 200 and own.json()["items"] == []
    # a message id of our society under the other society's mailbox is not found either
    crossed = await kit.client.patch(
        f"/v1/mailboxes/societies/{OTHER}/messages/{certificate['id']}",
        json={"read": False}, headers=kit.headers(other))
    assert crossed.status_code == 404
    assert (await kit.client.get(box)).status_code == 401


async def test_mailbox_validation_names_every_field(kit):
    rep = await kit.token_for(role="society_representative", scope_kind="society",
                              scope_id=SOCIETY)
    box = f"/v1/mailboxes/societies/{SOCIETY}/messages"
    bad = await kit.client.get(box, params={"limit": 1000, "state": "maybe",
                                            "kind": "spam"}, headers=kit.headers(rep))
    assert {"limit", "state", "kind"} <= {f.rsplit(".", 1)[-1] for f in fields_of(bad)}
    patch = await kit.client.patch(f"{box}/not-a-message-id", json={"read": "perhaps",
                                                                    "colour": "red"},
                                   headers=kit.headers(rep))
    named = {f.rsplit(".", 1)[-1] for f in fields_of(patch)}
    assert {"message_id", "read", "colour"} <= named
    nothing = await kit.client.patch(f"{box}/{uuid.uuid4()}", json={},
                                     headers=kit.headers(rep))
    assert {"read", "archived"} <= set(fields_of(nothing))


async def test_mass_message_accepted_followed_and_repeated_by_idempotency_key(kit, sinks):
    sms, smtp = sinks
    rep = await kit.token_for(role="society_representative", scope_kind="society",
                              scope_id=SOCIETY)
    other = await kit.token_for(role="society_representative", scope_kind="society",
                                scope_id=OTHER)
    before = sms.stats()["unique"], smtp.stats()["unique"]
    body = {"template_key": "general_meeting_notice", "channels": ["sms", "email"],
            "variables": {"society_name": "Panchganga Dairy Co-op",
                          "meeting": "annual general meeting", "at": "2026-12-20 11:00",
                          "venue": "Town Hall"}}
    key = {"Idempotency-Key": f"agm-{uuid.uuid4().hex}"}
    url = f"/v1/mass-messages/societies/{SOCIETY}"
    created = await kit.client.post(url, json=body, headers={**kit.headers(rep), **key})
    assert created.status_code == 202, created.text
    job = created.json()
    assert job["status"] == "materialising" and job["society_id"] == SOCIETY
    again = await kit.client.post(url, json=body, headers={**kit.headers(rep), **key})
    assert again.status_code == 202 and again.json()["id"] == job["id"]

    async def completed():
        got = await kit.client.get(f"/v1/mass-messages/{job['id']}", headers=kit.headers(rep))
        assert got.status_code == 200, got.text
        return got.json() if got.json()["status"] == "completed" else None
    final = await eventually(completed)
    assert final["recipients"] == 3
    progress = {p["channel"]: p for p in final["progress"]}
    assert progress["sms"]["sent"] == 2 and progress["sms"]["failed"] == 1
    assert progress["email"]["sent"] == 3
    # one job for the repeated request: each member got each message once
    assert sms.stats()["unique"] - before[0] == 2
    assert smtp.stats()["unique"] - before[1] == 3
    listed = (await kit.client.get(url, headers=kit.headers(rep))).json()
    assert [j["id"] for j in listed["items"]].count(job["id"]) == 1

    failed = await kit.client.get(f"/v1/mass-messages/{job['id']}/deliveries",
                                  params={"status": "failed"}, headers=kit.headers(rep))
    assert failed.status_code == 200
    [record] = failed.json()["items"]
    assert record["recipient_id"] == "m-3" and record["channel"] == "sms"
    assert record["error"] == "not a mobile number"
    one = await kit.client.get(f"/v1/deliveries/{record['id']}", headers=kit.headers(rep))
    assert one.status_code == 200 and one.json()["key"] == record["key"]
    sent = (await kit.client.get(f"/v1/mass-messages/{job['id']}/deliveries",
                                 params={"status": "sent", "channel": "email", "limit": 2},
                                 headers=kit.headers(rep))).json()
    assert len(sent["items"]) == 2 and sent["next_cursor"] is not None
    rest = (await kit.client.get(f"/v1/mass-messages/{job['id']}/deliveries",
                                 params={"status": "sent", "channel": "email", "limit": 2,
                                         "cursor": sent["next_cursor"]},
                                 headers=kit.headers(rep))).json()
    assert {d["id"] for d in rest["items"]}.isdisjoint(d["id"] for d in sent["items"])
    assert all("***@" in d["destination"] for d in sent["items"])

    # another society: the job, its records and creating for us do not exist
    for path in (f"/v1/mass-messages/{job['id']}", f"/v1/deliveries/{record['id']}",
                 f"/v1/mass-messages/{job['id']}/deliveries"):
        assert (await kit.client.get(path, headers=kit.headers(other))).status_code == 404
    foreign = await kit.client.post(url, json=body, headers=kit.headers(other))
    assert foreign.status_code == 404


async def test_mass_message_refusals_queue_nothing(kit):
    rep = await kit.token_for(role="society_representative", scope_kind="society",
                              scope_id=SOCIETY)
    url = f"/v1/mass-messages/societies/{SOCIETY}"
    before = (await kit.client.get(url, headers=kit.headers(rep))).json()["items"]
    shape = await kit.client.post(url, json={"template_key": "Not A Key",
                                             "channels": ["fax"], "colour": "red"},
                                  headers=kit.headers(rep))
    named = fields_of(shape)
    assert any("template_key" in f for f in named) and any("channels" in f for f in named)
    assert any("colour" in f for f in named)
    variables = await kit.client.post(url, json={
        "template_key": "general_meeting_notice", "channels": ["sms"],
        "variables": {"society_name": "S", "meeting": "AGM", "at": "soon",
                      "venu": "typo"}}, headers=kit.headers(rep))
    assert fields_of(variables) == {"variables.venu": "unknown variable for this template",
                                    "variables.venue": "required by this template"}
    unknown = await kit.client.post(url, json={"template_key": "no_such_template",
                                               "channels": ["sms"]},
                                    headers=kit.headers(rep))
    assert unknown.status_code == 404
    after = (await kit.client.get(url, headers=kit.headers(rep))).json()["items"]
    assert after == before


async def test_template_versions_publish_and_refuse_unknown_variables(kit):
    registrar = await kit.token_for(role="registrar")
    rep = await kit.token_for(role="society_representative", scope_kind="society",
                              scope_id=SOCIETY)
    key = f"gw_notice_{uuid.uuid4().hex[:6]}"
    version = {"language": "en", "subject": "{title}", "body": "Dear {recipient_name}, "
               "{message} Signed {signatory}.", "sms": "{title}: {message}",
               "variables": ["recipient_name", "title", "message"]}
    refused = await kit.client.post(f"/v1/templates/{key}/versions", json=version,
                                    headers=kit.headers(registrar))
    assert fields_of(refused) == {"body": "undeclared variables: signatory"}
    version["variables"].append("signatory")
    headers = {**kit.headers(registrar), "Idempotency-Key": f"tpl-{uuid.uuid4().hex}"}
    first = await kit.client.post(f"/v1/templates/{key}/versions", json=version,
                                  headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1
    repeat = await kit.client.post(f"/v1/templates/{key}/versions", json=version,
                                   headers=headers)
    assert repeat.json()["version"] == 1
    second = await kit.client.post(f"/v1/templates/{key}/versions", json=version,
                                   headers=kit.headers(registrar))
    assert second.json()["version"] == 2
    listed = await kit.client.get("/v1/templates", params={"key": key},
                                  headers=kit.headers(rep))
    assert [t["version"] for t in listed.json()["items"]] == [1, 2]
    # a built-in template keeps exactly the variables its event rules fill
    fixed = await kit.client.post("/v1/templates/certificate_issued/versions", json={
        "language": "en", "subject": "s", "body": "b {extra}", "sms": "s",
        "variables": ["extra"]}, headers=kit.headers(registrar))
    assert {"variables"} <= set(fields_of(fixed))
    # a society representative reads templates but does not publish them
    assert (await kit.client.post(f"/v1/templates/{key}/versions", json=version,
                                  headers=kit.headers(rep))).status_code == 403
    shape = await kit.client.post("/v1/templates/Bad-Key/versions", json={
        "language": "fr", "subject": "", "body": "x", "sms": "y" * 1001, "variables": []},
        headers=kit.headers(registrar))
    named = {f.rsplit(".", 1)[-1] for f in fields_of(shape)}
    assert {"template_key", "language", "subject", "sms"} <= named
