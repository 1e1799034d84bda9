"""Acknowledgements of a service's consumer connection, sent together right after the
hub turn in which their work finished.

nameko acks each delivery on its own, from the worker, in its own socket write. Here a
worker only marks its delivery finished (:meth:`BatchedAcks.finished`); the first mark
of a turn starts a green thread that runs after the hub's current turn
(``eventlet.spawn_n``) and acknowledges everything finished by then:
- the longest run of finished deliveries at the head of the channel (every delivery
  before it already settled) with one ``basic.ack`` naming the highest of them,
  ``multiple=True``;
- a finished delivery behind one still running on its own ``basic.ack``, in the same
  flush, so nothing finished waits on a slow neighbour (it would hold a prefetch slot).

What this keeps:
- nothing is acknowledged before its work has finished: a multiple ack only names a
  run in which every delivery is finished, and only on a channel where every delivery
  since the channel opened passed through here (delivery tags are consecutive; a gap
  means one went elsewhere, and that channel falls back to single acks);
- the tag a multiple ack names is always one the broker still holds (RabbitMQ treats an
  unknown tag in a multiple ack as a channel error): the highest finished, not a
  requeued one;
- every finished delivery is acknowledged within one hub turn, and the consumer
  flushes before its connection closes; a process that dies first leaves the delivery
  unacknowledged, and the broker delivers it again (redelivered, never lost);
- a requeue is sent at once (it is rare) and counts as settled for the run;
- one flush at a time, so acks leave in the order they were decided.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import eventlet
from eventlet.semaphore import Semaphore

log = logging.getLogger(__name__)

_ACK = 1  # finished, its ack not sent yet
_SETTLED = 2  # the broker holds it no more: acked on its own, or requeued


@dataclass
class _ChannelDeliveries:
    outstanding: deque[int] = field(default_factory=deque)  # tags in delivery order
    done: dict[int, int] = field(default_factory=dict)  # tag -> _ACK | _SETTLED
    last_tag: int = 0
    every_delivery_seen: bool = True  # tags 1, 2, 3 ... all came through here


class BatchedAcks:
    """The deliveries of a consumer connection, and the acks owed for them."""

    def __init__(self, spawn: Callable[[Callable[[], None]], object] = eventlet.spawn_n):
        self._spawn = spawn
        self._channels: dict[object, _ChannelDeliveries] = {}
        self._scheduled = False
        self._one_flush = Semaphore(1)

    def delivered(self, message) -> None:
        """A delivery was handed to a worker (called in delivery order)."""
        state = self._channels.get(message.channel)
        if state is None:
            state = self._channels[message.channel] = _ChannelDeliveries()
        tag = message.delivery_tag
        if tag != state.last_tag + 1:
            state.every_delivery_seen = False
        state.last_tag = tag
        state.outstanding.append(tag)

    def finished(self, message) -> None:
        """The delivery's work is done: acknowledge it after this hub turn."""
        state = self._channels.get(message.channel)
        if state is None:  # not seen here (or its channel is gone): ack it alone
            _ack(message.channel, message.delivery_tag, multiple=False)
            return
        state.done[message.delivery_tag] = _ACK
        if not self._scheduled:
            self._scheduled = True
            self._spawn(self.flush)

    def requeue(self, message) -> None:
        """Give the delivery back to the broker now."""
        with self._one_flush:
            if message.channel.connection:
                try:
                    message.requeue()
                except ConnectionError:
                    pass  # the broker requeues it with the connection anyway
            state = self._channels.get(message.channel)
            if state is not None:
                state.done[message.delivery_tag] = _SETTLED

    def flush(self) -> None:
        """Acknowledge every finished delivery now."""
        with self._one_flush:
            self._scheduled = False
            for channel, state in list(self._channels.items()):
                if not channel.connection:
                    # Closed: the broker has put its unacked deliveries back already.
                    del self._channels[channel]
                    continue
                for tag, multiple in _acks_owed(state):
                    _ack(channel, tag, multiple=multiple)

    def pending(self) -> int:
        """Finished deliveries whose ack has not been sent (for tests and metrics)."""
        return sum(kind == _ACK for s in self._channels.values() for kind in s.done.values())


def _acks_owed(state: _ChannelDeliveries) -> list[tuple[int, bool]]:
    """The acks to send for ``state`` now, as (tag, multiple); ``state`` is updated as if
    they had been sent."""
    owed: list[tuple[int, bool]] = []
    run: list[int] = []  # the finished run at the head, to ack
    while state.outstanding and state.outstanding[0] in state.done:
        tag = state.outstanding.popleft()
        if state.done.pop(tag) == _ACK:
            run.append(tag)
    if run and state.every_delivery_seen:
        owed.append((run[-1], len(run) > 1))
    else:
        owed.extend((tag, False) for tag in run)
    for tag, kind in state.done.items():  # finished behind one still running
        if kind == _ACK:
            owed.append((tag, False))
            state.done[tag] = _SETTLED
    return owed


def _ack(channel, tag: int, *, multiple: bool) -> None:
    if not channel.connection:
        return  # gone: the broker redelivers
    try:
        channel.basic_ack(tag, multiple=multiple)
    except ConnectionError:
        pass  # the connection closed meanwhile: the broker redelivers
    except Exception as exc:
        log.warning("ack failed; the broker will redeliver", extra={"error": repr(exc)})
