"""RPC replies of one service process: one long-lived connection, and every reply that
finished in one turn of the eventlet hub published in one socket write.

Before, each reply took a connection from kombu's producer pool, went through kombu's
``Producer.publish`` (retry wrapper, message preparation) and left in its own
``sendall``: on these machines the system call is most of the cost. Here a worker hands
its reply over (:meth:`ReplyPublisher.publish`, no I/O) and the first reply of a turn
starts a green thread that runs after the hub's current turn (``eventlet.spawn_n``); it
publishes every reply gathered by then on the process's own reply channel, the frames
gathered into one write. Replies stay non-persistent and unconfirmed (ADR 0004).

Failure stays as ADR 0004 has it: a write that fails gets one quick reconnect and the
batch is published again; if that fails too the replies are logged as lost and their
callers time out (504). Nothing here can raise into a worker, so the container lives on.
The request is acknowledged by the worker as before (its work has committed); a process
that dies between that and the flush leaves the caller its 504 and the request run once.

Leans on py-amqp internals (amqp 5.4.2, as kombu 5.7.0 pins it): while a batch is
published, the transport's ``_write`` (``sock.sendall`` for TCP) is swapped for a list's
append, so the frames py-amqp's frame writer produces can be written together. Only the
flush thread writes to this connection (no heartbeats: ``heartbeat=0``), one at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import eventlet
from amqp import Message
from eventlet.semaphore import Semaphore
from kombu import Connection

log = logging.getLogger(__name__)

# One quick reconnect for a connection the broker dropped; then give up (ADR 0004).
RECONNECT = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


@dataclass(slots=True, frozen=True)
class Reply:
    body: bytes
    routing_key: str  # the caller's reply_to
    correlation_id: str | None


class ReplyPublisher:
    """Gathers replies during a hub turn and publishes them together right after it."""

    def __init__(self, connection: Connection, exchange: str,
                 spawn: Callable[[Callable[[], None]], object] = eventlet.spawn_n):
        self._description = connection  # a kombu Connection, not connected
        self._exchange = exchange
        self._spawn = spawn
        self._pending: list[Reply] = []
        self._scheduled = False
        self._one_flush = Semaphore(1)
        self._connection: Connection | None = None
        self._channel = None

    def publish(self, reply: Reply) -> None:
        """Queue ``reply`` for the flush after this hub turn; never blocks, never raises."""
        self._pending.append(reply)
        if not self._scheduled:
            self._scheduled = True
            self._spawn(self.flush)

    def flush(self) -> None:
        """Publish every reply gathered so far."""
        with self._one_flush:
            self._scheduled = False
            batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                self._send(batch)
            except Exception as first:
                log.info("RPC reply connection failed; reconnecting once",
                         extra={"error": repr(first)})
                self._forget_connection()
                try:
                    self._send(batch)
                except Exception as exc:
                    self._forget_connection()
                    log.warning("RPC replies could not be published; their callers will "
                                "time out", extra={"replies": len(batch), "error": repr(exc)})

    def close(self) -> None:
        """Publish what is left, then close the connection (the container is stopping)."""
        self.flush()
        self._forget_connection()

    # -- the connection ---------------------------------------------------------------

    def _send(self, batch: list[Reply]) -> None:
        channel = self._open_channel()
        transport = channel.connection.transport
        with _gathered_writes(transport) as frames:
            for reply in batch:
                message = Message(reply.body, content_type="application/json",
                                  content_encoding="utf-8", delivery_mode=1,
                                  correlation_id=reply.correlation_id)
                channel.basic_publish(message, exchange=self._exchange,
                                      routing_key=reply.routing_key)
        transport.write(b"".join(frames))

    def _open_channel(self):
        if self._channel is not None and self._channel.connection is not None:
            return self._channel
        self._forget_connection()
        connection = self._description.clone()
        connection.ensure_connection(**RECONNECT)
        self._connection = connection
        self._channel = connection.default_channel
        return self._channel

    def _forget_connection(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None:
            try:
                connection.release()
            except Exception as exc:  # a dead socket: nothing more to do
                log.debug("closing the RPC reply connection failed: %r", exc)


@contextmanager
def _gathered_writes(transport) -> Iterator[list[bytes]]:
    """While open, what py-amqp writes to ``transport`` is collected instead of sent.

    The frame writer hands over a view of its own reusable buffer, so each piece is
    copied. py-amqp's TCP transport keeps ``_write`` as an instance attribute
    (``sock.sendall``); its TLS transport as a method: both are put back as they were.
    """
    frames: list[bytes] = []
    own = "_write" in vars(transport)
    original = vars(transport).get("_write")
    transport._write = lambda data: frames.append(bytes(data))
    try:
        yield frames
    finally:
        if own:
            transport._write = original
        else:
            del transport._write
