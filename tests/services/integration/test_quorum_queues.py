"""AMQP_QUEUE_TYPE=quorum: the same guarantees on replicated queues (what a RabbitMQ
cluster runs in production): RPC, events, retries with per-message TTL, dead letters."""

from __future__ import annotations

import json

import pytest
from amqp.exceptions import PreconditionFailed
from kombu import Connection

from services.common import topology
from services.common.consumer import ATTEMPT_HEADER
from services.common.settings import service_settings
from tests.support import probe
from tests.support.broker import AMQP_URI, get_message, queue_depth
from tests.support.polling import wait_for


@pytest.fixture
def quorum(monkeypatch):
    monkeypatch.setenv("AMQP_QUEUE_TYPE", "quorum")
    service_settings.cache_clear()
    yield
    service_settings.cache_clear()



def declared_as_classic(name: str) -> bool:
    """Whether ``name`` accepts a classic declaration (a quorum queue refuses it)."""
    with Connection(AMQP_URI) as connection:
        try:
            connection.channel().queue_declare(name, durable=True, auto_delete=False)
        except PreconditionFailed:
            return False
        return True


def test_rpc_events_retries_and_dead_letters_on_quorum_queues(quorum, pg_database, containers,
                                                              rpc_proxy):
    source, sink, subs = probe.make_pair()
    src_url, sink_url = pg_database("src"), pg_database("sink")
    probe.create_schema(src_url)
    probe.create_schema(sink_url)
    containers(source, src_url, subs)
    containers(sink, sink_url, subs)
    queue = subs[0].queue_name
    for name in (f"rpc-{source.name}", queue, topology.retry_queue_name(queue, 1),
                 topology.dead_queue_name(queue)):
        assert not declared_as_classic(name), name

    proxy = getattr(rpc_proxy(), source.name)
    note_id = proxy.add_note(payload={"text": "replicated"})["id"]
    assert wait_for(lambda: probe.count_rows(sink_url, probe.applied, note_id=note_id) == 1)

    proxy.add_note(payload={"text": "fail on every node"})
    dead = topology.dead_queue_name(queue)
    assert wait_for(lambda: queue_depth(dead) == 1)
    body, headers = get_message(dead)
    assert json.loads(body)["text"] == "fail on every node"
    assert headers[ATTEMPT_HEADER] == 3
