"""Test helpers on the real broker: a responder that answers like a nameko service, and a
TCP proxy that can cut the gateway's connection without touching anyone else's."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import aiormq
import orjson
from aiormq.abc import DeliveredMessage
from pamqp.commands import Basic

from gateway.rpc import RPC_EXCHANGE
from services.common.errors import PlatformError
from tests.support.broker import AMQP_URI as TESTS_AMQP_URI
from tests.support.broker import amqp_uri_via
from tests.support.ports import free_port

BROKER_HOST = "127.0.0.1"
BROKER_PORT = 5672
AMQP_URI = TESTS_AMQP_URI

Answer = Callable[[str, dict[str, Any], DeliveredMessage], Awaitable[dict[str, Any] | None]]


def ok(result: Any) -> dict[str, Any]:
    return {"result": result, "error": None}


def remote(exc_type: str, exc_path: str, exc_args: list[Any], value: str = "") -> dict[str, Any]:
    return {"result": None, "error": {
        "exc_type": exc_type, "exc_path": exc_path, "exc_args": exc_args, "value": value,
    }}


def typed(exc: PlatformError) -> dict[str, Any]:
    """What nameko sends when a service raises one of the platform's typed errors."""
    name = type(exc).__name__
    return remote(name, f"services.common.errors.{name}", list(exc.args), str(exc))


def unique_service() -> str:
    return f"gwtest{uuid.uuid4().hex[:12]}"


class Responder:
    """Consumes ``<service>.*`` from nameko-rpc and replies as nameko does: to the same
    exchange, routing key = the request's ``reply_to``, correlation id copied.

    ``answer`` returns the reply body, or None to stay silent."""

    def __init__(self, service: str, answer: Answer):
        self.service = service
        self.answer = answer
        self.received: list[DeliveredMessage] = []
        self._connection: aiormq.abc.AbstractConnection | None = None
        self._channel: aiormq.abc.AbstractChannel | None = None

    async def start(self) -> Responder:
        self._connection = aiormq.Connection(AMQP_URI)
        await self._connection.connect()
        self._channel = await self._connection.channel(publisher_confirms=False)
        await self._channel.exchange_declare(RPC_EXCHANGE, exchange_type="topic", durable=True)
        queue = f"rpc-{self.service}"
        await self._channel.queue_declare(queue, exclusive=True, auto_delete=True)
        await self._channel.queue_bind(queue, RPC_EXCHANGE, routing_key=f"{self.service}.*")
        await self._channel.basic_consume(queue, self._on_request, no_ack=True)
        return self

    async def _on_request(self, message: DeliveredMessage) -> None:
        self.received.append(message)
        method = message.routing_key.split(".", 1)[1]
        payload = orjson.loads(message.body)["kwargs"]["payload"]
        body = await self.answer(method, payload, message)
        if body is None:
            return
        properties = message.header.properties
        assert self._channel is not None
        await self._channel.basic_publish(
            orjson.dumps(body),
            exchange=RPC_EXCHANGE,
            routing_key=properties.reply_to,
            properties=Basic.Properties(
                correlation_id=properties.correlation_id,
                content_type="application/json",
                delivery_mode=2,
            ),
        )

    async def stop(self) -> None:
        if self._connection is not None:
            await self._connection.close()


async def echo(method: str, payload: dict[str, Any], message: DeliveredMessage) -> dict:
    return ok({"method": method, "payload": payload})


async def silent(method: str, payload: dict[str, Any], message: DeliveredMessage) -> None:
    return None


class TcpProxy:
    """A loopback port in front of RabbitMQ: ``cut()`` drops every connection through it
    abruptly (as a network failure would), ``stop()``/``listen()`` take the "broker" away
    and bring it back, for this test's client only."""

    def __init__(self) -> None:
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def amqp_uri(self) -> str:
        return amqp_uri_via(self.port)

    async def listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def cut(self) -> None:
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                BROKER_HOST, BROKER_PORT,
            )
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, upstream_writer))
        await asyncio.gather(
            self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer),
            return_exceptions=True,
        )

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.transport.abort()
