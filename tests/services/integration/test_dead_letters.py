"""An operator sees a dead-lettered event, fixes the consumer and replays it: the event is
applied once, and nothing is left behind (python -m deploy.dead_letters)."""

from __future__ import annotations

from deploy import dead_letters
from services.common import topology
from tests.support import probe
from tests.support.broker import AMQP_URI, queue_depth
from tests.support.polling import wait_for


def test_show_then_replay_after_the_fix_applies_the_event_once(pg_database, containers,
                                                                rpc_proxy, monkeypatch, capsys):
    monkeypatch.setenv("AMQP_URI", AMQP_URI)
    source, sink, subs = probe.make_pair()
    src_url, sink_url = pg_database("src"), pg_database("sink")
    probe.create_schema(src_url)
    probe.create_schema(sink_url)
    containers(source, src_url, subs)
    containers(sink, sink_url, subs)
    note_id = getattr(rpc_proxy(), source.name).add_note(payload={"text": "fail until fixed"})["id"]
    queue = subs[0].queue_name
    dead = topology.dead_queue_name(queue)
    assert wait_for(lambda: queue_depth(dead) == 1)

    assert dead_letters.main(["show", dead]) == 0
    shown = capsys.readouterr().out
    assert "fail until fixed" in shown and "cannot apply note" in shown
    assert queue_depth(dead) == 1  # showing removes nothing

    probe.FIXED_SINKS.add(sink.name)
    try:
        assert dead_letters.main(["replay", dead]) == 0
        assert "1 message(s) moved" in capsys.readouterr().out
        assert wait_for(lambda: probe.count_rows(sink_url, probe.applied, note_id=note_id) == 1)
    finally:
        probe.FIXED_SINKS.discard(sink.name)
    assert queue_depth(dead) == 0
    assert queue_depth(queue) == 0
