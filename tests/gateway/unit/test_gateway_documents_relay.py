"""The download relay against real HTTP servers on loopback (asyncio servers that answer
as a store would, or misbehave): the client gets exactly the stored bytes, never a
cut-off file that looks whole, and the gateway holds only a bounded window of them."""

from __future__ import annotations

import asyncio
import hashlib
import os

import pytest

from gateway import documents_relay as relay

pytestmark = pytest.mark.anyio
BODY = os.urandom(6 * 1024 * 1024 + 123)


async def serve(handler):
    """A one-handler TCP server on loopback; its URL."""
    async def on_connect(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        try:
            await handler(writer)
        finally:
            writer.close()

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/bucket/key?X-Amz-Signature=abc"


def whole(body: bytes, piece: int = 100_000):
    async def handler(writer):
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
        for start in range(0, len(body), piece):
            writer.write(body[start:start + piece])
            await writer.drain()
    return handler


class Client:
    """The ASGI server's side: collects what the response sends; can be slow or leave."""

    def __init__(self, leave_after: int | None = None, delay: float = 0.0):
        self.messages: list[dict] = []
        self.leave_after = leave_after
        self.delay = delay
        self.gone = asyncio.Event()

    async def receive(self):
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message):
        self.messages.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.leave_after is not None and len(self.messages) > self.leave_after:
            self.gone.set()

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages[1:])

    @property
    def finished(self) -> bool:
        return self.messages[-1] == {"type": "http.response.body", "body": b"",
                                     "more_body": False}


async def relay_to(client: Client, url: str, timeout: float = 5.0):
    upstream = await relay.open_get(url, timeout)
    response = relay.RelayResponse(upstream, {"content-length": str(len(BODY))})
    await response({"type": "http"}, client.receive, client.send)
    return upstream


async def test_a_whole_answer_arrives_byte_for_byte_with_a_bounded_window():
    server, url = await serve(whole(BODY))
    async with server:
        client = Client(delay=0.001)  # a client slower than the store
        upstream = await relay.open_get(url, 5.0)
        peak = 0
        original = upstream.on_body

        def on_body(body):
            nonlocal peak
            original(body)
            peak = max(peak, upstream.buffered)

        upstream.on_body = on_body
        await relay.RelayResponse(upstream, {})({"type": "http"}, client.receive,
                                                client.send)
    assert client.messages[0]["status"] == 200
    assert hashlib.sha256(client.body).digest() == hashlib.sha256(BODY).digest()
    assert client.finished
    # The store was held back instead of the gateway buffering the file.
    assert peak <= relay.HIGH_WATER + 512 * 1024


async def test_a_chunked_answer_is_decoded():
    async def handler(writer):
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for start in range(0, len(BODY), 70_000):
            piece = BODY[start:start + 70_000]
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            await writer.drain()
        writer.write(b"0\r\n\r\n")

    server, url = await serve(handler)
    async with server:
        client = Client()
        await relay_to(client, url)
    assert client.body == BODY and client.finished


async def test_a_store_breaking_off_mid_file_cuts_the_response_instead_of_ending_it():
    async def handler(writer):
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY))
        writer.write(BODY[:1_000_000])
        await writer.drain()

    server, url = await serve(handler)
    async with server:
        client = Client()
        with pytest.raises(relay.UpstreamFailed):
            await relay_to(client, url)
    assert not client.finished
    assert len(client.body) == 1_000_000


async def test_an_error_answer_is_read_for_its_message():
    async def handler(writer):
        body = b'{"error": {"code": "not_found", "message": "gone"}}'
        writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: %d\r\n\r\n%s"
                     % (len(body), body))

    server, url = await serve(handler)
    async with server:
        upstream = await relay.open_get(url, 5.0)
        assert upstream.status == 404
        assert b'"gone"' in await upstream.read_all(relay.ERROR_BODY_LIMIT)
        upstream.close()


async def test_a_client_leaving_closes_the_store_connection_quietly():
    closed = asyncio.Event()

    async def handler(writer):
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (10 * len(BODY)))
        try:
            for _ in range(10):
                writer.write(BODY)
                await writer.drain()
        except ConnectionError:
            closed.set()

    server, url = await serve(handler)
    async with server:
        client = Client(leave_after=3)
        await asyncio.wait_for(relay_to(client, url), 5)  # returns, raises nothing
        await asyncio.wait_for(closed.wait(), 5)
    assert not client.finished


async def test_a_silent_or_absent_store_is_an_error_not_a_hang():
    async def silent(writer):
        await asyncio.sleep(5)

    server, url = await serve(silent)
    async with server:
        with pytest.raises(relay.UpstreamFailed):
            await relay.open_get(url, 0.3)
    with pytest.raises(relay.UpstreamFailed):
        await relay.open_get(url, 0.3)  # the server is gone: nothing listens
