"""The download relay: a document's bytes from the store's URL (a presigned S3 GET, or the
data plane's ``GET /objects/<token>``) to the client with as little Python as possible
between the two sockets.

Why not ``httpx`` here (uploads still use it): relaying 200 MB through ``httpx`` →
``StreamingResponse`` cost the gateway about 2.2 ms of CPU per MB, most of it per-read
work above the socket (64 KiB reads, a cancel scope per read, h11's buffer copies, the
re-chunking of ``aiter_raw``, a hand-off between tasks per chunk). Here the upstream is
an ``asyncio.Protocol``: ``httptools`` (the C parser uvicorn already serves with) reads
the head, the body's socket reads go on as they arrive, and the response writes each one
straight to the ASGI ``send``: about 0.5 ms of CPU per MB. Measured in
``tests/perf/bench_documents.py`` (docs/documents.md).

Memory per download: at most ``HIGH_WATER`` bytes queued plus one socket read; above it
the upstream socket stops being read until the client catches up (TCP then holds the
store back)."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ssl
from typing import Any
from urllib.parse import urlsplit

import httptools
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

HIGH_WATER = 2 * 1024 * 1024
LOW_WATER = 512 * 1024
# An error answer is read whole to be turned into the gateway's error shape; never more.
ERROR_BODY_LIMIT = 64 * 1024


class UpstreamFailed(Exception):
    """The store's connection failed, broke off, fell silent, or spoke broken HTTP."""


class _Upstream(asyncio.Protocol):
    """One GET on its own connection: status and headers, then body pieces in a queue
    with flow control. ``httptools`` calls the ``on_*`` methods from ``feed_data``."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.status = 0
        self.headers: dict[str, str] = {}
        self.chunks: collections.deque[bytes] = collections.deque()
        self.buffered = 0
        self.body_seen = 0
        self.paused = False
        self.complete = False
        self.error: Exception | None = None
        # Bytes of a Content-Length body still to come once the parser stepped aside.
        self.passthrough_left: int | None = None
        self._wakeup: asyncio.Future | None = None
        self._headers_done = asyncio.get_running_loop().create_future()

    # -- asyncio.Protocol
    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        left = self.passthrough_left
        if left is not None:
            # The socket's own bytes object goes on as it is: no parser, no copy.
            if len(data) >= left:
                data = data[:left]
                self.complete = True
            self.passthrough_left = left - len(data)
            self.on_body(data)
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(UpstreamFailed(f"broken HTTP from the store: {exc}"))
            self.transport.close()
            return
        if self.status == 200 and not self.complete and self.passthrough_left is None:
            self._step_aside()

    def _step_aside(self) -> None:
        """Past the head of a plain ``Content-Length`` answer the body is just bytes:
        count them instead of handing each read through the parser (which copies it)."""
        length = self.headers.get("content-length", "")
        if "transfer-encoding" in self.headers or not length.isdigit():
            return
        self.passthrough_left = int(length) - self.body_seen

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.complete:
            self._fail(UpstreamFailed("the store closed the connection mid-answer"))

    # -- httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        if not self._headers_done.done():
            self._headers_done.set_result(None)

    def on_body(self, body: bytes) -> None:
        self.body_seen += len(body)
        self.chunks.append(body)
        self.buffered += len(body)
        if self.buffered > HIGH_WATER and not self.paused:
            self.paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        self.complete = True
        self._wake()

    # -- the consumer's side
    def _wake(self) -> None:
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)

    def _fail(self, error: Exception) -> None:
        if self.error is None:
            self.error = error
        if not self._headers_done.done():
            self._headers_done.set_exception(error)
        self._wake()

    async def wait_headers(self) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                await self._headers_done
        except TimeoutError:
            raise UpstreamFailed("the store did not answer in time") from None

    async def next_chunk(self) -> bytes | None:
        """The next body piece, ``None`` at the end; raises if the answer broke off."""
        while not self.chunks:
            if self.complete:
                return None
            if self.error is not None:
                raise self.error
            self._wakeup = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(self.timeout):
                    await self._wakeup
            except TimeoutError:
                raise UpstreamFailed("the store fell silent mid-answer") from None
        chunk = self.chunks.popleft()
        self.buffered -= len(chunk)
        if self.paused and self.buffered <= LOW_WATER:
            self.paused = False
            self.transport.resume_reading()
        return chunk

    async def read_all(self, limit: int) -> bytes:
        parts, size = [], 0
        while size <= limit and (chunk := await self.next_chunk()) is not None:
            parts.append(chunk)
            size += len(chunk)
        return b"".join(parts)[:limit]

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def open_get(url: str, timeout: float) -> _Upstream:
    """Connect, send ``GET url`` and wait for the status line and headers."""
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            _, upstream = await loop.create_connection(
                lambda: _Upstream(timeout), parts.hostname, port,
                ssl=ssl.create_default_context() if secure else None)
    except (OSError, TimeoutError) as exc:
        raise UpstreamFailed(f"cannot reach the store: {type(exc).__name__}") from None
    # Signed URLs sign the Host header as the URL spells it.
    upstream.transport.write(
        f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "Accept-Encoding: identity\r\nConnection: close\r\n\r\n".encode("latin-1"))
    try:
        await upstream.wait_headers()
    except BaseException:
        upstream.close()
        raise
    return upstream


class RelayResponse(Response):
    """A pure ASGI response writing each upstream piece straight to ``send``: no task per
    chunk, no re-chunking. A second task only watches for the client going away (then
    the upstream connection is closed at once)."""

    def __init__(self, upstream: _Upstream, headers: dict[str, str]):
        super().__init__(status_code=200, headers=headers)
        self.upstream = upstream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        upstream = self.upstream

        client_gone = False

        async def watch_disconnect() -> None:
            nonlocal client_gone
            while (await receive())["type"] != "http.disconnect":
                pass
            client_gone = True
            upstream._fail(UpstreamFailed("the client went away"))
            upstream.close()

        watcher = asyncio.create_task(watch_disconnect())
        try:
            await send({"type": "http.response.start", "status": self.status_code,
                        "headers": self.raw_headers})
            while (chunk := await upstream.next_chunk()) is not None:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except UpstreamFailed:
            if not client_gone:  # a store that broke off: the server cuts the response
                raise
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            upstream.close()


def content_length(upstream: _Upstream, fallback: Any) -> str:
    return upstream.headers.get("content-length", str(fallback))
