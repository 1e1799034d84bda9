"""The RPC client against the real RabbitMQ, with responders that answer as nameko does."""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

import aiormq
import httpx
import pytest
from fastapi import APIRouter, FastAPI
from gateway_bus import AMQP_URI, echo, ok, remote, silent, typed, unique_service
from pamqp.commands import Basic

from gateway.context import CallContext
from gateway.deps import IdempotentCallContextDep, RpcDep
from gateway.main import create_app
from gateway.metrics import REGISTRY
from gateway.rpc import (
    RPC_EXCHANGE,
    BrokerUnavailable,
    RpcClient,
    RpcTimeout,
    ServiceUnavailable,
)
from gateway.settings import GatewaySettings
from services.common.errors import InvalidInput, NotFound, OutsideWindow
from tests.gateway.identity_kit import TEST_ROUTE_ACCESS

pytestmark = pytest.mark.anyio


def context(**fields: Any) -> CallContext:
    return CallContext(request_id=fields.pop("request_id", "it-request-0001"), **fields)


def app_with_call_route(rpc) -> FastAPI:
    """The gateway with one test route that calls ``{service}.{method}`` with the body."""
    app = create_app(GatewaySettings(services=()), rpc=rpc, extra_access=TEST_ROUTE_ACCESS)
    router = APIRouter()

    @router.post("/t/{service}/{method}", response_model=dict[str, Any])
    async def call(
        service: str, method: str, body: dict[str, Any], rpc: RpcDep,
        ctx: IdempotentCallContextDep, timeout: float | None = None,
    ) -> dict[str, Any]:
        return {"result": await rpc.call(service, method, body, timeout=timeout, context=ctx)}

    app.include_router(router)
    return app


def http(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")


async def test_round_trip_carries_context_headers(rpc, responder):
    svc = await responder(echo)
    before = time.time()
    result = await rpc.call(
        svc.service, "get_society", {"society_id": "s-1"}, timeout=4.0,
        context=context(request_id="round-trip-0001", idempotency_key="key:1"),
    )
    assert result == {"method": "get_society", "payload": {"society_id": "s-1"}}

    (message,) = svc.received
    assert message.exchange == RPC_EXCHANGE
    assert message.routing_key == f"{svc.service}.get_society"
    props = message.header.properties
    assert props.content_type == "application/json"
    assert props.delivery_mode == 1
    assert props.expiration == "4000"
    assert props.reply_to.startswith("rpc.reply-gateway-")
    assert len(props.correlation_id) == 32
    headers = props.headers
    assert headers["nameko.request_id"] == "round-trip-0001"
    assert headers["nameko.idempotency_key"] == "key:1"
    assert headers["nameko.call_id_stack"] == [f"gateway.get_society.{props.correlation_id}"]
    deadline_ms = headers["nameko.deadline_ms"]
    assert int((before + 4.0) * 1000) <= deadline_ms <= int((time.time() + 4.0) * 1000)
    # Anonymous for now: no actor headers at all rather than empty ones.
    assert not any(key.startswith("nameko.actor_") for key in headers)


async def test_actor_headers_when_the_context_has_an_actor(rpc, responder):
    svc = await responder(echo)
    actor = context().with_actor(actor_id="u-9", actor_role="auditor", actor_scope="society:3")
    await rpc.call(svc.service, "whoami", {}, context=actor)
    headers = svc.received[0].header.properties.headers
    assert headers["nameko.actor_id"] == "u-9"
    assert headers["nameko.actor_role"] == "auditor"
    assert headers["nameko.actor_scope"] == "society:3"


@pytest.mark.parametrize(
    ("reply", "status", "code", "details"),
    [
        (typed(NotFound("No such society.", {"society_id": "s-9"})), 404, "not_found",
         {"society_id": "s-9"}),
        (typed(InvalidInput("Bad.", fields={"name": "required", "members.0.age": "too low"})),
         422, "invalid_input", {"fields": {"name": "required", "members.0.age": "too low"}}),
        (typed(OutsideWindow("Closed.", {"opens_at": "2027-01-01T00:00:00+05:30"})), 409,
         "outside_window", {"opens_at": "2027-01-01T00:00:00+05:30"}),
        (remote("MethodNotFound", "nameko.exceptions.MethodNotFound", ["nope"], "nope"), 502,
         "bad_gateway", None),
        (remote("ValueError", "builtins.ValueError", ["dsn=secret"], "dsn=secret"), 502,
         "bad_gateway", None),
    ],
)
async def test_remote_errors_become_http_statuses(rpc, responder, reply, status, code, details):
    async def answer(method, payload, message):
        return reply

    svc = await responder(answer)
    async with http(app_with_call_route(rpc)) as client:
        response = await client.post(f"/t/{svc.service}/do_it", json={"x": 1},
                                     headers={"X-Request-ID": "error-map-0001"})
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error["request_id"] == "error-map-0001"
    if details is not None:
        assert error["details"] == details
    assert "secret" not in response.text


async def test_success_through_the_app_forwards_the_idempotency_key(rpc, responder):
    svc = await responder(echo)
    async with http(app_with_call_route(rpc)) as client:
        response = await client.post(
            f"/t/{svc.service}/record_payment", json={"amount": 10},
            headers={"Idempotency-Key": "pay-77", "X-Request-ID": "idem-request-01"},
        )
    assert response.status_code == 200
    assert response.json() == {"result": {"method": "record_payment",
                                          "payload": {"amount": 10}}}
    headers = svc.received[0].header.properties.headers
    assert headers["nameko.idempotency_key"] == "pay-77"
    assert headers["nameko.request_id"] == "idem-request-01"


async def test_a_service_with_no_queue_is_503_at_once(rpc):
    async with http(app_with_call_route(rpc)) as client:
        started = time.perf_counter()
        response = await client.post(f"/t/{unique_service()}/health?timeout=5", json={})
        elapsed = time.perf_counter() - started
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "unavailable"
    # At once: the broker's return, not the call's 5 s timeout (a speed bound lives in
    # tests/perf; on a loaded machine this path has taken 0.5 s).
    assert elapsed < 2.5, elapsed


async def test_a_silent_service_is_504_within_the_timeout(rpc, responder):
    svc = await responder(silent)
    async with http(app_with_call_route(rpc)) as client:
        started = time.perf_counter()
        response = await client.post(f"/t/{svc.service}/slow?timeout=1.0", json={})
        elapsed = time.perf_counter() - started
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "timeout"
    # The call's own 1 s, not the default 10 s (the first answer of a new app has taken
    # 0.7 s more during the full suite).
    assert 1.0 <= elapsed < 2.5, elapsed
    assert svc.received[0].header.properties.expiration == "1000"


async def test_a_request_nobody_takes_expires_on_the_bus(rpc):
    service = unique_service()
    queue = f"rpc-{service}"
    connection = aiormq.Connection(AMQP_URI)
    await connection.connect()
    try:
        channel = await connection.channel()
        await channel.queue_declare(queue, exclusive=True, auto_delete=True)
        await channel.queue_bind(queue, RPC_EXCHANGE, routing_key=f"{service}.*")
        with pytest.raises(RpcTimeout):
            await rpc.call(service, "later", {}, timeout=0.3, context=context())
        await asyncio.sleep(0.2)
        leftover = await channel.basic_get(queue, no_ack=True)
        assert isinstance(leftover.delivery, Basic.GetEmpty)  # expired, will never run
    finally:
        await connection.close()


async def test_sixty_concurrent_calls_are_each_answered_to_their_caller(rpc, responder):
    async def shuffled(method, payload, message):
        await asyncio.sleep(random.uniform(0, 0.05))  # replies come back out of order
        return ok({"n": payload["n"] * 2})

    svc = await responder(shuffled)
    results = await asyncio.gather(*(
        rpc.call(svc.service, "double", {"n": n}, context=context()) for n in range(60)
    ))
    assert results == [{"n": n * 2} for n in range(60)]
    assert len({m.header.properties.correlation_id for m in svc.received}) == 60
    assert REGISTRY.get_sample_value("gateway_rpc_in_flight") == 0
    assert REGISTRY.get_sample_value(
        "gateway_rpc_calls_total",
        {"service": svc.service, "method": "double", "outcome": "ok"},
    ) == 60


async def test_gather_returns_the_others_when_one_fails(rpc, responder):
    async def mixed(method, payload, message):
        if method == "missing":
            return typed(NotFound("Gone."))
        return ok(method)

    svc = await responder(mixed)
    ctx = context()
    results = await rpc.gather(
        rpc.call(svc.service, "first", {}, context=ctx),
        rpc.call(svc.service, "missing", {}, context=ctx),
        rpc.call(unique_service(), "nobody", {}, context=ctx),
        rpc.call(svc.service, "last", {}, context=ctx),
    )
    assert results[0] == "first" and results[3] == "last"
    assert isinstance(results[1], NotFound)
    assert type(results[2]).__name__ == "ServiceUnavailable"


async def test_gather_bounds_a_page_with_a_silent_service(rpc, responder):
    talker = await responder(echo)
    mute = await responder(silent)
    ctx = context()
    started = time.perf_counter()
    results = await rpc.gather(
        rpc.call(talker.service, "a", {}, context=ctx),
        rpc.call(mute.service, "b", {}, timeout=5, context=ctx),
        timeout=0.5,
    )
    assert time.perf_counter() - started < 1.0
    assert results[0]["method"] == "a"
    assert isinstance(results[1], RpcTimeout)


async def test_close_fails_calls_in_flight_at_once(responder):
    client = RpcClient(AMQP_URI, default_timeout=10)
    assert await client.connect()
    svc = await responder(silent)
    pending = asyncio.create_task(client.call(svc.service, "wait", {}, context=context()))
    await asyncio.sleep(0.2)
    started = time.perf_counter()
    await client.close()
    with pytest.raises(BrokerUnavailable):
        await pending
    assert time.perf_counter() - started < 1.0
    with pytest.raises(BrokerUnavailable):
        await client.call(svc.service, "wait", {}, context=context())



async def test_a_returned_request_fails_only_its_own_call(rpc, responder):
    # Requests go out without publisher confirms; the broker's Basic.Return for the
    # unroutable one is matched to its caller by correlation id.
    assert rpc._link is not None and not rpc._link.publisher.publisher_confirms
    svc = await responder(echo)
    nobody = unique_service()
    ctx = context()
    started = time.perf_counter()
    results = await asyncio.gather(
        *(rpc.call(svc.service, f"m{n}", {"n": n}, context=ctx) for n in range(10)),
        rpc.call(nobody, "missing", {}, timeout=5, context=ctx),
        *(rpc.call(svc.service, f"m{n}", {"n": n}, context=ctx) for n in range(10, 20)),
        return_exceptions=True,
    )
    assert time.perf_counter() - started < 1.0
    unavailable = results.pop(10)
    assert isinstance(unavailable, ServiceUnavailable) and unavailable.service == nobody
    assert [r["payload"]["n"] for r in results] == list(range(20))
    assert REGISTRY.get_sample_value(
        "gateway_rpc_calls_total",
        {"service": nobody, "method": "missing", "outcome": "service_unavailable"},
    ) == 1
    # The connection survives a return: later calls still work.
    assert (await rpc.call(svc.service, "after", {}, context=ctx))["method"] == "after"
    assert rpc.connected
