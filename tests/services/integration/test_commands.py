"""RPC commands on the chassis: idempotent retries, typed errors across the bus,
requests whose caller gave up are not run, the audit chain catches tampering."""

from __future__ import annotations

import time
import uuid

import eventlet
import pytest
from nameko.exceptions import RemoteError
from sqlalchemy import text
from sqlalchemy.orm import Session

from services.common import audit
from services.common.engine import make_engine
from services.common.errors import Conflict, InvalidInput, NotFound, OutsideWindow
from tests.support import probe


@pytest.fixture
def source(pg_database, containers):
    source_cls, _sink, subs = probe.make_pair()
    url = pg_database("src")
    probe.create_schema(url)
    containers(source_cls, url, subs)
    return source_cls.name, url


def test_same_idempotency_key_applies_once_and_answers_the_same(source, rpc_proxy):
    name, url = source
    key = uuid.uuid4().hex
    proxy = getattr(rpc_proxy(idempotency_key=key, actor_id="u1"), name)
    first = proxy.add_note(payload={"text": "pay once"})
    second = proxy.add_note(payload={"text": "pay once"})
    assert second == first
    assert probe.count_rows(url, probe.note) == 1
    assert probe.count_rows(url, probe.platform.outbox) == 1
    # Another actor's identical key is a different request.
    other = getattr(rpc_proxy(idempotency_key=key, actor_id="u2"), name)
    assert other.add_note(payload={"text": "pay once"})["id"] != first["id"]


def test_idempotency_key_reused_with_another_body_is_a_conflict(source, rpc_proxy):
    name, url = source
    proxy = getattr(rpc_proxy(idempotency_key=uuid.uuid4().hex), name)
    proxy.add_note(payload={"text": "first"})
    with pytest.raises(Conflict) as err:
        proxy.add_note(payload={"text": "second"})
    assert "different request" in err.value.message
    assert probe.count_rows(url, probe.note) == 1


def test_concurrent_retries_with_one_key_apply_once(source, rpc_proxy):
    name, url = source
    key = uuid.uuid4().hex
    proxies = [getattr(rpc_proxy(idempotency_key=key), name) for _ in range(6)]
    pool = eventlet.GreenPool(6)
    answers = list(pool.imap(lambda p: p.add_note(payload={"text": "race"}), proxies))
    assert len({a["id"] for a in answers}) == 1
    assert probe.count_rows(url, probe.note) == 1


def test_typed_errors_cross_the_bus_intact(source, rpc_proxy):
    name, _url = source
    proxy = getattr(rpc_proxy(), name)
    with pytest.raises(InvalidInput) as invalid:
        proxy.add_note(payload={"text": ""})
    assert invalid.value.fields == {"text": "must be 1 to 200 characters"}
    with pytest.raises(NotFound) as missing:
        proxy.get_note(payload={"id": 424242})
    assert missing.value.details == {"id": 424242}
    window = {"opens_at": "2026-04-01T00:00:00+05:30", "closes_at": "2026-04-15T17:00:00+05:30"}
    with pytest.raises(OutsideWindow) as outside:
        proxy.fail(payload={"kind": "OutsideWindow", "message": "closed", "details": window})
    assert outside.value.details == window
    with pytest.raises(RemoteError):  # a bug is not a typed error
        proxy.fail(payload={})


def test_request_past_its_deadline_is_not_run(source, rpc_proxy):
    name, url = source
    tag = uuid.uuid4().hex
    proxy = getattr(rpc_proxy(timeout=1, deadline_ms=int((time.time() - 1) * 1000)), name)
    with pytest.raises(Exception):  # noqa: B017 - the proxy just times out
        proxy.slow(payload={"seconds": 0, "tag": tag})
    time.sleep(0.5)
    assert probe.count_rows(url, probe.side_effect, tag=tag) == 0
    # The same request within its deadline runs.
    fresh = getattr(rpc_proxy(deadline_ms=int((time.time() + 10) * 1000)), name)
    assert fresh.slow(payload={"seconds": 0, "tag": tag}) == {"tag": tag}
    assert probe.count_rows(url, probe.side_effect, tag=tag) == 1


def test_audit_chain_records_commands_and_detects_a_modified_row(source, rpc_proxy):
    name, url = source
    proxy = getattr(rpc_proxy(request_id="req-audit-1", actor_id="officer-7",
                              actor_role="registrar"), name)
    for text_ in ("one", "two", "three"):
        proxy.add_note(payload={"text": text_})
    report = proxy.verify_audit_chain()
    assert report == {"service": name, "ok": True, "entries_checked": 3,
                      "first_bad_entry_id": None, "reason": ""}

    engine = make_engine(url)
    try:
        with Session(engine) as session, session.begin():
            row = session.execute(text("SELECT id, actor_id, request_id FROM audit_entry "
                                       "ORDER BY id LIMIT 1 OFFSET 1")).one()
            assert (row.actor_id, row.request_id) == ("officer-7", "req-audit-1")
        # The table refuses changes ...
        with pytest.raises(Exception, match="append-only"), Session(engine) as session, \
                session.begin():
            session.execute(text("UPDATE audit_entry SET actor_id = 'someone' WHERE id = :i"),
                            {"i": row.id})
        # ... so tamper as a superuser who switches triggers off.
        with Session(engine) as session, session.begin():
            session.execute(text("SET LOCAL session_replication_role = replica"))
            session.execute(text("UPDATE audit_entry SET changes = '{\"text\": \"forged\"}' "
                                 "WHERE id = :i"), {"i": row.id})
        with Session(engine) as session:
            result = audit.verify(session, probe.platform.audit)
    finally:
        engine.dispose()
    assert (result.ok, result.first_bad_entry_id) == (False, row.id)
    assert proxy.verify_audit_chain()["first_bad_entry_id"] == row.id
