"""Outbox and consumers against the real broker and PostgreSQL: no event lost, none
applied twice, failed ones retried then dead-lettered, start order irrelevant."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from services.common import outbox, topology
from services.common.consumer import ATTEMPT_HEADER
from services.common.engine import make_engine
from tests.support import probe
from tests.support.broker import get_message, queue_depth
from tests.support.polling import wait_for

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture
def pair(pg_database):
    """A fresh source/sink pair, each with its own database and schema."""
    source, sink, subs = probe.make_pair()
    src_url, sink_url = pg_database("src"), pg_database("sink")
    probe.create_schema(src_url)
    probe.create_schema(sink_url)
    return source, sink, subs, src_url, sink_url



def _commit_note_without_publishing(url, text):
    """The state a crash leaves between commit and publish: the note and its outbox
    row committed, nothing sent (no relay ran)."""
    engine = make_engine(url)
    try:
        with Session(engine) as session, session.begin():
            note_id = session.execute(insert(probe.note).values(text=text)).inserted_primary_key[0]
            outbox.record(session, probe.platform, probe.NoteAdded(note_id=note_id, text=text),
                          {"nameko.request_id": "crash-test"})
        return note_id
    finally:
        engine.dispose()


def test_event_committed_before_a_crash_is_delivered_once_on_restart(pair, containers):
    source, sink, subs, src_url, sink_url = pair
    # The sink runs; the source "crashed" right after committing.
    containers(sink, sink_url, subs)
    note_id = _commit_note_without_publishing(src_url, "survives a crash")
    time.sleep(1)
    assert probe.count_rows(sink_url, probe.applied) == 0

    containers(source, src_url, subs)  # the restart: its relay finds the pending row
    assert wait_for(lambda: probe.count_rows(sink_url, probe.applied, note_id=note_id) == 1)
    assert wait_for(lambda: probe.count_rows(src_url, probe.platform.outbox) == 1)
    time.sleep(1)
    assert probe.count_rows(sink_url, probe.applied, note_id=note_id) == 1


def test_event_sent_twice_is_applied_once(pair, containers, rpc_proxy):
    source, sink, subs, src_url, sink_url = pair
    containers(source, src_url, subs)
    containers(sink, sink_url, subs)
    proxy = rpc_proxy()
    note_id = getattr(proxy, source.name).add_note(payload={"text": "once"})["id"]
    assert wait_for(lambda: probe.count_rows(sink_url, probe.applied) == 1)

    # A crash after publish but before marking the row sent: the relay sends it again.
    engine = make_engine(src_url)
    with Session(engine) as session, session.begin():
        session.execute(update(probe.platform.outbox).values(sent_at=None))
    engine.dispose()
    assert wait_for(lambda: probe.count_rows(src_url, probe.platform.outbox, sent_at=None) == 0)
    time.sleep(1.5)
    assert probe.count_rows(sink_url, probe.applied, note_id=note_id) == 1
    assert probe.count_rows(sink_url, probe.platform.processed) == 1


def test_event_published_before_its_consumer_ever_started_is_handled(pair, containers,
                                                                   rpc_proxy):
    source, sink, subs, src_url, sink_url = pair
    containers(source, src_url, subs)
    proxy = rpc_proxy()
    getattr(proxy, source.name).add_note(payload={"text": "early"})
    queue = subs[0].queue_name
    assert wait_for(lambda: queue_depth(queue) == 1)  # the relay declared it up front

    containers(sink, sink_url, subs)
    assert wait_for(lambda: probe.count_rows(sink_url, probe.applied) == 1)


def test_failing_handler_is_retried_then_dead_lettered(pair, containers, rpc_proxy):
    source, sink, subs, src_url, sink_url = pair
    containers(source, src_url, subs)
    containers(sink, sink_url, subs)
    getattr(rpc_proxy(), source.name).add_note(payload={"text": "fail always"})

    dead = topology.dead_queue_name(subs[0].queue_name)
    assert wait_for(lambda: queue_depth(dead) == 1, timeout=15)
    body, headers = get_message(dead)
    assert json.loads(body)["text"] == "fail always"
    assert probe.NoteAdded.conforms(json.loads(body))  # the outbox sends the contract
    # Two retries (EVENT_RETRY_DELAYS=0.2,0.4 in tests) and the first try: three attempts.
    assert headers[ATTEMPT_HEADER] == 3
    assert "cannot apply note" in headers["x-platform-error"]
    assert probe.count_rows(sink_url, probe.applied) == 0


def test_relay_prunes_what_is_older_than_the_retention(pg_database, containers, rpc_proxy):
    source, _sink, subs = probe.make_pair()
    url = pg_database("src")
    probe.create_schema(url)
    container = containers(source, url, subs)
    proxy = getattr(rpc_proxy(idempotency_key="k-old"), source.name)
    proxy.add_note(payload={"text": "old"})
    assert wait_for(lambda: probe.count_rows(url, probe.platform.outbox, sent_at=None) == 0)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        t = probe.platform
        session.execute(update(t.outbox).values(sent_at=LONG_AGO))
        session.execute(update(t.idempotency).values(created_at=LONG_AGO))
    engine.dispose()
    relay = next(ext for ext in container.extensions if hasattr(ext, "relay")).relay
    relay._last_prune = float("-inf")
    relay.prune_if_due()
    assert probe.count_rows(url, probe.platform.outbox) == 0
    assert probe.count_rows(url, probe.platform.idempotency) == 0
    assert probe.count_rows(url, probe.note) == 1  # domain data is never pruned


def test_the_relay_outlives_a_database_error_between_publishes(pg_database, containers,
                                                              rpc_proxy):
    """The database failing after a publish (here: reading the backlog) is logged and the
    relay goes on; before, its thread died and took the whole service down with it."""
    source, _sink, subs = probe.make_pair()
    url = pg_database("src")
    probe.create_schema(url)
    container = containers(source, url, subs)
    relay = next(ext for ext in container.extensions if hasattr(ext, "relay")).relay
    failures = []
    real_report = relay.report_backlog

    def failing_once():
        if not failures:
            failures.append(1)
            raise RuntimeError("server closed the connection unexpectedly")
        real_report()

    relay.report_backlog = failing_once
    proxy = getattr(rpc_proxy(), source.name)
    proxy.add_note(payload={"text": "first"})
    assert wait_for(lambda: failures, timeout=10)
    proxy.add_note(payload={"text": "after the failure"})
    assert wait_for(lambda: probe.count_rows(url, probe.platform.outbox, sent_at=None) == 0
                    and probe.count_rows(url, probe.platform.outbox) == 2, timeout=10)
    assert not container._died.ready()  # the service is still up
