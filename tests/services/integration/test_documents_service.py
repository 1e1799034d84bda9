"""The documents service on the real broker and PostgreSQL, its bytes in a real store
(the filesystem and moto's S3 server on loopback): uploads through signed slots on the
data plane, every refusal leaving nothing behind, versions, access levels, restricted
downloads recorded, certificates from registry's event and their verification."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import date

import httpx
import pytest
from kombu import Connection, Exchange, Producer
from nameko.exceptions import RemoteError
from nameko.rpc import rpc as nameko_rpc
from sqlalchemy import create_engine, text

from services.common import topology
from services.common.contracts.registry import SocietyRegisteredV1
from services.common.errors import Forbidden, InvalidInput, NotFound
from services.common.migrate import upgrade
from services.documents.service import DocumentsService
from services.documents.settings import documents_settings
from tests.support.broker import AMQP_URI
from tests.support.polling import wait_for
from tests.support.ports import free_port
from tests.support.s3 import start_s3_server

PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 2000 + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(2000)
SOCIETY = "soc-" + uuid.uuid4().hex[:8]
REP = {"actor_id": "rep-1", "actor_role": "society_representative",
       "actor_scope": f"society:{SOCIETY}"}
OTHER_REP = {"actor_id": "rep-2", "actor_role": "society_representative",
             "actor_scope": "society:someone-else"}
REGISTRAR = {"actor_id": "reg-1", "actor_role": "registrar"}
OFFICE_REGISTRAR = {"actor_id": "reg-2", "actor_role": "registrar", "actor_scope": "office:mp"}
CITIZEN = {"actor_id": "cit-1", "actor_role": "citizen"}
ANONYMOUS = {"actor_id": "anonymous", "actor_role": "anonymous", "actor_scope": "public"}


@pytest.fixture(scope="module")
def s3_server():
    server = start_s3_server()
    yield server
    server.stop()


class Platform:
    def __init__(self, url, rpc_proxy, store_kind, files_dir, s3=None, bucket=None):
        self.url = url
        self._rpc_proxy = rpc_proxy
        self.store_kind = store_kind
        self.files_dir = files_dir
        self.s3 = s3
        self.bucket = bucket

    def call(self, method, payload, actor=None, **extra):
        extra.setdefault("request_id", uuid.uuid4().hex)
        proxy = self._rpc_proxy(**(actor or {}), **extra)
        return getattr(proxy.documents, method)(payload=payload)

    def upload(self, actor, body, *, headers=None, **fields):
        payload = {"owner": f"society:{SOCIETY}", "kind": "balance_sheet",
                   "title": "Balance sheet 2025-26", "file_name": "bs.pdf",
                   "access_level": "society_and_office", **fields}
        slot = self.call("begin_upload", payload, actor)
        return httpx.put(slot["upload_url"], content=body, headers=headers or {},
                         timeout=30)

    def objects(self) -> list[str]:
        if self.store_kind == "s3":
            return [o.object_name for o in self.s3.client().list_objects(
                bucket_name=self.bucket, recursive=True)]
        return [str(p.relative_to(self.files_dir)) for p in self.files_dir.rglob("*")
                if p.is_file()]

    def scalar(self, sql, **params):
        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                return connection.execute(text(sql), params).scalar()
        finally:
            engine.dispose()


@pytest.fixture(params=["filesystem", "s3"])
def docs(request, pg_database, containers, rpc_proxy, monkeypatch, tmp_path):
    url = pg_database("documents")
    upgrade("documents", url)
    files_dir = tmp_path / "files"
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DOCUMENTS_DATA_PORT", str(free_port()))
    monkeypatch.setenv("DOCUMENTS_FILES_DIR", str(files_dir))
    monkeypatch.setenv("DOCUMENTS_REGISTRY_TIMEOUT", "1")
    monkeypatch.setenv("DOCUMENTS_VERIFY_BASE_URL", "https://portal.test/verify/")
    s3 = bucket = None
    if request.param == "s3":
        s3 = request.getfixturevalue("s3_server")
        bucket = s3.new_bucket()
        for name, value in s3.env(bucket).items():
            monkeypatch.setenv(name, value)
    else:
        monkeypatch.setenv("DOCUMENTS_STORE", "filesystem")
    documents_settings.cache_clear()
    subs = [s for s in topology.SUBSCRIPTIONS if s.consumer == "documents"]
    containers(DocumentsService, url, subscriptions=subs)
    yield Platform(url, rpc_proxy, request.param, files_dir, s3, bucket)
    documents_settings.cache_clear()


# ------------------------------------------------------------------------- uploads


def test_an_upload_is_stored_once_with_its_checksum_and_event(docs):
    response = docs.upload(REP, PDF)
    assert response.status_code == 201, response.text
    doc = response.json()
    assert doc["current"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert doc["current"]["size"] == len(PDF)
    assert doc["current"]["content_type"] == "application/pdf"
    assert doc["current"]["uploaded_by"] == "rep-1"
    assert len(docs.objects()) == 1
    assert docs.scalar("SELECT count(*) FROM outbox_message WHERE event_type = "
                       "'document_stored'") == 1
    assert docs.scalar("SELECT actor_id FROM audit_entry WHERE action = "
                       "'document_stored'") == "rep-1"
    ticket = docs.call("open_download", {"document_id": doc["document_id"]}, REP)
    got = httpx.get(ticket["download_url"], timeout=30)
    assert got.status_code == 200
    assert got.content == PDF
    assert ticket["content_type"] == "application/pdf"


def test_a_new_version_keeps_the_old_one(docs):
    first = docs.upload(REP, PDF).json()
    png = PNG
    slot = docs.call("begin_upload", {"document_id": first["document_id"],
                                      "file_name": "scan.png"}, REP)
    second = httpx.put(slot["upload_url"], content=png, timeout=30)
    assert second.status_code == 201, second.text
    assert second.json()["current"]["version"] == 2
    full = docs.call("get_document", {"document_id": first["document_id"]}, REP)
    assert [v["version"] for v in full["versions"]] == [1, 2]
    old = docs.call("open_download", {"document_id": first["document_id"], "version": 1},
                    REP)
    assert httpx.get(old["download_url"], timeout=30).content == PDF
    assert docs.scalar("SELECT count(*) FROM outbox_message WHERE event_type = "
                       "'document_version_added'") == 1


@pytest.mark.parametrize(("body", "fields", "status", "code"), [
    (b"", {}, 422, "invalid_input"),
    (b"MZ\x90\x00" + os.urandom(500), {}, 415, "unsupported_media_type"),
    (PDF, {"declared_sha256": "0" * 64}, 422, "invalid_input"),
    (PDF, {"declared_size": len(PDF) + 5}, 422, "invalid_input"),
])
def test_bad_uploads_are_refused_and_leave_nothing(docs, body, fields, status, code):
    response = docs.upload(REP, body, **fields)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert docs.objects() == []
    assert docs.scalar("SELECT count(*) FROM document") == 0


def test_a_body_over_the_kind_limit_is_refused_while_it_streams(docs, monkeypatch):
    from services.documents import kinds

    limit = kinds.RULES["newspaper_cutting"].max_bytes

    def endless():
        yield PDF
        sent = len(PDF)
        block = b"x" * (1024 * 1024)
        while sent <= limit + len(block):
            yield block
            sent += len(block)

    slot = docs.call("begin_upload", {"owner": f"society:{SOCIETY}",
                                      "kind": "newspaper_cutting", "title": "Notice",
                                      "file_name": "n.pdf", "access_level": "public"}, REP)
    try:
        response = httpx.put(slot["upload_url"], content=endless(), timeout=60)
        assert response.status_code == 413
    except httpx.HTTPError:
        pass  # the plane may close the connection before the client finished sending
    assert wait_for(lambda: docs.objects() == [], timeout=10)
    assert docs.scalar("SELECT count(*) FROM document") == 0


def test_a_truncated_upload_leaves_no_record_and_no_object(docs):
    import socket
    from urllib.parse import urlsplit

    slot = docs.call("begin_upload", {"owner": f"society:{SOCIETY}", "kind": "balance_sheet",
                                      "title": "t", "file_name": "bs.pdf",
                                      "access_level": "public"}, REP)
    parts = urlsplit(slot["upload_url"])
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.sendall(f"PUT {parts.path} HTTP/1.1\r\nHost: x\r\nContent-Length: "
                     f"{len(PDF) * 2}\r\n\r\n".encode() + PDF)
    assert wait_for(lambda: docs.scalar(
        "SELECT count(*) FROM document") == 0 and docs.objects() == [], timeout=10)


def test_a_slot_is_used_once(docs):
    slot = docs.call("begin_upload", {"owner": f"society:{SOCIETY}", "kind": "balance_sheet",
                                      "title": "t", "file_name": "bs.pdf",
                                      "access_level": "public"}, REP)
    assert httpx.put(slot["upload_url"], content=PDF, timeout=30).status_code == 201
    again = httpx.put(slot["upload_url"], content=PDF, timeout=30)
    assert again.status_code == 409
    assert len(docs.objects()) == 1


def test_a_forged_or_expired_token_is_refused(docs):
    slot = docs.call("begin_upload", {"owner": f"society:{SOCIETY}", "kind": "balance_sheet",
                                      "title": "t", "file_name": "bs.pdf",
                                      "access_level": "public"}, REP)
    forged = slot["upload_url"][:-3] + ("AAA" if not slot["upload_url"].endswith("AAA")
                                        else "BBB")
    assert httpx.put(forged, content=PDF, timeout=30).status_code == 403
    assert docs.objects() == []


def test_begin_upload_validates_every_field_and_the_callers_right(docs):
    with pytest.raises(InvalidInput) as caught:
        docs.call("begin_upload", {"owner": "nobody", "kind": "novel", "title": "",
                                   "file_name": "x", "access_level": "secret"}, REP)
    assert {"owner", "kind", "title", "access_level"} <= set(caught.value.fields)
    with pytest.raises(InvalidInput) as caught:
        docs.call("begin_upload", {"owner": f"society:{SOCIETY}", "kind": "balance_sheet",
                                   "title": "t", "file_name": "../../..",
                                   "access_level": "public"}, REP)
    assert "file_name" in caught.value.fields
    with pytest.raises(Forbidden):
        docs.call("begin_upload", {"owner": f"society:{SOCIETY}", "kind": "balance_sheet",
                                   "title": "t", "file_name": "bs.pdf",
                                   "access_level": "public"}, OTHER_REP)
    with pytest.raises(Forbidden):
        docs.call("begin_upload", {"owner": f"society:{SOCIETY}", "kind": "certificate",
                                   "title": "t", "file_name": "c.pdf",
                                   "access_level": "public"}, REGISTRAR)
    with pytest.raises(InvalidInput) as caught:
        docs.call("begin_upload", {"owner": f"society:{SOCIETY}", "kind": "voter_list",
                                   "title": "t", "file_name": "v.csv",
                                   "access_level": "public",
                                   "declared_size": 10 ** 12}, REP)
    assert caught.value.details["limit_bytes"] > 0


def test_path_tricks_in_names_are_sanitised(docs):
    response = docs.upload(REP, PDF, file_name="../../etc/pass\x00wd.pdf")
    assert response.status_code == 201
    assert response.json()["current"]["file_name"] == "pass_wd.pdf"
    assert all(".." not in key for key in docs.objects())


# ------------------------------------------------------------------------- access


def test_access_levels_decide_who_reads(docs):
    ids = {}
    for level in ("public", "citizens_with_otp", "society_and_office", "office_only"):
        response = docs.upload(REP if level != "office_only" else REGISTRAR, PDF,
                               access_level=level)
        assert response.status_code == 201, response.text
        ids[level] = response.json()["document_id"]

    def readable(actor):
        found = set()
        for level, document_id in ids.items():
            try:
                docs.call("open_download", {"document_id": document_id}, actor)
                found.add(level)
            except (NotFound, Forbidden, RemoteError):
                pass
            except Exception as exc:  # Unauthenticated for the anonymous reader
                assert type(exc).__name__ == "Unauthenticated"
        return found

    assert readable(ANONYMOUS) == {"public"}
    assert readable(CITIZEN) == {"public", "citizens_with_otp"}
    assert readable(REP) == {"public", "citizens_with_otp", "society_and_office"}
    assert readable(OTHER_REP) == {"public"}
    assert readable(REGISTRAR) == set(ids)
    # Restricted downloads are recorded with who; public ones are not.
    page = docs.call("list_downloads", {"document_id": ids["society_and_office"]}, REGISTRAR)
    assert {r["actor_id"] for r in page["items"]} == {"rep-1", "reg-1"}
    assert docs.scalar("SELECT count(*) FROM document_download WHERE document_id = :d",
                       d=ids["public"]) == 0
    with pytest.raises(NotFound):
        docs.call("list_downloads", {"document_id": ids["society_and_office"]}, REP)


def test_office_scoped_staff_are_refused_when_registry_does_not_answer(docs):
    document_id = docs.upload(REP, PDF, access_level="office_only").json()["document_id"]
    with pytest.raises(RemoteError) as caught:
        docs.call("open_download", {"document_id": document_id}, OFFICE_REGISTRAR)
    assert caught.value.exc_type == "RegistryUnavailable"


class FakeRegistry:
    name = "registry"

    @nameko_rpc
    def society_offices(self, payload):
        if payload["society_id"] == SOCIETY:
            return {"society_id": SOCIETY, "office_ids": ["mp-bhopal", "mp", "crcs"]}
        return {"society_id": payload["society_id"], "office_ids": ["wb"]}


def test_office_scoped_staff_read_what_their_office_chain_covers(docs, containers,
                                                                 monkeypatch):
    from nameko.containers import ServiceContainer

    document_id = docs.upload(REP, PDF, access_level="office_only").json()["document_id"]
    registry = ServiceContainer(FakeRegistry, {"AMQP_URI": AMQP_URI})
    registry.start()
    try:
        ticket = docs.call("open_download", {"document_id": document_id}, OFFICE_REGISTRAR)
        assert ticket["document_id"] == document_id
        with pytest.raises(NotFound):
            docs.call("open_download", {"document_id": document_id},
                      {**OFFICE_REGISTRAR, "actor_scope": "office:wb"})
    finally:
        registry.kill()


def test_listing_shows_only_what_the_caller_may_read_in_stable_pages(docs):
    for level in ("public", "society_and_office", "public", "office_only", "public"):
        actor = REGISTRAR if level == "office_only" else REP
        assert docs.upload(actor, PDF, access_level=level).status_code == 201
    seen, cursor = [], None
    while True:
        page = docs.call("list_documents", {"owner": f"society:{SOCIETY}", "limit": 2,
                                            "cursor": cursor}, CITIZEN)
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [d["access_level"] for d in seen] == ["public"] * 3
    assert len({d["document_id"] for d in seen}) == 3
    everything = docs.call("list_documents", {"owner": f"society:{SOCIETY}"}, REGISTRAR)
    assert len(everything["items"]) == 5
    with pytest.raises(InvalidInput):
        docs.call("list_documents", {}, REP)


def test_templates_are_public_with_categories(docs):
    response = docs.upload(REGISTRAR, PDF, owner="office:crcs", kind="template",
                           category="registration", title="Model bye-laws",
                           access_level="public", file_name="model.pdf")
    assert response.status_code == 201, response.text
    with pytest.raises(Forbidden):
        docs.call("begin_upload", {"owner": "office:crcs", "kind": "template",
                                   "category": "x", "title": "t", "file_name": "t.pdf",
                                   "access_level": "public"}, REP)
    page = docs.call("list_documents", {"kind": "template", "category": "registration",
                                        "public_only": True}, ANONYMOUS)
    assert [d["title"] for d in page["items"]] == ["Model bye-laws"]


# ------------------------------------------------------------------------- certificates


def _publish_society_registered(body: dict) -> str:
    event_id = uuid.uuid4().hex
    with Connection(AMQP_URI) as connection:
        Producer(connection.channel()).publish(
            json.dumps(body), exchange=Exchange("registry.events", type="topic",
                                                durable=True),
            routing_key="society_registered", content_type="application/json",
            headers={"nameko.event_id": event_id, "nameko.request_id": "req-cert-1"},
            declare=[Exchange("registry.events", type="topic", durable=True)],
            delivery_mode=2)
    return event_id


def test_registration_certificate_is_issued_once_and_verifies(docs):
    body = {**SocietyRegisteredV1(
        society_id=SOCIETY, registration_number="MSCS/CR/1259/2016",
        registration_date=date(2016, 5, 4), name="Sahakar Dairy Cooperative", type="dairy",
        address="12 MG Road, Bhopal", state="Madhya Pradesh", district="Bhopal",
        area_of_operation=["Madhya Pradesh", "Chhattisgarh"], office_id="crcs",
        office_name="CRCS", application_id="app-1259").wire(), "some_future_field": 1}
    event_id = _publish_society_registered(body)
    assert wait_for(lambda: docs.scalar("SELECT count(*) FROM certificate") == 1, timeout=20)
    _publish_society_registered(body)  # another registration event: another certificate
    # the same event delivered twice is applied once
    with Connection(AMQP_URI) as connection:
        Producer(connection.channel()).publish(
            json.dumps(body), exchange="registry.events", routing_key="society_registered",
            content_type="application/json", headers={"nameko.event_id": event_id})
    assert wait_for(lambda: docs.scalar("SELECT count(*) FROM certificate") == 2, timeout=20)
    assert docs.scalar("SELECT count(*) FROM processed_message") == 2
    assert docs.scalar("SELECT count(*) FROM outbox_message WHERE event_type = "
                       "'certificate_issued'") == 2
    code = docs.scalar("SELECT verification_code FROM certificate ORDER BY issued_at LIMIT 1")
    document_id = docs.scalar("SELECT document_id FROM certificate WHERE "
                              "verification_code = :c", c=code)
    ticket = docs.call("open_download", {"document_id": document_id}, ANONYMOUS)
    pdf = httpx.get(ticket["download_url"], timeout=30).content
    assert pdf.startswith(b"%PDF")
    sha = hashlib.sha256(pdf).hexdigest()
    typed = code.lower()[:4] + "-" + code[4:8] + " " + code[8:]
    answer = docs.call("verify_certificate", {"code": typed, "sha256": sha}, ANONYMOUS)
    assert answer["genuine"] is True and answer["file_matches"] is True
    assert answer["subject"]["registration_number"] == "MSCS/CR/1259/2016"
    assert answer["certificate_kind"] == "registration"
    altered = docs.call("verify_certificate", {"code": code,
                                               "sha256": hashlib.sha256(pdf + b" ").hexdigest()},
                        ANONYMOUS)
    assert altered["genuine"] is False and altered["file_matches"] is False
    by_file = docs.call("verify_certificate", {"sha256": sha}, ANONYMOUS)
    assert by_file["genuine"] is True
    unknown = docs.call("verify_certificate", {"code": "0000-0000-0000"}, ANONYMOUS)
    assert unknown["genuine"] is False


def test_order_certificates_are_for_the_office(docs):
    order = {"society_id": SOCIETY, "order_number": "ORD/7", "order_date": "2026-11-30",
             "title": "Order under section 86", "text": "The society shall hold its AGM."}
    with pytest.raises(Forbidden):
        docs.call("issue_order_certificate", order, REP)
    issued = docs.call("issue_order_certificate", order, REGISTRAR)
    assert issued["certificate_kind"] == "order"
    verdict = docs.call("verify_certificate", {"code": issued["verification_code"]},
                        ANONYMOUS)
    assert verdict["genuine"] is True
    assert verdict["subject"]["order_number"] == "ORD/7"
    assert len(docs.objects()) == 1


def test_a_submitted_form_19m_becomes_the_elections_verifiable_pdf(docs):
    from services.common.contracts.elections_counting import FormSubmittedV1

    election_id = str(uuid.uuid4())
    body = FormSubmittedV1(
        election_id=election_id, number="107/2025-26", society_id=SOCIETY,
        society_name="श्री वीरशैव को-ऑप. बैंक लि.", form="19M", form_id=str(uuid.uuid4()),
        form_version=2, submitted_at="2026-01-08T10:00:00+05:30",
        body={"section_a": {"ii_a_polling_held": "Yes", "xi_votes_cast": 21450},
              "elected": [{"candidate_name": "अनिल पाटील", "category": "general",
                           "membership_number": "M0001", "votes": 812}]}).wire()
    with Connection(AMQP_URI) as connection:
        exchange = Exchange("elections.events", type="topic", durable=True)
        Producer(connection.channel()).publish(
            json.dumps(body), exchange=exchange, routing_key="election_form_submitted",
            content_type="application/json", declare=[exchange], delivery_mode=2,
            headers={"nameko.event_id": uuid.uuid4().hex})
    assert wait_for(lambda: docs.scalar("SELECT count(*) FROM certificate WHERE "
                                        "certificate_kind = 'form_19m'") == 1, timeout=20)
    document_id = docs.scalar("SELECT document_id FROM certificate WHERE "
                              "certificate_kind = 'form_19m'")
    assert docs.scalar("SELECT owner FROM document WHERE id = :d",
                       d=document_id) == f"election:{election_id}"
    ro = {"actor_id": "ro-1", "actor_role": "returning_officer",
          "actor_scope": f"election:{election_id}"}
    cea = {"actor_id": "cea-1", "actor_role": "cea_official"}
    other_ro = {"actor_id": "ro-2", "actor_role": "returning_officer",
                "actor_scope": f"election:{uuid.uuid4()}"}
    ticket = docs.call("open_download", {"document_id": document_id}, ro)
    pdf = httpx.get(ticket["download_url"], timeout=30).content
    assert pdf.startswith(b"%PDF")
    assert docs.call("open_download", {"document_id": document_id}, cea)["download_url"]
    for outsider in (other_ro, OTHER_REP, ANONYMOUS):
        with pytest.raises((NotFound, RemoteError, Exception)) as refused:
            docs.call("open_download", {"document_id": document_id}, outsider)
        assert type(refused.value).__name__ in ("NotFound", "Unauthenticated")
    answer = docs.call("verify_certificate",
                       {"sha256": hashlib.sha256(pdf).hexdigest()}, ANONYMOUS)
    assert answer["genuine"] and answer["subject"]["form_version"] == 2
