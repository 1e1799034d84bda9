"""Real-broker fixtures for the gateway: responders, a connected client, a cuttable proxy."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from gateway_bus import (
    AMQP_URI,
    BROKER_HOST,
    BROKER_PORT,
    Answer,
    Responder,
    TcpProxy,
    unique_service,
)

from gateway.rpc import RpcClient


@pytest.fixture(scope="session", autouse=True)
def _broker_is_reachable() -> None:
    try:
        socket.create_connection((BROKER_HOST, BROKER_PORT), timeout=2).close()
    except OSError as exc:
        pytest.fail(f"RabbitMQ is not reachable at {BROKER_HOST}:{BROKER_PORT}: {exc}")


@pytest.fixture(autouse=True)
def _gateway_database(monkeypatch, gateway_db_url) -> None:
    """Apps built from the environment here use a migrated copy of the gateway's database."""
    monkeypatch.setenv("GATEWAY_DATABASE_URL", gateway_db_url)


@pytest.fixture
async def responder() -> AsyncIterator[Callable[..., Awaitable[Responder]]]:
    started: list[Responder] = []

    async def start(answer: Answer, service: str | None = None) -> Responder:
        running = await Responder(service or unique_service(), answer).start()
        started.append(running)
        return running

    yield start
    for running in started:
        await running.stop()


@pytest.fixture
async def rpc() -> AsyncIterator[RpcClient]:
    client = RpcClient(AMQP_URI + "?heartbeat=10", default_timeout=5.0)
    assert await client.connect(wait=5.0)
    yield client
    await client.close()


@pytest.fixture
async def proxy() -> AsyncIterator[TcpProxy]:
    running = TcpProxy()
    yield running
    running.cut()
    await running.stop()
