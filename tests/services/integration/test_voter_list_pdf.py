"""The published voter list as the election's verifiable PDF, over the real broker and
PostgreSQL: the RO publishes the final list of a small election, elections announces it
(``election_voter_list_published``, no rows on the bus), documents reads the list from
elections page by page, prints it and stores it once, owner ``election:<id>``, readable
by the election's officers, the CEA and the society, and the PDF verifies."""

from __future__ import annotations

import hashlib
import io
import json
import uuid

import eventlet
import httpx
import pytest
from kombu import Connection, Exchange, Producer
from pypdf import PdfReader
from sqlalchemy import create_engine, text

from services.common import topology
from services.common.errors import NotFound
from services.common.migrate import upgrade
from services.documents.service import DocumentsService
from services.documents.settings import documents_settings
from tests.services.integration.test_elections_voters import (
    drawn_and_published,
    page_numbers,
)
from tests.support.broker import AMQP_URI
from tests.support.polling import wait_for
from tests.support.ports import free_port


@pytest.fixture
def documents(pg_database, containers, monkeypatch, tmp_path):
    url = pg_database("documents")
    upgrade("documents", url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DOCUMENTS_DATA_PORT", str(free_port()))
    monkeypatch.setenv("DOCUMENTS_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("DOCUMENTS_STORE", "filesystem")
    monkeypatch.setenv("DOCUMENTS_VERIFY_BASE_URL", "https://portal.test/verify/")
    documents_settings.cache_clear()
    subs = [s for s in topology.SUBSCRIPTIONS if s.consumer == "documents"]
    containers(DocumentsService, url, subscriptions=subs)
    engine = create_engine(url)
    yield lambda sql, **params: _scalar(engine, sql, params)
    engine.dispose()
    documents_settings.cache_clear()


def _scalar(engine, sql, params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def _republish(body: dict, event_id: str) -> None:
    with Connection(AMQP_URI) as connection:
        exchange = Exchange("elections.events", type="topic", durable=True)
        Producer(connection.channel()).publish(
            json.dumps(body), exchange=exchange,
            routing_key="election_voter_list_published", content_type="application/json",
            declare=[exchange], delivery_mode=2, headers={"nameko.event_id": event_id})


def test_the_published_final_list_becomes_the_elections_pdf_once(election_stack,
                                                                  documents, rpc_proxy):
    stack = election_stack
    society_id, election_id = drawn_and_published(stack)
    ro = stack.ro(election_id)
    # The provisional list is printed as soon as it is published.
    assert wait_for(lambda: documents(
        "SELECT count(*) FROM certificate WHERE certificate_kind = 'voters_provisional'"
    ) == 1, timeout=60)
    stack.set_clock("2025-12-06 17:30")
    published = ro.publish_voter_list(payload={"election_id": election_id, "kind": "final"})
    assert published["entries"] == 39

    # The announcement names the list and carries none of it.
    (event,) = stack.sql("SELECT event_id, payload FROM outbox_message WHERE event_type = "
                         "'election_voter_list_published' AND payload::jsonb ->> 'kind' "
                         "= 'final'")
    body = event.payload if isinstance(event.payload, dict) else json.loads(event.payload)
    assert set(body) >= {"election_id", "kind", "entries", "voters_as_on"}
    assert "items" not in body and len(json.dumps(body)) < 1000

    assert wait_for(lambda: documents(
        "SELECT count(*) FROM certificate WHERE certificate_kind = 'voters_final'") == 1,
        timeout=60)

    # Found as the election's documents, by kind and category.
    docs_rpc = rpc_proxy(actor_id="ro-1", actor_role="returning_officer",
                         actor_scope=f"election:{election_id}").documents
    listed = docs_rpc.list_documents(payload={
        "owner": f"election:{election_id}", "kind": "voter_list",
        "category": "voters_final", "limit": 10})
    (doc,) = listed["items"]
    assert doc["current"]["content_type"] == "application/pdf"
    ticket = docs_rpc.open_download(payload={"document_id": doc["document_id"]})
    pdf = httpx.get(ticket["download_url"], timeout=30).content
    reader = PdfReader(io.BytesIO(pdf))
    text_layer = "\n".join(page.extract_text() for page in reader.pages)
    assert "Final list of voters" in text_layer and "मतदाताओं की अंतिम सूची" in text_layer
    assert "Shri Veershaiv Cooperative Bank Limited" in text_layer
    (election,) = stack.sql("SELECT number FROM election WHERE id = :i", i=election_id)
    assert f"Election No. {election.number}" in text_layer
    assert "31-03-2025" in text_layer                       # the as-on date, day first
    final = page_numbers(stack, election_id, "final")
    first = final[0]
    assert f"{first['serial_no']} {first['membership_number']} Member M0001" in text_layer
    assert "Member M0040" in text_layer and "Firm / फर्म" in text_layer
    assert "Member M0003" not in text_layer                 # ceased before 31 March
    assert f"Page 1 of {len(reader.pages)}" in text_layer
    assert "?" not in text_layer

    # Verifiable, and read by the CEA and the society; not by another election's RO.
    verdict = docs_rpc.verify_certificate(payload={"sha256": hashlib.sha256(pdf).hexdigest()})
    assert verdict["genuine"] and verdict["subject"]["list"] == "final"
    assert verdict["subject"]["entries"] == 39
    for reader_ctx in ({"actor_id": "cea-1", "actor_role": "cea_official"},
                       {"actor_id": "rep-1", "actor_role": "society_representative",
                        "actor_scope": f"society:{society_id}"}):
        assert rpc_proxy(**reader_ctx).documents.open_download(
            payload={"document_id": doc["document_id"]})["download_url"]
    with pytest.raises(NotFound):
        rpc_proxy(actor_id="ro-9", actor_role="returning_officer",
                  actor_scope=f"election:{uuid.uuid4()}").documents.open_download(
            payload={"document_id": doc["document_id"]})

    # The same event again, and the same list announced under another id: one document.
    _republish(body, event.event_id)
    _republish(body, uuid.uuid4().hex)
    eventlet.sleep(5)          # a second print would take over a second; none comes
    assert documents("SELECT count(*) FROM certificate WHERE certificate_kind = "
                     "'voters_final'") == 1
    assert documents("SELECT count(*) FROM document WHERE kind = 'voter_list'") == 2
