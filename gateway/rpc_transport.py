"""The gateway's socket to RabbitMQ: every frame written in one event-loop turn leaves in
one write.

aiormq writes each queued frame group (one RPC request: method, header and body frames)
with its own ``StreamWriter.write``, and on an idle socket each write is a system call at
once. Requests from many HTTP connections are published in the same loop turn (uvloop
reads every ready socket, then runs their handlers), so the writer here gathers what is
written during a turn and hands it to the transport as one buffer at the end of the turn
(``loop.call_soon``): one ``send`` for the gateway, one read for the broker.

It plugs in through aiormq's ``transport_factory`` argument (``aiormq.Connection``,
aiormq 7.2.4), a supported extension point. Order is kept (one buffer, one writer), and
``drain``, ``write_eof`` and ``close`` hand over what is gathered first, so a publish
that waits for its drain, or a ``Connection.Close``, still reaches the transport before
it is waited for or closed. Nothing is held past the turn, so a request is never later
than one loop iteration; a connection lost meanwhile fails its calls as before.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiormq.connection import TCPTransportFactory, TLSTransportFactory, TransportFactory
from yarl import URL

log = logging.getLogger(__name__)


class TurnCoalescingWriter:
    """A ``StreamWriter`` stand-in: ``write`` gathers, the end of the loop turn writes."""

    __slots__ = ("_loop", "_parts", "_scheduled", "_writer")

    def __init__(self, writer: asyncio.StreamWriter, loop: asyncio.AbstractEventLoop):
        self._writer = writer
        self._loop = loop
        self._parts: list[bytes] = []
        self._scheduled = False

    def write(self, data: bytes) -> None:
        self._parts.append(data)
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self.flush)

    def writelines(self, data: Any) -> None:
        for chunk in data:
            self.write(chunk)

    def flush(self) -> None:
        """Hand everything gathered so far to the transport, as one write."""
        self._scheduled = False
        parts, self._parts = self._parts, []
        if not parts or self._writer.is_closing():
            return  # a closed connection fails its calls through aiormq's reader
        try:
            self._writer.write(parts[0] if len(parts) == 1 else b"".join(parts))
        except (OSError, RuntimeError) as exc:
            log.debug("write to the broker failed: %r", exc)

    async def drain(self) -> None:
        self.flush()
        await self._writer.drain()

    def write_eof(self) -> None:
        self.flush()
        self._writer.write_eof()

    def close(self) -> None:
        self.flush()
        self._writer.close()

    def __getattr__(self, name: str) -> Any:
        # is_closing, can_write_eof, wait_closed, transport, get_extra_info: the writer's.
        return getattr(self._writer, name)


class TurnCoalescingTransportFactory(TransportFactory):
    """aiormq's own TCP or TLS transport, its writer wrapped in a
    :class:`TurnCoalescingWriter`."""

    async def create(self, url: URL, **kwargs: Any) -> tuple[asyncio.StreamReader, Any]:
        inner = TLSTransportFactory() if url.scheme == "amqps" else TCPTransportFactory()
        reader, writer = await inner.create(url, **kwargs)
        return reader, TurnCoalescingWriter(writer, asyncio.get_running_loop())
