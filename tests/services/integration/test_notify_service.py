"""The notify service on the real broker and PostgreSQL, sending through a real SMTP
server and the SMS provider stand-in on loopback (each its own process).

The member register is answered by a stand-in ``registry`` service on the same bus that
validates every request against the registry's own contract (ListMemberContactsV1) and
pages a generated register, so these tests control bad contacts and languages exactly.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from kombu import Connection, Exchange, Producer
from nameko.rpc import rpc as nameko_rpc
from sqlalchemy import create_engine, select

from services.common.contracts.documents import CertificateIssuedV1
from services.common.contracts.notify import MassMessageV1
from services.common.contracts.registry import ApplicantV1, ApplicationStageChangedV1
from services.common.contracts.registry_members import ListMemberContactsV1
from services.common.migrate import upgrade
from services.common.topology import SUBSCRIPTIONS, declare_all
from services.notify import models
from services.notify.service import NotifyService
from services.notify.settings import notify_settings
from tests.support.broker import AMQP_URI
from tests.support.polling import wait_for
from tests.support.ports import free_port
from tests.support.sms_sink import SmsSink
from tests.support.smtp_sink import SmtpSink

SOCIETY = "soc-notify-1"
REGISTER: dict[str, list[dict]] = {}
REQUESTS: list[dict] = []


class RegistryStandIn:
    name = "registry"

    @nameko_rpc
    def list_member_contacts(self, payload):
        query = ListMemberContactsV1.model_validate(payload)
        REQUESTS.append(payload)
        members = [m for m in REGISTER.get(query.society_id, [])
                   if not query.filters.category or m["category"] == query.filters.category]
        start = int(query.after or 0)
        page = members[start:start + query.limit]
        following = start + query.limit
        return {"items": page, "next": str(following) if following < len(members) else None}


def members(count: int, *, society: str = SOCIETY) -> list[dict]:
    register = []
    for n in range(count):
        register.append({
            "member_id": f"m-{n}", "membership_number": f"{n:06d}", "name": f"Member {n}",
            "category": "firm" if n % 10 == 0 else "individual",
            "phone": None if n == 3 else ("12345" if n == 4 else f"98{n:08d}"),
            "email": None if n == 5 else f"member{n}@example.org",
            "language": "hi" if n % 2 else "en"})
    REGISTER[society] = register
    return register


@pytest.fixture
def sinks():
    sms = SmsSink(free_port()).start()
    smtp = SmtpSink(free_port(), free_port()).start()
    yield sms, smtp
    sms.stop()
    smtp.stop()


@pytest.fixture
def notify(pg_database, containers, sinks, monkeypatch):
    sms, smtp = sinks
    monkeypatch.setenv("NOTIFY_SMS_URL", sms.url)
    monkeypatch.setenv("NOTIFY_SMS_API_KEY", sms.api_key)
    monkeypatch.setenv("NOTIFY_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("NOTIFY_RETRY_BASE_SECONDS", "0.2")
    monkeypatch.setenv("NOTIFY_MASS_PAGE_SIZE", "100")
    monkeypatch.setenv("NOTIFY_POLL_SECONDS", "0.1")
    notify_settings.cache_clear()
    url = pg_database("notify")
    upgrade("notify", url)
    subs = [s for s in SUBSCRIPTIONS if s.consumer == "notify"]
    declare_all(AMQP_URI, subs)
    containers(RegistryStandIn, "sqlite://")
    containers(NotifyService, url, subscriptions=subs)
    engine = create_engine(url)
    yield url, engine, sms, smtp
    engine.dispose()
    notify_settings.cache_clear()


def deliveries(engine, **where):
    D = models.delivery
    statement = select(D)
    for name, value in where.items():
        statement = statement.where(D.c[name] == value)
    with engine.connect() as connection:
        return connection.execute(statement.order_by(D.c.id)).all()


def as_actor(rpc_proxy, **context):
    """A proxy carrying what the gateway sends: a request id and the actor."""
    return rpc_proxy(request_id=uuid.uuid4().hex, **context)


def society_proxy(rpc_proxy, society=SOCIETY):
    return as_actor(rpc_proxy, actor_id="rep-1", actor_role="society_representative",
                     actor_scope=f"society:{society}").notify


def publish(source: str, event_type: str, payload: dict, event_id: str | None = None):
    event_id = event_id or str(uuid.uuid4())
    with Connection(AMQP_URI) as connection:
        producer = Producer(connection.channel())
        producer.publish(payload, exchange=Exchange(f"{source}.events", type="topic",
                                                    durable=True),
                         routing_key=event_type, serializer="json", declare=[],
                         headers={"nameko.event_id": event_id}, delivery_mode=2)
    return event_id


def test_mass_message_reaches_every_member_once_in_their_language(notify, rpc_proxy):
    _, _engine, sms, smtp = notify
    members(250)
    proxy = society_proxy(rpc_proxy)
    job = proxy.create_mass_message(payload={
        "society_id": SOCIETY, "template_key": "general_meeting_notice",
        "channels": ["sms", "email"],
        "variables": {"society_name": "Kolhapur Co-op Bank", "meeting": "annual general "
                      "meeting", "at": "2026-12-20 11:00", "venue": "Town Hall"}})
    assert MassMessageV1.conforms(job)
    assert job["status"] == "materialising"

    def done():
        return proxy.get_mass_message(payload={"job_id": job["id"]})["status"] == "completed"
    assert wait_for(done, timeout=60)
    final = proxy.get_mass_message(payload={"job_id": job["id"]})
    assert final["recipients"] == 250
    progress = {p["channel"]: p for p in final["progress"]}
    # member 3 has no phone, member 4 an invalid one, member 5 no e-mail
    assert progress["sms"]["sent"] == 248 and progress["sms"]["failed"] == 2
    assert progress["email"]["sent"] == 249 and progress["email"]["failed"] == 1
    assert sms.stats()["unique"] == 248 and smtp.stats()["unique"] == 249
    assert sms.stats()["duplicates"] == 0 and smtp.stats()["duplicates"] == 0
    texts = {m["to"]: m["text"] for m in sms.messages()}
    assert "सूचना" not in texts["+919800000002"] and "Town Hall" in texts["+919800000002"]
    assert "में" in texts["+919800000001"]  # an odd member prefers Hindi
    mails = {m["to"][0]: m for m in smtp.messages()}
    assert mails["member7@example.org"]["subject"].endswith("की सूचना")
    assert "Dear Member 8" in mails["member8@example.org"]["body"]
    failed = proxy.list_deliveries(payload={"job_id": job["id"], "status": "failed"})
    reasons = {(d["recipient_id"], d["channel"]): d["error"] for d in failed["items"]}
    assert reasons == {("m-3", "sms"): "no mobile number", ("m-4", "sms"): "not a mobile number",
                       ("m-5", "email"): "no e-mail address"}
    assert all("***" in d["destination"] or "******" in d["destination"] or not
               d["destination"] for d in failed["items"])
    assert len(REQUESTS) >= 3 and all(r["limit"] == 100 for r in REQUESTS[-3:])


def test_filtered_job_and_idempotency_key(notify, rpc_proxy):
    _, engine, sms, _ = notify
    members(100)
    request = {"society_id": SOCIETY, "template_key": "society_announcement",
               "channels": ["sms"], "filters": {"category": "firm"},
               "variables": {"society_name": "S", "title": "Dividend", "message": "Paid."}}
    proxy = as_actor(rpc_proxy, actor_id="rep-1", actor_role="society_representative",
                      actor_scope=f"society:{SOCIETY}", idempotency_key="job-key-1").notify
    first = proxy.create_mass_message(payload=request)
    again = proxy.create_mass_message(payload=request)
    assert first["id"] == again["id"]
    assert wait_for(lambda: sms.stats()["unique"] == 10, timeout=30)
    assert len({d.job_id for d in deliveries(engine, origin="job")}) == 1


def test_bad_variables_and_scope_are_refused_before_anything_is_queued(notify, rpc_proxy):
    _, engine, _, _ = notify
    proxy = society_proxy(rpc_proxy)
    from services.common.errors import Forbidden, InvalidInput

    with pytest.raises(InvalidInput) as refused:
        proxy.create_mass_message(payload={
            "society_id": SOCIETY, "template_key": "society_announcement",
            "channels": ["sms"], "variables": {"title": "x", "mesage": "typo",
                                               "society_name": "S"}})
    fields = refused.value.fields
    assert fields == {"variables.mesage": "unknown variable for this template",
                      "variables.message": "required by this template"}
    with pytest.raises(InvalidInput) as too_long:
        proxy.create_mass_message(payload={
            "society_id": SOCIETY, "template_key": "society_announcement",
            "channels": ["sms"], "variables": {"title": "x", "message": "y" * 1001,
                                               "society_name": "S"}})
    assert "variables.message" in too_long.value.fields
    with pytest.raises(Forbidden):
        proxy.create_mass_message(payload={
            "society_id": "another", "template_key": "society_announcement",
            "channels": ["sms"], "variables": {"title": "x", "message": "y",
                                               "society_name": "S"}})
    with engine.connect() as connection:
        assert connection.execute(select(models.mass_job)).all() == []


def test_throttling_provider_is_retried_and_nothing_is_sent_twice(notify, rpc_proxy):
    _, engine, sms, _ = notify
    members(30)
    sms.control(fail=2, status=429)
    proxy = society_proxy(rpc_proxy)
    job = proxy.create_mass_message(payload={
        "society_id": SOCIETY, "template_key": "society_announcement", "channels": ["sms"],
        "variables": {"society_name": "S", "title": "T", "message": "M"}})
    assert wait_for(lambda: proxy.get_mass_message(
        payload={"job_id": job["id"]})["status"] == "completed", timeout=60)
    assert sms.stats()["unique"] == 28 and sms.stats()["duplicates"] == 0
    sent = deliveries(engine, job_id=job["id"], status="sent")
    assert len(sent) == 28 and max(row.attempts for row in sent) >= 2
    assert all(row.provider_id.startswith("sms-") for row in sent)


def test_permanent_refusal_is_recorded_and_reported(notify, rpc_proxy):
    _url, engine, _, smtp = notify
    members(12)
    smtp.refuse(["member7@example.org"], code=550)
    proxy = society_proxy(rpc_proxy)
    job = proxy.create_mass_message(payload={
        "society_id": SOCIETY, "template_key": "society_announcement", "channels": ["email"],
        "variables": {"society_name": "S", "title": "T", "message": "M"}})
    assert wait_for(lambda: proxy.get_mass_message(
        payload={"job_id": job["id"]})["status"] == "completed", timeout=60)
    refused = deliveries(engine, job_id=job["id"], recipient_id="m-7")[0]
    assert refused.status == "failed" and refused.error.startswith("SMTP 550")
    assert smtp.stats()["unique"] == 10  # 12 less m-5 (no address) and m-7 (refused)
    P = models.platform.outbox
    with engine.connect() as connection:
        events = connection.execute(select(P.c.event_type, P.c.payload)).all()
    failed = [e.payload for e in events if e.event_type == "delivery_failed"]
    assert [f["recipient_id"] for f in failed] == ["m-7"]
    assert any(e.event_type == "mass_message_completed" for e in events)


def test_identical_texts_share_one_smtp_transaction_per_language(notify, rpc_proxy):
    """A notice without the member's name: one transaction per language (both within
    100 recipients), one Message-ID per text, a refused recipient failed alone."""
    _url, engine, _, smtp = notify
    members(12)
    smtp.refuse(["member7@example.org"], code=550)
    staff = as_actor(rpc_proxy, actor_id="reg-1", actor_role="registrar").notify
    for language, body in (("en", "Dear member,\n\n{message}"),
                           ("hi", "प्रिय सदस्य,\n\n{message}")):
        staff.publish_template(payload={
            "key": "common_notice", "language": language, "subject": "{title}",
            "body": body, "sms": "{message}", "variables": ["title", "message"]})
    proxy = society_proxy(rpc_proxy)
    job = proxy.create_mass_message(payload={
        "society_id": SOCIETY, "template_key": "common_notice", "channels": ["email"],
        "variables": {"title": "Dividend", "message": "Paid on Friday."}})
    assert wait_for(lambda: proxy.get_mass_message(
        payload={"job_id": job["id"]})["status"] == "completed", timeout=60)
    stats = smtp.stats()
    assert stats["unique"] == 10 and stats["duplicates"] == 0  # m-5 no address, m-7 refused
    assert stats["transactions"] == 2
    sent = deliveries(engine, job_id=job["id"], status="sent")
    by_language = {row.language: {r.provider_id for r in sent if r.language == row.language}
                   for row in sent}
    assert len(by_language["en"]) == 1 and len(by_language["hi"]) == 1
    assert by_language["en"] != by_language["hi"]
    refused = deliveries(engine, job_id=job["id"], recipient_id="m-7")[0]
    assert refused.status == "failed" and refused.error.startswith("SMTP 550")
    mails = {m["to"][0]: m for m in smtp.messages()}
    assert mails["member9@example.org"]["body"].startswith("प्रिय सदस्य")
    assert mails["member8@example.org"]["subject"] == "Dividend"


def test_query_raised_reaches_the_applicants_mailbox_and_email_once(notify, rpc_proxy):
    _, engine, _, smtp = notify
    payload = ApplicationStageChangedV1(
        application_id="app-9", kind="registration", stage="query_raised",
        previous_stage="under_scrutiny", society_id=None, office_id="mh",
        applicant=ApplicantV1(account_id="acc-42", name="Asha", email="asha@x.org",
                              phone="9812345678", language="hi"),
        reason="Bye-law 12 is unsigned.", hearing=None,
        at=datetime(2026, 11, 29, tzinfo=UTC)).wire()
    event_id = publish("registry", "application_stage_changed", payload)
    publish("registry", "application_stage_changed", payload, event_id)  # redelivery
    assert wait_for(lambda: smtp.stats()["unique"] == 1, timeout=30)
    mail = smtp.messages()[0]
    assert mail["to"] == ["asha@x.org"] and "Bye-law 12" in mail["body"]
    assert mail["language"] == "hi"
    me = as_actor(rpc_proxy, actor_id="acc-42", actor_role="account",
                  actor_scope="account:acc-42").notify
    page = me.list_mailbox(payload={"mailbox": {"kind": "me"}})
    assert len(page["items"]) == 1 and page["unread"] == 1
    message = page["items"][0]
    assert message["kind"] == "query" and "app-9" in message["subject"]
    updated = me.update_mailbox_message(payload={"mailbox": {"kind": "me"},
                                                 "message_id": message["id"], "read": True})
    assert updated["read_at"] is not None
    assert me.list_mailbox(payload={"mailbox": {"kind": "me"}, "state": "unread"})[
        "items"] == []
    other = as_actor(rpc_proxy, actor_id="acc-7", actor_role="account",
                     actor_scope="account:acc-7")
    assert other.notify.list_mailbox(payload={"mailbox": {"kind": "me"}})["items"] == []
    assert wait_for(lambda: len(deliveries(engine, origin="event")) == 2, timeout=5)
    assert smtp.stats()["raw"] == 1


def test_society_mailbox_search_pages_and_archive(notify, rpc_proxy):
    for n in range(7):
        publish("documents", "certificate_issued", CertificateIssuedV1(
            document_id=f"doc-{n}", document_version=1, society_id=SOCIETY,
            certificate_kind="registration" if n % 2 else "order",
            verification_code=f"V{n}", subject={"title": f"Certificate {n}"},
            issued_at=datetime(2026, 11, 29, 10, tzinfo=UTC)).wire())
    proxy = society_proxy(rpc_proxy)
    box = {"kind": "society", "id": SOCIETY}
    assert wait_for(lambda: proxy.list_mailbox(payload={"mailbox": box})["unread"] == 7,
                    timeout=30)
    first = proxy.list_mailbox(payload={"mailbox": box, "limit": 4})
    second = proxy.list_mailbox(payload={"mailbox": box, "limit": 4,
                                         "cursor": first["next_cursor"]})
    ids = [m["id"] for m in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 7 and second["next_cursor"] is None
    found = proxy.list_mailbox(payload={"mailbox": box, "q": "ORDER"})
    assert len(found["items"]) == 4
    assert found["items"][0]["links"][0]["document_id"].startswith("doc-")
    target = found["items"][0]["id"]
    proxy.update_mailbox_message(payload={"mailbox": box, "message_id": target,
                                          "archived": True})
    assert len(proxy.list_mailbox(payload={"mailbox": box})["items"]) == 6
    archived = proxy.list_mailbox(payload={"mailbox": box, "archived": True})
    assert [m["id"] for m in archived["items"]] == [target]
    from services.common.errors import Forbidden

    with pytest.raises(Forbidden):
        society_proxy(rpc_proxy, "another").list_mailbox(payload={"mailbox": box})


def test_send_otp_delivers_and_keeps_no_code(notify, rpc_proxy):
    _url, engine, sms, smtp = notify
    proxy = as_actor(rpc_proxy, actor_id="anonymous", actor_role="anonymous",
                     actor_scope="public")
    answer = proxy.notify.send_otp(payload={"channel": "sms", "destination": "98123 45678",
                                            "code": "482913", "language": "hi",
                                            "purpose": "sign_in"})
    assert answer["destination"] == "+91******78" and answer["status"] == "sent"
    assert "482913" in sms.messages()[-1]["text"]
    proxy.notify.send_otp(payload={"channel": "email", "destination": "Asha@Example.org",
                                   "code": "771100", "language": "en", "purpose": "sign_in"})
    assert "771100" in smtp.messages()[-1]["body"]
    with engine.connect() as connection:
        dump = " ".join(str(tuple(r)) for r in connection.execute(select(models.delivery)))
        dump += " ".join(str(tuple(r)) for r in connection.execute(
            select(models.platform.audit)))
    assert "482913" not in dump and "771100" not in dump and "45678" not in dump
    from services.common.errors import InvalidInput, RateLimited

    with pytest.raises(InvalidInput):
        proxy.notify.send_otp(payload={"channel": "sms", "destination": "12",
                                       "code": "123456"})
    sms.control(fail=1, status=503)
    with pytest.raises(RateLimited):
        proxy.notify.send_otp(payload={"channel": "sms", "destination": "9812345678",
                                       "code": "123456"})
