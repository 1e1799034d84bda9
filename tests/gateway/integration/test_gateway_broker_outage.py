"""Losing the broker: calls in flight fail at once, the client reconnects by itself, and
the app starts and answers 503 while the broker is away."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from gateway_bus import echo, silent, unique_service

from gateway.context import CallContext
from gateway.main import create_app
from gateway.metrics import REGISTRY
from gateway.rpc import BrokerUnavailable, RpcClient
from gateway.settings import GatewaySettings
from tests.gateway.identity_kit import TEST_ROUTE_ACCESS

pytestmark = pytest.mark.anyio

CONTEXT = CallContext(request_id="outage-test-0001")


def reconnects() -> float:
    return REGISTRY.get_sample_value("gateway_broker_reconnects_total") or 0.0


async def test_a_lost_connection_fails_calls_in_flight_and_comes_back(proxy, responder):
    await proxy.listen()
    client = RpcClient(proxy.amqp_uri + "?heartbeat=10", default_timeout=8)
    try:
        assert await client.connect(wait=5)
        mute = await responder(silent)
        talker = await responder(echo)
        assert (await client.call(talker.service, "ping", {}, context=CONTEXT))["method"] == "ping"
        before = reconnects()

        in_flight = [
            asyncio.create_task(client.call(mute.service, "wait", {"n": n}, context=CONTEXT))
            for n in range(5)
        ]
        while len(mute.received) < 5:
            await asyncio.sleep(0.01)
        started = time.perf_counter()
        proxy.cut()
        outcomes = await asyncio.gather(*in_flight, return_exceptions=True)
        assert time.perf_counter() - started < 1.0
        assert all(isinstance(outcome, BrokerUnavailable) for outcome in outcomes), outcomes

        assert await client.wait_connected(10), "did not reconnect within 10 s"
        assert reconnects() == before + 1
        assert REGISTRY.get_sample_value("gateway_broker_connected") == 1
        answer = await client.call(talker.service, "again", {}, context=CONTEXT)
        assert answer["method"] == "again"
    finally:
        await client.close()


async def test_calls_while_the_broker_is_away_fail_fast_then_work_again(proxy, responder):
    await proxy.listen()
    client = RpcClient(proxy.amqp_uri, default_timeout=8)
    try:
        assert await client.connect(wait=5)
        talker = await responder(echo)
        await proxy.stop()
        proxy.cut()
        await asyncio.sleep(0.1)
        assert not client.connected
        assert REGISTRY.get_sample_value("gateway_broker_connected") == 0
        started = time.perf_counter()
        with pytest.raises(BrokerUnavailable):
            await client.call(talker.service, "ping", {}, context=CONTEXT)
        assert time.perf_counter() - started < 0.1

        await asyncio.sleep(1.0)  # a few failed attempts: the backoff grows, capped at 2 s
        await proxy.listen()
        started = time.perf_counter()
        assert await client.wait_connected(10)
        assert time.perf_counter() - started < 2.5
        assert (await client.call(talker.service, "ping", {}, context=CONTEXT))["method"] == "ping"
    finally:
        await client.close()


async def test_the_app_starts_without_the_broker_and_recovers(proxy, responder):
    talker = await responder(echo)
    settings = GatewaySettings(
        AMQP_URI=proxy.amqp_uri, GATEWAY_SERVICES=talker.service, GATEWAY_HEALTH_TIMEOUT=1.0,
    )
    app = create_app(settings, extra_access=TEST_ROUTE_ACCESS)

    async def health_answer(method, payload, message):
        return {"result": {
            "service": talker.service, "ok": True, "checks": [], "outbox_backlog": 0,
            "outbox_oldest_age_seconds": 0.0, "migration_revision": None,
            "migration_head": None,
        }, "error": None}

    talker.answer = health_answer
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app):  # nothing listens on the proxy port yet
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            live = await client.get("/health/live")
            assert live.status_code == 200
            health = await client.get("/health")
            assert health.status_code == 503
            assert health.json()["broker"] == {"connected": False}
            assert health.json()["services"][talker.service]["error"] == "unavailable"

            await proxy.listen()
            assert await app.state.rpc.wait_connected(10)
            health = await client.get("/health")
            assert health.status_code == 200, health.text
            assert health.json()["services"][talker.service]["ok"] is True
    assert not app.state.rpc.connected


async def test_unavailable_while_disconnected_is_a_503_with_retry_after(proxy):
    app = create_app(GatewaySettings(AMQP_URI=proxy.amqp_uri, GATEWAY_SERVICES=unique_service()),
                     extra_access=TEST_ROUTE_ACCESS)

    @app.get("/t/ping", response_model=dict)
    async def ping() -> dict:
        return await app.state.rpc.call("anything", "ping", {}, context=CONTEXT)

    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gw",
        ) as client:
            response = await client.get("/t/ping")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "unavailable"
