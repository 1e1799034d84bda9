"""RPC replies of a service process (services/common/rpc_replies.py): the replies of one
hub turn leave in one write, in order; a failed write gets one reconnect; a reply that
still cannot be published is logged and never raised; stopping publishes what is left."""

from __future__ import annotations

import logging
import uuid

import eventlet
import pytest
from kombu import Connection, Exchange, Queue

from services.common.rpc_replies import Reply, ReplyPublisher
from tests.support.broker import AMQP_URI, delete_queues


class FakeTransport:
    def __init__(self, fail_writes: int = 0) -> None:
        self.writes: list[bytes] = []
        self.fail_writes = fail_writes
        self._write = self._send  # py-amqp's TCP transport: sock.sendall, per instance

    def _send(self, data) -> None:
        if self.fail_writes:
            self.fail_writes -= 1
            raise ConnectionResetError("broker went away")
        self.writes.append(bytes(data))

    def write(self, data) -> None:
        self._write(data)


class FakeChannel:
    def __init__(self, transport: FakeTransport) -> None:
        self.connection = self
        self.transport = transport
        self.published: list[tuple[bytes, str, str]] = []

    def basic_publish(self, message, exchange, routing_key) -> None:
        # As py-amqp does: the frames go to the transport's _write.
        self.published.append((message.body, exchange, routing_key))
        self.transport._write(memoryview(b"<frame %s>" % message.body))


class FakeConnections:
    """Stands in for kombu's Connection description: each clone is one connection."""

    def __init__(self, *transports: FakeTransport, refuse: bool = False) -> None:
        self.transports = list(transports)
        self.opened: list[FakeChannel] = []
        self.released = 0
        self.refuse = refuse

    def clone(self):
        return self

    def ensure_connection(self, **_policy):
        if self.refuse or not self.transports:
            raise ConnectionRefusedError("no broker")

    @property
    def default_channel(self) -> FakeChannel:
        channel = FakeChannel(self.transports.pop(0))
        self.opened.append(channel)
        return channel

    def release(self) -> None:
        self.released += 1


def later():
    """A spawn that keeps what it was given, to run when the test says."""
    scheduled: list = []
    return scheduled, scheduled.append


def test_replies_of_one_turn_are_one_write_in_order():
    transport = FakeTransport()
    connections = FakeConnections(transport)
    scheduled, spawn = later()
    replies = ReplyPublisher(connections, "nameko-rpc", spawn=spawn)

    replies.publish(Reply(b"1", "reply-a", "c1"))
    replies.publish(Reply(b"2", "reply-b", "c2"))
    replies.publish(Reply(b"3", "reply-a", "c3"))
    assert len(scheduled) == 1  # one flush for the turn
    assert transport.writes == []  # nothing written by the workers themselves

    scheduled.pop()()
    assert transport.writes == [b"<frame 1><frame 2><frame 3>"]
    channel = connections.opened[0]
    assert [(b, k) for b, _, k in channel.published] == [
        (b"1", "reply-a"), (b"2", "reply-b"), (b"3", "reply-a")]
    assert transport._write == transport._send  # the socket's own write is back

    replies.publish(Reply(b"4", "reply-c", "c4"))
    scheduled.pop()()
    assert transport.writes[-1] == b"<frame 4>"
    assert len(connections.opened) == 1  # the same connection, turn after turn


def test_a_failed_write_reconnects_once_and_publishes_the_batch_again():
    dead, fresh = FakeTransport(fail_writes=1), FakeTransport()
    connections = FakeConnections(dead, fresh)
    scheduled, spawn = later()
    replies = ReplyPublisher(connections, "nameko-rpc", spawn=spawn)
    replies.publish(Reply(b"1", "reply-a", "c1"))
    replies.publish(Reply(b"2", "reply-a", "c2"))
    scheduled.pop()()
    assert fresh.writes == [b"<frame 1><frame 2>"]
    assert connections.released == 1  # the dead one


def test_a_reply_that_cannot_be_published_is_logged_never_raised(caplog):
    connections = FakeConnections(refuse=True)
    scheduled, spawn = later()
    replies = ReplyPublisher(connections, "nameko-rpc", spawn=spawn)
    replies.publish(Reply(b"1", "reply-a", "c1"))
    with caplog.at_level(logging.WARNING, logger="services.common.rpc_replies"):
        scheduled.pop()()  # does not raise
    assert "could not be published" in caplog.text

    # The broker is back: the next reply goes out on a new connection.
    connections.refuse = False
    connections.transports.append(FakeTransport())
    replies.publish(Reply(b"2", "reply-a", "c2"))
    scheduled.pop()()
    assert connections.opened[-1].transport.writes == [b"<frame 2>"]


def test_close_publishes_what_is_left():
    transport = FakeTransport()
    _scheduled, spawn = later()
    replies = ReplyPublisher(FakeConnections(transport), "nameko-rpc", spawn=spawn)
    replies.publish(Reply(b"last", "reply-a", "c1"))
    replies.close()
    assert transport.writes == [b"<frame last>"]


def bound_queue(name: str) -> Queue:
    return Queue(name, exchange=Exchange("nameko-rpc", type="topic", durable=True),
                 routing_key=name, auto_delete=False)


@pytest.fixture
def reply_queue():
    name = f"test-rpc-replies-{uuid.uuid4().hex[:8]}"
    with Connection(AMQP_URI) as connection:
        bound_queue(name)(connection.default_channel).declare()
    yield name
    delete_queues([name], AMQP_URI)


def test_the_batch_reaches_the_broker_as_separate_replies(reply_queue):
    """Against RabbitMQ: frames written together are still one message per reply, with
    the properties a nameko caller matches on."""
    replies = ReplyPublisher(Connection(AMQP_URI, transport_options={"confirm_publish": False},
                                        heartbeat=0), "nameko-rpc")
    for n in range(5):
        replies.publish(Reply(b'{"result": %d, "error": null}' % n, reply_queue, f"c{n}"))
    eventlet.sleep(0)  # the hub turn ends; the flush runs
    replies.close()

    received = []
    with Connection(AMQP_URI) as connection:
        queue = bound_queue(reply_queue)(connection.default_channel)
        for _ in range(40):
            message = queue.get(no_ack=True)
            if message is not None:
                received.append(message)
            elif len(received) == 5:
                break
            else:
                eventlet.sleep(0.05)
    assert [m.decode() for m in received] == [{"result": n, "error": None} for n in range(5)]
    assert [m.properties["correlation_id"] for m in received] == [f"c{n}" for n in range(5)]
    assert {m.content_type for m in received} == {"application/json"}
    assert {m.properties["delivery_mode"] for m in received} == {1}
