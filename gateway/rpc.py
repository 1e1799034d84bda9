"""Asyncio client for nameko's AMQP RPC protocol: one connection, one reply queue, many calls.

A request is published to the ``nameko-rpc`` topic exchange with routing key
``<service>.<method>``; the service answers on the same exchange with the routing key the
request named in ``reply_to``, and the reply is matched to its caller by correlation id.
The connection is kept by a background task that reconnects with a capped backoff; calls
made while it is down fail at once with :class:`BrokerUnavailable`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from collections.abc import Awaitable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import aiormq
import orjson
from aiormq.abc import AbstractChannel, AbstractConnection, DeliveredMessage
from aiormq.channel import Channel
from pamqp.commands import Basic
from pamqp.header import ContentHeader

from gateway import metrics
from gateway.context import HEADER_PREFIX, CallContext
from gateway.rpc_transport import TurnCoalescingTransportFactory
from services.common.errors import PlatformError, from_remote

log = logging.getLogger(__name__)

RPC_EXCHANGE = "nameko-rpc"
METHOD_NOT_FOUND_PATH = "nameko.exceptions.MethodNotFound"


# --- failures the client raises ---------------------------------------------------------


# Epoch milliseconds (an integer: AMQP tables carry Python floats as 32-bit floats).
DEADLINE_KEY = "deadline_ms"


class RpcFailure(Exception):
    """The call did not produce an answer from the service."""

    outcome = "failure"


class BrokerUnavailable(RpcFailure):
    """No working connection to RabbitMQ: not yet connected, lost, or shutting down."""

    outcome = "broker_unavailable"


class ServiceUnavailable(RpcFailure):
    """The broker had no queue for the service (it never started), so nothing could answer."""

    outcome = "service_unavailable"

    def __init__(self, service: str):
        super().__init__(f"no running service {service!r}")
        self.service = service


class RpcTimeout(RpcFailure):
    """No reply within the caller's timeout; the request expires on the bus too."""

    outcome = "timeout"

    def __init__(self, service: str | None, method: str | None, timeout: float):
        target = f"{service}.{method}" if service and method else "the call"
        super().__init__(f"{target} did not answer within {timeout:g}s")
        self.service = service
        self.method = method
        self.timeout = timeout


class RemoteMethodNotFound(RpcFailure):
    """The service runs but has no such method: the gateway and the service disagree."""

    outcome = "method_not_found"

    def __init__(self, service: str, method: str):
        super().__init__(f"{service} has no method {method!r}")
        self.service = service
        self.method = method


class RemoteServiceError(RpcFailure):
    """The service failed with an error that is not one of the typed platform errors.

    ``value`` is the remote text; it is for logs, never for the HTTP client.
    """

    outcome = "remote_error"

    def __init__(self, service: str, method: str, exc_type: str, value: str = ""):
        super().__init__(f"{service}.{method} failed with {exc_type}")
        self.service = service
        self.method = method
        self.exc_type = exc_type
        self.value = value


def outcome_of(exc: BaseException) -> str:
    """The metrics label for how a call ended."""
    if isinstance(exc, PlatformError):
        return exc.code
    if isinstance(exc, RpcFailure):
        return exc.outcome
    if isinstance(exc, asyncio.CancelledError):
        return "cancelled"
    return "internal"


# --- the client --------------------------------------------------------------------------


@dataclass(slots=True)
class _Link:
    """One live connection with its channels and reply queue."""

    connection: AbstractConnection
    publisher: AbstractChannel
    consumer: AbstractChannel
    reply_queue: str


class RpcClient:
    """Calls nameko services over one AMQP connection shared by every request of the process.

    ``connect()`` starts a task that opens the connection and keeps it open; ``close()``
    stops it. Both belong in the application's lifespan.
    """

    def __init__(
        self,
        amqp_url: str,
        *,
        default_timeout: float = 10.0,
        exchange: str = RPC_EXCHANGE,
        backoff_min: float = 0.2,
        backoff_max: float = 2.0,
        connect_timeout: float = 5.0,
        name: str = "gateway",
    ):
        if default_timeout <= 0:
            raise ValueError("default_timeout must be positive")
        self._url = amqp_url
        self._default_timeout = default_timeout
        self._exchange = exchange
        self._backoff_min = backoff_min
        self._backoff_max = backoff_max
        self._connect_timeout = connect_timeout
        self._name = name
        self._link: _Link | None = None
        self._pending: dict[str, asyncio.Future[bytes]] = {}
        self._supervisor: asyncio.Task[None] | None = None
        self._up = asyncio.Event()
        self._closed = False

    @classmethod
    def from_settings(cls, settings: Any) -> RpcClient:
        return cls(settings.amqp_url, default_timeout=settings.rpc_timeout)

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        link = self._link
        return link is not None and not link.connection.is_closed

    @property
    def default_timeout(self) -> float:
        return self._default_timeout

    async def connect(self, *, wait: float = 5.0) -> bool:
        """Start keeping a connection; wait up to ``wait`` seconds for the first one.

        Returns whether the gateway is connected. It never raises for an unreachable
        broker: the background task keeps trying, and calls fail with 503 meanwhile.
        """
        if self._supervisor is None or self._supervisor.done():
            self._closed = False
            self._supervisor = asyncio.create_task(self._keep_connected(), name="gateway-amqp")
        return await self.wait_connected(wait)

    async def wait_connected(self, timeout: float) -> bool:
        if timeout > 0 and not self.connected:
            with suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._up.wait()
        return self.connected

    async def close(self) -> None:
        """Stop reconnecting, fail calls still waiting, and close the connection."""
        self._closed = True
        task, self._supervisor = self._supervisor, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        link = self._link
        self._drop(link, BrokerUnavailable("the gateway is shutting down"))
        if link is not None:
            await self._close_connection(link.connection)

    async def _keep_connected(self) -> None:
        delay = self._backoff_min
        failures = 0
        has_connected = False
        while not self._closed:
            try:
                async with asyncio.timeout(self._connect_timeout):
                    link = await self._open()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                # One line when an outage starts, then one about every half minute.
                if failures == 1 or failures % 15 == 0:
                    log.warning(
                        "cannot reach the broker (attempt %d): %r; retrying", failures, exc,
                    )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._backoff_max)
                continue

            delay = self._backoff_min
            failures = 0
            self._link = link
            self._up.set()
            metrics.BROKER_CONNECTED.set(1)
            if has_connected:
                metrics.BROKER_RECONNECTS.inc()
                log.info("reconnected to the broker")
            else:
                log.info("connected to the broker")
            has_connected = True

            reason = await self._wait_until_lost(link)
            log.warning("lost the broker connection: %r", reason)
            self._drop(link, BrokerUnavailable("the broker connection was lost"))
            await self._close_connection(link.connection)

    async def _open(self) -> _Link:
        connection = aiormq.Connection(
            self._url, client_properties={"connection_name": self._name},
            # Requests published in one loop turn leave in one write (gateway/rpc_transport.py).
            transport_factory=TurnCoalescingTransportFactory(),
        )
        try:
            await connection.connect()
            consumer = await connection.channel(publisher_confirms=False)
            await consumer.exchange_declare(
                self._exchange, exchange_type="topic", durable=True,
            )
            # A fresh name for every connection: a late reply meant for a lost connection
            # finds no queue and is dropped by the broker instead of confusing a new call.
            reply_queue = f"rpc.reply-{self._name}-{uuid.uuid4().hex}"
            await consumer.queue_declare(reply_queue, exclusive=True, auto_delete=True)
            await consumer.queue_bind(reply_queue, self._exchange, routing_key=reply_queue)
            await consumer.basic_consume(reply_queue, self._on_reply, no_ack=True)
            # No publisher confirms: waiting for a Basic.Ack per request cost the gateway
            # and the broker a frame each way. ``mandatory`` still makes the broker return
            # a request no queue is bound for, and the handler installed here fails that
            # call at once; a lost connection fails every call in flight (``_drop``).
            publisher = await connection.channel(publisher_confirms=False)
            self._handle_returns(publisher)
        except BaseException:
            await self._close_connection(connection)
            raise
        return _Link(connection, publisher, consumer, reply_queue)

    @staticmethod
    async def _wait_until_lost(link: _Link) -> BaseException | None:
        watchers = [link.connection.closing, link.publisher.closing, link.consumer.closing]
        try:
            done, _ = await asyncio.wait(watchers, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for watcher in watchers:
                watcher.cancel()
        first = done.pop()
        if first.cancelled():
            return asyncio.CancelledError()
        return first.exception()

    def _drop(self, link: _Link | None, reason: BrokerUnavailable) -> None:
        """Forget ``link`` and fail every call still waiting on it, at once."""
        if link is not None and self._link is link:
            self._link = None
        if self._link is None:
            self._up.clear()
            metrics.BROKER_CONNECTED.set(0)
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(reason)

    @staticmethod
    async def _close_connection(connection: AbstractConnection) -> None:
        # No reason given: aiormq then fails its own pending futures with a plain
        # Exception, which the publish path turns into BrokerUnavailable.
        with suppress(Exception):
            async with asyncio.timeout(2.0):
                await connection.close(None)

    def _handle_returns(self, channel: AbstractChannel) -> None:
        """Fail a returned request's call with :class:`ServiceUnavailable` at once.

        aiormq 7.2 hands a ``Basic.Return`` to ``on_return_callbacks`` only on a channel
        with publisher confirms (it finds the message through its confirmation table and
        drops it with an error line otherwise), so the publishing channel gets its own
        handler for the frame: it reads the returned header and body with the channel's
        own helpers and matches the request to its caller by correlation id.
        """
        if not isinstance(channel, Channel) or not all(
            callable(getattr(channel, name, None))
            for name in ("_on_return_frame", "_get_frame", "_read_content")
        ):
            raise RuntimeError("unsupported aiormq channel: cannot handle returned requests")
        read_frame = channel._get_frame
        read_content = channel._read_content

        async def on_return(frame: Basic.Return) -> None:
            header = await read_frame()
            if not isinstance(header, ContentHeader):
                raise ValueError(f"expected the returned message's header, got {header!r}")
            message = await read_content(frame, header)
            self._on_returned(frame, message.header.properties.correlation_id)

        # The channel's frame reader looks the handler up on the instance.
        channel._on_return_frame = on_return  # type: ignore[method-assign]

    def _on_returned(self, frame: Basic.Return, correlation_id: str | None) -> None:
        future = self._pending.get(correlation_id) if correlation_id else None
        if future is None:
            log.debug("returned request for an unknown or abandoned call %s", correlation_id)
        elif not future.done():
            service = (frame.routing_key or "").partition(".")[0]
            future.set_exception(ServiceUnavailable(service))

    async def _on_reply(self, message: DeliveredMessage) -> None:
        correlation_id = message.header.properties.correlation_id
        future = self._pending.get(correlation_id) if correlation_id else None
        if future is None:
            log.debug("reply for an unknown or abandoned call %s", correlation_id)
        elif not future.done():
            future.set_result(message.body)

    # -- calls -----------------------------------------------------------------------------

    async def call(
        self,
        service: str,
        method: str,
        payload: dict[str, Any],
        *,
        timeout: float | None = None,
        context: CallContext,
    ) -> Any:
        """Call ``service.method(payload=payload)`` and return its result.

        Raises the service's typed error (``services.common.errors``), or an
        :class:`RpcFailure` when no answer came.
        """
        timeout = self._default_timeout if timeout is None else timeout
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        started = time.perf_counter()
        outcome = "ok"
        metrics.RPC_IN_FLIGHT.inc()
        try:
            return await self._call(service, method, payload, timeout, context)
        except BaseException as exc:
            outcome = outcome_of(exc)
            raise
        finally:
            metrics.RPC_IN_FLIGHT.dec()
            metrics.observe_rpc(service, method, outcome, time.perf_counter() - started)

    async def _call(
        self,
        service: str,
        method: str,
        payload: dict[str, Any],
        timeout: float,
        context: CallContext,
    ) -> Any:
        link = self._link
        if link is None or link.connection.is_closed:
            raise BrokerUnavailable("not connected to the broker")

        # 32 random hex digits, as uuid4().hex looks, without building a UUID object.
        correlation_id = os.urandom(16).hex()
        headers = context.headers()
        headers[HEADER_PREFIX + "call_id_stack"] = [f"gateway.{method}.{correlation_id}"]
        headers[HEADER_PREFIX + DEADLINE_KEY] = int((time.time() + timeout) * 1000)
        properties = Basic.Properties(
            content_type="application/json",
            correlation_id=correlation_id,
            message_id=correlation_id,
            reply_to=link.reply_queue,
            delivery_mode=1,
            expiration=str(max(1, int(timeout * 1000))),
            headers=headers,
        )
        body = orjson.dumps({"args": [], "kwargs": {"payload": payload}})

        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._pending[correlation_id] = future
        try:
            async with asyncio.timeout(timeout):
                await self._publish(link, service, method, body, properties)
                reply = await future
        except TimeoutError:
            raise RpcTimeout(service, method, timeout) from None
        finally:
            self._pending.pop(correlation_id, None)
        return unpack_reply(service, method, reply)

    async def _publish(
        self, link: _Link, service: str, method: str, body: bytes, properties: Basic.Properties,
    ) -> None:
        try:
            await link.publisher.basic_publish(
                body,
                exchange=self._exchange,
                routing_key=f"{service}.{method}",
                properties=properties,
                mandatory=True,
                # Queued for the connection's writer, not waited for: a request that never
                # leaves fails with the connection, and a returned one through _on_returned.
                wait=False,
            )
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # our caller gave up or timed out
            # aiormq cancels its own futures when the connection closes under them.
            raise BrokerUnavailable("the broker connection was lost") from None
        except Exception as exc:
            raise BrokerUnavailable(f"could not publish: {exc!r}") from None

    async def gather(self, *calls: Awaitable[Any], timeout: float | None = None) -> list[Any]:
        """Run calls concurrently; see :func:`gather`. The bound defaults to the RPC timeout
        plus a little, so the calls' own timeouts fire first and name themselves."""
        if timeout is None:
            timeout = self._default_timeout + 0.5
        return await gather(*calls, timeout=timeout)


def unpack_reply(service: str, method: str, body: bytes) -> Any:
    """The result of a nameko reply body, or the error it carries raised as ours."""
    try:
        reply = orjson.loads(body)
        error = reply.get("error")
    except (orjson.JSONDecodeError, AttributeError):
        raise RemoteServiceError(service, method, "MalformedReply") from None
    if not error:
        return reply.get("result")
    if not isinstance(error, dict):
        raise RemoteServiceError(service, method, "MalformedReply")
    typed = from_remote(error.get("exc_path"), error.get("exc_args"))
    if typed is not None:
        raise typed
    if error.get("exc_path") == METHOD_NOT_FOUND_PATH:
        raise RemoteMethodNotFound(service, method)
    raise RemoteServiceError(
        service, method, str(error.get("exc_type") or "Exception"), str(error.get("value") or ""),
    )


# --- composition -------------------------------------------------------------------------

Result = Any
"""One outcome of :func:`gather`: the call's value, or the exception it ended with."""


async def gather(*calls: Awaitable[Any], timeout: float | None = None) -> list[Result]:
    """Run several calls at once for one page and return every outcome in order.

    Each item is the call's value or the exception it raised; one failure does not cancel
    the others. Calls still running when ``timeout`` passes are cancelled and reported as
    :class:`RpcTimeout`.
    """
    tasks = [asyncio.ensure_future(call) for call in calls]
    if not tasks:
        return []
    try:
        _, still_running = await asyncio.wait(tasks, timeout=timeout)
    except asyncio.CancelledError:
        for task in tasks:
            task.cancel()
        raise
    for task in still_running:
        task.cancel()
    if still_running:
        await asyncio.wait(still_running)
    results: list[Result] = []
    for task in tasks:
        if task in still_running:
            results.append(RpcTimeout(None, None, timeout or 0.0))
        elif task.cancelled():
            results.append(asyncio.CancelledError())
        else:
            exc = task.exception()
            results.append(exc if exc is not None else task.result())
    return results
