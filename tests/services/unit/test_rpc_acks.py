"""Acks sent together after the hub turn (services/common/acks.py): never for a delivery
whose work has not finished, every finished one within the next flush, the tag a
multiple ack names always one the broker holds, and a process that dies before the
flush gets its deliveries back from the broker."""

from __future__ import annotations

import uuid

import pytest
from kombu import Connection, Consumer, Exchange, Producer, Queue

from services.common.acks import BatchedAcks
from tests.support.broker import AMQP_URI, delete_queues


class FakeChannel:
    def __init__(self) -> None:
        self.connection = object()
        self.acks: list[tuple[int, bool]] = []
        self.requeued: list[int] = []

    def basic_ack(self, tag: int, multiple: bool = False) -> None:
        self.acks.append((tag, multiple))

    def acked_tags(self, delivered: int) -> set[int]:
        """What the broker would consider acknowledged after these acks."""
        out: set[int] = set()
        for tag, multiple in self.acks:
            out |= set(range(1, tag + 1)) - set(self.requeued) if multiple else {tag}
        return out & set(range(1, delivered + 1))


class FakeMessage:
    def __init__(self, channel: FakeChannel, tag: int) -> None:
        self.channel = channel
        self.delivery_tag = tag

    def requeue(self) -> None:
        self.channel.requeued.append(self.delivery_tag)


def deliver(acks: BatchedAcks, channel: FakeChannel, tags) -> dict[int, FakeMessage]:
    messages = {tag: FakeMessage(channel, tag) for tag in tags}
    for message in messages.values():
        acks.delivered(message)
    return messages


def later():
    scheduled: list = []
    return scheduled, scheduled.append


def test_nothing_is_acked_before_the_flush_then_the_finished_head_in_one_ack():
    channel = FakeChannel()
    scheduled, spawn = later()
    acks = BatchedAcks(spawn=spawn)
    messages = deliver(acks, channel, range(1, 6))
    for tag in (1, 2, 3):
        acks.finished(messages[tag])
    assert channel.acks == []
    assert len(scheduled) == 1  # one flush for the turn
    assert acks.pending() == 3

    scheduled.pop()()
    assert channel.acks == [(3, True)]
    assert channel.acked_tags(5) == {1, 2, 3}
    assert acks.pending() == 0


def test_a_delivery_still_running_is_never_acked_and_those_behind_it_do_not_wait():
    channel = FakeChannel()
    scheduled, spawn = later()
    acks = BatchedAcks(spawn=spawn)
    messages = deliver(acks, channel, range(1, 6))
    for tag in (1, 2, 4):  # 3 and 5 still running
        acks.finished(messages[tag])
    scheduled.pop()()
    assert channel.acked_tags(5) == {1, 2, 4}
    assert acks.pending() == 0  # 4 did not wait for 3

    acks.finished(messages[5])
    scheduled.pop()()
    assert channel.acked_tags(5) == {1, 2, 4, 5}
    acks.finished(messages[3])
    scheduled.pop()()
    assert channel.acked_tags(5) == {1, 2, 3, 4, 5}
    # No tag named twice (RabbitMQ closes the channel on an unknown tag).
    named = [tag for tag, _ in channel.acks]
    assert len(named) == len(set(named))


def test_a_requeued_delivery_is_never_the_tag_a_multiple_ack_names():
    channel = FakeChannel()
    scheduled, spawn = later()
    acks = BatchedAcks(spawn=spawn)
    messages = deliver(acks, channel, range(1, 4))
    acks.requeue(messages[3])
    assert channel.requeued == [3]  # at once
    acks.finished(messages[1])
    acks.finished(messages[2])
    scheduled.pop()()
    assert channel.acks == [(2, True)]
    assert 3 not in channel.acked_tags(3)


def test_a_channel_with_a_delivery_that_went_elsewhere_gets_single_acks():
    channel = FakeChannel()
    scheduled, spawn = later()
    acks = BatchedAcks(spawn=spawn)
    messages = deliver(acks, channel, [1, 2, 4, 5])  # 3 never came through here
    for message in messages.values():
        acks.finished(message)
    scheduled.pop()()
    assert sorted(channel.acks) == [(1, False), (2, False), (4, False), (5, False)]
    assert 3 not in channel.acked_tags(5)


def test_a_closed_channel_is_forgotten_and_its_deliveries_left_to_the_broker():
    channel = FakeChannel()
    scheduled, spawn = later()
    acks = BatchedAcks(spawn=spawn)
    messages = deliver(acks, channel, range(1, 3))
    acks.finished(messages[1])
    channel.connection = None  # lost before the flush
    scheduled.pop()()
    assert channel.acks == []
    assert acks.pending() == 0

    fresh = FakeChannel()  # after the reconnect, tags start again at 1
    new = deliver(acks, fresh, [1])
    acks.finished(new[1])
    scheduled.pop()()
    assert fresh.acks == [(1, False)]


# --- against RabbitMQ --------------------------------------------------------------------


@pytest.fixture
def work_queue():
    name = f"test-batched-acks-{uuid.uuid4().hex[:8]}"
    queue = Queue(name, exchange=Exchange(""), routing_key=name, auto_delete=False)
    with Connection(AMQP_URI) as connection:
        queue(connection.default_channel).declare()
        producer = Producer(connection.default_channel)
        for n in range(1, 6):
            producer.publish({"n": n}, routing_key=name, serializer="json")
    yield queue
    delete_queues([name], AMQP_URI)


def consume_all(connection: Connection, queue: Queue, acks: BatchedAcks | None,
                count: int) -> list:
    received: list = []

    def on_message(body, message):
        if acks is not None:
            acks.delivered(message)
        received.append(message)

    with Consumer(connection.default_channel, [queue], callbacks=[on_message],
                  accept=["json"], prefetch_count=10):
        while len(received) < count:
            connection.drain_events(timeout=5)
    return received


def test_on_rabbitmq_only_finished_work_is_acked_and_the_rest_redelivered(work_queue):
    scheduled, spawn = later()
    acks = BatchedAcks(spawn=spawn)
    with Connection(AMQP_URI) as connection:
        messages = consume_all(connection, work_queue, acks, 5)
        by_n = {m.payload["n"]: m for m in messages}
        for n in (1, 2, 4):
            acks.finished(by_n[n])
        scheduled.pop()()  # the flush after the turn: one multiple ack, one single
        assert acks.pending() == 0
        acks.finished(by_n[5])  # finished, but the process "dies" before the flush
    # The connection closed without that flush: 3 (never finished) and 5 come back.
    with Connection(AMQP_URI) as connection:
        count = work_queue(connection.default_channel).queue_declare(
            passive=True).message_count
        back = sorted(m.payload["n"] for m in consume_all(connection, work_queue, None, count))
    assert back == [3, 5]
