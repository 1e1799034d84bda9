"""Audit anchors between real services on the real broker and PostgreSQL: the registry's
timer anchors its chain's head only when it moved, the documents service keeps each head
once (a redelivery or a repeat is not a second row; an anchor of another service's chain
is refused), and the registry's verify, given the kept anchor, passes an intact chain,
reports a deleted tail and a rewritten head, and stops anchoring a chain that lost one."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace

import pytest
from kombu import Connection, Exchange, Producer
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from services.common import audit, audit_anchor, topology
from services.common.errors import Forbidden
from services.common.migrate import upgrade
from services.common.schema import make_metadata, platform_tables
from services.documents.service import DocumentsService
from services.documents.settings import documents_settings
from services.registry.service import RegistryService
from tests.support.broker import AMQP_URI
from tests.support.polling import wait_for
from tests.support.ports import free_port

ADMIN = {"actor_id": "admin-1", "actor_role": "administrator"}
AUDIT = platform_tables(make_metadata()).audit
PERIOD = 0.3


@pytest.fixture
def stack(pg_database, containers, rpc_proxy, monkeypatch, tmp_path):
    registry_url, documents_url = pg_database("anchreg"), pg_database("anchdoc")
    upgrade("registry", registry_url)
    upgrade("documents", documents_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REGISTRY_AUDIT_ANCHOR_SECONDS", str(PERIOD))
    monkeypatch.setenv("DOCUMENTS_AUDIT_ANCHOR_SECONDS", "3600")
    monkeypatch.setenv("DOCUMENTS_DATA_PORT", str(free_port()))
    monkeypatch.setenv("DOCUMENTS_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("DOCUMENTS_STORE", "filesystem")
    audit_anchor.anchor_settings.cache_clear()
    documents_settings.cache_clear()
    containers(DocumentsService, documents_url,
               subscriptions=[s for s in topology.SUBSCRIPTIONS if s.consumer == "documents"])
    containers(RegistryService, registry_url,
               subscriptions=[s for s in topology.SUBSCRIPTIONS if s.consumer == "registry"])
    proxy = rpc_proxy(**ADMIN)
    yield SimpleNamespace(registry_url=registry_url, documents_url=documents_url,
                          registry=proxy.registry, documents=proxy.documents,
                          rpc_proxy=rpc_proxy)
    audit_anchor.anchor_settings.cache_clear()
    documents_settings.cache_clear()


def write(url: str, n: int) -> None:
    """Entries as the registry's commands append them (same chain, same lock)."""
    ctx = SimpleNamespace(actor_id="officer-1", actor_role="registrar", request_id="r-1")
    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            for i in range(n):
                audit.append(session, AUDIT, ctx, action="society_approved",
                             entity_type="society", entity_id=f"s-{uuid.uuid4().hex[:8]}",
                             changes={"i": i})
    finally:
        engine.dispose()


def scalar(url: str, sql: str, **params):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def tamper(url: str, sql: str, **params) -> None:
    """As the database's owner: switch the append-only trigger off, then edit."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            connection.execute(text(sql), params)
    finally:
        engine.dispose()


def kept(stack) -> dict | None:
    return stack.documents.audit_anchor(payload={"service": "registry"})["anchor"]


def kept_with(stack, entries: int) -> dict:
    assert wait_for(lambda: (kept(stack) or {}).get("entries") == entries, timeout=20), \
        kept(stack)
    return kept(stack)


def verify(stack) -> dict:
    return stack.registry.verify_audit_anchored(payload={"anchor": kept(stack)})


def anchors_sent(url: str) -> int:
    return scalar(url, "SELECT count(*) FROM outbox_message "
                       "WHERE event_type = 'audit_head_anchored'")


def test_the_head_is_anchored_when_it_moves_and_kept_once(stack):
    write(stack.registry_url, 3)
    first = kept_with(stack, 3)
    assert first["last_id"] == scalar(stack.registry_url, "SELECT max(id) FROM audit_entry")
    wait_for(lambda: False, timeout=PERIOD * 5)  # several ticks with nothing new
    assert anchors_sent(stack.registry_url) == 1
    assert scalar(stack.documents_url, "SELECT count(*) FROM audit_anchor") == 1
    write(stack.registry_url, 2)
    assert kept_with(stack, 5)["last_id"] > first["last_id"]
    assert anchors_sent(stack.registry_url) == 2
    report = verify(stack)
    assert (report["status"], report["ok"], report["entries_checked"]) == ("ok", True, 5)
    # Only an administrator (or the platform) checks a chain or reads its anchors.
    registrar = stack.rpc_proxy(actor_id="r-9", actor_role="registrar")
    with pytest.raises(Forbidden):
        registrar.registry.verify_audit_anchored(payload={})
    with pytest.raises(Forbidden):
        registrar.documents.audit_anchor(payload={"service": "registry"})


def _publish(body: dict, event_id: str, source: str = "registry") -> None:
    exchange = Exchange(f"{source}.events", type="topic", durable=True)
    with Connection(AMQP_URI) as connection:
        Producer(connection.channel()).publish(
            json.dumps(body), exchange=exchange, routing_key="audit_head_anchored",
            content_type="application/json", headers={"nameko.event_id": event_id},
            declare=[exchange], delivery_mode=2)


def test_the_keeper_keeps_a_head_once_and_refuses_another_services(stack):
    write(stack.registry_url, 2)
    anchor = kept_with(stack, 2)
    event_id = uuid.uuid4().hex
    _publish(anchor, event_id)                 # a redelivery of one event
    _publish(anchor, event_id)
    _publish(anchor, uuid.uuid4().hex)         # the same head in another event
    _publish({**anchor, "service": "filings"}, uuid.uuid4().hex)  # not registry's chain
    assert wait_for(lambda: scalar(
        stack.documents_url, "SELECT count(*) FROM processed_message") >= 3, timeout=20)
    wait_for(lambda: False, timeout=1)
    assert scalar(stack.documents_url, "SELECT count(*) FROM audit_anchor") == 1
    assert scalar(stack.documents_url,
                  "SELECT count(*) FROM audit_anchor WHERE service = 'filings'") == 0


def test_verify_reports_a_deleted_tail_and_anchoring_stops(stack):
    write(stack.registry_url, 4)
    anchor = kept_with(stack, 4)
    assert verify(stack)["status"] == "ok"
    tamper(stack.registry_url, "DELETE FROM audit_entry WHERE id > :i",
           i=anchor["last_id"] - 2)
    assert stack.registry.verify_audit_chain(payload={})["ok"] is True  # alone: unnoticed
    report = verify(stack)
    assert (report["status"], report["ok"]) == ("truncated", False)
    assert report["expected_hash"] == anchor["last_hash"] and report["found_hash"] is None
    assert (report["anchored_entries"], report["found_entries"]) == (4, 2)
    assert f"entry #{anchor['last_id']}" in report["reason"]
    # New entries after the cut: the timer does not anchor the shortened chain, so
    # the kept anchor still tells.
    write(stack.registry_url, 3)
    wait_for(lambda: False, timeout=PERIOD * 5)
    assert kept(stack)["last_id"] == anchor["last_id"]
    assert verify(stack)["status"] == "truncated"


def test_verify_reports_a_rewritten_head(stack):
    write(stack.registry_url, 2)
    anchor = kept_with(stack, 2)
    tamper(stack.registry_url, "UPDATE audit_entry SET hash = repeat('f', 64) WHERE id = :i",
           i=anchor["last_id"])
    report = verify(stack)
    assert (report["status"], report["ok"]) == ("rewritten", False)
    assert (report["expected_hash"], report["found_hash"]) == (anchor["last_hash"], "f" * 64)
